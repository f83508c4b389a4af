"""Purging nginx's or a CDN's copies of a site's pages, when its cached pages go stale.

The page cache (home/page_cache.py) drops a whole site's pages at once when something it shows
changes; a proxy in front of it (nginx's `proxy_cache`, a CDN) keeps its own copies for up to
PAGE_CACHE_BROWSER_SECONDS. With `WAGTAILFRONTENDCACHE` configured (settings: only when
FRONTEND_CACHE_PURGE_URL is set, see docs/deploy.md), the same events also send that proxy a
purge of every URL of the site: `PURGE http://<host>/*`, which nginx's cache-purge module reads
as "every key that starts with this host" and a CloudFront invalidation as every path.

Wagtail's `purge_urls_from_cache` queues its own background task (django-tasks), so neither an
editor's save nor a slow proxy holds up a request; it is called after the commit, so the proxy
never fetches the old content again before the change is visible.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

# Every URL of a host: a trailing "*" is a prefix match for ngx_cache_purge and CloudFront.
EVERY_PATH = "/*"


def is_configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def host_urls(hostnames: Iterable[str]) -> list[str]:
    scheme = getattr(settings, "FRONTEND_CACHE_PURGE_SCHEME", "https")
    return [
        f"{scheme}://{host}{EVERY_PATH}" for host in sorted({h.lower() for h in hostnames if h})
    ]


def purge_hosts(hostnames: Iterable[str]) -> None:
    """After the commit, queue a purge of every page of these hostnames (nothing if unset)."""
    if not is_configured():
        return
    urls = host_urls(hostnames)
    if not urls:
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    transaction.on_commit(lambda: purge_urls_from_cache(urls))
