"""Benchmark: provision 200 schools in-process and print the median seconds per school.

Not a test: timings vary by machine. Run with `.venv/bin/python benchmarks/provision_schools.py`
(SQLite in a temporary file by default; set DATABASE_URL for PostgreSQL). It also measures, in
the same run, a baseline of the least any school needs (one bare Wagtail page and one Site), and
prints the ratio, which is comparable across machines.

Issue 16 asks for ≤ 0.25 s per school on a database that already holds 20,000 pages: with
BENCH_FILL_PAGES=20000 (PostgreSQL), the script first provisions BENCH_FILL_SCHOOLS (20) schools
and bulk-loads that many published news pages among them (tests/bulk_pages.py, with their
search-index rows), runs `VACUUM ANALYZE` (production's autovacuum would have), and then
measures both on the full database, the baseline included:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_scale_prov BENCH_FILL_PAGES=20000 \
        BENCH_SCHOOLS=30 .venv/bin/python benchmarks/provision_schools.py

With a PostgreSQL DATABASE_URL the database is DROPPED and re-created first. The measured
provisioning runs with production's task backend (django-tasks' database queue): the search-
and reference-index updates of the new pages are queued for the worker, as in production,
not done inline as the test settings' immediate backend would (BENCH_TASKS=immediate for
that).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCHOOLS = int(os.environ.get("BENCH_SCHOOLS", "200"))
FILL_PAGES = int(os.environ.get("BENCH_FILL_PAGES", "0"))
FILL_SCHOOLS = int(os.environ.get("BENCH_FILL_SCHOOLS", "20"))


def fill(pages: int) -> None:
    """Provision FILL_SCHOOLS schools and spread `pages` bulk-loaded news pages over them."""
    from django.db import connection
    from wagtail.models import Page

    from district_site.provisioning import provision_school
    from school_site.models import NewsIndexPage
    from tests.bulk_pages import bulk_news

    indexes = []
    for n in range(FILL_SCHOOLS):
        school = provision_school(
            name=f"Trường Tiểu học Nền {n}", kind="primary", hostname=f"nen-{n}.localhost"
        ).school
        indexes.append(NewsIndexPage.objects.child_of(school.site.root_page).get())
    missing = max(pages - Page.objects.count(), 0)
    per_school, extra = divmod(missing, FILL_SCHOOLS)
    start = 0
    for i, index in enumerate(indexes):
        count = per_school + (1 if i < extra else 0)
        bulk_news(index, count, start=start)
        start += count
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="bench-provision-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "district_site.settings.test")
    if os.environ["DATABASE_URL"].startswith("postgres"):
        from benchmarks.write_scale import recreate_database

        recreate_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from wagtail.models import Page, Site

    from district_site.provisioning import provision_school

    call_command("migrate", verbosity=0)
    if FILL_PAGES:
        fill(FILL_PAGES)
    if os.environ.get("BENCH_TASKS", "database") == "database":
        from django.test.utils import override_settings

        # override_settings, not an assignment: django-tasks drops its cached backends on the
        # setting_changed signal this sends.
        override_settings(
            TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        ).enable()
    root = Page.get_first_root_node()

    baseline = []
    for n in range(SCHOOLS):
        start = time.perf_counter()
        with transaction.atomic():
            page = Page(title=f"Trang trống {n}", slug=f"baseline-{n}")
            root.add_child(instance=page)
            Site.objects.create(hostname=f"baseline-{n}.localhost", root_page=page)
        baseline.append(time.perf_counter() - start)
        root.refresh_from_db()

    timings = []
    for n in range(SCHOOLS):
        start = time.perf_counter()
        provision_school(
            name=f"Trường Mầm non Số {n}", kind="preschool", hostname=f"mn-{n}.localhost"
        )
        timings.append(time.perf_counter() - start)

    median = statistics.median(timings)
    base = statistics.median(baseline)
    print(
        f"database: {connection.vendor}, schools: {SCHOOLS}, "
        f"pages before: {FILL_PAGES or 'none'} ({Page.objects.count()} after)"
    )
    print(
        f"provision_school median: {median:.4f} s/school (p90 {sorted(timings)[int(SCHOOLS * 0.9)]:.4f} s)"
    )
    print(f"baseline (1 page + 1 site) median: {base:.4f} s")
    print(f"ratio provision/baseline: {median / base:.1f}")
    print(f"target <= 0.25 s/school: {'met' if median <= 0.25 else 'NOT met'}")


if __name__ == "__main__":
    main()
