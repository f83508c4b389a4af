"""The totals' trigger function runs with its owner's rights (issue 16: totals the app role
cannot write).

The app's database role may only SELECT and INSERT on the ledger (deploy/postgres-grants.sql);
the sheet totals derived from it were ordinary tables it could UPDATE, so a compromised app
could change the district's sheet on screen without touching the ledger. The grants now take
INSERT, UPDATE, DELETE and TRUNCATE on the totals away from the app role too, and the trigger,
which still has to add every new ledger row to them inside the app's INSERT, runs as the
function's owner: `SECURITY DEFINER`. The owner is the role that runs `migrate` (the owner
role of deploy/postgres-roles.sql), which owns the tables.

A SECURITY DEFINER function resolves unqualified names through the caller's search_path
unless it pins its own: a role able to create objects in a schema searched first could put
its own `scoring_sheettotal` there and have the owner write into it. The function's
search_path is therefore fixed to the schema the tables were migrated into, then pg_temp
(listed last, so that nobody's temporary table shadows them).

SQLite (the demo) has no roles: nothing to do.
"""

from django.db import migrations


def secure(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
    quoted = schema_editor.quote_name(schema)
    schema_editor.execute(
        "ALTER FUNCTION scoring_creditevent_add_totals() "
        f"SECURITY DEFINER SET search_path = {quoted}, pg_temp"
    )


def unsecure(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER FUNCTION scoring_creditevent_add_totals() SECURITY INVOKER RESET search_path"
    )


class Migration(migrations.Migration):
    dependencies = [("scoring", "0008_sheet_totals_by_month")]

    operations = [migrations.RunPython(secure, unsecure)]
