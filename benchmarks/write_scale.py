"""Benchmark: do saves, publishes and uploads cost the same at 1,000, 10,000 and 100,000 pages?

Not a test: timings vary by machine, so it prints, for each operation, the median at each size
and the ratio of the largest size to the smallest, measured in the same run (target ≤ 1.3 for
writes, ≤ 1.5 for reads). PostgreSQL only (that is where Wagtail's search backend scanned the
whole index per save):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ws_bench \\
        .venv/bin/python benchmarks/write_scale.py

It DROPS and re-creates the database named in DATABASE_URL (default ws_bench). Environment:
BENCH_SIZES (default "1000,10000,100000" pages), BENCH_SAVES / BENCH_PUBLISHES / BENCH_UPLOADS
(50/50/10), BENCH_READS (10 requests per read), BENCH_MAX_SECONDS (default 1500): past this
budget it stops before the next size and prints what it measured.

How it fills: the pages are bulk-inserted news pages (tests/bulk_pages.py) spread over
BENCH_SCHOOLS schools (default 20, provisioned through the real service), indexed in Wagtail's
search index, then `VACUUM ANALYZE` (this machine's PostgreSQL runs without autovacuum) and the
hourly title-norm refresh. The measured writes go through the real services:
- save: a teacher creates a draft news page (add_child + save_revision), as the editor does;
- publish: the teacher submits it and another board member approves it (the board's review,
  school_site.review.perform_action), which publishes it;
- upload: an image saved into the school's collection (what the upload view does after its form);
- stock save: the same save with Wagtail's own PostgreSQL backend, to show the cost we removed;
- provision: one more school through district_site.provisioning.provision_school.
Reads (Django test client, anonymous): the district portal's home, search and RSS feed.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]
SAVES = int(os.environ.get("BENCH_SAVES", "50"))
PUBLISHES = int(os.environ.get("BENCH_PUBLISHES", "50"))
UPLOADS = int(os.environ.get("BENCH_UPLOADS", "10"))
STOCK_SAVES = int(os.environ.get("BENCH_STOCK_SAVES", "20"))
READS = int(os.environ.get("BENCH_READS", "10"))
SCHOOLS = int(os.environ.get("BENCH_SCHOOLS", "20"))
MAX_SECONDS = float(os.environ.get("BENCH_MAX_SECONDS", "1500"))
DATABASE_URL = os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ws_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "district_site.settings.test")

STARTED = time.perf_counter()


class OutOfTime(Exception):
    """The time budget ran out in the middle of a fill: report what was measured so far."""


def elapsed() -> float:
    return time.perf_counter() - STARTED


def check_budget() -> None:
    if elapsed() > MAX_SECONDS:
        raise OutOfTime


def recreate_database() -> None:
    import dj_database_url
    import psycopg2

    conf = dj_database_url.parse(DATABASE_URL)
    if not conf["ENGINE"].endswith("postgresql"):
        sys.exit("write_scale.py measures PostgreSQL: set DATABASE_URL=postgres://...")
    name = conf["NAME"]
    admin = psycopg2.connect(
        dbname="postgres",
        user=conf["USER"],
        host=conf["HOST"],
        port=conf["PORT"] or 5432,
        password=conf["PASSWORD"] or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def main() -> None:
    recreate_database()
    import django

    django.setup()
    from django.conf import settings

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-write-scale-media-")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    bench = Bench()
    bench.setup()
    results: dict[str, dict[int, float]] = {}
    queries: dict[str, dict[int, int]] = {}
    for size in SIZES:
        if elapsed() > MAX_SECONDS:
            print(f"time budget of {MAX_SECONDS:.0f} s spent: stopping before {size} pages")
            break
        fill_start = time.perf_counter()
        try:
            bench.fill_to(size)
        except OutOfTime:
            print(f"time budget of {MAX_SECONDS:.0f} s spent while filling to {size} pages")
            break
        print(
            f"\n{bench.page_count()} pages, {bench.index_entries()} search index entries "
            f"(filled in {time.perf_counter() - fill_start:.0f} s)",
            flush=True,
        )
        for name, (median, n_queries) in bench.measure_all().items():
            results.setdefault(name, {})[size] = median
            queries.setdefault(name, {})[size] = n_queries
            print(f"  {name:<22} {median * 1000:8.1f} ms   {n_queries:4d} queries", flush=True)
    report(results, queries)


def report(results, queries) -> None:
    measured = sorted({size for by_size in results.values() for size in by_size})
    if not measured:
        return
    print(
        f"\nmedian per operation (ms); ratio = largest size / smallest ({elapsed():.0f} s in all)"
    )
    header = "".join(f"{size:>12,}" for size in measured)
    print(f"{'operation':<22}{header}{'ratio':>8}  queries   target")
    for name, by_size in results.items():
        row = "".join(f"{by_size[s] * 1000:12.1f}" if s in by_size else " " * 12 for s in measured)
        first, last = by_size[measured[0]], by_size[max(by_size)]
        ratio = last / first
        target = 1.5 if name.startswith("read") else (None if name == "stock save" else 1.3)
        verdict = "" if target is None else ("met" if ratio <= target else "NOT met")
        counts = "/".join(str(queries[name][s]) for s in measured if s in queries[name])
        print(f"{name:<22}{row}{ratio:8.2f}  {counts:<9} {verdict}")


class Bench:
    def setup(self) -> None:
        from district_site.factories import make_member, make_school
        from district_site.portal import setup_district_portal
        from school_site.models import NewsIndexPage, SchoolBoardReviewTask

        setup_district_portal()
        self.schools = [make_school(f"truong-{n}") for n in range(SCHOOLS)]
        self.indexes = [
            NewsIndexPage.objects.child_of(s.site.root_page).get() for s in self.schools
        ]
        school = self.schools[0]
        self.school = school
        self.index = self.indexes[0]
        self.teacher = make_member(school, "bench-teacher")
        self.board = make_member(school, "bench-board", board=True)
        self.task = SchoolBoardReviewTask.objects.get()
        self.filled = 0
        self.counter = 0

    # --- filling ------------------------------------------------------------------------
    def page_count(self) -> int:
        from wagtail.models import Page

        return Page.objects.count()

    def index_entries(self) -> int:
        from wagtail.search.models import IndexEntry

        return IndexEntry.objects.count()

    def fill_to(self, size: int) -> None:
        from django.db import connection

        from home.search_backend import refresh_title_norms
        from tests.bulk_pages import bulk_news

        missing = size - self.page_count()
        if missing > 0:
            per_school, extra = divmod(missing, len(self.indexes))
            for i, index in enumerate(self.indexes):
                check_budget()
                count = per_school + (1 if i < extra else 0)
                bulk_news(index, count, start=self.filled)
                self.filled += count
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        refresh_title_norms()  # the hourly job, as production would have run it

    # --- the operations -------------------------------------------------------------------
    def _next(self) -> int:
        self.counter += 1
        return self.counter

    def save(self):
        from school_site.models import NewsPage

        n = self._next()
        page = NewsPage(
            title=f"Bài nháp số {n} về hoạt động ngoại khóa của nhà trường",
            slug=f"nhap-{n}",
            author=self.teacher,
            owner=self.teacher,
            live=False,
        )
        self.index.add_child(instance=page)
        page.save_revision(user=self.teacher)
        return page

    def publish(self, page) -> None:
        from wagtail.models import TaskState

        from school_site.review import perform_action

        page.save_revision(user=self.teacher)
        page.get_workflow().start(page, self.teacher)
        state = TaskState.objects.get(
            workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
        )
        perform_action(task=self.task, task_state=state, user=self.board, action_name="approve")

    def upload(self) -> None:
        from django.core.files.images import ImageFile
        from PIL import Image as PILImage
        from wagtail.images import get_image_model

        n = self._next()
        buffer = io.BytesIO()
        PILImage.new("RGB", (64, 48), (n % 255, 90, 160)).save(buffer, "PNG")
        get_image_model().objects.create(
            title=f"Ảnh hoạt động {n}",
            file=ImageFile(buffer, name=f"anh-{n}.png"),
            collection=self.school.collection,
            uploaded_by_user=self.teacher,
        )

    def provision(self) -> None:
        from district_site.provisioning import provision_school

        n = self._next()
        provision_school(name=f"Trường đo {n}", kind="primary", hostname=f"do-{n}.localhost")

    def read(self, path: str, **params) -> None:
        from django.conf import settings

        response = self.client.get(path, params, HTTP_HOST=settings.DISTRICT_BASE_DOMAIN)
        assert response.status_code == 200, (path, response.status_code)

    def measure_all(self) -> dict[str, tuple[float, int]]:
        from django.test import Client, override_settings

        self.client = Client()
        out = {}
        drafts = []

        def save():
            drafts.append(self.save())

        out["save (draft)"] = timed(save, SAVES)
        pages = list(drafts)
        out["publish via review"] = timed(lambda: self.publish(pages.pop()), min(PUBLISHES, SAVES))
        out["upload image"] = timed(self.upload, UPLOADS)
        out["provision school"] = timed(self.provision, 3)
        stock = {"default": {"BACKEND": "wagtail.search.backends.database"}}
        with override_settings(WAGTAILSEARCH_BACKENDS=stock):
            out["stock save"] = timed(self.save, STOCK_SAVES)
        self.read("/")  # warm the caches (site root paths, templates)
        out["read portal home"] = timed(lambda: self.read("/"), READS)
        out["read portal search"] = timed(lambda: self.read("/search/", q="khai giang"), READS)
        out["read portal rss"] = timed(lambda: self.read("/rss.xml"), READS)
        return out


def timed(operation, repeat: int) -> tuple[float, int]:
    """Median seconds and median query count of `repeat` runs of `operation`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seconds, counts = [], []
    for _ in range(repeat):
        # The query log is a deque of 9,000 entries: once full its length stops growing and
        # CaptureQueriesContext (which subtracts lengths) would count nothing. Start empty.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            operation()
            seconds.append(time.perf_counter() - start)
        counts.append(len(captured))
    return statistics.median(seconds), int(statistics.median(counts))


if __name__ == "__main__":
    main()
