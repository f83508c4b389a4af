"""The production-shaped stack of tests/ops/stack.py, started for a benchmark script.

`running_stack()` creates the PostgreSQL database, migrates, collects the static files, seeds
the whole demo, and starts nginx, two gunicorn app servers (deploy/gunicorn.conf.py, production
settings plus the ceiling view of benchmarks/urls.py) and the worker; everything is stopped on
exit. BENCH_REUSE=1 keeps the database and the media/static folder under /tmp for the next run
and skips migrate and the seed when they are already there (a benchmark is run several times
while a change is tuned; the seed alone takes minutes on a loaded machine).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dj_database_url  # noqa: E402
import psycopg2  # noqa: E402

from tests.ops.stack import Stack, create_database, drop_database, prepare, seed  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/h_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
REUSE_DIR = Path(tempfile.gettempdir()) / "district-bench-stack"


def admin_parts(url: str) -> dict:
    parsed = dj_database_url.parse(url)
    return {
        "user": parsed.get("USER") or None,
        "password": parsed.get("PASSWORD") or None,
        "host": parsed.get("HOST") or None,
        "port": parsed.get("PORT") or None,
    }


def _seeded(url: str) -> bool:
    parsed = urlparse(url)
    try:
        conn = psycopg2.connect(dbname=parsed.path.lstrip("/"), **admin_parts(url))
    except psycopg2.OperationalError:
        return False
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT to_regclass('district_site_school') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return False
            cursor.execute("SELECT count(*) FROM district_site_school")
            return cursor.fetchone()[0] > 0
    finally:
        conn.close()


@contextmanager
def running_stack(*, redis_db_url: str | None = None) -> Iterator[Stack]:
    """A started stack with the demo seeded; `stack.seed_info` lists its sites."""
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = redis_db_url or os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    reuse = os.environ.get("BENCH_REUSE") == "1"
    parts = admin_parts(url)
    if reuse:
        REUSE_DIR.mkdir(exist_ok=True)
        tmp = REUSE_DIR
    else:
        tmp = Path(tempfile.mkdtemp(prefix="district-bench-"))
    stack = Stack(
        tmp=tmp, database_url=url, redis_url=redis_url, settings_module="benchmarks.settings"
    )
    timings = {}
    try:
        if reuse and _seeded(url) and (stack.static / "staticfiles.json").exists():
            stack.seed_info = seed(stack, "demo")
        else:
            create_database(parts, urlparse(url).path.lstrip("/"))
            timings = prepare(stack, "demo")
        # A fresh cache: nothing cached by an earlier run, no stale page-cache tokens.
        stack.manage("shell", "-c", "from django.core.cache import cache; cache.clear()")
        started = time.monotonic()
        stack.start()
        timings["start"] = time.monotonic() - started
        print("stack ready:", {k: f"{v:.0f} s" for k, v in timings.items()}, flush=True)
        yield stack
    finally:
        stack.stop()
        if not reuse:
            drop_database(parts, urlparse(url).path.lstrip("/"))
