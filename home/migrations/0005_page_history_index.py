"""An index of Wagtail's page log by page, covering what the site history report reads.

A school user's site history (district_site/admin_scoping.py, `log_entries_for`) lists the log
entries of their school's pages: the path index gives the school's pages, and this index their
entries, ordered by time, with the columns the report and its filter drawer read (id, action,
user, content type), so PostgreSQL reads them from the index alone. Without it, PostgreSQL
found a sequential scan of the district's whole log cheaper than fetching each entry's row:
2,467 buffers at 100,000 pages and growing with the district, against 3,079 buffers of index
reads that follow the school's own pages (docs/admin-scale.md). Plain columns rather than
PostgreSQL's `INCLUDE`, so that the same statement serves SQLite.
"""

from django.db import migrations

NAME = "home_pagelogentry_history"

CREATE = (
    f"CREATE INDEX IF NOT EXISTS {NAME} ON wagtailcore_pagelogentry "
    '(page_id, "timestamp", id, action, user_id, content_type_id)'
)
DROP = f"DROP INDEX IF EXISTS {NAME}"


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_vietnamese_unaccent_search_config"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP, elidable=False)]
