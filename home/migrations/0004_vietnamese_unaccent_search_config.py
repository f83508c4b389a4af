"""The text search configuration of Wagtail's PostgreSQL search backend: `vietnamese_unaccent`.

A copy of PostgreSQL's `simple` configuration (lower-case, no stemming: English stemming would
mangle Vietnamese syllables) whose word mappings go through `unaccent` first, so "Trường",
"truong" and "TRƯỜNG" give the same lexeme and "Đ/đ" becomes "d". `unaccent` is a trusted
extension (PostgreSQL 13+), so the database owner that runs `migrate` may create it
(deploy/postgres-roles.sql, docs/deploy-database.md). Settings name it as the backend's
`SEARCH_CONFIG`; after this migration the index is rebuilt once with `manage.py update_index`.
SQLite has no such configuration: nothing to do there (home/search_backend_sqlite.py).
"""

from django.db import migrations

CONFIG = "vietnamese_unaccent"

CREATE = f"""
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN
        CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.simple);
        ALTER TEXT SEARCH CONFIGURATION {CONFIG}
            ALTER MAPPING FOR word, hword, hword_part, asciiword, asciihword, hword_asciipart
            WITH unaccent, simple;
    END IF;
END
$$;
"""

DROP = f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG};"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("home", "0003_vietnamese_name_order")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
