"""The sitemap of one site: its live, public pages, nothing of any other school."""

from __future__ import annotations

import datetime
import functools

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from wagtail.models import Site

from district_site.public_reads import (
    SiteScope,
    single_site_scope,
    sitemap_pages,
)
from home.views import site_or_404


class SitePagesSitemap(Sitemap):
    """The request's site and its live, public descendants, in a constant number of queries.

    A plain Django sitemap, built for one request (`SitePagesSitemap(request)`). Wagtail's own
    `Sitemap` lists the same pages with `.specific()` (one query per page type) and asks every
    page for `get_sitemap_urls()`, which looks up every site's root path. No page type here
    overrides `get_sitemap_urls()`, so we read the pages as plain rows and build their URLs
    from `url_path`: one query for private sections, one count, one page of rows.
    """

    def __init__(self, request: HttpRequest):
        self.request = request

    def get_wagtail_site(self) -> Site:
        # Never Wagtail's fallback to the default site: there is none, on purpose.
        site = site_or_404(self.request)
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


def sitemap(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml of the request's site (Django's sitemap view, given a per-request sitemap)."""
    return sitemap_views.sitemap(request, {"pages": SitePagesSitemap(request)})
