"""The district's sheet totals and the school sheet's index (issue 16: sheets that do not grow
with the district's ledger).

- After a mix of every kind of ledger write (earning, a move, a withdrawal, a restoration, a
  good-post mark, a district bonus, ORM `create` and `bulk_create`, writes after a freeze), the
  totals equal a GROUP BY of the ledger and a rebuild from it, and the district's sheets and
  chart read from them equal the same sheets read from the ledger; totals edited behind the
  ledger's back show as drift (`manage.py sheet_totals`) and `--rebuild` puts them back.
- Query counts of the school's and the district's sheet and chart stay the same with more
  schools and more ledger rows.
- One school's sheet never names another school's people, whatever the totals hold.
- PostgreSQL: the school sheet's statements read the ledger through `scoring_event_school_sheet`
  (no sequential scan), and the district's whole-year sheet does not read the ledger at all.
"""

from __future__ import annotations

import datetime
import io
import logging
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F, Q, Sum
from django.db.models.functions import TruncMonth
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from wagtail.models import Page

from district_site.factories import UserFactory, make_member, make_school
from school_site.models import ContributorGroup
from scoring import selectors, services
from scoring.models import (
    CreditEvent,
    SchoolMonthTotal,
    SheetTotal,
    rebuild_sheet_totals,
    sheet_totals_drift,
)
from tests.scoring.helpers import draft_news, publish

KINDS = selectors.KINDS
TWO = Decimal("0.01")


@pytest.fixture
def year(db):
    return services.school_year_for(moment=timezone.now())


def _q(value) -> Decimal:
    return Decimal(value or 0).quantize(TWO)


def _ledger_per_person() -> dict:
    zone = timezone.get_default_timezone()
    sums = {k: Sum("pages", filter=Q(content_kind=k)) for k in KINDS}
    rows = (
        CreditEvent.objects.filter(after_freeze=False)
        .annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values("school_year_id", "month", "school_id", "author_id", "contributor_group_id")
        .annotate(**sums, p=Sum("pages"), pts=Sum("points"), b=Sum("bonus_points"))
        .order_by()
    )
    return {
        (
            r["school_year_id"],
            timezone.localtime(r["month"], zone).date(),
            r["school_id"],
            r["author_id"] or 0,
            r["contributor_group_id"] or 0,
        ): (
            tuple(int(r[k] or 0) for k in KINDS),
            int(r["p"] or 0),
            _q(r["pts"]),
            _q(r["b"]),
        )
        for r in rows
    }


def _totals_per_person() -> dict:
    return {
        (t.school_year_id, t.month, t.school_id, t.author_id, t.group_id): (
            tuple(getattr(t, k) for k in KINDS),
            t.pages,
            _q(t.points),
            _q(t.bonus_points),
        )
        for t in SheetTotal.objects.all()
    }


def _ledger_per_month() -> dict:
    zone = timezone.get_default_timezone()
    rows = (
        CreditEvent.objects.filter(after_freeze=False)
        .annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values("school_year_id", "school_id", "month")
        .annotate(p=Sum("pages"), pts=Sum("points"), b=Sum("bonus_points"))
        .order_by()
    )
    return {
        (r["school_year_id"], r["school_id"], timezone.localtime(r["month"], zone).date()): (
            int(r["p"] or 0),
            _q(r["pts"]),
            _q(r["b"]),
        )
        for r in rows
    }


def _totals_per_month() -> dict:
    return {
        (t.school_year_id, t.school_id, t.month): (t.pages, _q(t.points), _q(t.bonus_points))
        for t in SchoolMonthTotal.objects.all()
    }


def _assert_totals_follow_the_ledger(year) -> None:
    assert _totals_per_person() == _ledger_per_person()
    assert _totals_per_month() == _ledger_per_month()
    # The district's sheets and chart from the totals (the whole year; the year's own dates,
    # all whole months; partial months at both edges, across the new year) equal the same
    # sheets read from the ledger.
    first_month = year.start_date.replace(day=1)
    for bounds in (
        {},
        {"start": year.start_date, "end": year.end_date},
        {"start": first_month + datetime.timedelta(days=14), "end": year.end_date},
        {"start": year.start_date, "end": datetime.date(year.start_date.year + 1, 1, 17)},
    ):
        _assert_dated_sheets_equal(year, **bounds)


def _assert_dated_sheets_equal(year, **bounds) -> None:
    for by in selectors.SHEET_KINDS:
        from_totals = selectors.score_sheet(school_year=year, by=by, **bounds)
        from_ledger = selectors.score_sheet(school_year=year, by=by, from_ledger=True, **bounds)
        assert [r.as_tuple() for r in from_totals] == [r.as_tuple() for r in from_ledger], (
            by,
            bounds,
        )
    chart = selectors.monthly_totals(school_year=year, **bounds)
    chart_from_ledger = selectors.monthly_totals(school_year=year, from_ledger=True, **bounds)
    assert [(m.month, m.pages, m.points, m.bonus) for m in chart] == [
        (m.month, m.pages, m.points, m.bonus) for m in chart_from_ledger
    ], bounds


def test_the_totals_follow_every_kind_of_ledger_write(
    year, school_a, school_b, editor_a, board_a, caplog
):
    board_a2 = make_member(school_a, "board_a2", board=True)
    district = UserFactory(username="pgd", is_superuser=True)
    teacher = make_member(school_a, "teacher_a")
    maths = ContributorGroup.objects.create(school=school_a, name="Tổ Toán")
    maths.members.add(editor_a, teacher)
    editor_b = make_member(school_b, "editor_b")
    board_b = make_member(school_b, "board_b", board=True)

    # Earnings in two schools, with and without a group.
    moved = draft_news(school_a, editor_a, group=maths)
    publish(moved, board_a)
    withdrawn = draft_news(school_a, editor_a)
    publish(withdrawn, board_a)
    publish(draft_news(school_b, editor_b), board_b)
    # A move (the change set by one board member, published by another).
    services.change_credit(
        page=moved, author=teacher, contributor_group=None, user=board_a2, reason="Ghi nhầm"
    )
    publish(moved, board_a)
    # A withdrawal, then the restoration.
    Page.objects.get(pk=withdrawn.pk).specific.unpublish(user=board_a)
    publish(withdrawn, board_a2)
    # A good-post mark on a credited page, and a district bonus for a school (no author).
    services.mark_good_post(page=Page.objects.get(pk=withdrawn.pk).specific, user=board_a2)
    services.award_bonus(
        school_year=year,
        school=school_b,
        points=Decimal("2.5"),
        criterion="other",
        reason="Thi đua",
        user=district,
    )
    # The ORM directly, one row and many, in another month of the year and at the month's
    # first local hour (UTC's previous day: the month must be cut in the district's zone).
    first_local_hour = timezone.make_aware(
        datetime.datetime.combine(year.start_date.replace(day=1), datetime.time(0, 30))
    )
    CreditEvent.objects.create(
        kind=CreditEvent.Kind.ADJUSTED,
        school_year=year,
        school=school_a,
        author=teacher,
        content_kind="article",
        pages=1,
        points=Decimal("2.00"),
        created_at=first_local_hour,
    )
    CreditEvent.objects.bulk_create(
        CreditEvent(
            kind=CreditEvent.Kind.EARNED,
            school_year=year,
            school=school,
            page_id=900_000 + n,
            content_kind=KINDS[n % len(KINDS)],
            author=author,
            contributor_group=maths if school == school_a and n % 2 else None,
            pages=1,
            points=Decimal("1.50"),
            created_at=first_local_hour + datetime.timedelta(days=40 * n),
        )
        for n, (school, author) in enumerate(
            [(school_a, editor_a), (school_a, teacher), (school_b, editor_b)] * 3
        )
    )
    assert CreditEvent.objects.order_by().values("kind").distinct().count() == 6
    _assert_totals_follow_the_ledger(year)

    # After the freeze, new events are the year's adjustments: the totals (and so the sheet)
    # stay where the freeze left them.
    services.freeze_school_year(school_year=year, user=district)
    frozen = _totals_per_person()
    publish(draft_news(school_a, editor_a), board_a)
    Page.objects.get(pk=moved.pk).specific.unpublish(user=board_a)
    assert CreditEvent.objects.filter(after_freeze=True).count() == 2
    assert _totals_per_person() == frozen
    _assert_totals_follow_the_ledger(year)
    for by in selectors.SHEET_KINDS:
        assert [r.as_tuple() for r in selectors.score_sheet(school_year=year, by=by)] == [
            r.as_tuple() for r in selectors.frozen_sheet(school_year=year, by=by)
        ]

    # A rebuild from the ledger finds what the appends kept.
    months = _totals_per_month()
    assert sheet_totals_drift() == 0
    rebuild_sheet_totals()
    assert _totals_per_person() == frozen
    assert _totals_per_month() == months

    # Totals edited behind the ledger's back show as drift, and a rebuild puts them back.
    SheetTotal.objects.filter(school_id=school_b.pk).update(points=F("points") + 100)
    SchoolMonthTotal.objects.filter(school_id=school_a.pk).order_by("pk")[:1].get().delete()
    changed = SheetTotal.objects.filter(school_id=school_b.pk).count() + 1
    assert sheet_totals_drift() == changed
    with pytest.raises(CommandError, match=f"lệch với sổ ghi điểm ở {changed} dòng"):
        call_command("sheet_totals", stdout=io.StringIO())
    # As the nightly timer runs it (from the command line): an ERROR record, which production's
    # logging writes to the journal and Sentry receives when configured, and exit status 1,
    # which makes the systemd unit fail.
    from scoring.management.commands.sheet_totals import Command

    nightly, stderr = Command(), io.StringIO()
    nightly.from_command_line = True
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="scoring.sheet_totals"):
        with pytest.raises(SystemExit) as exited:
            call_command(nightly, stdout=io.StringIO(), stderr=stderr)
    assert exited.value.code == 1
    assert f"ở {changed} dòng" in stderr.getvalue()
    [record] = [r for r in caplog.records if r.name == "scoring.sheet_totals"]
    assert record.levelno == logging.ERROR and record.drift_rows == changed
    call_command("sheet_totals", "--rebuild", stdout=io.StringIO())
    assert sheet_totals_drift() == 0
    assert _totals_per_person() == frozen and _totals_per_month() == months
    out = io.StringIO()
    caplog.clear()
    call_command("sheet_totals", stdout=out)
    assert "khớp" in out.getvalue()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_the_ledger_refuses_bulk_create_with_conflict_handling(year, school_a):
    row = CreditEvent(
        kind="earned", school_year=year, school=school_a, pages=1, created_at=timezone.now()
    )
    with pytest.raises(PermissionError):
        CreditEvent.objects.bulk_create([row], ignore_conflicts=True)
    assert not CreditEvent.objects.exists() and not SheetTotal.objects.exists()


# --- query counts -----------------------------------------------------------------------------


def _credit(year, school, *, people: int, rows_each: int, tag: str) -> list:
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"{tag}_{school.pk}_{n}", last_name="Giáo viên", first_name=str(n))
        for n in range(people)
    )
    group = ContributorGroup.objects.create(school=school, name=f"Tổ {tag}")
    start = timezone.make_aware(datetime.datetime.combine(year.start_date, datetime.time(9)))
    CreditEvent.objects.bulk_create(
        CreditEvent(
            kind=CreditEvent.Kind.EARNED,
            school_year=year,
            school=school,
            page_id=None,
            content_kind=KINDS[n % len(KINDS)],
            author=user,
            contributor_group=group if n % 2 else None,
            pages=1,
            points=Decimal(1),
            created_at=start + datetime.timedelta(days=(7 * n) % 360),
        )
        for user in users
        for n in range(rows_each)
    )
    return users


def _sheet_reads(year, school_id, **dates):
    def read():
        for by in selectors.SHEET_KINDS:
            selectors.score_sheet(school_year=year, by=by, school_id=school_id, **dates)
        selectors.monthly_totals(school_year=year, school_id=school_id, **dates)

    return read


def _partial_edges(year) -> dict:
    """A range with partial months at both ends and whole months between, across the new
    year: what the district's dated sheet reads from the totals and the ledger at once."""
    return {
        "start": year.start_date.replace(day=1) + datetime.timedelta(days=5),
        "end": datetime.date(year.start_date.year + 1, 2, 10),
    }


@pytest.mark.parametrize("scope", ["school", "district", "school dated", "district dated"])
def test_sheet_and_chart_queries_do_not_grow_with_schools_or_rows(
    year, school_a, school_b, scope, django_assert_num_queries
):
    _credit(year, school_a, people=2, rows_each=2, tag="a")
    _credit(year, school_b, people=2, rows_each=2, tag="b")
    dates = _partial_edges(year) if scope.endswith("dated") else {}
    read = _sheet_reads(year, school_a.pk if scope.startswith("school") else None, **dates)
    # Three sheets of 2, 3 and 3 queries, and the chart's one.
    with django_assert_num_queries(9):
        read()
    for n in range(4):
        _credit(year, make_school(f"q-{n}"), people=3, rows_each=20, tag=f"q{n}")
    _credit(year, school_a, people=5, rows_each=30, tag="more")
    with django_assert_num_queries(9):
        read()


# --- the district's sheet between two dates: totals for whole months, ledger for the edges ---

# Times of day that sit on the boundaries: local midnight, the last microsecond of a local day,
# UTC's midnight (07:00 in Asia/Ho_Chi_Minh) and the hour before it, noon.
EDGE_TIMES = [
    datetime.time(0, 0),
    datetime.time(23, 59, 59, 999_999),
    datetime.time(7, 0),
    datetime.time(6, 59, 59),
    datetime.time(12, 0),
]


@pytest.fixture
def dated_ledger(db, school_a, school_b):
    """Ledger rows of two schools (and a third) over a whole school year and a few days after
    it (a bonus awarded late counts in its year), at the times of day above, with withdrawals,
    rows without an author or a group, and after-freeze adjustments (left out of every sheet).
    Random with a fixed seed."""
    import random

    from scoring.services import get_or_create_school_year

    year = get_or_create_school_year(label="2025-2026")
    school_c = make_school("th-c")
    rng = random.Random(16)
    schools = [school_a, school_b, school_c]
    people = {s.pk: _credit(year, s, people=3, rows_each=0, tag="d") for s in schools}
    groups = {s.pk: ContributorGroup.objects.get(school=s, name="Tổ d").pk for s in schools}
    span = (year.end_date - year.start_date).days + 6
    rows = []
    for n in range(600):
        school = schools[n % 3]
        day = year.start_date + datetime.timedelta(days=rng.randrange(span))
        if n % 7 == 0:  # the first and last days of months, often
            day = day.replace(day=1) if n % 2 else _next_month_day(day) - datetime.timedelta(1)
        at = timezone.make_aware(datetime.datetime.combine(day, rng.choice(EDGE_TIMES)))
        sign = -1 if rng.random() < 0.15 else 1
        rows.append(
            CreditEvent(
                kind=CreditEvent.Kind.WITHDRAWN if sign < 0 else CreditEvent.Kind.EARNED,
                school_year=year,
                school=school,
                content_kind=rng.choice(KINDS),
                author=None if rng.random() < 0.1 else rng.choice(people[school.pk]),
                contributor_group_id=groups[school.pk] if rng.random() < 0.4 else None,
                pages=sign,
                points=Decimal(sign * rng.choice([1, 2])),
                bonus_points=Decimal("0.5") if rng.random() < 0.1 else Decimal(0),
                created_at=at,
                after_freeze=rng.random() < 0.05,
            )
        )
    CreditEvent.objects.bulk_create(rows)
    return year


def _next_month_day(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


# Offsets from the year's first day (1/9/2025): None is an open end; `length` runs from start.
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=st.one_of(st.none(), st.integers(0, 364)),
    length=st.one_of(st.none(), st.integers(0, 364)),
)
@example(start=0, length=364)  # the year's own dates: every month whole
@example(start=30, length=60)  # 1/10 – 30/11: whole months only
@example(start=45, length=0)  # one day
@example(start=33, length=17)  # inside one month, touching neither end
@example(start=31, length=29)  # 2/10 – 31/10: up to a month's last day
@example(start=44, length=30)  # 15/10 – 14/11: two partial months, no whole one
@example(start=100, length=40)  # 10/12 – 19/1: across the new year
@example(start=None, length=150)  # up to 29/1, from the year's start
@example(start=200, length=None)  # from 20/3, to the year's end and the late rows after it
def test_a_dated_district_sheet_from_the_totals_equals_the_ledgers(dated_ledger, start, length):
    year = dated_ledger
    first = year.start_date + datetime.timedelta(days=start) if start is not None else None
    last = None
    if length is not None:
        last = min((first or year.start_date) + datetime.timedelta(days=length), year.end_date)
    bounds = {k: v for k, v in (("start", first), ("end", last)) if v is not None}
    statements = _statements(lambda: _assert_dated_sheets_equal(year, **bounds))
    # The totals were read (not the ledger alone) whenever the range holds a whole month.
    if selectors.dated_parts(start=first, end=last).whole:
        assert any("scoring_sheettotal" in sql for sql in statements), bounds
        assert any("scoring_schoolmonthtotal" in sql for sql in statements), bounds


def test_dated_parts_split_a_range_into_whole_months_and_edges():
    d = datetime.date
    parts = selectors.dated_parts
    assert parts(start=d(2025, 10, 1), end=d(2025, 11, 30)) == selectors.DatedParts(
        True, d(2025, 10, 1), d(2025, 12, 1), ()
    )
    assert parts(start=d(2025, 10, 15), end=d(2026, 2, 20)) == selectors.DatedParts(
        True,
        d(2025, 11, 1),
        d(2026, 2, 1),
        ((d(2025, 10, 15), d(2025, 11, 1)), (d(2026, 2, 1), d(2026, 2, 21))),
    )
    assert parts(start=d(2025, 11, 3), end=d(2025, 11, 25)) == selectors.DatedParts(
        False, None, None, ((d(2025, 11, 3), d(2025, 11, 26)),)
    )
    assert parts(start=d(2025, 10, 15), end=d(2025, 11, 14)) == selectors.DatedParts(
        False, None, None, ((d(2025, 10, 15), d(2025, 11, 1)), (d(2025, 11, 1), d(2025, 11, 15)))
    )
    assert parts(start=None, end=d(2026, 1, 31)) == selectors.DatedParts(
        True, None, d(2026, 2, 1), ()
    )
    assert parts(start=d(2025, 12, 31), end=None) == selectors.DatedParts(
        True, d(2026, 1, 1), None, ((d(2025, 12, 31), d(2026, 1, 1)),)
    )


def test_a_dated_district_sheet_in_another_time_zone_reads_the_ledger(dated_ledger):
    """A user whose admin runs in another zone has other day and month boundaries than the
    totals: their dated sheet is the ledger's, in their zone."""
    year = dated_ledger
    bounds = {"start": datetime.date(2025, 10, 15), "end": datetime.date(2026, 2, 20)}
    with timezone.override("Europe/Paris"):
        statements = _statements(lambda: _assert_dated_sheets_equal(year, **bounds))
    assert statements and not [
        sql
        for sql in statements
        if "scoring_sheettotal" in sql or "scoring_schoolmonthtotal" in sql
    ]


# --- the seal ---------------------------------------------------------------------------------


def test_a_school_sheet_never_names_another_schools_people(
    client, year, school_a, school_b, editor_a, board_a
):
    principal = make_member(school_a, "ht_a", board=True)
    school_a.principal = principal
    school_a.save(update_fields=["principal"])
    maths = ContributorGroup.objects.create(school=school_a, name="Tổ Toán")
    maths.members.add(editor_a)
    publish(draft_news(school_a, editor_a, group=maths), board_a)
    outsiders = _credit(year, school_b, people=3, rows_each=4, tag="kin_b")
    # School B's best author, by far: on the district's sheet, never on school A's.
    editor_b = make_member(school_b, "editor_b")
    CreditEvent.objects.create(
        kind="earned",
        school_year=year,
        school=school_b,
        author=editor_b,
        content_kind="news",
        pages=5,
        points=Decimal(5),
        created_at=timezone.now(),
    )

    for by in selectors.SHEET_KINDS:
        rows = selectors.score_sheet(school_year=year, by=by, school_id=school_a.pk)
        assert rows and {r.school_id for r in rows} == {school_a.pk}, by
    authors = selectors.score_sheet(school_year=year, by="author", school_id=school_a.pk)
    assert [(r.author_id, r.pages) for r in authors] == [(editor_a.pk, 1)]
    chart = selectors.monthly_totals(school_year=year, school_id=school_a.pk)
    assert sum(m.pages for m in chart) == 1

    client.force_login(principal)
    for by in selectors.SHEET_KINDS:
        response = client.get(
            reverse("scoring_admin:report"), {"year": year.label, "by": by}, HTTP_HOST="localhost"
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert {row.school_id for row, _c, _l in response.context["rows"]} == {school_a.pk}
        assert sum(m.pages for m in response.context["months"]) == 1
        for user in [*outsiders, editor_b]:
            assert user.username not in html, (by, user.username)
        assert school_b.name not in html and "Tổ kin_b" not in html


# --- PostgreSQL's plans -----------------------------------------------------------------------


def _statements(read) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        read()
    return [q["sql"] for q in captured.captured_queries]


def _forty_schools(year, school_a, school_b, editor_a) -> None:
    """A few thousand rows over forty schools, interleaved in time, school A's among them,
    then ANALYZE."""
    other_ids = [school_b.pk] + [school_b.pk + 1000 + n for n in range(38)]
    start = timezone.make_aware(datetime.datetime.combine(year.start_date, datetime.time(8)))
    CreditEvent.objects.bulk_create(
        CreditEvent(
            kind=CreditEvent.Kind.EARNED,
            school_year=year,
            school_id=school_a.pk if n % 40 == 0 else other_ids[n % 39],
            content_kind=KINDS[n % len(KINDS)],
            author_id=editor_a.pk if n % 40 == 0 else 100_000 + n % 400,
            pages=1,
            points=Decimal(1),
            created_at=start + datetime.timedelta(minutes=127 * n),
        )
        for n in range(4000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # VACUUM cannot run in the test's transaction; ANALYZE can


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
def test_postgresql_reads_a_school_sheet_through_the_school_index(
    year, school_a, school_b, editor_a
):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner; this runs in the PostgreSQL pass.")
    _forty_schools(year, school_a, school_b, editor_a)

    def school_reads():
        _sheet_reads(year, school_a.pk)()
        selectors.score_sheet(
            school_year=year,
            by="author",
            school_id=school_a.pk,
            start=year.start_date + datetime.timedelta(days=30),
            end=year.start_date + datetime.timedelta(days=90),
        )

    ledger_reads = [sql for sql in _statements(school_reads) if "scoring_creditevent" in sql]
    assert len(ledger_reads) == 5
    for sql in ledger_reads:
        plan = _plan(sql)
        assert "scoring_event_school_sheet" in plan, plan
        assert "Seq Scan on scoring_creditevent" not in plan, plan

    # The district's whole-year sheets and chart read the totals, never the ledger.
    district = _statements(_sheet_reads(year, None))
    assert district and not [sql for sql in district if "scoring_creditevent" in sql]


@pytest.mark.postgres
def test_postgresql_reads_a_dated_district_sheet_from_the_totals_and_the_dated_index(
    year, school_a, school_b, editor_a
):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner; this runs in the PostgreSQL pass.")
    _forty_schools(year, school_a, school_b, editor_a)
    # Partial months at both ends (a range of days each), whole months between.
    statements = _statements(_sheet_reads(year, None, **_partial_edges(year)))
    aggregates = [sql for sql in statements if "scoring_creditevent" in sql]
    # One statement per sheet and one for the chart, each the totals UNION ALL both edges.
    assert len(aggregates) == 4
    for sql in aggregates:
        assert sql.count("UNION ALL") == 2, sql
        plan = _plan(sql)
        # Each edge is a range of the dated index, never the district's whole ledger.
        assert plan.count("scoring_event_dated_sheet") == 2, plan
        assert "Seq Scan on scoring_creditevent" not in plan, plan
