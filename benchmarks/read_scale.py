"""Benchmark: do the district portal's reads cost the same at 1,000 and 20,000 pages?

Not a test: timings vary by machine, so it prints the median server time of each read at each
size and the ratio of the largest size to the smallest, measured in the same run (target
≤ 1.5), plus the query count and, for the slowest query of each read, PostgreSQL's
`EXPLAIN (ANALYZE)` summary. PostgreSQL only:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reads_bench \\
        .venv/bin/python benchmarks/read_scale.py

It DROPS and re-creates the database named in DATABASE_URL (default reads_bench). Environment:
BENCH_SIZES (default "1000,20000" pages), BENCH_READS (15 requests per read), BENCH_SCHOOLS
(20), BENCH_EXPLAIN=1 prints the whole plan of each read's slowest query.

The pages are bulk-inserted news pages (tests/bulk_pages.py) spread over the schools, with
their rows in Wagtail's search index (the portal's search reads it since issue 13; before, this
filler left the index empty, so its search figure timed a search of nothing), then
`VACUUM ANALYZE`: this
machine's PostgreSQL runs without autovacuum, production's would have analysed the tables.
The writes and their search index are measured by benchmarks/write_scale.py.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/reads_bench")

from benchmarks.write_scale import recreate_database, timed  # noqa: E402

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,20000").split(",")]
READS = int(os.environ.get("BENCH_READS", "15"))
SCHOOLS = int(os.environ.get("BENCH_SCHOOLS", "20"))
EXPLAIN = os.environ.get("BENCH_EXPLAIN") == "1"

SCAN = re.compile(r"(Seq|Index Only|Index|Bitmap Heap) Scan (using \S+ )?on \S+")

# A school's own home reads only its subtree and is flat by construction (issue 16): it is the
# control. On this shared machine the load of other processes moves every timing between the
# two sizes alike; "vs control" divides each ratio by the control's ratio of the same run.
CONTROL = "school home"

READ_PATHS = {
    CONTROL: ("/", {}),
    "portal home": ("/", {}),
    # "khai giang" (as in issue 16) matches none of the bulk-loaded titles: the cost of the
    # scan alone. "hoi thi" matches about a third of them: the scan plus counting the matches.
    "portal search": ("/search/", {"q": "khai giang"}),
    "search common": ("/search/", {"q": "hoi thi"}),
    "portal rss": ("/rss.xml", {}),
}


def main() -> None:
    started = time.perf_counter()
    recreate_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from district_site.factories import make_school
    from district_site.portal import setup_district_portal
    from school_site.models import NewsIndexPage
    from tests.bulk_pages import bulk_news

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-read-scale-media-")
    # What the server does for a read, not a cache hit: whole pages and per-site fragments off.
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False
    call_command("migrate", verbosity=0)
    setup_district_portal()
    schools = [make_school(f"truong-{n}") for n in range(SCHOOLS)]
    indexes = [NewsIndexPage.objects.child_of(s.site.root_page).get() for s in schools]
    client = Client()
    host = settings.DISTRICT_BASE_DOMAIN
    results: dict[str, dict[int, float]] = {}
    counts: dict[str, dict[int, int]] = {}
    filled = 0
    for size in SIZES:
        from wagtail.models import Page

        missing = size - Page.objects.count()
        per_school, extra = divmod(max(missing, 0), len(indexes))
        for i, index in enumerate(indexes):
            count = per_school + (1 if i < extra else 0)
            bulk_news(index, count, start=filled)
            filled += count
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"\n{Page.objects.count()} pages", flush=True)
        for name, (path, params) in READ_PATHS.items():

            def read(path=path, params=params, name=name):
                hostname = schools[0].site.hostname if name == CONTROL else host
                response = client.get(path, params, HTTP_HOST=hostname)
                assert response.status_code == 200, (path, response.status_code)

            read()  # warm the caches (site root paths, templates)
            median, n_queries = timed(read, READS)
            results.setdefault(name, {})[size] = median
            counts.setdefault(name, {})[size] = n_queries
            print(f"  {name:<16} {median * 1000:8.1f} ms  {n_queries:3d} queries", flush=True)
            explain_slowest(read)
    print(
        f"\nmedian server time (ms); ratio = largest size / smallest "
        f"({time.perf_counter() - started:.0f} s in all)"
    )
    measured = sorted({s for by_size in results.values() for s in by_size})
    print(
        f"{'read':<16}"
        + "".join(f"{s:>10,}" for s in measured)
        + "   ratio  vs control  queries  target"
    )
    control = results[CONTROL][measured[-1]] / results[CONTROL][measured[0]]
    for name, by_size in results.items():
        ratio = by_size[measured[-1]] / by_size[measured[0]]
        row = "".join(f"{by_size[s] * 1000:10.1f}" for s in measured)
        n = "/".join(str(counts[name][s]) for s in measured)
        verdict = "met" if ratio <= 1.5 else "NOT met"
        print(f"{name:<16}{row}{ratio:8.2f}{ratio / control:12.2f}  {n:<8} {verdict}")


def explain_slowest(read) -> None:
    """EXPLAIN (ANALYZE) the slowest SELECT of one request; print its summary."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        read()
    selects = [q for q in captured.captured_queries if q["sql"].lstrip().startswith("SELECT")]
    slowest = max(selects, key=lambda q: float(q["time"]))
    explain("slowest SELECT", slowest["sql"])
    # The latest-news statement (portal home, RSS): the one LIMITed read of the news table
    # outside a search UNION (Django may order a values() query by column number).
    for query in selects:
        sql = query["sql"]
        if '"school_site_newspage"' in sql and " LIMIT " in sql and " UNION " not in sql:
            explain("latest news", sql)


def explain(label: str, sql: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = [row[0] for row in cursor.fetchall()]
    if EXPLAIN:
        print(f"    {label}: {sql[:300]} ...")
        print("\n".join("      " + line for line in plan))
    else:
        scans = sorted({m.group(0) for line in plan if (m := SCAN.search(line))})
        print(f"    {label}: {plan[-1].strip()}; {'; '.join(scans)}")


if __name__ == "__main__":
    main()
