"""The "Thi đua" admin screens: the score sheet report and its downloads, the contributor's own
dashboard panel, and the district's school years, freeze and bonus screens. Two schools always:
nothing of one school may show on the other's principal's screens."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from district_site.factories import UserFactory, make_member, make_school
from district_site.models import DISTRICT_ADMINS_GROUP
from school_site.models import ContributorGroup
from scoring import services
from scoring.models import BonusAward, CreditEvent, FrozenSheetRow, SchoolYear
from tests.scoring.helpers import draft_news, publish

HOST = "localhost"
REPORT = reverse("scoring_admin:report")
XLSX = reverse("scoring_admin:export", args=["xlsx"])
CSV = reverse("scoring_admin:export", args=["csv"])
PRINT = reverse("scoring_admin:print")
DASHBOARD = reverse("wagtailadmin_home")


@pytest.fixture
def year(db) -> SchoolYear:
    return services.school_year_for(moment=timezone.now())


@pytest.fixture
def people(school_a, school_b, board_a, editor_a, board_b) -> dict:
    principal_a = make_member(school_a, "ht_a", board=True)
    school_a.principal = principal_a
    school_a.save(update_fields=["principal"])
    principal_b = make_member(school_b, "ht_b", board=True)
    school_b.principal = principal_b
    school_b.save(update_fields=["principal"])
    district = UserFactory(username="pgd_admin")
    district.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    return {
        "district": district,
        "superuser": UserFactory(username="quantri", is_superuser=True),
        "principal_a": principal_a,
        "principal_b": principal_b,
        "board_a": board_a,
        "editor_a": editor_a,
        "editor_b": make_member(school_b, "gv_b", first_name="Bình", last_name="Phạm"),
        "board_b": board_b,
    }


@pytest.fixture
def credited(year, school_a, school_b, people) -> dict:
    """School A: two news by editor_a (one for "Tổ Toán"); school B: one news by gv_b."""
    maths = ContributorGroup.objects.create(school=school_a, name="Tổ Toán")
    maths.members.add(people["editor_a"])
    for group in (maths, None):
        publish(draft_news(school_a, people["editor_a"], group=group), people["board_a"])
    publish(draft_news(school_b, people["editor_b"]), people["board_b"])
    return {"maths": maths}


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params, HTTP_HOST=HOST)


def refused(response) -> bool:
    """Refused: Wagtail turns PermissionDenied into a redirect to the dashboard with a message,
    and the admin allowlist answers a school user's POST to a district screen with a 403."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response["Location"] == DASHBOARD


# --- who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["district", "superuser"])
def test_district_admin_sees_every_school_and_the_ranking(
    client, year, credited, people, school_a, school_b, role
):
    response = get(client, people[role], REPORT, year=year.label, by="school")
    assert response.status_code == 200
    html = response.content.decode()
    ranking = [(row.school_id, row.rank, row.pages) for row, _c, _l in response.context["rows"]]
    assert ranking == [(school_a.pk, 1, 2), (school_b.pk, 2, 1)]
    assert "Trường Tiểu học A" in html and "Trường Mầm non B" in html
    assert 'data-chart="bars"' in html and 'data-chart="trend"' in html
    assert "<script" not in html.split('data-chart="bars"')[1].split("</svg>")[0]

    response = get(client, people[role], REPORT, year=year.label, by="author")
    names = {row.username for row, _c, _l in response.context["rows"]}
    assert names == {"editor_a", "gv_b"}
    response = get(client, people[role], REPORT, year=year.label, by="group")
    assert [row.group_name for row, _c, _l in response.context["rows"]] == ["Tổ Toán"]


def test_the_district_picking_one_school_keeps_its_true_rank(
    client, year, credited, people, school_b
):
    response = get(client, people["district"], REPORT, year=year.label, school=school_b.pk)
    assert [(row.school_id, row.rank) for row, _c, _l in response.context["rows"]] == [
        (school_b.pk, 2)
    ]


@pytest.mark.parametrize("by", ["school", "author", "group"])
def test_principal_sees_only_their_own_school(client, year, credited, people, school_a, by):
    response = get(client, people["principal_a"], REPORT, year=year.label, by=by)
    assert response.status_code == 200
    html = response.content.decode()
    assert {row.school_id for row, _c, _l in response.context["rows"]} == {school_a.pk}
    assert "Trường Mầm non B" not in html and "gv_b" not in html and "Phạm Bình" not in html
    # The principal's school list offers their own school only.
    assert list(response.context["form"].fields["school"].queryset) == [school_a]


@pytest.mark.parametrize("url", [REPORT, XLSX, CSV])
@pytest.mark.parametrize("by", ["school", "author"])
def test_principal_is_refused_another_school_by_parameter(
    client, year, credited, people, school_b, url, by
):
    for value in (school_b.pk, "abc", "99999"):
        response = get(client, people["principal_a"], url, year=year.label, by=by, school=value)
        assert response.status_code == 404, (url, value)
        assert b"Tr\xc6\xb0\xe1\xbb\x9dng M\xe1\xba\xa7m non B" not in response.content
    # And B's own principal does get B.
    response = get(client, people["principal_b"], url, year=year.label, by=by, school=school_b.pk)
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["board_a", "editor_a"])
@pytest.mark.parametrize("url", [REPORT, XLSX, CSV])
def test_board_member_and_contributor_are_refused_the_school_report(
    client, year, credited, people, role, url
):
    assert refused(get(client, people[role], url, year=year.label))


def test_menu_shows_the_report_to_principals_and_district_screens_to_the_district(client, people):
    years_url = reverse("scoring_admin:years")
    html = get(client, people["principal_a"], DASHBOARD).content.decode()
    assert REPORT in html and years_url not in html
    html = get(client, people["district"], DASHBOARD).content.decode()
    assert REPORT in html and years_url in html
    html = get(client, people["editor_a"], DASHBOARD).content.decode()
    assert REPORT not in html and years_url not in html


# --- the contributor's panel ------------------------------------------------------------------


def test_contributor_sees_their_own_numbers_on_the_dashboard(client, year, credited, people):
    response = get(client, people["editor_a"], DASHBOARD)
    html = response.content.decode()
    assert "Điểm thi đua của tôi năm học này" in html
    assert "data-my-score-pages>2<" in html
    assert "data-my-score-total>2<" in html
    assert "Trường Tiểu học A" in html and "Trường Mầm non B" not in html
    # School B's contributor sees their own single page, nothing of school A's.
    html = get(client, people["editor_b"], DASHBOARD).content.decode()
    assert "data-my-score-pages>1<" in html and "Trường Tiểu học A" not in html
    # A board member without credited pages sees the panel with nothing counted.
    html = get(client, people["board_a"], DASHBOARD).content.decode()
    assert "data-my-score-empty" in html
    # The district has no own pages to count: no panel.
    html = get(client, people["district"], DASHBOARD).content.decode()
    assert "Điểm thi đua của tôi" not in html


# --- downloads --------------------------------------------------------------------------------


def test_xlsx_download_opens_with_vietnamese_headers(client, year, credited, people, school_a):
    response = get(client, people["district"], XLSX, year=year.label, by="school")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[7]]
    assert headers[:3] == ["STT", "Trường", "Tên miền"]
    assert {"Tin", "Bài viết", "Tổng số bài", "Điểm cộng", "Tổng điểm", "Xếp hạng"} <= set(headers)
    assert [sheet.cell(8, 2).value, sheet.cell(9, 2).value] == [
        "Trường Tiểu học A",
        "Trường Mầm non B",
    ]

    # The principal's workbook holds their school only, headed by the school's name.
    response = get(client, people["principal_a"], XLSX, year=year.label, by="author")
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {sheet.cell(r, 2).value for r in range(8, sheet.max_row + 1)}
    assert "Trường Tiểu học A" in names and "Trường Mầm non B" not in names
    assert sheet.cell(1, 1).value == "TRƯỜNG TIỂU HỌC A"
    texts = {c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert "HIỆU TRƯỞNG" in texts and "TRƯỞNG PHÒNG" not in texts


def test_district_xlsx_is_signed_by_the_head_of_the_department(client, year, credited, people):
    for by in ("school", "author", "group"):
        response = get(client, people["district"], XLSX, year=year.label, by=by)
        sheet = load_workbook(io.BytesIO(response.content)).active
        texts = {c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
        assert sheet.cell(1, 1).value == "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", by
        assert "TRƯỞNG PHÒNG" in texts and "HIỆU TRƯỞNG" not in texts, by
        assert f"từ {year.start_date:%d/%m/%Y} đến {year.end_date:%d/%m/%Y}" in sheet["A5"].value


def test_print_view_is_the_signed_sheet_on_a4_landscape(client, year, credited, people, school_b):
    response = get(client, people["district"], PRINT, year=year.label, by="author")
    assert response.status_code == 200
    html = response.content.decode()
    assert "size: A4 landscape" in html
    heading = response.context["heading"]
    assert (heading.unit, heading.signatory) == ("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "TRƯỞNG PHÒNG")
    assert f"từ {year.start_date:%d/%m/%Y} đến {year.end_date:%d/%m/%Y}" in html
    today = timezone.localdate()
    assert f"Tam Nông, ngày {today:%d} tháng {today:%m} năm {today.year}" in html
    assert "Trường Tiểu học A" in html and "Trường Mầm non B" in html

    # A principal prints their own school's sheet, signed by the principal.
    response = get(client, people["principal_a"], PRINT, year=year.label, by="author")
    html = response.content.decode()
    assert response.context["heading"].signatory == "HIỆU TRƯỞNG"
    assert "TRƯỜNG TIỂU HỌC A" in html and "Trường Mầm non B" not in html
    # ... and never another school's, nor does a board member who is not the principal.
    response = get(client, people["principal_a"], PRINT, year=year.label, school=school_b.pk)
    assert response.status_code == 404
    assert refused(get(client, people["board_a"], PRINT, year=year.label))


def test_csv_download_has_the_same_scope(client, year, credited, people):
    response = get(client, people["principal_a"], CSV, year=year.label, by="author")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    # Vietnamese headers and the school's name (the hostname columns are the command's).
    editor = people["editor_a"]
    name_a = " ".join(n for n in (editor.last_name, editor.first_name) if n) or editor.username
    assert [(r["Trường"], r["Họ và tên"], r["Tổng số bài"]) for r in rows] == [
        ("Trường Tiểu học A", name_a, "2")
    ]
    response = get(client, people["district"], CSV, year=year.label, by="author")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["Họ và tên"] for r in rows} == {name_a, "Phạm Bình"}


def test_a_date_range_outside_the_year_is_refused_with_a_message(client, year, credited, people):
    response = get(client, people["district"], REPORT, year=year.label, start="2001-01-01", end="")
    assert response.status_code == 200
    assert "Ngày phải trong năm học" in response.content.decode()
    assert "rows" not in response.context
    # A range within the year that ends before today's credit shows none of it.
    response = get(
        client,
        people["district"],
        REPORT,
        year=year.label,
        by="author",
        start=year.start_date.isoformat(),
        end=year.start_date.isoformat(),
    )
    today = timezone.localdate()
    expected = 2 if today == year.start_date else 0
    assert sum(row.pages for row, _c, _l in response.context["rows"]) in (expected, expected + 1)
    if today != year.start_date:
        assert response.context["rows"] == []


# --- query counts -----------------------------------------------------------------------------


def _report_queries(client, user, **params) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(REPORT, params, HTTP_HOST=HOST)
    assert response.status_code == 200
    assert response.context["rows"]
    return len(captured)


def _more_ledger_rows(year, school, users, *, per_user: int) -> None:
    now = timezone.now()
    for user in users:
        for n in range(per_user):
            CreditEvent.objects.create(
                kind=CreditEvent.Kind.EARNED,
                school_year=year,
                school=school,
                page_id=100000 + user.pk * 100 + n,
                page_title=f"Bài {n}",
                content_kind="article",
                author=user,
                pages=1,
                points=Decimal(2),
                created_at=now,
            )


@pytest.mark.parametrize("by", ["school", "author", "group"])
def test_report_query_count_does_not_grow_with_schools_or_ledger_rows(
    client, year, credited, people, school_a, by, django_assert_max_num_queries
):
    params = {"year": year.label, "by": by}
    district_before = _report_queries(client, people["district"], **params)
    principal_before = _report_queries(client, people["principal_a"], **params)

    new_schools = [make_school(f"th-x{n}", name=f"Trường Tiểu học X{n}") for n in range(8)]
    for school in new_schools:
        author = make_member(school, f"gv_{school.pk}")
        _more_ledger_rows(year, school, [author], per_user=3)
    more_authors = [make_member(school_a, f"gv_a{n}") for n in range(6)]
    _more_ledger_rows(year, school_a, more_authors, per_user=5)

    assert _report_queries(client, people["district"], **params) == district_before
    assert _report_queries(client, people["principal_a"], **params) == principal_before
    client.force_login(people["district"])
    with django_assert_max_num_queries(district_before):
        client.get(REPORT, params, HTTP_HOST=HOST)


def test_dashboard_panel_query_count_does_not_grow_with_credit(client, year, credited, people):
    def dashboard_queries() -> int:
        client.force_login(people["editor_a"])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DASHBOARD, HTTP_HOST=HOST).status_code == 200
        return len(captured)

    dashboard_queries()  # the first visit creates the user's admin profile
    before = dashboard_queries()
    _more_ledger_rows(year, credited["maths"].school, [people["editor_a"]], per_user=20)
    assert dashboard_queries() == before


# --- the district's screens -------------------------------------------------------------------


def test_freeze_via_the_screen_sends_later_publications_to_adjustments(
    client, year, credited, people, school_a
):
    freeze_url = reverse("scoring_admin:year_freeze", args=[year.pk])
    # Principals do not freeze; nor does a POST without the confirmation.
    client.force_login(people["principal_a"])
    assert refused(client.post(freeze_url, {"confirm": "on"}, HTTP_HOST=HOST))
    client.force_login(people["district"])
    response = client.post(freeze_url, {}, HTTP_HOST=HOST)
    assert response.status_code == 200 and "Hãy đánh dấu" in response.content.decode()
    year.refresh_from_db()
    assert not year.frozen

    response = client.post(freeze_url, {"confirm": "on"}, HTTP_HOST=HOST)
    assert response.status_code == 302
    year.refresh_from_db()
    assert year.frozen and year.frozen_by == people["district"]
    assert FrozenSheetRow.objects.filter(school_year=year, by="school").count() == 2

    late = draft_news(school_a, people["editor_a"])
    publish(late, people["board_a"])
    event = CreditEvent.objects.get(page_id=late.pk)
    assert event.after_freeze
    response = get(client, people["district"], REPORT, year=year.label, by="school")
    pages = {row.school_id: row.pages for row, _c, _l in response.context["rows"]}
    assert pages[school_a.pk] == 2
    # The adjustments list on the freeze screen names the late page.
    html = get(client, people["district"], freeze_url).content.decode()
    assert late.title in html


def test_bonus_form_awards_points_through_the_ledger(client, year, credited, people, school_b):
    bonus_url = reverse("scoring_admin:bonus")
    data = {
        "school_year": year.pk,
        "school": school_b.pk,
        "points": "1.5",
        "criterion": BonusAward.Criterion.REGULAR,
        "reason": "Cập nhật tin hằng tuần",
    }
    client.force_login(people["principal_b"])
    assert refused(client.post(bonus_url, data, HTTP_HOST=HOST))
    assert not BonusAward.objects.exists()

    client.force_login(people["district"])
    response = client.post(bonus_url, data | {"reason": ""}, HTTP_HOST=HOST)
    assert response.status_code == 200 and not BonusAward.objects.exists()
    assert client.post(bonus_url, data, HTTP_HOST=HOST).status_code == 302
    award = BonusAward.objects.get()
    assert award.event.bonus_points == Decimal("1.5") and award.awarded_by == people["district"]
    response = get(client, people["district"], REPORT, year=year.label, by="school")
    bonus = {row.school_id: row.bonus for row, _c, _l in response.context["rows"]}
    assert bonus[school_b.pk] == Decimal("1.50")
    # School A's principal sees nothing of B's bonus.
    html = get(client, people["principal_a"], REPORT, year=year.label).content.decode()
    assert "Trường Mầm non B" not in html


def test_school_years_and_rubric_screens(client, year, people):
    client.force_login(people["principal_a"])
    assert refused(client.get(reverse("scoring_admin:years"), HTTP_HOST=HOST))

    client.force_login(people["district"])
    add_url = reverse("scoring_admin:year_add")
    response = client.post(add_url, {"label": "2040-2042"}, HTTP_HOST=HOST)
    assert response.status_code == 200 and "không hợp lệ" in response.content.decode()
    assert client.post(add_url, {"label": "2040-2041"}, HTTP_HOST=HOST).status_code == 302
    added = SchoolYear.objects.get(label="2040-2041")
    assert (added.start_date.isoformat(), added.end_date.isoformat()) == (
        "2040-09-01",
        "2041-08-31",
    )

    edit_url = reverse("scoring_admin:year_edit", args=[added.pk])
    response = client.post(
        edit_url, {"start_date": "15/08/2040", "end_date": "2041-08-14"}, HTTP_HOST=HOST
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.start_date.isoformat() == "2040-08-15"

    rubric_url = reverse("scoring_admin:rubric", args=[added.pk])
    fields = {
        "news_points": "1.5",
        "article_points": "3",
        "document_points": "1",
        "lecture_points": "2",
        "gallery_points": "1",
        "good_post_points": "0",
        "min_body_chars": "80",
    }
    assert client.post(rubric_url, fields, HTTP_HOST=HOST).status_code == 302
    assert services.rubric_for(school_year=added).news_points == Decimal("1.5")
    assert services.rubric_for(school_year=added).min_body_chars == 80
    response = client.post(rubric_url, fields | {"article_points": "-1"}, HTTP_HOST=HOST)
    assert "Điểm không được âm." in response.content.decode()

    html = client.get(reverse("scoring_admin:years"), HTTP_HOST=HOST).content.decode()
    assert "2040-2041" in html and year.label in html


def test_print_view_query_count_does_not_grow_with_schools(client, year, credited, people):
    def queries() -> int:
        client.force_login(people["district"])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(PRINT, {"year": year.label, "by": "author"}, HTTP_HOST=HOST)
        assert response.status_code == 200
        return len(captured)

    before = queries()
    for n in range(5):
        school = make_school(f"th-p{n}", name=f"Trường Tiểu học P{n}")
        _more_ledger_rows(year, school, [make_member(school, f"gv_p{n}")], per_user=2)
    assert queries() == before


def test_bonus_screen_shows_suggested_bonuses(client, year, credited, people, school_a, school_b):
    bonus_url = reverse("scoring_admin:bonus")
    html = get(client, people["district"], bonus_url).content.decode()
    assert "data-suggestions" not in html  # nobody has reached 100 credited posts
    _more_ledger_rows(year, school_a, [people["editor_a"]], per_user=99)
    response = get(client, people["district"], bonus_url)
    rows = [(row.school_id, points) for row, points in response.context["suggestions"]]
    assert rows == [(school_a.pk, Decimal(1))]
    assert "Gợi ý cộng điểm" in response.content.decode()
    assert refused(get(client, people["principal_a"], bonus_url))


# --- pagination of long sheets ------------------------------------------------------------------


def _credited_authors(year, school, label: str, count: int) -> list:
    """`count` people of `school` with one credited news each, in two bulk INSERTs: the sheet
    only reads the ledger and the people's names."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    users = User.objects.bulk_create(
        User(
            username=f"gv_{school.pk}_{n:02d}",
            last_name=f"Giáo viên {label}",
            first_name=f"{n:02d}",
        )
        for n in range(count)
    )
    now = timezone.now()
    CreditEvent.objects.bulk_create(
        CreditEvent(
            kind=CreditEvent.Kind.EARNED,
            school_year=year,
            school=school,
            page_id=200000 + n,
            page_title=f"Tin {label} {n}",
            content_kind="news",
            author=user,
            pages=1,
            points=Decimal(1),
            created_at=now,
        )
        for n, user in enumerate(users)
    )
    return users


def test_the_author_sheet_is_paginated_and_its_downloads_are_whole(
    client, year, credited, people, school_a, school_b
):
    from scoring.views.reports import PER_PAGE

    params = {"year": year.label, "by": "author"}
    # Two authors: one page, no page links.
    few = _report_queries(client, people["district"], **params)
    response = get(client, people["district"], REPORT, **params)
    assert len(response.context["rows"]) == 2
    assert 'aria-label="Phân trang"' not in response.content.decode()

    _credited_authors(year, school_a, "A", PER_PAGE + 5)
    _credited_authors(year, school_b, "kín B", 10)
    total = 2 + PER_PAGE + 5 + 10
    # The page renders 50 rows instead of 2: not one query more.
    assert _report_queries(client, people["district"], **params) == few

    first = get(client, people["district"], REPORT, **params)
    html = first.content.decode()
    assert len(first.context["rows"]) == PER_PAGE
    assert f"Dòng 1–{PER_PAGE} trong {total} dòng" in html
    assert "Trang 1 / 2" in html
    # The page link keeps the filters; the downloads carry none of the page number.
    assert f"?year={year.label}&amp;by=author&amp;p=2" in html
    assert f'csv/?year={year.label}&amp;by=author"' in html
    second = get(client, people["district"], REPORT, p=2, **params)
    assert len(second.context["rows"]) == total - PER_PAGE
    shown = [row.username for page in (first, second) for row, _c, _l in page.context["rows"]]
    assert len(set(shown)) == total
    # The totals are the whole sheet's on every page.
    assert second.context["totals"]["pages"] == first.context["totals"]["pages"] == total + 1
    # Out of range: the last page (Django's get_page), not an error.
    assert get(client, people["district"], REPORT, p=99, **params).context["page"].number == 2

    text = get(client, people["district"], CSV, **params).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == total
    sheet = load_workbook(io.BytesIO(get(client, people["district"], XLSX, **params).content))
    names = [sheet.active.cell(r, 3).value for r in range(8, sheet.active.max_row + 1)]
    assert sum(1 for name in names if name and name.startswith("Giáo viên")) == PER_PAGE + 15

    # The principal of A pages through school A's authors only.
    pages = [get(client, people["principal_a"], REPORT, p=p, **params) for p in (1, 2)]
    usernames = {row.username for page in pages for row, _c, _l in page.context["rows"]}
    assert len(usernames) == 1 + PER_PAGE + 5
    assert all(not name.startswith(f"gv_{school_b.pk}_") and name != "gv_b" for name in usernames)
    for page in pages:
        assert "kín B" not in page.content.decode() and "Phạm Bình" not in page.content.decode()
