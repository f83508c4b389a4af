"""Benchmark: the public search at 20,000 news pages over 200 schools, on PostgreSQL.

Not a test: timings vary by machine, so each search is printed next to a baseline measured in
the same run, interleaved: a trivial Django view (same middleware, no template, no query).
Target (issue 13): search p95 <= 100 ms at 20,000 pages. PostgreSQL only:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_search_bench \\
        .venv/bin/python benchmarks/search_scale.py

It DROPS and re-creates the database named in DATABASE_URL. Environment: BENCH_SCHOOLS (200),
BENCH_PAGES (20000 news pages in all), BENCH_ROUNDS (5 interleaved rounds), BENCH_REQUESTS
(20 requests per target and round), BENCH_EXPLAIN=1 prints the whole plan of the results query,
BENCH_REUSE=1 keeps a database that an earlier run filled with the same sizes (to compare code
changes without reloading: the load takes minutes).

The pages are bulk-inserted (tests/bulk_pages.py) and indexed with Wagtail's backend
(`add_bulk`, the same rows `update_index` writes), then the title norms are refreshed and the
tables analysed (this machine's PostgreSQL runs without autovacuum).
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/h_search_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "district_site.settings.test")

from benchmarks.write_scale import recreate_database  # noqa: E402

SCHOOLS = int(os.environ.get("BENCH_SCHOOLS", "200"))
PAGES = int(os.environ.get("BENCH_PAGES", "20000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "20"))
EXPLAIN = os.environ.get("BENCH_EXPLAIN") == "1"
REUSE = os.environ.get("BENCH_REUSE") == "1"
TARGET_P95_MS = 100

SCAN = re.compile(
    r"(Seq|Index Only|Index|Bitmap Index|Bitmap Heap) Scan (Backward )?(using \S+ )?on \S+"
)

# Queries over the filler's titles (tests/bulk_pages.WORDS): "hội" is in 36% of them, "an toàn"
# in 4%, "an toa" ends with a prefix of "toàn", "khai giang" is in none (the filler never puts
# the two words in one title): the cost of the lookup alone.
QUERIES = {"common": "hoi", "two words": "an toan", "prefix": "an toa", "none": "khai giang"}


def trivial(request):
    from django.http import HttpResponse

    return HttpResponse("<!DOCTYPE html><title>x</title>" + "x" * 20_000)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def already_filled() -> bool:
    """Whether the benchmark's database holds an earlier run's schools and pages."""
    import dj_database_url
    import psycopg2

    conf = dj_database_url.parse(os.environ["DATABASE_URL"])
    try:
        db = psycopg2.connect(
            dbname=conf["NAME"], user=conf["USER"], host=conf["HOST"], port=conf["PORT"] or 5432
        )
    except psycopg2.OperationalError:  # no such database yet
        return False
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM district_site_school")
            schools = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM school_site_newspage")
            pages = cursor.fetchone()[0]
    except psycopg2.Error:
        return False
    finally:
        db.close()
    return schools == SCHOOLS and pages >= PAGES


def main() -> None:
    started = time.perf_counter()
    reuse = REUSE and already_filled()
    if not reuse:
        recreate_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import clear_url_caches, path
    from wagtail.models import Page

    import district_site.urls

    # The baseline lives under "/__", which neither the site lookup nor the page cache handles.
    district_site.urls.urlpatterns.insert(0, path("__bench__/", trivial))
    clear_url_caches()
    settings.DEBUG = False
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-search-scale-media-")
    call_command("migrate", verbosity=0)

    if reuse:
        from district_site.models import School

        schools = list(School.objects.select_related("site").order_by("pk"))
        print(f"Reusing the database: {len(schools)} schools, {Page.objects.count()} pages")
    else:
        schools = load(SCHOOLS, PAGES)

    portal = settings.DISTRICT_BASE_DOMAIN
    school_host = schools[SCHOOLS // 2].site.hostname
    targets: dict[str, tuple[str, str, dict]] = {
        "baseline (trivial view)": (portal, "/__bench__/", {})
    }
    # The same page without a query: what rendering the search page costs (layout, menu,
    # branding) without searching, so that "search - no query" is the search's own cost.
    targets["school search page, no query"] = (school_host, "/search/", {})
    targets["portal search page, no query"] = (portal, "/search/", {})
    for label, query in QUERIES.items():
        targets[f"school search {label}"] = (school_host, "/search/", {"q": query})
        targets[f"portal search {label}"] = (portal, "/search/", {"q": query})
    targets["portal search + filters"] = (
        portal,
        "/search/",
        {"q": QUERIES["common"], "loai": "tin-bai", "nam_hoc": "2025-2026"},
    )

    setup_test_environment()  # so that responses carry their context (the result counts)
    client = Client()
    counts: dict[str, int] = {}
    found: dict[str, int] = {}
    for name, (host, url, params) in targets.items():  # warm up; count queries and results
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params, HTTP_HOST=host)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(captured)
        if response.context and "search" in response.context:
            found[name] = response.context["search"].count

    load_before = f"{os.getloadavg()[0]:.1f}"
    times: dict[str, list[float]] = {name: [] for name in targets}
    # This process's CPU time per request: Python's share (the view, the ORM, the template),
    # which the machine's load inflates far less than the wall clock. PostgreSQL's own time
    # is in the wall clock only.
    cpu: dict[str, list[float]] = {name: [] for name in targets}
    for _round in range(ROUNDS):
        for name, (host, url, params) in targets.items():
            for _ in range(REQUESTS):
                start, start_cpu = time.perf_counter(), time.process_time()
                client.get(url, params, HTTP_HOST=host)
                times[name].append(time.perf_counter() - start)
                cpu[name].append(time.process_time() - start_cpu)

    baseline = statistics.median(times["baseline (trivial view)"])
    print(
        f"\n{ROUNDS} rounds x {REQUESTS} requests per target, interleaved "
        f"({time.perf_counter() - started:.0f} s in all)"
    )
    print(f"load average before the timed rounds: {load_before}, after: {os.getloadavg()[0]:.1f}")
    print(
        f"{'target':<28}{'results':>8}{'median ms':>11}{'p95 ms':>9}{'x baseline':>12}"
        f"{'CPU ms':>8}  queries"
    )
    for name, values in times.items():
        median, p95 = statistics.median(values) * 1000, percentile(values, 0.95) * 1000
        verdict = ""
        if "search" in name and "no query" not in name:
            verdict = "  met" if p95 <= TARGET_P95_MS else "  NOT met"
        print(
            f"{name:<28}{found.get(name, ''):>8}{median:11.1f}{p95:9.1f}"
            f"{median / 1000 / baseline:12.1f}{statistics.median(cpu[name]) * 1000:8.1f}"
            f"  {counts[name]:>3}{verdict}"
        )

    explain_results_query(client, portal, {"q": QUERIES["common"]}, "portal search common")
    explain_results_query(client, portal, {"q": QUERIES["prefix"]}, "portal search prefix")
    explain_results_query(
        client,
        portal,
        {"q": QUERIES["common"], "loai": "tin-bai", "nam_hoc": "2025-2026"},
        "portal search + filters",
    )
    explain_results_query(
        client, school_host, {"q": QUERIES["two words"]}, "school search two words"
    )


def load(school_count: int, page_count: int) -> list:
    """Provision the schools and bulk-load the news pages, indexed; return the schools."""
    from django.db import connection
    from wagtail.models import Page

    from district_site.factories import make_school
    from district_site.portal import setup_district_portal
    from home.search_backend import refresh_title_norms
    from school_site.models import NewsIndexPage
    from tests.bulk_pages import bulk_news

    setup_district_portal()
    phase = time.perf_counter()
    schools = [
        make_school(f"truong-{n}", name=f"Trường Tiểu học số {n}") for n in range(school_count)
    ]
    print(f"{school_count} schools provisioned in {time.perf_counter() - phase:.0f} s", flush=True)
    phase = time.perf_counter()
    per_school, extra = divmod(page_count, school_count)
    filled = 0
    for i, school in enumerate(schools):
        index = NewsIndexPage.objects.child_of(school.site.root_page).get()
        count = per_school + (1 if i < extra else 0)
        bulk_news(index, count, start=filled, search_index=True)
        filled += count
    refresh_title_norms(full=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT count(*) FROM wagtailsearch_indexentry")
        entries = cursor.fetchone()[0]
    print(
        f"{filled} news pages bulk-loaded and indexed in {time.perf_counter() - phase:.0f} s; "
        f"{Page.objects.count()} pages, {entries} index entries",
        flush=True,
    )

    return schools


def explain_results_query(client, host: str, params: dict, label: str) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) the statement that reads the index: the newest matches, ranked.

    (Before commit 684f2ac there were two: the newest matches' ids, then the ranked page. Since
    issue 13's join on the page's id it is one join of the pages and their matching entries.)
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get("/search/", params, HTTP_HOST=host)
    statements = [
        q["sql"] for q in captured.captured_queries if "wagtailsearch_indexentry" in q["sql"]
    ]
    for sql in statements:
        # district_site/public_search.py: the newest matches with their rank.
        kind = "newest matches"
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [row[0] for row in cursor.fetchall()]
        buffers = next((line.strip() for line in plan if "Buffers:" in line), "")
        print(f"\nEXPLAIN ANALYZE, {label}, {kind} query: {plan[-1].strip()}; {buffers}")
        if EXPLAIN:
            print("\n".join("  " + line for line in plan))
        else:
            scans = sorted({m.group(0) for line in plan if (m := SCAN.search(line))})
            print("  " + "\n  ".join(scans))


if __name__ == "__main__":
    main()
