"""Benchmark: what one school's score sheet and the district's sheet read as the ledger grows.

Not a test, and no timings to trust: it prints, for each sheet, the `EXPLAIN (ANALYZE, BUFFERS)`
of every SELECT the selectors run (the worst statement's buffers, shared hit + read, which the
machine's load does not move, and the SELECTs' summed execution time), at each ledger size.
PostgreSQL only; it DROPS and re-creates the database named in DATABASE_URL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_sheets_bench \\
        .venv/bin/python benchmarks/sheet_plans.py

Environment: BENCH_SIZES (ledger rows, default "10000,100000"), BENCH_SCHOOLS (200).

At each size the ledger is emptied and loaded again: school 0 always holds the same 500 rows
(five authors, two groups, every kind), every further row goes to the other 199 schools, and
all of them are spread over the year and written in time order, as a district really writes,
so school 0's rows lie scattered over the whole heap among everyone else's. Rows are loaded
with COPY, then the sheet totals are rebuilt (what the ledger's own writes keep current, when
the rebuild exists) and the tables vacuumed and analysed, as autovacuum would.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/h_sheets_bench")

from benchmarks.write_scale import recreate_database  # noqa: E402

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,100000").split(",")]
SCHOOLS = int(os.environ.get("BENCH_SCHOOLS", "200"))
SCHOOL0_ROWS = 500
AUTHORS = 5
KINDS = ["news", "article", "document", "lecture", "gallery"]
FEB_20, FEB_28 = datetime.date(2026, 2, 20), datetime.date(2026, 2, 28)


def plan_cost(operation) -> tuple[int, float, list[str]]:
    """Worst buffers of one SELECT, the SELECTs' summed execution time (ms), and the scans."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        operation()
    worst, total_ms, scans = 0, 0.0, []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            # A UNION (the district's dated sheet) starts with "(SELECT" on PostgreSQL.
            if not sql.lstrip("( ").upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = plan if isinstance(plan, list) else json.loads(plan)
            top = plan[0]["Plan"]
            buffers = top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
            worst = max(worst, buffers)
            total_ms += plan[0]["Execution Time"]
            stack = [top]
            while stack:
                node = stack.pop()
                if "Scan" in node["Node Type"] and node.get("Relation Name", "").startswith(
                    "scoring_"
                ):
                    scans.append(
                        f"{node['Node Type']} {node.get('Index Name', node['Relation Name'])}"
                    )
                stack.extend(node.get("Plans", []))
    return worst, total_ms, sorted(set(scans))


def main() -> None:
    recreate_database()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from district_site.factories import make_school
    from school_site.models import ContributorGroup
    from scoring import models as scoring_models
    from scoring import selectors
    from scoring.models import SchoolYear

    call_command("migrate", verbosity=0)
    year = SchoolYear.objects.create(
        label="2025-2026", start_date=datetime.date(2025, 9, 1), end_date=datetime.date(2026, 8, 31)
    )
    # Schools through the factory would take minutes at 200; a handful of real ones is enough
    # for the sheets, which only name the school by id. School 0 is real (its site, its name).
    school0 = make_school("truong-0")
    school_ids = [school0.pk] + [school0.pk + 10_000 + n for n in range(SCHOOLS - 1)]
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"gv-{s}-{a}", first_name=str(a), last_name="Giáo viên")
        for s in range(SCHOOLS)
        for a in range(AUTHORS)
    )
    groups = [ContributorGroup.objects.create(school=school0, name=f"Tổ {g}").pk for g in range(2)]
    rng = random.Random(16)
    start = timezone.make_aware(datetime.datetime(2025, 9, 1))
    seconds = 364 * 86400
    loaded = {"page": 1_000_000}

    def load(total: int) -> None:
        """An emptied ledger, then `total` rows, 500 of them school 0's."""
        with connection.cursor() as cursor:
            # The ledger refuses DELETE; TRUNCATE is a whole-table reset (migration 0002).
            cursor.execute("TRUNCATE scoring_creditevent CASCADE")
            # The totals too, when they exist: rebuilt below, without the dead rows a DELETE
            # would leave for the next size's sequential scan to read.
            cursor.execute(
                "SELECT string_agg(tablename, ', ') FROM pg_tables WHERE tablename IN"
                " ('scoring_sheettotal', 'scoring_schoolmonthtotal')"
            )
            totals = cursor.fetchone()[0]
            if totals:
                cursor.execute(f"TRUNCATE {totals}")
        mine = SCHOOL0_ROWS
        events = []
        for n in range(total):
            school = 0 if n < mine else rng.randrange(1, SCHOOLS)
            at = start + datetime.timedelta(seconds=rng.randrange(seconds))
            events.append((at, school))
        events.sort()  # the heap in time order: every school's rows interleaved
        buffer = io.StringIO()
        for at, school in events:
            loaded["page"] += 1
            author = users[school * AUTHORS + rng.randrange(AUTHORS)].pk
            kind = KINDS[loaded["page"] % len(KINDS)]
            group = groups[loaded["page"] % 2] if school == 0 else "\\N"
            buffer.write(
                f"earned\t{year.pk}\t{school_ids[school]}\t{loaded['page']}\tBài\t{kind}\t"
                f"{author}\t{group}\t1\t1.00\t0\t\\N\t{at.isoformat()}\t\tf\n"
            )
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                "COPY scoring_creditevent (kind, school_year_id, school_id, page_id, page_title,"
                " content_kind, author_id, contributor_group_id, pages, points, bonus_points,"
                " actor_id, created_at, reason, after_freeze) FROM STDIN",
                buffer,
            )

    operations = {
        "school sheet by author": lambda: selectors.score_sheet(
            school_year=year, by="author", school_id=school0.pk
        ),
        "school sheet by group": lambda: selectors.score_sheet(
            school_year=year, by="group", school_id=school0.pk
        ),
        "school sheet by school": lambda: selectors.score_sheet(
            school_year=year, by="school", school_id=school0.pk
        ),
        "school monthly chart": lambda: selectors.monthly_totals(
            school_year=year, school_id=school0.pk
        ),
        "school sheet, Oct-Nov": lambda: selectors.score_sheet(
            school_year=year,
            by="author",
            school_id=school0.pk,
            start=datetime.date(2025, 10, 1),
            end=datetime.date(2025, 11, 30),
        ),
        "district by school": lambda: selectors.score_sheet(school_year=year, by="school"),
        "district by author": lambda: selectors.score_sheet(school_year=year, by="author"),
        "district monthly": lambda: selectors.monthly_totals(school_year=year),
        # Between two dates (the report's "từ ngày / đến ngày"): partial months at both edges,
        # crossing the calendar year; whole months only; a range inside one month.
        "district school 15/10-20/2": lambda: selectors.score_sheet(
            school_year=year, by="school", start=datetime.date(2025, 10, 15), end=FEB_20
        ),
        "district author 15/10-20/2": lambda: selectors.score_sheet(
            school_year=year, by="author", start=datetime.date(2025, 10, 15), end=FEB_20
        ),
        "district chart 15/10-20/2": lambda: selectors.monthly_totals(
            school_year=year, start=datetime.date(2025, 10, 15), end=FEB_20
        ),
        "district author 1/10-28/2": lambda: selectors.score_sheet(
            school_year=year, by="author", start=datetime.date(2025, 10, 1), end=FEB_28
        ),
        "district author 3/11-25/11": lambda: selectors.score_sheet(
            school_year=year,
            by="author",
            start=datetime.date(2025, 11, 3),
            end=datetime.date(2025, 11, 25),
        ),
    }
    results: dict[str, dict[int, tuple]] = {}
    for size in SIZES:
        load(size)
        rebuild = getattr(scoring_models, "rebuild_sheet_totals", None)
        if rebuild is not None:
            # The trigger kept the totals during the COPY, but one transaction of 100,000
            # upserts on the same few thousand rows leaves a table of dead versions that no
            # district's real writes (one page at a time, vacuumed) would: emptied and
            # derived again, so the totals' buffers are those of a vacuumed table.
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE scoring_sheettotal, scoring_schoolmonthtotal")
            rebuild()
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"\n{size:,} ledger rows", flush=True)
        for name, operation in operations.items():
            operation()  # warm
            worst, ms, scans = plan_cost(operation)
            results.setdefault(name, {})[size] = (worst, ms)
            print(f"  {name:<28} {worst:6d} buffers {ms:8.1f} ms  {', '.join(scans)}", flush=True)
    print("\nworst statement's buffers / SELECTs' summed execution time (ms)")
    print(f"{'sheet':<28}" + "".join(f"{s:>18,}" for s in SIZES))
    for name, by_size in results.items():
        print(f"{name:<28}" + "".join(f"{b:>9d} /{ms:7.1f}" for b, ms in by_size.values()))


if __name__ == "__main__":
    main()
