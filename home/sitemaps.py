"""The sitemap of one site: its live, public pages, nothing of any other school."""

from __future__ import annotations

import datetime
import functools

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import QuerySet
from django.http import Http404
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Site

from home.search import SiteScope, single_site_scope, site_of_request, sitemap_pages


class SitePagesSitemap(WagtailSitemap):
    """Wagtail's site-aware sitemap, with the same pages in a constant number of queries.

    Wagtail's own `Sitemap.items()` lists the request's site root and its live, public
    descendants with `.specific()`, which costs one query per page type, and asks every page
    for `get_sitemap_urls()`, which looks up every site's root path. No page type here
    overrides `get_sitemap_urls()`, so we read the same pages as plain rows and build their
    URLs from `url_path`: one query for private sections, one count, one page of rows.
    """

    def get_wagtail_site(self) -> Site:
        # Never Wagtail's fallback to the default site: there is none, on purpose.
        site = site_of_request(self.request)
        if site is None:
            raise Http404("Không có trang web nào ở địa chỉ này.")
        return site

    @functools.cached_property
    def scope(self) -> SiteScope:
        return single_site_scope(self.get_wagtail_site())

    def items(self) -> QuerySet:
        return sitemap_pages(site=self.scope.site)

    def location(self, item: dict) -> str:
        # A path: Django's sitemap view prefixes the request's scheme and host.
        return self.scope.url_for(path=item["path"], url_path=item["url_path"])

    def lastmod(self, item: dict) -> datetime.datetime | None:
        return item["last_published_at"] or item["latest_revision_created_at"]

    # Wagtail's `_urls` calls `page.get_sitemap_urls()` on page objects; our items are rows,
    # so use Django's, which calls `location()` and `lastmod()` above.
    _urls = DjangoSitemap._urls
