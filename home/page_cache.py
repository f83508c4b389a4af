"""Whole-page cache of the public sites for anonymous visitors, with per-host generations.

Why our own middleware: `wagtail-cache` 3.0.0 (the newest release) requires `wagtail<8.0`, and
Django's `UpdateCacheMiddleware`/`FetchFromCacheMiddleware` pair has no way to invalidate one
site's pages when something on them changes. This module is the small piece both lack.

How a page is keyed and invalidated
-----------------------------------
Every key contains two *generation tokens*: one for the request's hostname and one global.
Invalidating a site means replacing its hostname's token (`invalidate_hosts`); every key built
with the old token is never looked up again and simply expires (or is evicted by Redis).
Compared with deleting keys, this needs no index of "which URLs did this site cache" (Redis
`KEYS`/`SCAN` is slow and the locmem cache has none), is a single cache write per event, and
covers every URL of the site (listings, pagination, filters, RSS, sitemap) without knowing
which of them show the changed page. Listing only the affected URLs would be more precise but
fragile: a news item appears on the home, the news index and its pages, the category filters,
the feed, the sitemap and the portal's aggregates. Publishing is rare compared to reading, so
re-rendering one site's pages after a publish costs little.

A token is a random string, not a counter: if Redis evicts a token, the new one cannot
coincide with an older one, so an evicted token never resurrects stale pages.

The global token is replaced when something that every site may show changes (a Site's
hostname, for instance); see district_site/cache_invalidation.py for the receivers.

What is never cached
--------------------
- requests other than GET/HEAD, paths outside the public sites (admin, previews, static, media,
  documents, which Wagtail serves with its own privacy checks) and /search/ (a new key for
  every query typed; search is not a page the visitor shares);
- requests carrying a session cookie (a logged-in user, or one who passed a page's password)
  or Django's messages cookie; such requests are not even looked up;
- responses other than 200, responses that set a cookie, responses that used the CSRF token
  (a cached page would hand one visitor's token to everyone), previews, and responses that
  vary on a request header other than Cookie and Accept-Language. `Vary: Cookie` itself is
  accepted: SessionMiddleware adds it whenever the template asks for `request.user` (the
  Wagtail userbar does on every page); the request had no session cookie, so the page was
  rendered for an anonymous visitor and is the same for every cookieless request.
- Not part of the key: the visitor's Accept-Language. The public sites are in Vietnamese for
  everyone (district_site/middleware.py activates LANGUAGE_CODE on them, whatever the browser
  asks), so a parent whose phone is set to English reads the same stored copy.
- pages under a view restriction: Wagtail answers an anonymous request for them with a login
  redirect (not 200) or a password form (which uses the CSRF token); a visitor who got past
  the restriction carries a session cookie. So their content can never be stored.

Fragments
---------
`fragment_key` keys a piece of a page (a school home's listings, the portal's news and
schools, the rows of a site's menu) with the same two tokens, the site's hostname and the
language, so whatever makes a site's pages stale makes its fragments stale too, and no site can
ever read another's fragment.
Unlike a whole page, a fragment also serves requests the page cache passes by (a logged-in
teacher, a visitor with a session cookie, PAGE_CACHE_ENABLED=false); it may hold only what is
the same for every visitor of the site (listings of live, unrestricted pages), never anything
that depends on the user, the CSRF token or the query string. FRAGMENT_CACHE_ENABLED=false
switches fragments off alone. home/templatetags/fragment_tags.py is the template side.

Headers for nginx or a CDN: a stored page goes out with `Cache-Control: public, max-age=60`
(PAGE_CACHE_BROWSER_SECONDS), so a proxy's staleness after a publish is bounded by a minute; the
server-side copy lives up to PAGE_CACHE_SECONDS but is invalidated at once. Responses to
requests with a session cookie get `private, no-store` unless the view chose its own header.
"""

from __future__ import annotations

import hashlib
import pickle
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import cc_delim_re, patch_cache_control

# Not public site pages (compare district_site.middleware.NON_SITE_PREFIXES, which this layer
# may not import), plus search.
UNCACHED_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/", "/__", "/search/")
ACCEPTED_VARY = {"cookie", "accept-language"}
GLOBAL_TOKEN_KEY = "pagecache:token:*"
STATUS_HEADER = "X-Page-Cache"


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 600))


def _fragment_seconds() -> int:
    return int(getattr(settings, "FRAGMENT_CACHE_SECONDS", 24 * 3600))


def _browser_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_BROWSER_SECONDS", 60))


def _host_token_key(hostname: str) -> str:
    return f"pagecache:token:{hostname.lower()}"


def _tokens(hostname: str) -> tuple[str, str]:
    """The global and the host's current tokens, creating missing ones (one round trip)."""
    cache = _cache()
    keys = [GLOBAL_TOKEN_KEY, _host_token_key(hostname)]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # add(): if two requests race, both end up with whichever token was stored first.
            cache.add(key, uuid.uuid4().hex, timeout=None)
            found[key] = cache.get(key)
    return found[GLOBAL_TOKEN_KEY], found[keys[1]]


def _replace_tokens(keys: list[str]) -> None:
    _cache().set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)


def invalidate_hosts(hostnames: Iterable[str]) -> None:
    """Make every cached page of these hostnames stale, now and again after the commit.

    Now: later requests in this transaction, and tests, see the change. After the commit:
    a visitor's request that read the old rows while the change was not yet committed may
    have stored the old page under the new token; replacing the token once more drops it.
    """
    keys = sorted({_host_token_key(h) for h in hostnames if h})
    if not keys:
        return
    _replace_tokens(keys)
    transaction.on_commit(lambda: _replace_tokens(keys))


def invalidate_all() -> None:
    """Make every cached page of every site stale (now and after the commit, as above)."""
    _replace_tokens([GLOBAL_TOKEN_KEY])
    transaction.on_commit(lambda: _replace_tokens([GLOBAL_TOKEN_KEY]))


def is_cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if not getattr(settings, "PAGE_CACHE_ENABLED", True):
        return False
    if request.path.startswith(UNCACHED_PREFIXES):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return True


def is_cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if getattr(request, "is_preview", False):
        return False
    if response.has_header("Cache-Control"):
        # The view decided for itself (e.g. private or no-cache): respect it.
        return False
    if response.has_header("Vary"):
        varies = {v.strip().lower() for v in cc_delim_re.split(response["Vary"]) if v.strip()}
        if not varies <= ACCEPTED_VARY:
            return False
    return True


def page_key(request: HttpRequest) -> str:
    host = request.get_host().lower()
    global_token, host_token = _tokens(host.split(":")[0])
    language = settings.LANGUAGE_CODE
    url = f"{request.scheme}://{host}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"pagecache:page:{global_token}:{host_token}:{language}:{digest}"


def fragments_enabled() -> bool:
    return bool(getattr(settings, "FRAGMENT_CACHE_ENABLED", True))


def fragment_key(request: HttpRequest, hostname: str, *parts) -> str:
    """Key of a fragment of `hostname`'s pages named by `parts` (one cache round trip).

    `hostname` is the resolved Site's, as `invalidate_hosts` receives it, not the request's
    Host header (which may carry a port or other letter case).
    """
    hostname = hostname.lower()
    # One round trip per request for the tokens, however many fragments the page shows.
    memo = request.__dict__.setdefault("_fragment_tokens", {})
    if hostname not in memo:
        memo[hostname] = _tokens(hostname)
    global_token, host_token = memo[hostname]
    language = settings.LANGUAGE_CODE
    name = ":".join(str(part) for part in parts)
    return f"pagecache:fragment:{global_token}:{host_token}:{hostname}:{language}:{name}"


# A site's own fragments (its menu rows, header and footer) travel with its site bundle
# (district_site/middleware.py): one cache read for all of them instead of one each. The
# middleware puts the bundle on the request under this name and stores it again after the
# response when a fragment was added to it (the request then carries SITE_BUNDLE_DIRTY_ATTR).
SITE_BUNDLE_ATTR = "_site_bundle"
SITE_BUNDLE_DIRTY_ATTR = "_site_bundle_dirty"


@dataclass
class SiteBundle:
    """What every page of one site needs first, cached with its tokens under one key.

    `objects` maps a name ("site", "root", "branding", ...) to a pickled object, kept as bytes
    so each request unpickles fresh objects and the bundle can be stored again unchanged after
    they were used; they are added by the first request that needs each one. `fragments` maps
    a site-wide fragment's name to its HTML or rows.
    """

    objects: dict = field(default_factory=dict)
    fragments: dict = field(default_factory=dict)


def keep_in_site_bundle(request, name: str, obj) -> None:
    """Add a pickled copy of `obj` to the request's site bundle (stored after the response).

    Call it before the object is used: the copy must not carry what rendering leaves on it.
    Nothing is kept without a bundle, or in a preview.
    """
    bundle = getattr(request, SITE_BUNDLE_ATTR, None) if request is not None else None
    if bundle is None or getattr(request, "is_preview", False):
        return
    bundle.objects[name] = pickle.dumps(obj)
    setattr(request, SITE_BUNDLE_DIRTY_ATTR, True)


def site_wide_fragment(request, name: str, build):
    """The site-wide fragment `name` from the request's site bundle, else `build()`.

    Without a bundle (fragments off, a preview, an admin path) `build()` runs and nothing is
    kept. Only what is the same for every visitor of every page of the site may be kept.
    """
    bundle = getattr(request, SITE_BUNDLE_ATTR, None) if request is not None else None
    if bundle is None or getattr(request, "is_preview", False):
        return build()
    value = bundle.fragments.get(name)
    if value is None:
        value = bundle.fragments[name] = build()
        setattr(request, SITE_BUNDLE_DIRTY_ATTR, True)
    return value


def get_fragment(key: str):
    return _cache().get(key)


def set_fragment(key: str, value) -> None:
    """Store a fragment: rendered HTML, or plain data (tuples of strings and numbers)."""
    _cache().set(key, value, _fragment_seconds())


class PageCacheMiddleware:
    """Serve anonymous visitors stored copies of public pages; store what is safe to store.

    Placed right after SecurityMiddleware (see settings/base.py): its HTTPS redirect and
    headers still apply to every hit, and a hit skips everything below, including the site
    lookup, sessions and the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_cacheable_request(request):
            response = self.get_response(request)
            if request.COOKIES.get(settings.SESSION_COOKIE_NAME) and not response.has_header(
                "Cache-Control"
            ):
                # Possibly a logged-in user's page: no proxy or browser cache may keep it.
                patch_cache_control(response, private=True, no_store=True)
            return response

        key = page_key(request)
        cached = _cache().get(key)
        if cached is not None:
            content, headers = cached
            response = HttpResponse(content, status=200)
            for name, value in headers:
                response[name] = value
            response[STATUS_HEADER] = "hit"
            return response

        response = self.get_response(request)
        if request.method == "GET" and is_cacheable_response(request, response):
            patch_cache_control(response, public=True, max_age=_browser_seconds())
            headers = [(k, v) for k, v in response.items() if k != STATUS_HEADER]
            _cache().set(key, (response.content, headers), _seconds())
            response[STATUS_HEADER] = "miss"
        return response
