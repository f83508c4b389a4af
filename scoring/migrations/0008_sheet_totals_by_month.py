"""The per-person sheet totals by month, and an index for the ledger's dated edges (issue 16).

The district's sheet between two dates (the report's "từ ngày / đến ngày") read every ledger
row of the district in the range. It now adds up the totals of the months wholly inside the
range and reads the ledger only for the partial months at either end
(scoring.selectors.sheets). For that, `SheetTotal` gets a month: one row per (year, month,
school, author, group) instead of per (year, school, author, group), at most twelve per person;
the whole-year sheet adds up a person's months.

Steps: the trigger of 0007 is dropped, the totals emptied, the column and the new key added,
the trigger created again with the month in its per-person upsert (PostgreSQL and SQLite, the
month cut in the district's time zone exactly as 0007 cuts it for `scoring_schoolmonthtotal`),
and the per-person totals derived from the ledger again. `scoring_event_dated_sheet` lets
PostgreSQL read an edge (a range of `created_at` over every school) from the index alone; it
replaces the index on `created_at` alone, which no read needs (each names the year) and which
the planner preferred for the edges, fetching every row from the heap.
Unapplying puts 0007's trigger and per-year rows back.
"""

import datetime
import importlib
import zoneinfo

from django.conf import settings
from django.db import migrations, models

KINDS = ("news", "article", "document", "lecture", "gallery")
AMOUNTS = ("pages", "points", "bonus_points")

# 0007's trigger, to put back when this migration is unapplied (a module name starting with a
# digit cannot be imported with an import statement).
_0007 = importlib.import_module("scoring.migrations.0007_sheet_totals_trigger")


def _person_sql(*, month: str, qualify: str) -> str:
    # `qualify`: how the upsert's SET names the row already there ("scoring_sheettotal." on
    # PostgreSQL, nothing on SQLite, where a bare column is the existing row's).
    columns = ", ".join(
        ["school_year_id", "month", "school_id", "author_id", "group_id", *KINDS, *AMOUNTS]
    )
    kinds = ", ".join(
        f"CASE WHEN NEW.content_kind = '{kind}' THEN NEW.pages ELSE 0 END" for kind in KINDS
    )
    sets = ", ".join(f"{c} = {qualify}{c} + excluded.{c}" for c in (*KINDS, *AMOUNTS))
    return (
        f"INSERT INTO scoring_sheettotal ({columns}) VALUES (NEW.school_year_id, {month}, "
        "NEW.school_id, COALESCE(NEW.author_id, 0), COALESCE(NEW.contributor_group_id, 0), "
        f"{kinds}, NEW.pages, NEW.points, NEW.bonus_points) "
        "ON CONFLICT (school_year_id, month, school_id, author_id, group_id) "
        f"DO UPDATE SET {sets};"
    )


def _month_sql(*, month: str, qualify: str) -> str:
    sets = ", ".join(f"{c} = {qualify}{c} + excluded.{c}" for c in AMOUNTS)
    return (
        "INSERT INTO scoring_schoolmonthtotal (school_year_id, school_id, month, "
        "pages, points, bonus_points) "
        f"VALUES (NEW.school_year_id, NEW.school_id, {month}, "
        "NEW.pages, NEW.points, NEW.bonus_points) "
        f"ON CONFLICT (school_year_id, school_id, month) DO UPDATE SET {sets};"
    )


def _postgresql_sql() -> str:
    zone = settings.TIME_ZONE.replace("'", "")
    month = f"date_trunc('month', NEW.created_at AT TIME ZONE '{zone}')::date"
    return f"""
CREATE OR REPLACE FUNCTION scoring_creditevent_add_totals() RETURNS trigger AS $$
BEGIN
    IF NEW.after_freeze THEN
        RETURN NULL;
    END IF;
    {_person_sql(month=month, qualify="scoring_sheettotal.")}
    {_month_sql(month=month, qualify="scoring_schoolmonthtotal.")}
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER scoring_creditevent_totals AFTER INSERT ON scoring_creditevent
    FOR EACH ROW EXECUTE FUNCTION scoring_creditevent_add_totals();
"""


def _sqlite_sql() -> str:
    offset = datetime.datetime.now(zoneinfo.ZoneInfo(settings.TIME_ZONE)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    # Django stores an aware datetime on SQLite as UTC text ("2026-11-27 23:42:53.123456").
    # Only its first 19 characters (to the second) are read: SQLite's date functions round
    # fractions to the millisecond, so 16:59:59.999999 UTC, the last instant of a local month
    # at +07:00, became 17:00:00 and went to the next month (0007 did that; the rows it
    # misplaced are derived again below).
    month = f"date(substr(NEW.created_at, 1, 19), '{minutes:+d} minutes', 'start of month')"
    return f"""
CREATE TRIGGER scoring_creditevent_totals AFTER INSERT ON scoring_creditevent
WHEN NEW.after_freeze = 0
BEGIN
    {_person_sql(month=month, qualify="")}
    {_month_sql(month=month, qualify="")}
END;
"""


def create_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_postgresql_sql())
    elif vendor == "sqlite":
        schema_editor.execute(_sqlite_sql())


def _fill_people(apps, schema_editor, *, by_month: bool) -> None:
    """The per-person totals of every ledger row (after-freeze adjustments left out), per month
    (this migration) or per year (0007's shape, when unapplied). A copy of
    scoring.models.totals._derived_totals on the historical models."""
    from django.db.models import Q, Sum
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    CreditEvent = apps.get_model("scoring", "CreditEvent")
    SheetTotal = apps.get_model("scoring", "SheetTotal")
    db = schema_editor.connection.alias
    SheetTotal.objects.using(db).all().delete()
    zone = timezone.get_default_timezone() if settings.USE_TZ else None
    events = CreditEvent.objects.using(db).filter(after_freeze=False).order_by()
    keys = ["school_year_id", "school_id", "author_id", "contributor_group_id"]
    if by_month:
        events = events.annotate(month=TruncMonth("created_at", tzinfo=zone))
        keys.append("month")
    sums = {k: Sum("pages", filter=Q(content_kind=k)) for k in KINDS}
    sums |= {"n_pages": Sum("pages"), "n_points": Sum("points"), "n_bonus": Sum("bonus_points")}

    SheetTotal.objects.using(db).bulk_create(
        (
            SheetTotal(
                school_year_id=row["school_year_id"],
                school_id=row["school_id"],
                author_id=row["author_id"] or 0,
                group_id=row["contributor_group_id"] or 0,
                pages=row["n_pages"] or 0,
                points=row["n_points"] or 0,
                bonus_points=row["n_bonus"] or 0,
                **({"month": _first_day(row["month"], zone)} if by_month else {}),
                **{k: row[k] or 0 for k in KINDS},
            )
            for row in events.values(*keys).annotate(**sums)
        ),
        batch_size=2000,
    )


def drop_time_index(apps, schema_editor):
    """Drop the ledger's index on `created_at` alone, found by its columns (Django named it
    with a hash). Not an AlterField: on SQLite, Django alters a column by building a new table,
    which would lose the ledger's triggers (0002's and the totals')."""
    CreditEvent = apps.get_model("scoring", "CreditEvent")
    for name in schema_editor._constraint_names(CreditEvent, ["created_at"], index=True):
        schema_editor.execute(schema_editor._delete_index_sql(CreditEvent, name))


def create_time_index(apps, schema_editor):
    CreditEvent = apps.get_model("scoring", "CreditEvent")
    field = CreditEvent._meta.get_field("created_at")
    schema_editor.execute(schema_editor._create_index_sql(CreditEvent, fields=[field]))


def fill_by_month(apps, schema_editor):
    _fill_people(apps, schema_editor, by_month=True)
    _fill_months(apps, schema_editor)


def _fill_months(apps, schema_editor) -> None:
    """The per-school monthly totals derived again: 0007's SQLite trigger put a row written in
    the last microsecond of a month into the next month (see `_sqlite_sql`)."""
    from django.db.models import Sum
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    CreditEvent = apps.get_model("scoring", "CreditEvent")
    SchoolMonthTotal = apps.get_model("scoring", "SchoolMonthTotal")
    db = schema_editor.connection.alias
    SchoolMonthTotal.objects.using(db).all().delete()
    zone = timezone.get_default_timezone() if settings.USE_TZ else None
    rows = (
        CreditEvent.objects.using(db)
        .filter(after_freeze=False)
        .order_by()
        .annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values("school_year_id", "school_id", "month")
        .annotate(n_pages=Sum("pages"), n_points=Sum("points"), n_bonus=Sum("bonus_points"))
    )
    SchoolMonthTotal.objects.using(db).bulk_create(
        (
            SchoolMonthTotal(
                school_year_id=row["school_year_id"],
                school_id=row["school_id"],
                month=_first_day(row["month"], zone),
                pages=row["n_pages"] or 0,
                points=row["n_points"] or 0,
                bonus_points=row["n_bonus"] or 0,
            )
            for row in rows
        ),
        batch_size=2000,
    )


def _first_day(month, zone) -> datetime.date:
    from django.utils import timezone

    if isinstance(month, datetime.datetime):
        if timezone.is_aware(month):
            month = timezone.localtime(month, zone)
        month = month.date()
    return month.replace(day=1)


def fill_by_year(apps, schema_editor):
    _fill_people(apps, schema_editor, by_month=False)


def empty_people(apps, schema_editor):
    apps.get_model("scoring", "SheetTotal").objects.using(
        schema_editor.connection.alias
    ).all().delete()


class Migration(migrations.Migration):
    dependencies = [("scoring", "0007_sheet_totals_trigger")]

    operations = [
        # Unapplying, in reverse order: 0007's trigger back, the per-year rows derived again.
        migrations.RunPython(_0007.drop_trigger, _0007.create_trigger),
        migrations.RunPython(empty_people, fill_by_year),
        migrations.RemoveConstraint(model_name="sheettotal", name="scoring_sheettotal_key"),
        migrations.AddField(
            model_name="sheettotal",
            name="month",
            field=models.DateField(default=datetime.date(2000, 1, 1)),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="sheettotal",
            constraint=models.UniqueConstraint(
                fields=("school_year", "month", "school_id", "author_id", "group_id"),
                name="scoring_sheettotal_month_key",
            ),
        ),
        migrations.AddIndex(
            model_name="creditevent",
            index=models.Index(
                fields=[
                    "school_year",
                    "after_freeze",
                    "created_at",
                    "school",
                    "author",
                    "contributor_group",
                    "content_kind",
                    "pages",
                    "points",
                    "bonus_points",
                ],
                name="scoring_event_dated_sheet",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_time_index, create_time_index)],
            state_operations=[
                migrations.AlterField(
                    model_name="creditevent",
                    name="created_at",
                    field=models.DateTimeField(verbose_name="Thời điểm"),
                )
            ],
        ),
        migrations.RunPython(create_trigger, _0007.drop_trigger),
        migrations.RunPython(fill_by_month, empty_people),
    ]
