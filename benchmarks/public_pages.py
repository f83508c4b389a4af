"""Benchmark: public pages with and without the anonymous page cache, in-process.

Not a test: timings vary by machine, so every figure is printed next to a ceiling measured in
the same run, interleaved: a trivial Django view (same middleware, no template, no query).
Run with `.venv/bin/python benchmarks/public_pages.py` (SQLite in a temporary file by default;
set DATABASE_URL for PostgreSQL, REDIS_URL to use Redis as the cache).

This is the in-process half of issue 13's benchmark: requests go through Django's WSGI handler
without a network or gunicorn, so it measures what the app costs per request. The gunicorn +
wrk run against production settings is not written yet.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40"))


def trivial(request):
    from django.http import HttpResponse

    return HttpResponse("<!DOCTYPE html><title>x</title>" + "x" * 20_000)


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="bench-public-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "district_site.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import clear_url_caches, path

    import district_site.urls

    # The ceiling lives under "/__", which neither the site lookup nor the page cache handles.
    district_site.urls.urlpatterns.insert(0, path("__bench__/", trivial))
    clear_url_caches()
    settings.DEBUG = False
    call_command("migrate", verbosity=0)

    from district_site.factories import make_school
    from district_site.portal import setup_district_portal
    from tests.school_site.test_public_pages import fill_school, url_of

    setup_district_portal()
    school = make_school("th-bench", name="Trường Tiểu học Đo Tốc Độ")
    content = fill_school(school, news=12)
    make_school("mn-bench", kind="preschool", name="Trường Mầm non Đo Tốc Độ")
    host = school.site.hostname
    targets = {
        "school home": (host, "/"),
        "news index": (host, "/tin-tuc/"),
        "article": (host, url_of(content["news"][0])),
        "RSS": (host, "/rss.xml"),
        "portal home": ("localhost", "/"),
        "ceiling (trivial view)": (host, "/__bench__/"),
    }
    client = Client()

    def rate(hostname: str, url: str) -> float:
        start = time.perf_counter()
        for _ in range(REQUESTS):
            response = client.get(url, HTTP_HOST=hostname)
            assert response.status_code == 200, (url, response.status_code)
        return REQUESTS / (time.perf_counter() - start)

    results: dict[tuple[str, str], list[float]] = {}
    for _ in range(ROUNDS):
        for mode in ("uncached", "cached"):
            settings.PAGE_CACHE_ENABLED = mode == "cached"
            for name, (hostname, url) in targets.items():
                client.get(url, HTTP_HOST=hostname)  # warm renditions and the page cache
                results.setdefault((name, mode), []).append(rate(hostname, url))

    print(f"database: {connection.vendor}, cache: {settings.CACHES['default']['BACKEND']}")
    print(f"{ROUNDS} interleaved rounds of {REQUESTS} requests; median requests/second")
    ceiling = statistics.median(
        results[("ceiling (trivial view)", "uncached")]
        + results[("ceiling (trivial view)", "cached")]
    )
    print(f"{'page':<24}{'uncached':>12}{'ratio':>8}{'cached':>12}{'ratio':>8}")
    for name in targets:
        if name.startswith("ceiling"):
            continue
        un = statistics.median(results[(name, "uncached")])
        ca = statistics.median(results[(name, "cached")])
        print(f"{name:<24}{un:>12.0f}{un / ceiling:>8.0%}{ca:>12.0f}{ca / ceiling:>8.0%}")
    print(f"{'ceiling (trivial view)':<24}{ceiling:>12.0f}")


if __name__ == "__main__":
    main()
