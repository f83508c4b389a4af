"""Benchmark: does a school user's admin page search cost the same at 1,000 and 100,000 pages?

Not a test. PostgreSQL only:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_adminsearch \\
        .venv/bin/python benchmarks/admin_search_scale.py

It DROPS and re-creates the database named in DATABASE_URL (unless BENCH_REUSE=1 and it is
already filled to the first size). Environment: BENCH_SIZES (default "1000,10000,100000"
pages in all), BENCH_SCHOOLS (20), BENCH_READS (15 requests per path and query),
BENCH_SQL=1 prints the SQL of each path's statements once.

The filler is `benchmarks/admin_scale.py`'s, pages only: school 0's news section holds 1,000
posts from the first size on and every further page goes to the other schools, each with its
row in Wagtail's search index (bulk-loaded, then `VACUUM ANALYZE`). About one filler title in
ten contains "giảng". At each size, for a board member of school 0 and a few queries, both
paths of `district_site.admin_scoping.PageSearch` are measured one after the other on the same
database: "wagtail" (Wagtail's autocomplete on the school's path prefix, the path before this
change and still SQLite's) and "school" (the index entries probed from the school's pages).
For each: the query count, the `EXPLAIN (ANALYZE, BUFFERS)` of every SELECT of one request
(the worst statement's buffers, which the machine's load does not move, and the SELECTs'
summed execution time), and the median CPU time of the Django process per request
(interleaved, so that both paths see the same load). The two paths' results, facets and
counts are compared and must be equal.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/h_adminsearch")

from benchmarks.write_scale import recreate_database  # noqa: E402

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]
SCHOOLS = int(os.environ.get("BENCH_SCHOOLS", "20"))
READS = int(os.environ.get("BENCH_READS", "15"))
REUSE = os.environ.get("BENCH_REUSE") == "1"
SHOW_SQL = os.environ.get("BENCH_SQL") == "1"
SECTION_POSTS = 1000
# "giảng": one filler title in ten; "giáo viên dạy": two words, fewer; "h": a prefix most
# titles have ("học", "hội", "họp"); "không có": no match at all.
QUERIES = ("giảng", "giáo viên dạy", "h", "không có")
PATHS = ("wagtail", "school")


@contextmanager
def search_path(name: str):
    """Serve the search by one path: "school" is the code's own choice on PostgreSQL."""
    from district_site.admin_scoping import PageSearch

    if name == "school":
        yield
    else:
        with mock.patch.object(PageSearch, "drives_from_school_pages", return_value=False):
            yield


def explain(operation, show_sql: bool = False) -> tuple[int, float, int]:
    """Worst statement's buffers, SELECTs' summed execution time (ms), and the query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        operation()
    worst, total_ms = 0, 0.0
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "WITH", "(SELECT")):
                continue
            if show_sql and "wagtailsearch_indexentry" in sql:
                print(f"\n{sql}\n")
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = plan if isinstance(plan, list) else json.loads(plan)
            if show_sql and "wagtailsearch_indexentry" in sql:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                print("\n".join(row[0] for row in cursor.fetchall()))
            top = plan[0]["Plan"]
            worst = max(worst, top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0))
            total_ms += plan[0]["Execution Time"]
    return worst, total_ms, len(captured)


def main() -> None:
    started = time.perf_counter()
    if not REUSE:
        recreate_database()
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client records the response's context
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from wagtail.models import Page

    from district_site.factories import make_member, make_school
    from district_site.models import School
    from district_site.portal import setup_district_portal
    from school_site.models import NewsIndexPage
    from tests.bulk_pages import bulk_news

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-admin-search-media-")
    if REUSE and School.objects.exists():
        schools = list(School.objects.order_by("pk"))
        from django.contrib.auth import get_user_model

        board = get_user_model().objects.get(username="bqt-0")
    else:
        call_command("migrate", verbosity=0)
        setup_district_portal()
        schools = [make_school(f"truong-{n}") for n in range(SCHOOLS)]
        board = make_member(schools[0], "bqt-0", board=True)
    indexes = [NewsIndexPage.objects.child_of(s.site.root_page).get() for s in schools]
    client = Client()
    client.force_login(board)
    host = settings.DISTRICT_BASE_DOMAIN
    from django.urls import reverse

    url = reverse("wagtailadmin_pages:search")

    def read(q: str):
        response = client.get(url, {"q": q}, HTTP_HOST=host)
        assert response.status_code == 200, response.status_code
        context = response.context
        return (
            [page.pk for page in context["object_list"]],
            [(ct.pk, n) for ct, n in context["content_types"]],
            context["items_count"],
        )

    rows = []
    for size in SIZES:
        filled = Page.objects.count()
        if not indexes[0].numchild:
            bulk_news(indexes[0], SECTION_POSTS, start=0, search_index=True)
        missing = size - Page.objects.count()
        per_school, extra = divmod(max(missing, 0), len(schools) - 1)
        start = 10 * Page.objects.count()  # titles differ from the earlier sizes'
        for i in range(1, len(schools)):
            count = per_school + (1 if i <= extra else 0)
            if count:
                bulk_news(indexes[i], count, start=start, search_index=True)
                start += count
        if Page.objects.count() != filled:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        pages = Page.objects.count()
        print(f"\n{pages:,} pages ({time.perf_counter() - started:.0f} s)", flush=True)
        for q in QUERIES:
            seen = {}
            for path in PATHS:
                with search_path(path):
                    seen[path] = read(q)  # warm (content types, roles, templates)
            assert seen["wagtail"] == seen["school"], (q, seen)
            cpu = {path: [] for path in PATHS}
            for _ in range(READS):
                for path in PATHS:
                    with search_path(path):
                        before = time.process_time()
                        read(q)
                        cpu[path].append(time.process_time() - before)
            for path in PATHS:
                with search_path(path):
                    buffers, sql_ms, n_queries = explain(lambda q=q: read(q), SHOW_SQL)
                cpu_ms = statistics.median(cpu[path]) * 1000
                rows.append((pages, q, path, buffers, sql_ms, cpu_ms, n_queries, seen[path][2]))
                print(
                    f"  {q!r:<18} {path:<8} {seen[path][2]:>6} matches  {n_queries:3d} queries  "
                    f"worst statement {buffers:6d} buffers  SQL {sql_ms:7.1f} ms  "
                    f"CPU {cpu_ms:6.1f} ms",
                    flush=True,
                )
    print(f"\n({time.perf_counter() - started:.0f} s in all)")
    print("pages     query              path     matches queries  buffers   SQL ms   CPU ms")
    for pages, q, path, buffers, sql_ms, cpu_ms, n_queries, count in rows:
        print(
            f"{pages:<9,} {q!r:<18} {path:<8} {count:>7} {n_queries:>7} {buffers:>8} "
            f"{sql_ms:>8.1f} {cpu_ms:>8.1f}"
        )


if __name__ == "__main__":
    main()
