"""Benchmark: provision 200 schools in-process and print the median seconds per school.

Not a test: timings vary by machine. Run with `.venv/bin/python benchmarks/provision_schools.py`
(SQLite in a temporary file by default; set DATABASE_URL for PostgreSQL). It also measures, in
the same run, a baseline of the least any school needs (one bare Wagtail page and one Site), and
prints the ratio, which is comparable across machines.
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


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="bench-provision-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "district_site.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from wagtail.models import Page, Site

    from district_site.provisioning import provision_school

    call_command("migrate", verbosity=0)
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
    print(f"database: {connection.vendor}, schools: {SCHOOLS}")
    print(
        f"provision_school median: {median:.4f} s/school (p90 {sorted(timings)[int(SCHOOLS * 0.9)]:.4f} s)"
    )
    print(f"baseline (1 page + 1 site) median: {base:.4f} s")
    print(f"ratio provision/baseline: {median / base:.1f}")
    print(f"target <= 0.25 s/school: {'met' if median <= 0.25 else 'NOT met'}")


if __name__ == "__main__":
    main()
