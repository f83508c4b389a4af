"""Resolve the Site (and its School) of every public request, usually without a query."""

from __future__ import annotations

import pickle

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import translation
from wagtail.models import Page, Site
from wagtail.views import serve as wagtail_serve

from district_site.version import app_version
from home.models import KNOWN_UNRESTRICTED_ATTR
from home.page_cache import (
    SITE_BUNDLE_ATTR,
    SITE_BUNDLE_DIRTY_ATTR,
    SiteBundle,
    fragment_key,
    fragments_enabled,
    get_fragment,
    keep_in_site_bundle,
    set_fragment,
)
from home.templatetags.site_tags import attach_branding

# Paths that are not a site's public pages: the admin works from any district hostname.
NON_SITE_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/", "/__")
# Part of the site bundle's key, with the code's version: raise it when the bundle's shape
# changes, so a checkout that is not committed yet never reads an older shape either.
BUNDLE_FORMAT = 3


class SchoolSiteMiddleware:
    """Serve a public request only from a known, active site.

    Wagtail falls back to the "default site" for a hostname it does not know, which in a
    multi-school install would show some other school's pages. We never mark a default site,
    and here answer 404 for unknown hostnames and for archived schools. The lookup also
    fetches the School and sets `request._wagtail_site`, the attribute that
    `Site.find_for_request` caches on, so Wagtail does not query the site a second time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(NON_SITE_PREFIXES):
            return self.get_response(request)
        # The schools' and the portal's pages are in Vietnamese for every visitor: Django's and
        # Wagtail's own texts on them (a password form, a field error) follow, not the browser's
        # Accept-Language, and the page cache keeps one copy per page (home/page_cache.py).
        # LocaleMiddleware, above, still picks the admin's language from the browser.
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        site = find_site(request)
        # Wagtail's private cache (see the docstring): Wagtail 8.0.1 has no public way to
        # give a request its site, and without it every tag and view would query it again.
        request._wagtail_site = site
        if site is None:
            raise Http404("Không có trang web nào ở địa chỉ này.")
        school = getattr(site, "school", None)
        request.school = school
        if school is not None and not school.is_active:
            raise Http404("Trang web của trường này đã ngừng hoạt động.")
        response = self.get_response(request)
        if getattr(request, SITE_BUNDLE_DIRTY_ATTR, False):
            # Built by this request, or a site-wide fragment was added to it while rendering.
            set_fragment(request._site_bundle_key, getattr(request, SITE_BUNDLE_ATTR))
        return response


def find_site(request) -> Site | None:
    """The request's Site, from its site bundle when the cache holds it, else the database.

    The bundle (home/page_cache.SiteBundle) holds the Site with its School; for a request
    Wagtail will route, the root page already in its specific class (what Wagtail's router
    starts from; otherwise one query per request for the root's `specific` row), marked
    unrestricted when it is (its two view restriction queries, home/models.BasePage); the
    branding with the logo, banner and their renditions (added by `site_branding`); and the
    site-wide fragments (menu rows, header, footer) that rendering adds. Each piece is added by
    the first request that needs it, so a feed or robots.txt builds no more than it uses.

    It is kept with the page cache's per-host tokens (home/page_cache.py, as a fragment, so
    FRAGMENT_CACHE_ENABLED=false switches it off too): whatever makes a site's pages stale
    (publishing, unpublishing, moving or deleting a page, a view restriction, a branding,
    School or Site change, an image edit: district_site/cache_invalidation.py and
    media_invalidation.py) replaces the token, so the next request reads the rows again. An
    unknown hostname is not cached (a new Site replaces every token anyway). The running
    code's version is part of the key: a deploy never unpickles another version's objects.
    """
    hostname = request.get_host().split(":")[0].lower()
    port = int(request.get_port() or 80)
    if not fragments_enabled():
        return _query_site(hostname, port)
    key = fragment_key(request, hostname, "site", port, BUNDLE_FORMAT, app_version())
    bundle = get_fragment(key)
    if bundle is None:
        site = _query_site(hostname, port)
        if site is None:
            return None
        bundle = SiteBundle()
    else:
        # Fresh objects for every request: whatever rendering leaves on them (the branding's
        # request, cached properties) never reaches the copy that is stored again.
        site = pickle.loads(bundle.objects["site"])  # noqa: S301 - our cache, our bytes
    request._site_bundle_key = key
    setattr(request, SITE_BUNDLE_ATTR, bundle)
    if "site" not in bundle.objects:
        keep_in_site_bundle(request, "site", site)
    if _served_by_wagtail(request):
        site.root_page = _root_page(request, site, bundle)
    if "branding" in bundle.objects:
        attach_branding(request, pickle.loads(bundle.objects["branding"]))  # noqa: S301
    return site


def _served_by_wagtail(request) -> bool:
    """Whether the path goes to Wagtail's page view (not the feed, sitemap, search...)."""
    try:
        return resolve(request.path_info).func is wagtail_serve
    except Resolver404:
        return False


def _root_page(request, site: Site, bundle: SiteBundle) -> Page:
    """The site's root page in its specific class, marked unrestricted when it is.

    Page.route_for_request starts from `site.root_page.localized.specific`, which an
    instance of the specific class answers without a query (Wagtail's SpecificMixin returns
    it as it is). Whether the root is restricted is asked only when the root itself is
    served (the home): for a deeper page Wagtail checks the page's ancestors itself.
    """
    objects = bundle.objects
    root = pickle.loads(objects["root"]) if "root" in objects else site.root_page.specific  # noqa: S301
    if "root" not in objects:
        keep_in_site_bundle(request, "root", root)
    if request.path_info == "/" and "root_unrestricted" not in objects:
        keep_in_site_bundle(request, "root_unrestricted", not root.get_view_restrictions().exists())
    if "root_unrestricted" in objects and pickle.loads(objects["root_unrestricted"]):  # noqa: S301
        setattr(root, KNOWN_UNRESTRICTED_ATTR, True)
    return root


def _query_site(hostname: str, port: int) -> Site | None:
    candidates = list(Site.objects.select_related("school", "root_page").filter(hostname=hostname))
    if not candidates:
        return None
    for site in candidates:
        if site.port == port:
            return site
    return candidates[0]
