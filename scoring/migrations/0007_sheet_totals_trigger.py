"""The sheet totals kept by a trigger on the ledger, not by the ORM (issue 16).

0006 added the totals with the ORM writing them: two upserts after every ledger row, i.e. two
more queries on every publication through the review (42, against the 40 the issue allows).
An AFTER INSERT trigger does the same work inside the INSERT's own statement: no round trip,
the same transaction, and every writer of the ledger is covered, including COPY and raw SQL.
Rows appended to a frozen year (`after_freeze`) are left out, as the sheet leaves them out.

Months are cut in the district's time zone (settings.TIME_ZONE), as `TruncMonth` and
`scoring.models.totals.month_of` cut them: PostgreSQL converts with the zone's name; SQLite
(the demo) knows no zones and adds the zone's offset as it is when this migration runs, which
is right for Asia/Ho_Chi_Minh (no daylight saving time). If TIME_ZONE ever changes, run
`manage.py sheet_totals --rebuild` after re-creating the trigger.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.db import migrations

KINDS = ("news", "article", "document", "lecture", "gallery")
AMOUNTS = ("pages", "points", "bonus_points")


def _person_sql(*, qualify: str) -> str:
    # `qualify`: how the upsert's SET names the row already there ("scoring_sheettotal." on
    # PostgreSQL, nothing on SQLite, where a bare column is the existing row's).
    columns = ", ".join(
        ["school_year_id", "school_id", "author_id", "group_id", *KINDS, *AMOUNTS]
    )
    kinds = ", ".join(
        f"CASE WHEN NEW.content_kind = '{kind}' THEN NEW.pages ELSE 0 END" for kind in KINDS
    )
    sets = ", ".join(f"{c} = {qualify}{c} + excluded.{c}" for c in (*KINDS, *AMOUNTS))
    return (
        f"INSERT INTO scoring_sheettotal ({columns}) VALUES (NEW.school_year_id, NEW.school_id, "
        "COALESCE(NEW.author_id, 0), COALESCE(NEW.contributor_group_id, 0), "
        f"{kinds}, NEW.pages, NEW.points, NEW.bonus_points) "
        "ON CONFLICT (school_year_id, school_id, author_id, group_id) "
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
    {_person_sql(qualify="scoring_sheettotal.")}
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
    month = f"date(NEW.created_at, '{minutes:+d} minutes', 'start of month')"
    return f"""
CREATE TRIGGER scoring_creditevent_totals AFTER INSERT ON scoring_creditevent
WHEN NEW.after_freeze = 0
BEGIN
    {_person_sql(qualify="")}
    {_month_sql(month=month, qualify="")}
END;
"""


def create_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_postgresql_sql())
    elif vendor == "sqlite":
        schema_editor.execute(_sqlite_sql())


def drop_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS scoring_creditevent_totals ON scoring_creditevent; "
            "DROP FUNCTION IF EXISTS scoring_creditevent_add_totals();"
        )
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS scoring_creditevent_totals;")


class Migration(migrations.Migration):
    dependencies = [("scoring", "0006_sheet_totals")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
