"""Benchmark: the district's score sheet over 2,000 schools x 200 ledger rows (400,000 rows).

Not a test. Needs PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python benchmarks/scoring_sheet.py

Loads the data once (schools as bare rows, not through provisioning, and the ledger with
COPY: per school 180 earned rows, and 10 of those pages unpublished and restored, a
"withdrawn" and a "restored" row each, as the live-page rule writes them), then times the real selector `scoring.selectors.score_sheet(by="school")` against a plain
SQL GROUP BY over the same ledger rows in the same run, and prints both and their ratio
(target: <= 2). `--reload` empties the benchmark's rows first (TRUNCATE: the ledger refuses
DELETE).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "district_site.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Collection, Page, Site  # noqa: E402

from district_site.models import School  # noqa: E402
from scoring import selectors, services  # noqa: E402
from scoring.models import rebuild_sheet_totals  # noqa: E402

SCHOOLS = 2000
PAGES_PER_SCHOOL = 180
# Pages per school withdrawn (unpublished) and later restored (live again): two rows each.
RESTORED_PER_SCHOOL = 10
ROWS_PER_SCHOOL = PAGES_PER_SCHOOL + 2 * RESTORED_PER_SCHOOL
AUTHORS_PER_SCHOOL = 5
PREFIX = "bench-"
KINDS = ["news", "article", "document", "lecture", "gallery"]
POINTS = {
    "news": "1.00",
    "article": "2.00",
    "document": "1.00",
    "lecture": "2.00",
    "gallery": "1.00",
}


def load(year) -> None:
    """Bare schools (a Site on the shared root page, two groups, a collection) and their
    ledger: 180 earned rows per school spread over five authors and the five kinds, and for 10
    of those pages a withdrawal and a restoration (200 rows per school)."""
    rng = random.Random(2017)
    root_page = Page.objects.get(depth=1)
    root_collection = Collection.get_first_root_node()
    with transaction.atomic():
        sites = Site.objects.bulk_create(
            Site(hostname=f"{PREFIX}{i}.localhost", port=80, root_page=root_page)
            for i in range(SCHOOLS)
        )
        groups = Group.objects.bulk_create(
            Group(name=f"{PREFIX}{i}-{role}") for i in range(SCHOOLS) for role in ("bqt", "gv")
        )
        base = root_collection.path + "Z"  # a branch no real collection uses
        collections = Collection.objects.bulk_create(
            Collection(
                name=f"{PREFIX}{i}",
                path=f"{base}{_alpha(i)}",
                depth=root_collection.depth + 1,
                numchild=0,
            )
            for i in range(SCHOOLS)
        )
        schools = School.objects.bulk_create(
            School(
                name=f"Trường benchmark {i}",
                kind=School.Kind.PRIMARY,
                site=sites[i],
                board_group=groups[2 * i],
                editors_group=groups[2 * i + 1],
                collection=collections[i],
            )
            for i in range(SCHOOLS)
        )
        users = get_user_model().objects.bulk_create(
            get_user_model()(username=f"{PREFIX}{i}-{a}", first_name="Giáo viên", last_name=str(a))
            for i in range(SCHOOLS)
            for a in range(AUTHORS_PER_SCHOOL)
        )
        now = timezone.now()
        buffer = io.StringIO()
        page_id = 10_000_000
        for i, school in enumerate(schools):
            for n in range(PAGES_PER_SCHOOL):
                page_id += 1
                kind = KINDS[n % len(KINDS)]
                author = users[i * AUTHORS_PER_SCHOOL + rng.randrange(AUTHORS_PER_SCHOOL)]
                events = [("earned", "", "")]
                if n < RESTORED_PER_SCHOOL:
                    events += [("withdrawn", "-", "Gỡ bài"), ("restored", "", "Đăng lại")]
                for event, sign, reason in events:
                    buffer.write(
                        f"{event}\t{year.pk}\t{school.pk}\t{page_id}\tBài {n}\t{kind}\t"
                        f"{author.pk}\t\\N\t{sign}1\t{sign}{POINTS[kind]}\t0\t\\N\t"
                        f"{now.isoformat()}\t{reason}\tf\n"
                    )
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                "COPY scoring_creditevent (kind, school_year_id, school_id, page_id, page_title,"
                " content_kind, author_id, contributor_group_id, pages, points, bonus_points,"
                " actor_id, created_at, reason, after_freeze) FROM STDIN",
                buffer,
            )
            cursor.execute("ANALYZE scoring_creditevent")
    # COPY went behind the ledger's model: derive the district sheet's totals from it.
    rebuild_sheet_totals()


def _alpha(i: int) -> str:
    """Three treebeard path characters for child number i (0-9A-Z alphabet)."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return alphabet[i // 1296 % 36] + alphabet[i // 36 % 36] + alphabet[i % 36]


def reload() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE scoring_creditevent CASCADE")
    School.objects.filter(site__hostname__startswith=PREFIX).delete()
    Site.objects.filter(hostname__startswith=PREFIX).delete()
    Group.objects.filter(name__startswith=PREFIX).delete()
    Collection.objects.filter(name__startswith=PREFIX).delete()
    get_user_model().objects.filter(username__startswith=PREFIX).delete()


def best_of(runs: int, fn):
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reload", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Cần PostgreSQL: đặt DATABASE_URL=postgres://…")

    if args.reload:
        reload()
    year = services.get_or_create_school_year(label="2026-2027")
    loaded = School.objects.filter(site__hostname__startswith=PREFIX).count()
    if loaded != SCHOOLS:
        if loaded:
            reload()
        start = time.perf_counter()
        load(year)
        print(
            f"loaded {SCHOOLS} schools x {ROWS_PER_SCHOOL} rows in "
            f"{time.perf_counter() - start:.1f} s"
        )
    rows = selectors.sheet_events(school_year=year).count()
    print(f"ledger rows for {year.label}: {rows}")

    plain_sql = (
        "SELECT school_id, SUM(pages), SUM(points) FROM scoring_creditevent"
        " WHERE school_year_id = %s AND NOT after_freeze GROUP BY school_id"
    )

    def plain():
        with connection.cursor() as cursor:
            cursor.execute(plain_sql, [year.pk])
            return cursor.fetchall()

    def sheet():
        return selectors.score_sheet(school_year=year, by="school")

    plain()
    sheet()  # warm both
    with CaptureQueriesContext(connection) as queries:
        sheet_rows = sheet()
    plain_best, plain_median, plain_rows = best_of(args.runs, plain)
    sheet_best, sheet_median, sheet_rows = best_of(args.runs, sheet)
    assert sum(r.pages for r in sheet_rows) == sum(r[1] for r in plain_rows)
    print(
        f"plain GROUP BY : best {plain_best * 1000:.0f} ms, median {plain_median * 1000:.0f} ms"
        f" ({len(plain_rows)} groups)"
    )
    print(
        f"score_sheet    : best {sheet_best * 1000:.0f} ms, median {sheet_median * 1000:.0f} ms"
        f" ({len(sheet_rows)} rows, {len(queries)} queries)"
    )
    print(f"ratio (best)   : {sheet_best / plain_best:.2f}")
    print(f"ratio (median) : {sheet_median / plain_median:.2f}")


if __name__ == "__main__":
    main()
