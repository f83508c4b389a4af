"""Sheets: the score_sheet command, the XLSX layout, freezing, bonuses, and query counts that
do not grow with schools or pages."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import Page

from district_site.factories import UserFactory, make_member, make_school
from district_site.models import School
from school_site.models import ContributorGroup
from scoring import selectors, services
from scoring.models import CreditEvent, FrozenSheetRow
from tests.scoring.helpers import draft_news, publish


@pytest.fixture
def admin_user(db):
    return UserFactory(username="phong_admin", is_superuser=True)


@pytest.fixture
def year(db):
    return services.school_year_for(moment=timezone.now())


@pytest.fixture
def credited(school_a, school_b, editor_a, board_a, board_b):
    """Two pages credited in school A (one for a group), one in school B."""
    maths = ContributorGroup.objects.create(school=school_a, name="Tổ Toán")
    maths.members.add(editor_a)
    for group in (maths, None):
        publish(draft_news(school_a, editor_a, group=group), board_a)
    editor_b = make_member(school_b, "editor_b")
    publish(draft_news(school_b, editor_b), board_b)
    return {"maths": maths, "editor_b": editor_b}


def run(*args) -> str:
    out = io.StringIO()
    call_command("score_sheet", *args, stdout=out)
    return out.getvalue()


def test_csv_by_author_group_and_school(year, credited, school_a, school_b, editor_a):
    rows = list(csv.DictReader(io.StringIO(run("--year", year.label, "--by", "author"))))
    # Vietnamese headers and school names, then the machine-readable hostname and username.
    assert {(r["Trường"], r["school"], r["author"], r["Tổng số bài"], r["Điểm"]) for r in rows} == {
        (school_a.name, "th-a.localhost", "editor_a", "2", "2.00"),
        (school_b.name, "mn-b.localhost", "editor_b", "1", "1.00"),
    }
    assert list(rows[0])[:3] == ["Hạng", "Trường", "Họ và tên"]
    assert {
        "Tin",
        "Bài viết",
        "Văn bản",
        "Bài giảng",
        "Album ảnh",
        "Điểm cộng",
        "Tổng điểm",
    } <= set(rows[0])
    assert list(rows[0])[-2:] == ["school", "author"]

    rows = list(csv.DictReader(io.StringIO(run("--year", year.label, "--by", "group"))))
    assert [
        (r["Trường"], r["school"], r["Tổ chức, tổ chuyên môn"], r["Tổng số bài"]) for r in rows
    ] == [(school_a.name, "th-a.localhost", "Tổ Toán", "1")]

    out = run("--year", year.label, "--by", "school", "--school", "mn-b.localhost")
    rows = list(csv.DictReader(io.StringIO(out)))
    # Only the school asked for: nothing of school A leaks into school B's sheet.
    assert [(r["school"], r["Tổng số bài"], r["Hạng"]) for r in rows] == [
        ("mn-b.localhost", "1", "1")
    ]


def test_ranking_by_school_lists_every_active_school(year, credited, school_a, school_b):
    empty = make_school("thcs-c", kind=School.Kind.LOWER_SECONDARY)
    rows = list(csv.DictReader(io.StringIO(run("--year", year.label, "--by", "school"))))
    assert [(r["school"], r["Tổng số bài"], r["Hạng"]) for r in rows] == [
        ("th-a.localhost", "2", "1"),
        ("mn-b.localhost", "1", "2"),
        (empty.hostname, "0", "3"),
    ]


@pytest.mark.parametrize("bad", ["2026", "2026-2028", "26-27", "năm nay"])
def test_malformed_year_is_refused_in_vietnamese(db, bad):
    with pytest.raises(CommandError, match="không hợp lệ"):
        run("--year", bad, "--by", "school")


def test_unknown_year_and_school_are_refused(year, school_a):
    with pytest.raises(CommandError, match="Chưa có năm học 1999-2000"):
        run("--year", "1999-2000")
    with pytest.raises(CommandError, match="Không có trường"):
        run("--year", year.label, "--school", "khong-co.localhost")


def test_xlsx_has_the_score_sheet_layout(year, credited, tmp_path):
    target = tmp_path / "bang-diem.xlsx"
    run("--year", year.label, "--by", "author", "--format", "xlsx", "--output", str(target))
    ws = load_workbook(target).active
    assert ws["A4"].value == "BẢNG ĐIỂM THI ĐUA THEO CÁ NHÂN"
    assert year.label in ws["A5"].value
    # The period is printed, not only the year's label.
    assert f"từ {year.start_date:%d/%m/%Y} đến {year.end_date:%d/%m/%Y}" in ws["A5"].value
    headers = [c.value for c in ws[7]]
    assert headers[:4] == ["STT", "Trường", "Họ và tên", "Tài khoản"]
    assert {"Tin", "Bài viết", "Văn bản", "Bài giảng", "Album ảnh", "Tổng điểm"} <= set(headers)
    assert sorted(ws.cell(r, 4).value for r in (8, 9)) == ["editor_a", "editor_b"]
    assert ws.cell(10, 1).value == "Cộng"
    texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    # Every school's authors: the department's sheet, signed by its head, not a principal.
    assert "TRƯỞNG PHÒNG" in texts and "HIỆU TRƯỞNG" not in texts
    assert ws["A1"].value == "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts
    today = timezone.localdate()
    assert f"Tam Nông, ngày {today:%d} tháng {today:%m} năm {today.year}" in texts


def test_one_schools_xlsx_is_signed_by_its_principal(year, credited, school_a, tmp_path, settings):
    settings.DISTRICT_PLACE_NAME = "Tháp Mười"
    target = tmp_path / "truong-a.xlsx"
    run(
        "--year", year.label, "--by", "group", "--school", "th-a.localhost",
        "--format", "xlsx", "--output", str(target),
    )  # fmt: skip
    ws = load_workbook(target).active
    texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert ws["A1"].value == school_a.name.upper()
    assert "HIỆU TRƯỞNG" in texts and "TRƯỞNG PHÒNG" not in texts
    assert any(t.startswith("Tháp Mười, ngày ") for t in texts)


def test_bonus_is_district_only_and_in_the_ledger(year, credited, school_a, board_a, admin_user):
    with pytest.raises(PermissionDenied):
        services.award_bonus(
            school_year=year,
            school=school_a,
            points=Decimal(3),
            criterion="many_posts",
            reason="Tự cộng",
            user=board_a,
        )
    award = services.award_bonus(
        school_year=year,
        school=school_a,
        points=Decimal(3),
        criterion="many_posts",
        reason="Đăng nhiều tin hay",
        user=admin_user,
    )
    assert award.event.kind == CreditEvent.Kind.BONUS
    row = next(r for r in selectors.score_sheet(school_year=year, by="school") if r.pages == 2)
    assert (row.points, row.bonus, row.total) == (Decimal("2.00"), Decimal("3.00"), Decimal(5))
    # The district's bonus belongs to the school, not to any author.
    authors = selectors.score_sheet(school_year=year, by="author")
    assert all(r.bonus == 0 for r in authors)
    suggested = selectors.suggested_bonuses(school_year=year, thresholds=[(2, Decimal(1))])
    assert [(r.school_id, b) for r, b in suggested] == [(school_a.pk, Decimal(1))]


def test_a_frozen_year_does_not_change(
    year, credited, school_a, school_b, editor_a, board_a, admin_user
):
    with pytest.raises(PermissionDenied):
        services.freeze_school_year(school_year=year, user=board_a)
    before = {
        by: [r.as_tuple() for r in selectors.score_sheet(school_year=year, by=by)]
        for by in selectors.SHEET_KINDS
    }
    services.freeze_school_year(school_year=year, user=admin_user)
    assert FrozenSheetRow.objects.filter(school_year=year).exists()

    # Everything that would change the sheet: new credit, a withdrawal, a move, a bonus.
    publish(draft_news(school_a, editor_a), board_a)
    first = CreditEvent.objects.filter(kind="earned").order_by("pk").first()
    Page.objects.get(pk=first.page_id).specific.unpublish(user=board_a)
    # The district's bonus is refused outright once the year is frozen.
    with pytest.raises(ValidationError):
        services.award_bonus(
            school_year=year,
            school=school_a,
            points=Decimal(1),
            criterion="other",
            reason="Sau khi chốt",
            user=admin_user,
        )

    year.refresh_from_db()
    for by in selectors.SHEET_KINDS:
        frozen = [r.as_tuple() for r in selectors.frozen_sheet(school_year=year, by=by)]
        again = [r.as_tuple() for r in selectors.score_sheet(school_year=year, by=by)]
        assert frozen == before[by] == again, by
    # The changes are not lost: they are the year's logged adjustments list.
    adjustments = list(selectors.adjustments_after_freeze(school_year=year))
    assert [e.kind for e in adjustments] == ["earned", "withdrawn"]
    with pytest.raises(ValidationError, match="đã chốt"):
        services.freeze_school_year(school_year=year, user=admin_user)


def _credit_schools(count: int, year) -> None:
    """`count` schools with two authors, a group and three ledger rows each."""
    for i in range(count):
        school = make_school(f"q-{count}-{i}")
        group = ContributorGroup.objects.create(school=school, name=f"Tổ {i}")
        for n, username in enumerate((f"a{count}_{i}", f"b{count}_{i}")):
            user = make_member(school, username)
            for kind in ("news", "lecture")[: n + 1]:
                CreditEvent.objects.create(
                    kind="earned",
                    school_year=year,
                    school=school,
                    page_id=1000 * count + 10 * i + n,
                    content_kind=kind,
                    author=user,
                    contributor_group=group,
                    pages=1,
                    points=Decimal(1),
                    created_at=timezone.now(),
                )


@pytest.mark.parametrize("by", ["school", "author", "group"])
def test_sheet_query_count_does_not_grow_with_schools(year, by, django_assert_num_queries):
    expected = {"school": 2, "author": 3, "group": 3}[by]
    _credit_schools(2, year)
    with django_assert_num_queries(expected):
        small = selectors.score_sheet(school_year=year, by=by)
    _credit_schools(18, year)
    with django_assert_num_queries(expected):
        large = selectors.score_sheet(school_year=year, by=by)
    assert len(large) == 10 * len(small)
