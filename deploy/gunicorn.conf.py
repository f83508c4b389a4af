"""gunicorn settings for the portal (deploy/systemd/district-portal.service).

Every value can be overridden from the environment file, so one file serves a 2-core school
server and a larger province machine. See docs/scaling.md for the measured figures behind the
defaults.
"""

import logging
import multiprocessing
import os
import sys

# nginx talks to gunicorn over loopback; never expose this port.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: Django's ORM and Wagtail are synchronous; one request per worker at a time.
# 2 x cores + 1 is gunicorn's rule of thumb for I/O-bound Django (database round trips).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# An admin CSV import or an xlsx score sheet can take a while; a public page never should.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so slow memory growth (Pillow, large querysets) never piles up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
# Spread over a quarter of that, so that workers started together are not replaced together.
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 4))
# Load the app once in the master and fork: workers share its memory pages (copy-on-write).
preload_app = True
# Django writes JSON request lines itself (district_site/logging.py); gunicorn's access log
# would only repeat them. Errors still go to stderr, which journald keeps.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind nginx on the same host: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "district-portal"


def when_ready(server):
    """Import in the master what Django imports lazily on a worker's first request.

    With preload_app the workers are forks of the master, so whatever it imported they have
    already; anything imported on first use is imported again by every new worker (and a
    recycled worker is a new one). The Redis client (redis-py) alone takes ~0.1 s to import,
    paid by the first page-cache hit of each worker: most of the p99 left after the exit hook
    below. Importing a module opens no connection, so nothing is shared across the fork.
    """
    if os.environ.get("REDIS_URL"):
        import django.core.cache.backends.redis  # noqa: F401
        import redis  # noqa: F401


def worker_exit(server, worker):
    """A worker that leaves normally (recycled after max_requests, or stopped) exits at once.

    Why: the workers are forked from a master that loaded Django and Wagtail (preload_app), so
    they share its memory pages until they write to them. Python's normal exit frees every
    object, and each reference count it lowers writes to a shared page: the kernel copies about
    a hundred megabytes and the exit takes ~0.6 s, during which that worker serves
    nothing. Measured with 2 workers replaced every 1,000 requests (docs/scaling.md): p90
    350 ms and p99 600 ms on a cached page, against 2.3 ms and 56 ms with this hook.

    What a normal exit would still do is done here: close the database connections, send
    what Sentry holds and flush the logs. A worker that failed to boot or crashed exits as
    before: gunicorn reads its exit status to stop a master whose workers cannot start.
    """
    leaving = sys.exc_info()[1]
    if not (worker.booted and isinstance(leaving, SystemExit) and leaving.code in (0, None)):
        return
    try:
        from django.db import connections

        connections.close_all()
        import sentry_sdk

        sentry_sdk.flush(timeout=2)
    finally:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
