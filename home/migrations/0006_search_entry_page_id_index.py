"""An index of Wagtail's search index entries by their object's id as a number (PostgreSQL only).

Wagtail stores the indexed object's id as text (`object_id`, varchar), and its own join to the
pages compares it with `page.id::varchar`: a cast on the page's side, so PostgreSQL can find a
page's entry through the unique `(content_type_id, object_id)` index, but never a matched
entry's page through the page's primary key. The public search (home/search_backend.py,
`newest_matches`) joins on this expression instead, the entry's id as a number, which each
side can serve: from a page, this index finds its entry; from an entry the GIN indexes
matched, the page's primary key finds its page (docs/search-indexing.md, "Issue 13, the join
on the page's id").

The `CASE` keeps the expression total: an object whose id is not a number (none of the
project's indexed models, but Wagtail indexes whatever a later app registers) gets NULL, never
a cast error on its index write. The statement compares with exactly this expression
(`home.search_backend.ENTRY_PAGE_ID_SQL`; `tests/home/test_search_index.py` asserts that it
uses this index). PostgreSQL keeps it up to date on every write of Wagtail's indexer.
SQLite's search index is an FTS5 table, searched differently: nothing to do there.
"""

from django.db import migrations

NAME = "home_indexentry_page_id"

# Repeated in home/search_backend.py (ENTRY_PAGE_ID_SQL); a migration does not import app code.
ENTRY_PAGE_ID = (
    "(CASE WHEN object_id ~ '^[0-9]{1,18}$' THEN object_id::bigint END)"
)

CREATE = (
    f"CREATE INDEX IF NOT EXISTS {NAME} ON wagtailsearch_indexentry "
    f"(content_type_id, {ENTRY_PAGE_ID})"
)
DROP = f"DROP INDEX IF EXISTS {NAME}"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0005_page_history_index"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
