"""Minimal reproduction for Wagtail: one indexed save scans the whole PostgreSQL search index.

Not a test. It needs nothing of this project but a Wagtail install on PostgreSQL: it fills
`wagtailsearch_indexentry` with N synthetic rows in one INSERT ... SELECT generate_series, runs
`VACUUM ANALYZE` and one full title-norm refresh (as `update_index` would), then times indexing
ONE page (`get_search_backend().add(page)`, what every save, publish or upload triggers) with
Wagtail's own PostgreSQL backend and with home.search_backend, at each N (a different page
each time, and the same pages at every N):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ws_upstream \\
        .venv/bin/python benchmarks/upstream_title_norms.py

It DROPS and re-creates that database. UPSTREAM_SIZES (default "1000,10000,100000,400000"),
UPSTREAM_REPEAT (default 20). Prints the median ms per indexed save, the SQL the stock backend
runs after its upsert, and ratios against the smallest size, all from the same run.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = [int(s) for s in os.environ.get("UPSTREAM_SIZES", "1000,10000,100000,400000").split(",")]
REPEAT = int(os.environ.get("UPSTREAM_REPEAT", "20"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ws_upstream")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "district_site.settings.test")

STOCK = "modelsearch.backends.database.postgres.postgres"
OURS = "home.search_backend"


def main() -> None:
    from write_scale import recreate_database

    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    from home.search_backend import refresh_title_norms

    call_command("migrate", verbosity=0)
    # Each timed save indexes a different page: re-indexing one row 20 times in a row, on a
    # PostgreSQL without autovacuum, would time the chain of its dead row versions instead.
    root = Page.get_first_root_node()
    pages = [root.add_child(instance=Page(title=f"Trang số {n}")) for n in range(2 * REPEAT)]
    rows = 0
    results: dict[str, dict[int, float]] = {STOCK: {}, OURS: {}}
    for size in SIZES:
        with connection.cursor() as cursor:
            # Synthetic entries of 4 to 10 distinct words (to_tsvector counts distinct
            # lexemes), under a content type nothing else uses.
            cursor.execute(
                """
                INSERT INTO wagtailsearch_indexentry
                    (content_type_id, object_id, title, autocomplete, body, title_norm,
                     title_text, body_text)
                SELECT ct.id, 'fill-' || g,
                       to_tsvector('simple', 'tiêu đề ' || g || ' ' || array_to_string(
                           ARRAY(SELECT 'w' || i FROM generate_series(1, 1 + g %% 7) AS i),
                           ' ')),
                       to_tsvector('simple', 'tiêu đề ' || g), to_tsvector('simple', ''),
                       1.0, 'tiêu đề ' || g, ''
                FROM generate_series(%s, %s) AS g,
                     (SELECT id FROM django_content_type
                      WHERE app_label = 'auth' AND model = 'permission') AS ct
                """,
                [rows + 1, size],
            )
            cursor.execute("VACUUM ANALYZE wagtailsearch_indexentry")
        rows = size
        refresh_title_norms(full=True)  # as update_index leaves it
        print(f"\n{rows:,} index entries", flush=True)
        for offset, backend_path in ((0, STOCK), (REPEAT, OURS)):
            backend = get_search_backend(backend_path)
            timings = []
            for page in pages[offset : offset + REPEAT]:
                connection.queries_log.clear()  # a full log (9,000 entries) would count nothing
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    backend.add(page)
                    timings.append(time.perf_counter() - start)
            median = statistics.median(timings)
            results[backend_path][size] = median
            print(f"  {backend_path:<52} {median * 1000:8.2f} ms  {len(captured)} queries")
            if backend_path == STOCK and size == SIZES[0]:
                for query in captured[1:]:
                    print(f"      {' '.join(query['sql'].split())[:150]}")
    print("\nmedian ms per indexed save, and ratio to the smallest size")
    for backend_path, by_size in results.items():
        base = by_size[SIZES[0]]
        cells = "  ".join(
            f"{s:>7,}: {t * 1000:7.2f} ({t / base:5.1f}x)" for s, t in by_size.items()
        )
        print(f"{backend_path:<52} {cells}")


if __name__ == "__main__":
    main()
