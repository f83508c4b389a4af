"""The score sheets: a GROUP BY over the ledger per school, author or group, the frozen
sheets, the monthly trend, one person's own rows and the suggested bonuses.

Every sheet is a constant number of queries whatever the number of schools, people or pages:
one aggregate grouped by ids, then one query each for the names it mentions.

What the aggregate reads (issue 16: the sheets must not grow with the district's ledger):

- one school's sheet and chart: that school's ledger rows, through the index that starts with
  the year and the school and holds every column they need (`scoring_event_school_sheet`), so
  they cost the school's own rows;
- the district's sheet and chart over every school, for the whole year: the running totals
  (`SheetTotal`, `SchoolMonthTotal`, scoring.models.totals), one row per credited person and
  month (at most twelve per person) and per school and month, not one per page;
- the district's sheet and chart between two dates: the totals of the months wholly inside the
  range, and the ledger only for the partial months at either end (`dated_parts`), each edge a
  range of `created_at` over every school read through `scoring_event_dated_sheet`; all in one
  statement (UNION ALL), so no more queries than the ledger alone took. The totals' months are
  cut in the district's time zone: a user whose admin runs in another zone gets the ledger.

`from_ledger=True` reads the ledger whatever the scope: what the totals must equal (tests).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from district_site.models import School
from scoring.models import (
    ContentKind,
    CreditEvent,
    FrozenSheetRow,
    SchoolMonthTotal,
    SchoolYear,
    SheetTotal,
    parse_year_label,
)

SheetBy = Literal["school", "author", "group"]
SHEET_KINDS = ("school", "author", "group")
KINDS: tuple[str, ...] = tuple(ContentKind.values)
ZERO = Decimal("0.00")
NO_ONE = 0  # the totals' "no author" / "no group" (scoring.models.totals.NONE)


@dataclass
class SheetRow:
    school_id: int
    school_name: str = ""
    hostname: str = ""
    author_id: int | None = None
    username: str = ""
    author_name: str = ""
    group_id: int | None = None
    group_name: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    pages: int = 0
    points: Decimal = ZERO
    bonus: Decimal = ZERO
    rank: int = 0

    @property
    def total(self) -> Decimal:
        return self.points + self.bonus

    def key(self) -> tuple:
        return (self.school_id, self.author_id, self.group_id)

    def as_tuple(self) -> tuple:
        """Everything a sheet row says, for comparing sheets."""
        return (
            self.school_id,
            self.author_id,
            self.group_id,
            tuple(self.counts[k] for k in KINDS),
            self.pages,
            Decimal(self.points).quantize(ZERO),
            Decimal(self.bonus).quantize(ZERO),
        )


# ---------------------------------------------------------------------------------------------
# School years
# ---------------------------------------------------------------------------------------------


def school_year_by_label(*, label: str) -> SchoolYear | None:
    """The year labelled `label`; ValueError with a Vietnamese message if malformed."""
    parse_year_label(label)
    return SchoolYear.objects.filter(label=label.strip()).first()


def school_year_containing(*, day: datetime.date) -> SchoolYear | None:
    # With its rubric (a LEFT JOIN): scoring a publication needs both, and
    # services.rubric_for then reads it from the year without a query of its own.
    return (
        SchoolYear.objects.filter(start_date__lte=day, end_date__gte=day)
        .select_related("rubric")
        .first()
    )


# ---------------------------------------------------------------------------------------------
# Sheets
# ---------------------------------------------------------------------------------------------


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def sheet_events(
    *,
    school_year: SchoolYear,
    school_id: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[CreditEvent]:
    """The ledger rows a sheet adds up: the year's, minus its post-freeze adjustments."""
    events = CreditEvent.objects.filter(school_year=school_year, after_freeze=False)
    if school_id is not None:
        events = events.filter(school_id=school_id)
    if start is not None:
        events = events.filter(created_at__gte=_day_start(start))
    if end is not None:
        events = events.filter(created_at__lt=_day_start(end + datetime.timedelta(days=1)))
    return events


def score_sheet(
    *,
    school_year: SchoolYear,
    by: SheetBy,
    school_id: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    from_ledger: bool = False,
) -> list[SheetRow]:
    """The emulation score sheet per school, author or contributor group.

    Queries: one aggregate (over the ledger, the totals, or both in one UNION ALL), one for the
    schools, and for `by="author"` / `by="group"` one for the people or groups named, so 2 or 3
    whatever the size. Per-school sheets list every active school (zeros included) and rank
    them by total. `from_ledger` reads the ledger whatever the scope: what the totals must
    equal (tests, checks).
    """
    if by not in SHEET_KINDS:
        raise ValueError(f"Không có bảng điểm theo “{by}”.")
    keys = {"school": ["school_id"], "author": ["school_id", "author_id"]}.get(
        by, ["school_id", "contributor_group_id"]
    )
    if from_ledger or school_id is not None:
        district = None
    elif start is None and end is None:
        district = _district_aggregates(school_year=school_year, by=by)
    else:
        district = _district_dated_aggregates(school_year=school_year, by=by, start=start, end=end)
    if district is not None:
        aggregates = district
    else:
        # No `author_id IS NOT NULL` (or group) filter here: the rows without one are grouped
        # under None and skipped below. With the filter, PostgreSQL could pick the author's or
        # group's own index, AND it with the school's, and fetch every row from the heap (421
        # buffers for 250 rows at 100,000 rows of ledger) instead of reading the school's rows
        # from `scoring_event_school_sheet` alone (13 buffers).
        events = sheet_events(school_year=school_year, school_id=school_id, start=start, end=end)
        # Sum(filter=...) is SUM(...) FILTER (WHERE ...) on PostgreSQL, a CASE elsewhere: one
        # pass over the ledger for every column. Tuples (values_list), not dicts: the district's
        # sheet folds one row per school, and this loop was most of its Python time.
        sums = {f"n_{kind}": Sum("pages", filter=Q(content_kind=kind)) for kind in KINDS}
        sums.update(n_pages=Sum("pages"), n_points=Sum("points"), n_bonus=Sum("bonus_points"))
        aggregates = events.values(*keys).annotate(**sums).order_by().values_list(*keys, *sums)
    rows: dict[tuple, SheetRow] = {}
    n_keys = len(keys)
    # A dated district sheet returns several rows per key (the whole months' totals and each
    # partial month's ledger rows): they are added up here before the empty ones are dropped.
    for agg in aggregates:
        other = agg[1] if n_keys == 2 else None
        if n_keys == 2 and not other:
            continue  # the rows without an author (or group; 0 in the totals): not on this sheet
        key = (agg[0], other if by == "author" else None, other if by == "group" else None)
        row = rows.get(key)
        if row is None:
            row = rows[key] = SheetRow(school_id=key[0], author_id=key[1], group_id=key[2])
        for kind, n in zip(KINDS, agg[n_keys:-3], strict=True):
            row.counts[kind] += int(n or 0)
        pages, points, bonus = agg[-3:]
        row.pages += int(pages or 0)
        row.points += Decimal(points or 0).quantize(ZERO)
        row.bonus += Decimal(bonus or 0).quantize(ZERO)
    # Everything it earned was withdrawn or moved away: not on the sheet.
    rows = {key: row for key, row in rows.items() if row.pages or row.points or row.bonus}

    # Every school in one query rather than `pk IN (...)` with one parameter per school that
    # has rows: a district has a few hundred schools at most, and the district's sheet names
    # nearly all of them anyway.
    schools_qs = School.objects.all() if school_id is None else School.objects.filter(pk=school_id)
    schools = {
        pk: (name, hostname, status)
        for pk, name, hostname, status in schools_qs.values_list(
            "pk", "name", "site__hostname", "status"
        )
    }
    if by == "school":
        # The district's ranking shows every active school, those with nothing included (a
        # one-school sheet shows that school whatever its status).
        for pk, (_name, _hostname, status) in schools.items():
            if school_id is not None or status == School.Status.ACTIVE:
                rows.setdefault((pk, None, None), SheetRow(school_id=pk))
    for row in rows.values():
        row.school_name, row.hostname, _status = schools.get(row.school_id, ("", "", None))

    if by == "author":
        users = get_user_model().objects.filter(pk__in={r.author_id for r in rows.values()})
        names = {u["pk"]: u for u in users.values("pk", "username", "first_name", "last_name")}
        for row in rows.values():
            user = names.get(row.author_id) or {}
            row.username = user.get("username", "")
            # Vietnamese names read family name first: "Nguyễn Văn An".
            row.author_name = (
                " ".join(n for n in (user.get("last_name"), user.get("first_name")) if n)
                or row.username
            )
    elif by == "group":
        from school_site.models import ContributorGroup

        groups = dict(
            ContributorGroup.objects.filter(pk__in={r.group_id for r in rows.values()}).values_list(
                "pk", "name"
            )
        )
        for row in rows.values():
            row.group_name = groups.get(row.group_id, "")

    if by == "school":
        ordered = sorted(rows.values(), key=lambda r: (-r.total, -r.pages, r.school_name))
    else:
        ordered = sorted(
            rows.values(),
            key=lambda r: (r.school_name, -r.total, r.author_name or r.group_name),
        )
    _rank(ordered, per_school=by != "school")
    return ordered


def _district_aggregates(
    *,
    school_year: SchoolYear,
    by: SheetBy,
    months_from: datetime.date | None = None,
    months_to: datetime.date | None = None,
) -> QuerySet:
    """The district's sheet from the running totals, for the whole year or the months from
    `months_from` (included) to `months_to` (excluded): tuples shaped as the ledger's aggregate
    in `score_sheet` (keys, one count per kind, pages, points, bonus). It reads one row per
    (school, author, group) and month that earned anything, through the totals' unique key
    (year, then month), not the year's ledger."""
    totals = SheetTotal.objects.filter(school_year=school_year)
    if months_from is not None:
        totals = totals.filter(month__gte=months_from)
    if months_to is not None:
        totals = totals.filter(month__lt=months_to)
    if by == "author":
        keys = ["school_id", "author_id"]
        totals = totals.exclude(author_id=NO_ONE)
    elif by == "group":
        keys = ["school_id", "group_id"]
        totals = totals.exclude(group_id=NO_ONE)
    else:
        keys = ["school_id"]
    sums = {f"n_{kind}": Sum(kind) for kind in KINDS}
    sums.update(n_pages=Sum("pages"), n_points=Sum("points"), n_bonus=Sum("bonus_points"))
    return totals.values(*keys).annotate(**sums).order_by().values_list(*keys, *sums)


@dataclass(frozen=True)
class DatedParts:
    """How a range of days splits for the totals: the whole months inside it (`months_from`
    included .. `months_to` excluded, None for no bound, both None and `whole` False for no
    whole month) and the partial months at its edges, each a half-open range of local days
    inside one calendar month, read from the ledger."""

    whole: bool
    months_from: datetime.date | None
    months_to: datetime.date | None
    edges: tuple[tuple[datetime.date, datetime.date], ...]


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def dated_parts(*, start: datetime.date | None, end: datetime.date | None) -> DatedParts:
    """Split start..end (both included, either open) into whole months and partial edges."""
    after = end + datetime.timedelta(days=1) if end is not None else None
    months_from = start if start is None or start.day == 1 else _next_month(start)
    months_to = after if after is None or after.day == 1 else after.replace(day=1)
    if start is not None and after is not None and months_from > months_to:
        # Inside one month, touching neither of its ends: one edge, no whole month.
        return DatedParts(whole=False, months_from=None, months_to=None, edges=((start, after),))
    edges = []
    if start is not None and start != months_from:
        edges.append((start, months_from))
    if after is not None and after != months_to:
        edges.append((months_to, after))
    whole = months_from is None or months_to is None or months_from < months_to
    return DatedParts(
        whole=whole,
        months_from=months_from if whole else None,
        months_to=months_to if whole else None,
        edges=tuple(edges),
    )


def _totals_follow_this_zone() -> bool:
    """The totals' months are cut in the district's zone; a user whose admin runs in another
    zone (their own setting) has other month boundaries, and gets the ledger."""
    from django.conf import settings

    return timezone.get_current_timezone_name() == settings.TIME_ZONE


def _district_dated_aggregates(
    *,
    school_year: SchoolYear,
    by: SheetBy,
    start: datetime.date | None,
    end: datetime.date | None,
) -> QuerySet | None:
    """The district's sheet between two dates as ONE statement: the totals of the whole months
    inside the range, UNION ALL the ledger's rows of each partial month at its edges (each a
    range of `created_at` over every school, read through `scoring_event_dated_sheet`). Tuples
    shaped as the ledger's aggregate in `score_sheet`, several per key (added up there). None
    when the totals cannot serve it (another time zone active): the caller reads the ledger."""
    if not _totals_follow_this_zone():
        return None
    parts = dated_parts(start=start, end=end)
    ledger_keys = {"school": ["school_id"], "author": ["school_id", "author_id"]}.get(
        by, ["school_id", "contributor_group_id"]
    )
    sums = {f"n_{kind}": Sum("pages", filter=Q(content_kind=kind)) for kind in KINDS}
    sums.update(n_pages=Sum("pages"), n_points=Sum("points"), n_bonus=Sum("bonus_points"))
    queries = []
    if parts.whole:
        totals = _district_aggregates(
            school_year=school_year,
            by=by,
            months_from=parts.months_from,
            months_to=parts.months_to,
        )
        queries.append(totals)
    for first, after in parts.edges:
        # One statement per edge, not an OR of both ranges: PostgreSQL reads an OR of ranges
        # through a bitmap (and the heap), a single range from the index alone.
        edge = sheet_events(
            school_year=school_year, start=first, end=after - datetime.timedelta(days=1)
        )
        queries.append(
            edge.values(*ledger_keys).annotate(**sums).order_by().values_list(*ledger_keys, *sums)
        )
    if len(queries) == 1:
        return queries[0]
    return queries[0].union(*queries[1:], all=True)


def _rank(rows: list[SheetRow], *, per_school: bool) -> None:
    """Competition ranking ("1, 2, 2, 4"): equal totals share a rank; per school for people."""
    previous: tuple | None = None
    position = 0
    rank = 0
    for row in rows:
        scope = row.school_id if per_school else None
        if previous is None or previous[0] != scope:
            position, rank, previous = 0, 0, (scope, None)
        position += 1
        if previous[1] != row.total:
            rank = position
        row.rank = rank
        previous = (scope, row.total)


def frozen_sheet(*, school_year: SchoolYear, by: SheetBy) -> list[SheetRow]:
    """The snapshot stored when the year was frozen. One query."""
    rows = []
    for r in FrozenSheetRow.objects.filter(school_year=school_year, by=by).order_by("pk"):
        rows.append(
            SheetRow(
                school_id=r.school_id,
                school_name=r.school_name,
                hostname=r.hostname,
                author_id=r.author_id,
                username=r.author_username,
                author_name=r.author_name,
                group_id=r.contributor_group_id,
                group_name=r.group_name,
                counts={k: getattr(r, k) for k in KINDS},
                pages=r.pages,
                points=r.points,
                bonus=r.bonus,
            )
        )
    _rank(rows, per_school=by != "school")
    return rows


def adjustments_after_freeze(*, school_year: SchoolYear) -> QuerySet[CreditEvent]:
    """The year's adjustments list: what happened after it was frozen, left out of its sheet."""
    return (
        CreditEvent.objects.filter(school_year=school_year, after_freeze=True)
        .select_related("school", "author", "actor")
        .order_by("created_at", "pk")
    )


def bonus_overview(
    *, school_year: SchoolYear, thresholds: list[tuple[int, Decimal]]
) -> list[tuple[SheetRow, Decimal | None]]:
    """Every active school's row of the per-school sheet (pages, points, bonus so far) with the
    highest suggested bonus its credited pages reach, or None.

    `thresholds` is [(pages, bonus points)], e.g. [(100, 1), (200, 2)]; a suggestion only: the
    district awards bonuses itself, with a reason. Queries: those of `score_sheet`."""
    overview = []
    for row in score_sheet(school_year=school_year, by="school"):
        reached = [points for pages, points in thresholds if row.pages >= pages]
        overview.append((row, max(reached) if reached else None))
    return overview


def suggested_bonuses(
    *, school_year: SchoolYear, thresholds: list[tuple[int, Decimal]]
) -> list[tuple[SheetRow, Decimal]]:
    """Schools whose credited pages reach a threshold, with the highest bonus reached."""
    return [
        (row, points)
        for row, points in bonus_overview(school_year=school_year, thresholds=thresholds)
        if points is not None
    ]


# ---------------------------------------------------------------------------------------------
# Admin reports: the monthly trend and one person's own sheet (added for scoring/views.py)
# ---------------------------------------------------------------------------------------------


@dataclass
class MonthTotal:
    month: datetime.date  # the first day of the month, local time
    pages: int = 0
    points: Decimal = ZERO
    bonus: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.points + self.bonus


def _months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def monthly_totals(
    *,
    school_year: SchoolYear,
    school_id: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    from_ledger: bool = False,
) -> list[MonthTotal]:
    """Pages, points and bonus per calendar month of the year (or of start..end), every month
    listed, the empty ones as zeros. One query: a GROUP BY over the month in local time.

    The district's chart reads the monthly totals (one row per school and month) for the whole
    months, and between two dates the ledger for the partial months at either end, in the same
    statement (UNION ALL). The totals are cut in the district's time zone: when another zone is
    active (a user's own admin setting), it reads the ledger as before, so the months are that
    user's; so it does with `from_ledger`."""
    from django.db.models import DateField, Value
    from django.db.models.functions import TruncMonth

    sums = {"n_pages": Sum("pages"), "n_points": Sum("points"), "n_bonus": Sum("bonus_points")}
    if school_id is None and not from_ledger and _totals_follow_this_zone():
        parts = (
            dated_parts(start=start, end=end)
            if start is not None or end is not None
            else DatedParts(whole=True, months_from=None, months_to=None, edges=())
        )
        queries = []
        if parts.whole:
            totals = SchoolMonthTotal.objects.filter(school_year=school_year)
            if parts.months_from is not None:
                totals = totals.filter(month__gte=parts.months_from)
            if parts.months_to is not None:
                totals = totals.filter(month__lt=parts.months_to)
            queries.append(totals.values("month").annotate(**sums).order_by())
        for first, after in parts.edges:
            # Each edge lies inside one month, so its month is a constant: no TruncMonth, and
            # the column has the totals' type (a date) on both sides of the UNION.
            edge = sheet_events(
                school_year=school_year, start=first, end=after - datetime.timedelta(days=1)
            )
            queries.append(
                edge.annotate(month=Value(first.replace(day=1), output_field=DateField()))
                .values("month")
                .annotate(**sums)
                .order_by()
            )
        aggregates = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    else:
        events = sheet_events(school_year=school_year, school_id=school_id, start=start, end=end)
        aggregates = (
            events.annotate(month=TruncMonth("created_at"))
            .values("month")
            .annotate(n_pages=Sum("pages"), n_points=Sum("points"), n_bonus=Sum("bonus_points"))
            .order_by("month")
        )
    by_month: dict[datetime.date, MonthTotal] = {
        month: MonthTotal(month=month)
        for month in _months_between(start or school_year.start_date, end or school_year.end_date)
    }
    for agg in aggregates:
        month = agg["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        row = by_month.setdefault(month, MonthTotal(month=month))
        row.pages += int(agg["n_pages"] or 0)
        row.points += Decimal(agg["n_points"] or 0).quantize(ZERO)
        row.bonus += Decimal(agg["n_bonus"] or 0).quantize(ZERO)
    return [by_month[m] for m in sorted(by_month)]


def author_sheet(*, school_year: SchoolYear, author_id: int) -> list[SheetRow]:
    """One person's rows of the per-author sheet (one per school they are credited in), for
    their own dashboard panel. One query, reading the person's ledger rows only; the school's
    name comes through a join (schools are archived, never deleted)."""
    per_kind = {f"n_{k}": Sum("pages", filter=Q(content_kind=k)) for k in KINDS}
    aggregates = (
        sheet_events(school_year=school_year)
        .filter(author_id=author_id)
        .values("school_id", "school__name")
        .annotate(
            **per_kind, n_pages=Sum("pages"), n_points=Sum("points"), n_bonus=Sum("bonus_points")
        )
        .order_by("school__name")
    )
    return [
        SheetRow(
            school_id=agg["school_id"],
            school_name=agg["school__name"],
            author_id=author_id,
            counts={k: int(agg[f"n_{k}"] or 0) for k in KINDS},
            pages=int(agg["n_pages"] or 0),
            points=Decimal(agg["n_points"] or 0).quantize(ZERO),
            bonus=Decimal(agg["n_bonus"] or 0).quantize(ZERO),
        )
        for agg in aggregates
        if agg["n_pages"] or agg["n_points"] or agg["n_bonus"]
    ]
