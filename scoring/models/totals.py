"""Running totals of the ledger for the district's sheets, kept in step with every append.

Why they exist: one school's sheet reads that school's ledger rows through an index that starts
with the year and the school (`scoring_event_school_sheet`), so it costs what the school has
earned. The district's sheets (every school by school, by author, by group, and the monthly
chart of all schools) have no such prefix: read from the ledger they are a GROUP BY over the
whole year's rows, which grows with every page the district publishes (1,433 buffers and
about 0.6 s at 100,000 pages, docs/admin-scale.md). These two tables hold the same sums folded
per credited person and month and per school and month, so the district's sheet reads at most
twelve rows per (school, author, group) that ever earned anything (fewer months for a sheet
between two dates, plus the ledger's rows of its partial months at either end), and its chart
one row per school and month, whatever the number of pages.

How they stay right: the ledger is append-only (a trigger refuses UPDATE and DELETE), so its
sums only ever change by the rows inserted. A second trigger (migration
0007_sheet_totals_trigger, per month since 0008_sheet_totals_by_month) adds each new row's amounts here inside the INSERT's own statement
(an `INSERT ... ON CONFLICT DO UPDATE` that adds, on PostgreSQL and SQLite), so every write
path (earning, withdrawal, restoration, moves, bonuses, good-post marks, bulk inserts, COPY,
raw SQL) keeps them current in the same transaction, and no query is added to a publication
(two upserts from the ORM had made the review's approval 42 queries, against the 40 allowed).
Rows of a frozen year appended as its adjustments (`after_freeze`) are left out, as the sheet
leaves them out.

They are a cache of the ledger, not a second source of truth: `rebuild_sheet_totals()` derives
them from the ledger again, and a test compares them with a GROUP BY of the ledger after a mix
of every kind of write.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from scoring.models.years import ContentKind, SchoolYear

# One column per rubric line, named after it: SheetTotal.news, .article, ...
KIND_FIELDS: tuple[str, ...] = tuple(ContentKind.values)
# "No author" and "no group" are 0, not NULL: a unique index treats NULLs as distinct, and the
# trigger's upsert needs (year, school, 0, 0) to meet itself. Real ids start at 1.
NONE = 0


class SheetTotal(models.Model):
    """The sums of one (school, author, group) in one calendar month of the year (the
    district's time zone): one row per credited combination and month, so at most twelve per
    person. The whole-year sheet adds up a person's months; the sheet between two dates adds
    up the months wholly inside the range and reads only its partial months from the ledger."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    school_id = models.IntegerField()
    author_id = models.IntegerField(default=NONE)
    group_id = models.IntegerField(default=NONE)
    news = models.IntegerField(default=0)
    article = models.IntegerField(default=0)
    document = models.IntegerField(default=0)
    lecture = models.IntegerField(default=0)
    gallery = models.IntegerField(default=0)
    pages = models.IntegerField(default=0)
    points = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    bonus_points = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = "Tổng điểm theo người"
        verbose_name_plural = "Tổng điểm theo người"
        constraints = [
            # The year, then the month: the whole-year sheet reads the year's rows, the dated
            # sheet a range of months of it, both as one range of this index. The trigger's
            # upsert conflicts on these five columns.
            models.UniqueConstraint(
                fields=["school_year", "month", "school_id", "author_id", "group_id"],
                name="scoring_sheettotal_month_key",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.school_year_id}/{self.month:%m/%Y}/{self.school_id}/"
            f"{self.author_id}/{self.group_id}"
        )


class SchoolMonthTotal(models.Model):
    """The year's sums of one school in one calendar month (the district's time zone)."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="+")
    school_id = models.IntegerField()
    month = models.DateField()  # the first day of the month
    pages = models.IntegerField(default=0)
    points = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    bonus_points = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = "Tổng điểm theo tháng"
        verbose_name_plural = "Tổng điểm theo tháng"
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "school_id", "month"], name="scoring_schoolmonth_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_year_id}/{self.school_id}/{self.month:%m/%Y}"


assert set(KIND_FIELDS) <= {f.name for f in SheetTotal._meta.fields}, "a rubric line lacks a column"


def month_of(moment: datetime.datetime) -> datetime.date:
    """The first day of `moment`'s month in the district's time zone (settings.TIME_ZONE):
    what the ledger's TruncMonth gives when no other zone is active."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment, timezone.get_default_timezone())
    return moment.date().replace(day=1)


def _first_day(month: datetime.datetime | datetime.date) -> datetime.date:
    # TruncMonth gives an aware datetime on PostgreSQL (and SQLite with USE_TZ).
    return month_of(month) if isinstance(month, datetime.datetime) else month


def _derived_totals() -> tuple[list[SheetTotal], list[SchoolMonthTotal]]:
    """Both tables' rows as the ledger gives them (unsaved). Reads the whole ledger: for a
    maintenance job or a check, never a request."""
    from django.db.models import Q, Sum
    from django.db.models.functions import TruncMonth

    from scoring.models.ledger import CreditEvent

    events = CreditEvent.objects.filter(after_freeze=False).order_by()
    zone = timezone.get_default_timezone() if settings.USE_TZ else None
    events = events.annotate(month=TruncMonth("created_at", tzinfo=zone))
    sums = {k: Sum("pages", filter=Q(content_kind=k)) for k in KIND_FIELDS}
    sums |= {"n_pages": Sum("pages"), "n_points": Sum("points"), "n_bonus": Sum("bonus_points")}
    people = [
        SheetTotal(
            school_year_id=row["school_year_id"],
            month=_first_day(row["month"]),
            school_id=row["school_id"],
            author_id=row["author_id"] or NONE,
            group_id=row["contributor_group_id"] or NONE,
            pages=row["n_pages"] or 0,
            points=row["n_points"] or 0,
            bonus_points=row["n_bonus"] or 0,
            **{k: row[k] or 0 for k in KIND_FIELDS},
        )
        for row in events.values(
            "school_year_id", "month", "school_id", "author_id", "contributor_group_id"
        ).annotate(**sums)
    ]
    months = [
        SchoolMonthTotal(
            school_year_id=row["school_year_id"],
            school_id=row["school_id"],
            month=_first_day(row["month"]),
            pages=row["n_pages"] or 0,
            points=row["n_points"] or 0,
            bonus_points=row["n_bonus"] or 0,
        )
        for row in events.values("school_year_id", "school_id", "month").annotate(
            n_pages=Sum("pages"), n_points=Sum("points"), n_bonus=Sum("bonus_points")
        )
    ]
    return people, months


def _as_dict(rows, keys: list[str], amounts: list[str]) -> dict:
    cent = Decimal("0.01")
    return {
        tuple(getattr(r, k) for k in keys): tuple(
            Decimal(getattr(r, a)).quantize(cent) for a in amounts
        )
        for r in rows
    }


def sheet_totals_drift() -> int:
    """How many rows of the two tables differ from what the ledger gives (missing, extra or
    with other sums); 0 when they are in step. The ledger is the truth: whoever could edit the
    totals (the owner role; the app role may only read them, deploy/postgres-grants.sql) would
    change the district's sheet on screen, and this is how that shows (checked nightly,
    deploy/systemd/district-portal-sheet-totals.*)."""
    people, months = _derived_totals()
    person_keys = ["school_year_id", "month", "school_id", "author_id", "group_id"]
    person_amounts = [*KIND_FIELDS, "pages", "points", "bonus_points"]
    month_keys = ["school_year_id", "school_id", "month"]
    month_amounts = ["pages", "points", "bonus_points"]
    drift = 0
    for derived, stored, keys, amounts in (
        (people, SheetTotal.objects.all(), person_keys, person_amounts),
        (months, SchoolMonthTotal.objects.all(), month_keys, month_amounts),
    ):
        want, have = _as_dict(derived, keys, amounts), _as_dict(stored, keys, amounts)
        drift += sum(1 for key in want.keys() | have.keys() if want.get(key) != have.get(key))
    return drift


@transaction.atomic
def rebuild_sheet_totals() -> int:
    """Derive both tables from the ledger again (after `sheet_totals_drift` found them wrong, or
    a change of TIME_ZONE). Writes the totals, so on PostgreSQL it needs the owner role (as
    migrate does). Returns the number of per-person (per month) rows."""
    people, months = _derived_totals()
    SheetTotal.objects.all().delete()
    SchoolMonthTotal.objects.all().delete()
    SheetTotal.objects.bulk_create(people, batch_size=2000)
    SchoolMonthTotal.objects.bulk_create(months, batch_size=2000)
    return len(people)
