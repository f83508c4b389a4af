"""Health checks for nginx, a load balancer or systemd: `/healthz` and `/readyz`.

They are answered by a middleware placed first in MIDDLEWARE, not by a URL pattern, because a
check must work on any Host header (load balancers often probe by IP address) and over plain
HTTP behind a TLS-terminating proxy:

- nothing before it calls `request.get_host()`, so ALLOWED_HOSTS never refuses a probe, and no
  SchoolSiteMiddleware answers 404 for a hostname that is not a school;
- SecurityMiddleware's HTTPS redirect, sessions, CSRF and ATOMIC_REQUESTS never run for it;
- the answer is JSON and `Cache-Control: no-store`, so no proxy cache keeps a stale "ok".

`/healthz` says only "this process answers" (no database: a restart would not cure a database
outage, so liveness must not depend on it). `/readyz` says "this process can serve": database,
cache, media storage and no unapplied migrations; 503 when any fails, so the load balancer
sends traffic elsewhere.
"""

from __future__ import annotations

import logging
import time
import uuid

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"

# Once the database has no unapplied migration for this code, it cannot get one back without a
# deploy, and a deploy restarts the process; so a process checks the migration plan until it
# first finds it empty (reading every migration file costs ~100 ms), then no more.
_migrations_known_applied = False


def _no_store(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = "no-store, max-age=0"
    return response


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    value = cache.get(key)
    cache.delete(key)
    if value != "1":
        raise RuntimeError("cache did not return the value just written")


def check_storage() -> None:
    # A read, not a write: probing every few seconds must not fill the bucket or the disk. On
    # S3 this is one HEAD request; on disk one stat. Any answer (True or False) proves the
    # storage is reachable and the credentials are accepted.
    default_storage.exists("readyz-probe")


def check_migrations() -> None:
    global _migrations_known_applied
    if _migrations_known_applied:
        return
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} unapplied migration(s)")
    _migrations_known_applied = True


READY_CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
    "migrations": check_migrations,
}


def healthz() -> JsonResponse:
    return _no_store(JsonResponse({"status": "ok"}))


def readyz() -> JsonResponse:
    results = {}
    ok = True
    for name, check in READY_CHECKS.items():
        started = time.monotonic()
        try:
            check()
        except Exception as exc:  # any failure means "not ready"; the reason goes to the log
            ok = False
            logger.warning("readyz: %s check failed: %s", name, exc)
            # The class name only: the message may contain a hostname or a user name, and
            # /readyz answers anyone.
            results[name] = {"ok": False, "error": type(exc).__name__}
        else:
            results[name] = {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}
    body = {"status": "ok" if ok else "unavailable", "checks": results}
    return _no_store(JsonResponse(body, status=200 if ok else 503))


class HealthCheckMiddleware:
    """Answer the two health paths before any other middleware sees the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            if request.path_info == HEALTH_PATH:
                return healthz()
            if request.path_info == READY_PATH:
                return readyz()
        return self.get_response(request)
