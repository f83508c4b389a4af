"""deploy/gunicorn.conf.py's hooks.

worker_exit: a worker leaving normally (recycled after
max_requests, or stopped) skips Python's teardown of the heap it shares with the master
(docs/scaling.md: ~0.6 s per recycled worker, during which it serves nothing); one that failed
to boot or crashed exits as Python does, with its status, which gunicorn reads.

Each case runs in its own interpreter, as a gunicorn worker would, with the hook called from the
`finally` around the worker's exit exactly as gunicorn's arbiter calls it. An atexit handler
stands for the teardown: it runs only when the interpreter finalises normally.

when_ready: the master imports the Redis client before it forks the workers, so a new worker's
first page-cache hit does not import it (docs/scaling.md, "Recycled workers").
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

SCRIPT = """
import atexit, logging, os, runpy, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "district_site.settings.test"
import django
django.setup()
hook = runpy.run_path("deploy/gunicorn.conf.py")["worker_exit"]

class Worker:
    booted = {booted}

handler = logging.StreamHandler(sys.stdout)
logging.getLogger("probe").addHandler(handler)
atexit.register(print, "teardown ran")
try:
    logging.getLogger("probe").warning("last words of the worker")
    sys.exit({status})
finally:
    hook(None, Worker())
"""


def run_worker(*, booted: bool, status) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT.format(booted=booted, status=status)],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("status", [0, None])
def test_a_recycled_worker_exits_at_once_with_its_logs_flushed(status):
    result = run_worker(booted=True, status=status)
    assert result.returncode == 0, result.stderr
    assert "last words of the worker" in result.stdout
    assert "teardown ran" not in result.stdout


# gunicorn's worker exits with 3 when it could not boot, -1 (255) after an unexpected error.
@pytest.mark.parametrize(
    ("booted", "status", "code"), [(False, 3, 3), (True, -1, 255), (True, 1, 1)]
)
def test_a_failed_boot_or_a_crash_exits_as_usual_with_its_status(booted, status, code):
    result = run_worker(booted=booted, status=status)
    assert result.returncode == code, result.stderr
    assert "teardown ran" in result.stdout


IMPORTS = """
import os, runpy, sys
hook = runpy.run_path("deploy/gunicorn.conf.py")["when_ready"]
assert "redis" not in sys.modules
hook(None)
print("redis" in sys.modules)
"""


@pytest.mark.parametrize(
    ("redis_url", "imported"), [("redis://127.0.0.1:6379/0", "True"), ("", "False")]
)
def test_the_master_imports_the_redis_client_before_forking(redis_url, imported):
    env = {**os.environ, "REDIS_URL": redis_url}
    result = subprocess.run(
        [sys.executable, "-c", IMPORTS],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == imported
