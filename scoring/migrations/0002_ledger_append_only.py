"""The credit ledger refuses UPDATE and DELETE in the database itself, not only in the ORM.

PostgreSQL: a trigger refuses both. TRUNCATE (what Django's test flush uses) is still allowed:
it is a whole-table reset, not an edit of history. SQLite: a trigger refuses UPDATE only,
because Django's flush empties SQLite tables with DELETE, which tests with real transactions
need; the model and its queryset still refuse deletes there.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION scoring_creditevent_append_only() RETURNS trigger AS $$
BEGIN
    -- restrict_violation (SQLSTATE 23001) reaches Django as IntegrityError, as on SQLite.
    RAISE EXCEPTION 'scoring_creditevent is append-only (% refused)', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER scoring_creditevent_append_only
    BEFORE UPDATE OR DELETE ON scoring_creditevent
    FOR EACH ROW EXECUTE FUNCTION scoring_creditevent_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS scoring_creditevent_append_only ON scoring_creditevent;
DROP FUNCTION IF EXISTS scoring_creditevent_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER scoring_creditevent_no_update BEFORE UPDATE ON scoring_creditevent
BEGIN SELECT RAISE(ABORT, 'scoring_creditevent is append-only (UPDATE refused)'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS scoring_creditevent_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
