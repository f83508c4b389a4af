"""Benchmark: CPU time of an uncached public page in-process, against the trivial view.

Not a test. `benchmarks/public_pages.py` measures rates under gunicorn and `wrk`, which on a
shared machine swing with everyone else's load; this script measures what a page costs the
process that renders it: `time.process_time()` around one WSGI call (the whole production
middleware stack, `benchmarks/settings.py`), interleaved with the ceiling `/__bench__/` so both
see the same machine. The ratio page / ceiling is what the 15 % target of issue 13 is about
(15 % of the ceiling's rate = at most ~6.7 times its CPU per request).

Run it against the database `benchmarks/public_pages.py` seeded (BENCH_REUSE=1 keeps it):

    DJANGO_SETTINGS_MODULE=benchmarks.settings SECRET_KEY=... DATABASE_URL=... REDIS_URL=... \
        DISTRICT_BASE_DOMAIN=localhost PAGE_CACHE_ENABLED=false \
        .venv/bin/python benchmarks/public_cpu.py

BENCH_CPU_ROUNDS (default 30) requests per target; BENCH_PROFILE=<target name> prints the
top of a cProfile of that target instead (BENCH_PROFILE_COLD=1: of its cold render, the site's
token replaced before each request, outside the profile). Each page is also timed "cold": right after its
site's page-cache token is replaced (home/page_cache.py), which also makes every fragment cached
with that token stale, so the figure is the true first render after a publish.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django  # noqa: E402

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from home.page_cache import invalidate_hosts  # noqa: E402
from home.page_warming import visitor_environ  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_CPU_ROUNDS", "30"))
PROFILE = os.environ.get("BENCH_PROFILE", "")

handler = WSGIHandler()


def environ(host: str, path: str) -> dict:
    # Over https, as visitors reach the app servers through nginx.
    return visitor_environ(f"https://{host}{path}")


def call(host: str, path: str) -> tuple[float, int]:
    """One request through the WSGI handler: (CPU seconds, body bytes); fails on non-200."""
    status = []
    started = time.process_time()
    body = b"".join(handler(environ(host, path), lambda s, h, *a: status.append(s)))
    spent = time.process_time() - started
    if not status[0].startswith("200"):
        raise RuntimeError(f"{host}{path}: {status[0]}")
    return spent, len(body)


def targets() -> dict[str, tuple[str, str]]:
    from district_site.models import School
    from school_site.models import NewsIndexPage, NewsPage

    best = None
    for school in School.objects.filter(status=School.Status.ACTIVE).order_by("pk"):
        count = NewsPage.objects.live().descendant_of(school.site.root_page).count()
        if best is None or count > best[1]:
            best = (school, count)
    root = best[0].site.root_page
    host = best[0].site.hostname
    index = NewsIndexPage.objects.child_of(root).live().first()
    article = NewsPage.objects.live().descendant_of(root).order_by("-date", "-pk").first()
    return {
        "school home": (host, "/"),
        "news index": (host, index.get_url_parts()[2]),
        "article": (host, article.get_url_parts()[2]),
        "portal home": ("localhost", "/"),
    }


def main() -> None:
    pages = targets()
    size = call(*pages["school home"])[1]
    ceiling = (pages["school home"][0], f"/__bench__/?bytes={size}")
    for host, path in [ceiling, *pages.values()]:
        call(host, path)  # warm: templates, content types, connections
    if PROFILE:
        host, path = pages[PROFILE]
        profiler = cProfile.Profile(time.process_time)  # CPU, not waits for PostgreSQL
        for _ in range(ROUNDS):
            if os.environ.get("BENCH_PROFILE_COLD") == "1":
                invalidate_hosts([host])
            profiler.enable()
            call(host, path)
            profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(30)
        for name in filter(None, os.environ.get("BENCH_CALLERS", "").split(",")):
            stats.print_callers(name)
        return
    warm: dict[str, list[float]] = {name: [] for name in ["ceiling", *pages]}
    cold: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(ROUNDS):
        warm["ceiling"].append(call(*ceiling)[0])
        for name, (host, path) in pages.items():
            # Pages of one site share its token: invalidate right before each cold call, and
            # time the warm call right after it (fragments stored by that cold call).
            invalidate_hosts([host])
            cold[name].append(call(host, path)[0])
            warm[name].append(call(host, path)[0])
    base = statistics.median(warm["ceiling"])
    print(
        f"in-process CPU per request (median of {ROUNDS}, interleaved), page cache "
        f"{os.environ.get('PAGE_CACHE_ENABLED', 'true')}; load average {os.getloadavg()[0]:.1f}"
    )
    print(f"ceiling /__bench__/ ({size} bytes): {base * 1000:.2f} ms")
    print(f"{'page':<14}{'mode':<28}{'ms CPU':>8}{'x ceiling':>11}{'queries':>9}")
    for name, (host, path) in pages.items():
        reset_queries()
        invalidate_hosts([host])
        with CaptureQueriesContext(connection) as queries:
            call(host, path)
        cold_queries = len(queries)
        with CaptureQueriesContext(connection) as queries:
            call(host, path)
        warm_queries = len(queries)
        for mode, times, count in (
            ("warm fragments", warm[name], warm_queries),
            ("cold (after invalidation)", cold[name], cold_queries),
        ):
            ms = statistics.median(times)
            print(f"{name:<14}{mode:<28}{ms * 1000:>8.2f}{ms / base:>11.1f}{count:>9}")
    after_a_publish(pages, base)


def after_a_publish(pages: dict[str, tuple[str, str]], base: float) -> None:
    """What a publish of the article leaves now (home/page_warming.py): the school's and the
    portal's tokens replaced, the worker's anonymous renders of the pages it shows on, then the
    first visitor of the school home. The page cache is on here, as in production."""
    from django.conf import settings

    from district_site.cache_invalidation import published_page_urls, root_urls
    from home.page_warming import warm_pages
    from school_site.models import NewsPage

    host, article_path = pages["article"]
    article = next(
        p
        for p in NewsPage.objects.live().order_by("-date", "-pk")[:50]
        if p.get_url_parts()[2] == article_path and p.get_site().hostname == host
    )
    hosts = [host, pages["portal home"][0]]
    urls = [f"{root}/" for root in root_urls(hosts).values()]
    urls += published_page_urls(article.url_path)
    settings.PAGE_CACHE_ENABLED = True
    worker: list[float] = []
    visitor: list[float] = []
    try:
        for _ in range(ROUNDS):
            invalidate_hosts(hosts)
            started = time.process_time()
            outcome = warm_pages(urls)
            worker.append(time.process_time() - started)
            if sorted(set(outcome.values())) != ["miss"]:
                raise RuntimeError(f"warm-up did not store every page: {outcome}")
            visitor.append(call(*pages["school home"])[0])
    finally:
        settings.PAGE_CACHE_ENABLED = False
    ms_worker, ms_visitor = statistics.median(worker), statistics.median(visitor)
    print(f"after a publish (page cache on), the worker renders {len(urls)} pages:")
    for url in urls:
        print(f"  {url}")
    print(
        f"{'worker':<14}{'the warm-up, all pages':<28}{ms_worker * 1000:>8.2f}{ms_worker / base:>11.1f}"
    )
    print(
        f"{'school home':<14}{'first visitor after it':<28}{ms_visitor * 1000:>8.2f}{ms_visitor / base:>11.1f}"
    )


if __name__ == "__main__":
    main()
