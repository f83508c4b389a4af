"""Render public pages again right after a change made them stale, so visitors never wait for it.

A publish replaces the site's page-cache token (home/page_cache.py): every cached page, fragment
and the site bundle of that site are stale at once. Without this module the first visitor after
a publish pays for everything (the site lookup, the branding, the menu, the home's listings and
the template): about 48 times the CPU of a trivial view (docs/scaling.md), and that first visitor
is often many at once, when the post is shared to the parents' Zalo group. Here the background
worker renders the pages a change shows on (the site's home, the changed page and its section,
the portal's home) as an anonymous visitor right after the commit, which stores them in the page
cache and refills the site's bundle and fragments that every other page of the site uses.

How a page is rendered: through Django's own request handler and the whole middleware stack
(`BaseHandler.get_response`), with a request made only of the site's root URL and the path, no
cookie and no credentials. So the page cache's own rules decide what is stored: nothing under a
view restriction (its answer is a login redirect or a password form), no error page, nothing
that set a cookie. Nothing is rendered that an anonymous visitor could not fetch. Not
`WSGIHandler.__call__`: its `request_started`/`request_finished` signals would close the
worker's database connection. The key is the visitor's: the same scheme and Host as the Site's
root URL (`Site.root_url`, what Wagtail builds links with); the public pages have one language.

When: one task per transaction, queued when it commits (a rolled-back change queues nothing),
however many pages it changed; PAGE_CACHE_WARM switches it off (tests, dev; production.py turns it
on). In the worker it waits at most the worker's interval (1 s, deploy/systemd).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from io import BytesIO
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection, transaction
from django_tasks import task

from home.page_cache import STATUS_HEADER

logger = logging.getLogger(__name__)

# After mail (home.tasks.MAIL_PRIORITY, 50), ahead of Wagtail's index updates (0): the pages of
# a publish should be ready before its first readers arrive.
WARM_PRIORITY = 40

_handler: BaseHandler | None = None


def warming_enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE_WARM", False)) and bool(
        getattr(settings, "PAGE_CACHE_ENABLED", True)
    )


def _get_handler() -> BaseHandler:
    global _handler
    if _handler is None:
        handler = BaseHandler()
        handler.load_middleware()
        _handler = handler
    return _handler


def _as_visitors_open_it(url: str) -> str:
    """`url` with the scheme visitors end up on.

    Sites are saved with port 80 (SITE_PORT, deploy/env.example) behind nginx terminating TLS,
    so Wagtail's root URLs say http://; with SECURE_SSL_REDIRECT every visitor is sent to
    https://, and the page cache keys their requests so.
    """
    parts = urlsplit(url)
    if parts.scheme == "http" and getattr(settings, "SECURE_SSL_REDIRECT", False):
        netloc = parts.hostname or ""
        if parts.port not in (None, 80):
            netloc += f":{parts.port}"
        parts = parts._replace(scheme="https", netloc=netloc)
    return parts.geturl()


def visitor_environ(url: str) -> dict:
    """The WSGI environ of an anonymous GET of `url` as a visitor's browser sends it through
    nginx (benchmarks/public_cpu.py times pages with it too)."""
    parts = urlsplit(_as_visitors_open_it(url))
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path or "/",
        "QUERY_STRING": parts.query,
        "SERVER_NAME": parts.hostname or "",
        "SERVER_PORT": str(port),
        "HTTP_HOST": parts.netloc,
        "wsgi.url_scheme": parts.scheme or "http",
        "wsgi.input": BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": "district-portal page warm-up",
    }
    if secure:
        # What nginx adds in front of the app servers (SECURE_PROXY_SSL_HEADER in production).
        environ["HTTP_X_FORWARDED_PROTO"] = "https"
    return environ


def warm_pages(urls: Iterable[str]) -> dict[str, str]:
    """Request each absolute URL once as an anonymous visitor; what the page cache did with it.

    "miss" means rendered and stored, "hit" already stored, "" not stored (not a page the cache
    may keep, or not 200). A failing page is logged and the others are still warmed: warming
    only saves a visitor's time, it never decides what they see.
    """
    handler = _get_handler()
    outcome = {}
    for url in urls:
        try:
            response = handler.get_response(WSGIRequest(visitor_environ(url)))
        except Exception:
            logger.exception("Warming %s failed", url)
            outcome[url] = ""
            continue
        outcome[url] = response.get(STATUS_HEADER, "") if response.status_code == 200 else ""
    return outcome


@task(priority=WARM_PRIORITY)
def warm_pages_task(urls: list[str]) -> dict[str, str]:
    return warm_pages(urls)


_PENDING_ATTR = "_page_warm_pending"


def _first_to_warm(urls: set[str]) -> list[str]:
    """The URLs of one warm-up, shallowest first, at most PAGE_CACHE_WARM_MAX_PAGES.

    Homes first (every visitor's way in; the first render also refills the site's bundle that
    the site's other pages use), then sections, then posts. A bulk change (an import of a few
    hundred posts) warms its sites' homes and sections, not every post: the worker's time goes
    to the pages most read, and the mail queued behind it does not wait minutes.
    """
    limit = int(getattr(settings, "PAGE_CACHE_WARM_MAX_PAGES", 50))
    ordered = sorted(urls, key=lambda url: (urlsplit(url).path.count("/"), url))
    if len(ordered) > limit:
        logger.info("Warming %d of the %d pages a change made stale", limit, len(ordered))
    return ordered[:limit]


class _PendingWarm:
    """The URLs collected in the current transaction for one warm-up task."""

    def __init__(self, urls: set[str]) -> None:
        self.urls = urls
        self.superseded = False

    def __call__(self) -> None:
        if getattr(connection, _PENDING_ATTR, None) is self:
            setattr(connection, _PENDING_ATTR, None)
        if not self.superseded:
            warm_pages_task.enqueue(urls=_first_to_warm(self.urls))


def warm_after_commit(urls: Iterable[str]) -> None:
    """Queue a warm-up of `urls` when the current transaction commits (at once without one).

    All calls in one transaction share one task: a bulk change (a section with its pages
    deleted, an import) queues one job, not one per page. It runs after every on-commit
    callback registered before the last call, such as the page cache's token replacements
    (home/page_cache.invalidate_hosts), so the pages are stored under the final tokens even
    with the immediate backend. Django drops the on-commit callbacks on rollback, and the URLs
    collected for them are forgotten with them.
    """
    if not warming_enabled():
        return
    urls = {url for url in urls if url}
    if not urls:
        return
    previous = getattr(connection, _PENDING_ATTR, None)
    if previous is not None and any(entry[1] is previous for entry in connection.run_on_commit):
        previous.superseded = True
        urls |= previous.urls
    pending = _PendingWarm(urls)
    setattr(connection, _PENDING_ATTR, pending)
    transaction.on_commit(pending)
