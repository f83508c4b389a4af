"""Benchmark: do the admin screens cost the same at 1,000, 10,000 and 100,000 pages?

Not a test: timings vary by machine, so it prints the median server time of each screen at each
size and the ratio of the largest size to the smallest, measured in the same run (target
≤ 1.5), plus the query count (which must not move). PostgreSQL only, and the database server
on this machine (its backend's CPU time is read from /proc):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_scale_bench \\
        .venv/bin/python benchmarks/admin_scale.py

It DROPS and re-creates the database named in DATABASE_URL. Environment: BENCH_SIZES (default
"1000,10000,100000" pages in all), BENCH_READS (9 requests per screen), BENCH_SCHOOLS (20).

School 0's news section is filled first with 1,000 posts (the explorer listing of "a section
with 1,000 posts") and every other school with one post per author (so that the district's
score sheets have all their rows from the first size on: 1,278 pages in all with 20 schools);
every further page goes to the other schools, so what grows between sizes
is the rest of the district, which a board member of school 0 must not pay for. Each page gets
one earning row in the scoring ledger (five authors per school), as publishing would give it,
a row in Wagtail's search index (the admin search reads it) and two page log entries (the
site history reads them). Filler is bulk-inserted (tests/bulk_pages.py), then `VACUUM ANALYZE`,
as production's autovacuum would. After the timings, the `EXPLAIN (ANALYZE, BUFFERS)` of every
SELECT of one request per screen: the worst statement's buffers, which the machine's load does
not move.

Robust to a shared machine (the earlier runs, at load 10–17, gave ratios of 0.4–3.4 at random):
- each request is measured three ways: wall clock; the CPU time of this Python process
  (`time.process_time()`: the test client serves in-process, so that is the server's Python
  time, which waiting for a core does not add to); and the CPU time of the PostgreSQL backend
  serving the connection (`/proc/<pid>/schedstat`, nanoseconds on a core: the database's own
  work for the request's statements, whoever else runs). pg_stat_statements would need a
  server restart (`shared_preload_libraries`), hence /proc;
- a control screen, the board member's account page, whose work does not depend on the
  district's size: every ratio is also printed divided by the control's ratio of the same run
  ("vs control");
- within a size the reads are interleaved (round after round over every screen, each round
  starting one screen further), so that a shift of the load hits every screen alike.
- one request of each screen per size runs under cProfile (timed by the process's CPU clock):
  its number of Python function calls is printed, an exact measure of the Python work, and the
  profile is saved in BENCH_PROFILE_DIR (default a new temporary folder) as
  `<screen>-<size>.pstats`, to compare where a growing screen's time goes.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/h_scale_bench")

from benchmarks.write_scale import recreate_database  # noqa: E402

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]
READS = int(os.environ.get("BENCH_READS", "9"))
SCHOOLS = int(os.environ.get("BENCH_SCHOOLS", "20"))
AUTHORS = 5
SECTION_POSTS = 1000
PROFILE_DIR = Path(os.environ.get("BENCH_PROFILE_DIR") or tempfile.mkdtemp(prefix="admin-prof-"))

# The board member's account page renders the same admin shell (menu, roles, branding) as every
# other screen but reads nothing that grows with the district: the control. The load of other
# processes moves it as much as the rest; "vs control" divides that out.
CONTROL = "control: account"

# What each request is measured by: wall clock, this process's CPU, the database backend's CPU.
METRICS = ("wall", "python cpu", "db cpu")


def screens(school, section, root) -> dict[str, tuple[str, str, dict]]:
    """Screen name → (who, URL, query parameters)."""
    from django.urls import reverse

    return {
        CONTROL: ("board", reverse("wagtailadmin_account"), {}),
        "dashboard": ("board", reverse("wagtailadmin_home"), {}),
        "explorer root": ("board", reverse("wagtailadmin_explore", args=[root.pk]), {}),
        "explorer 1k": ("board", reverse("wagtailadmin_explore", args=[section.pk]), {}),
        "page chooser": ("board", reverse("wagtailadmin_choose_page_child", args=[section.pk]), {}),
        "admin search": ("board", reverse("wagtailadmin_pages:search"), {"q": "giảng"}),
        "locked pages": ("board", reverse("wagtailadmin_reports:locked_pages"), {}),
        "aging pages": ("board", reverse("wagtailadmin_reports:aging_pages"), {}),
        "site history": ("board", reverse("wagtailadmin_reports:site_history"), {}),
        "sheet by author": ("district", reverse("scoring_admin:report"), {"by": "author"}),
        "sheet by school": ("district", reverse("scoring_admin:report"), {"by": "school"}),
    }


def add_ledger(year, school, authors, page_ids: list[int]) -> None:
    """One earning row per bulk page (what publishing it through the review would append)."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now().isoformat()
    buffer = io.StringIO()
    for n, page_id in enumerate(page_ids):
        author = authors[n % len(authors)]
        buffer.write(
            f"earned\t{year.pk}\t{school.pk}\t{page_id}\tTin {page_id}\tnews\t{author.pk}\t"
            f"\\N\t1\t1.00\t0\t\\N\t{now}\t\tf\n"
        )
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            "COPY scoring_creditevent (kind, school_year_id, school_id, page_id, page_title,"
            " content_kind, author_id, contributor_group_id, pages, points, bonus_points,"
            " actor_id, created_at, reason, after_freeze) FROM STDIN",
            buffer,
        )


def add_history(authors, page_ids: list[int], content_type_id: int) -> None:
    """Two log entries per bulk page (created, then published), as the editor would leave.

    Without them the site history report of a 100,000-page district reads an almost empty log
    and its cost at scale cannot show.
    """
    import datetime

    from django.db import connection
    from django.utils import timezone

    start = timezone.now() - datetime.timedelta(days=365)
    buffer = io.StringIO()
    for n, page_id in enumerate(page_ids):
        author = authors[n % len(authors)]
        # Spread over a year, interleaved between schools as the district really writes.
        at = start + datetime.timedelta(seconds=(page_id * 97) % (365 * 86400))
        for action, offset in (("wagtail.create", 0), ("wagtail.publish", 60)):
            stamp = (at + datetime.timedelta(seconds=offset)).isoformat()
            buffer.write(
                f"{content_type_id}\tTin {page_id}\t{action}\t{{}}\t{stamp}\t\\N\t"
                f"{author.pk}\t\\N\t{'t' if offset else 'f'}\tf\t{page_id}\n"
            )
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            "COPY wagtailcore_pagelogentry (content_type_id, label, action, data, timestamp,"
            " uuid, user_id, revision_id, content_changed, deleted, page_id) FROM STDIN",
            buffer,
        )


def plan_cost(operation) -> tuple[int, float]:
    """The largest buffer count (shared hit + read) of one SELECT of `operation`, and the sum
    of its SELECTs' execution times (ms), from `EXPLAIN (ANALYZE, BUFFERS)` of each.

    Buffers do not depend on the machine's load: a statement whose buffers grow between sizes
    scans more as the district grows, whatever the timings say.
    """
    import json

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
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = plan if isinstance(plan, list) else json.loads(plan)
            top = plan[0]["Plan"]
            buffers = top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
            worst = max(worst, buffers)
            total_ms += plan[0]["Execution Time"]
    return worst, total_ms


def backend_cpu_ns(pid: int) -> int:
    """Nanoseconds the PostgreSQL backend `pid` has spent on a core (Linux schedstat).

    Unlike the wall clock of a query, this does not grow while the backend waits for a core
    that other processes hold.
    """
    with open(f"/proc/{pid}/schedstat") as handle:
        return int(handle.read().split()[0])


def measure(read, backend_pid: int) -> tuple[float, float, float, int]:
    """One request: wall seconds, this process's CPU seconds, the backend's CPU seconds, and
    the number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The query log is a bounded deque: once full, CaptureQueriesContext (which subtracts
    # lengths) would count nothing. Start empty.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        db_start = backend_cpu_ns(backend_pid)
        cpu_start = time.process_time()
        wall_start = time.perf_counter()
        read()
        wall = time.perf_counter() - wall_start
        cpu = time.process_time() - cpu_start
        db = (backend_cpu_ns(backend_pid) - db_start) / 1e9
    return wall, cpu, db, len(captured)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def main() -> None:
    started = time.perf_counter()
    recreate_database()
    import datetime

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from wagtail.models import Page

    from district_site.factories import UserFactory, make_member, make_school
    from district_site.models import DISTRICT_ADMINS_GROUP
    from district_site.portal import setup_district_portal
    from school_site.models import NewsIndexPage, NewsPage
    from scoring.models import SchoolYear, rebuild_sheet_totals
    from tests.bulk_pages import bulk_news

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-admin-scale-media-")
    PROFILE_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    setup_district_portal()
    year = SchoolYear.objects.create(
        label="2025-2026",
        start_date=datetime.date(2025, 9, 1),
        end_date=datetime.date(2026, 8, 31),
    )
    schools = [make_school(f"truong-{n}") for n in range(SCHOOLS)]
    authors = {
        s.pk: [make_member(s, f"gv-{i}-{a}") for a in range(AUTHORS)] for i, s in enumerate(schools)
    }
    indexes = [NewsIndexPage.objects.child_of(s.site.root_page).get() for s in schools]
    board = make_member(schools[0], "bqt-0", board=True)
    district = UserFactory(username="phong-gd")
    district.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    clients = {"board": Client(), "district": Client()}
    clients["board"].force_login(board)
    clients["district"].force_login(district)
    host = settings.DISTRICT_BASE_DOMAIN
    named = screens(schools[0], indexes[0], schools[0].site.root_page)
    news_type = ContentType.objects.get_for_model(NewsPage)

    def fill(school_index: int, count: int, start: int) -> None:
        school = schools[school_index]
        ids = bulk_news(indexes[school_index], count, start=start, search_index=True)
        add_ledger(year, school, authors[school.pk], ids)
        add_history(authors[school.pk], ids, news_type.pk)

    results: dict[str, dict[str, dict[int, float]]] = {}
    plans: dict[str, dict[int, tuple[int, float]]] = {}
    counts: dict[str, dict[int, int]] = {}
    calls: dict[str, dict[int, int]] = {}
    filled = 0
    for size in SIZES:
        if filled == 0:
            fill(0, SECTION_POSTS, 0)
            filled = SECTION_POSTS
            # One post for each author of every other school: the district's sheets list every
            # credited author and school from the smallest size on. Without it the smallest
            # size's sheet by author had 5 rows and the larger ones a full page of 50, and the
            # ratio measured the rows on screen, not the district's pages.
            for i in range(1, SCHOOLS):
                fill(i, AUTHORS, filled)
                filled += AUTHORS
        missing = size - Page.objects.count()
        per_school, extra = divmod(max(missing, 0), SCHOOLS - 1)
        for i in range(1, SCHOOLS):
            count = per_school + (1 if i <= extra else 0)
            if count:
                fill(i, count, filled)
                filled += count
        # COPY went behind the ledger's model: derive the district sheet's totals, which the
        # ledger's own writes keep current, before measuring the sheets.
        rebuild_sheet_totals()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        pages = Page.objects.count()
        print(f"\n{pages} pages ({time.perf_counter() - started:.0f} s), {load()}", flush=True)
        reads = {}
        for name, (who, path, params) in named.items():

            def read(who=who, path=path, params=params):
                response = clients[who].get(path, params, HTTP_HOST=host)
                assert response.status_code == 200, (path, response.status_code)

            read()  # warm the caches (site root paths, templates, roles)
            reads[name] = read
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend_pid = cursor.fetchone()[0]
        samples: dict[str, list[tuple[float, float, float, int]]] = {n: [] for n in reads}
        order = list(reads)
        for round_number in range(READS):
            # Interleaved: one request of every screen per round, each round starting one
            # screen further, so a change of the machine's load falls on every screen alike.
            shift = round_number % len(order)
            for name in order[shift:] + order[:shift]:
                samples[name].append(measure(reads[name], backend_pid))
        for name, read in reads.items():
            for m, metric in enumerate(METRICS):
                value = statistics.median(sample[m] for sample in samples[name])
                results.setdefault(metric, {}).setdefault(name, {})[size] = value
            counts.setdefault(name, {})[size] = int(
                statistics.median(sample[3] for sample in samples[name])
            )
            plans.setdefault(name, {})[size] = plan_cost(read)
            # Timed by this process's CPU clock, not the wall clock: the load of other
            # processes then adds nothing to a function's time (calls are counted exactly).
            profile = cProfile.Profile(time.process_time)
            profile.runcall(read)
            # Python function calls of the request: exact, whatever the load; a screen whose
            # Python work follows the district calls more functions at a larger size.
            calls.setdefault(name, {})[size] = sum(
                entry[1] for entry in pstats.Stats(profile).stats.values()
            )
            profile.dump_stats(
                PROFILE_DIR / f"{name.replace(' ', '_').replace(':', '')}-{size}.pstats"
            )
            buffers, sql_ms = plans[name][size]
            print(
                f"  {name:<16} wall {results['wall'][name][size] * 1000:7.1f} ms, "
                f"python {results['python cpu'][name][size] * 1000:7.1f} ms, "
                f"db {results['db cpu'][name][size] * 1000:6.1f} ms  "
                f"{counts[name][size]:3d} queries, {calls[name][size]:7d} calls  "
                f"EXPLAIN {sql_ms:7.1f} ms, worst statement {buffers:6d} buffers",
                flush=True,
            )
        print(f"  after the reads: {load()}", flush=True)
    print(f"\n{time.perf_counter() - started:.0f} s in all; profiles in {PROFILE_DIR}")
    for metric in METRICS:
        by_screen = results[metric]
        control = by_screen[CONTROL][SIZES[-1]] / by_screen[CONTROL][SIZES[0]]
        print(
            f"\n{metric}: median per request (ms), {READS} interleaved reads; "
            "ratio = largest size / smallest; vs control = ratio / the control's ratio"
        )
        print(
            f"{'screen':<17}"
            + "".join(f"{s:>10,}" for s in SIZES)
            + "   ratio  vs control  queries       target"
        )
        for name, by_size in by_screen.items():
            ratio = by_size[SIZES[-1]] / by_size[SIZES[0]]
            row = "".join(f"{by_size[s] * 1000:10.1f}" for s in SIZES)
            n = "/".join(str(counts[name][s]) for s in SIZES)
            verdict = "met" if ratio <= 1.5 and ratio / control <= 1.5 else "NOT met"
            print(f"{name:<17}{row}{ratio:8.2f}{ratio / control:12.2f}  {n:<13} {verdict}")
    print("\nPython function calls of one request (cProfile; exact, whatever the load)")
    print(f"{'screen':<17}" + "".join(f"{s:>10,}" for s in SIZES) + "   ratio")
    for name, by_size in calls.items():
        row = "".join(f"{by_size[s]:10d}" for s in SIZES)
        print(f"{name:<17}{row}{by_size[SIZES[-1]] / by_size[SIZES[0]]:8.2f}")
    print("\nEXPLAIN (ANALYZE, BUFFERS) of every SELECT of one request: the worst statement's")
    print("buffers (shared hit + read) / the SELECTs' summed execution time (ms)")
    print(f"{'screen':<17}" + "".join(f"{s:>16,}" for s in SIZES))
    for name, by_size in plans.items():
        row = "".join(f"{by_size[s][0]:>8d} /{by_size[s][1]:6.1f}" for s in SIZES)
        print(f"{name:<17}{row}")


if __name__ == "__main__":
    main()
