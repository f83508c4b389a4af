"""RSS of each site's latest news; on the district portal, of every active school's."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest

from district_site.public_reads import (
    FEED_LENGTH,
    FeedItem,
    SiteScope,
    latest_news,
    scope_for_site,
)
from home.views import site_or_404


class LatestNewsFeed(Feed):
    """RSS 2.0 of the newest live, public news items of the request's site.

    The item links are absolute URLs of the site each item belongs to, so the portal's feed
    links straight to the schools' own sites.
    """

    def get_object(self, request: HttpRequest, *args, **kwargs) -> SiteScope:
        site = site_or_404(request)
        return scope_for_site(site)

    def title(self, scope: SiteScope) -> str:
        return f"Tin mới – {scope.site_label(scope.site)}"

    def link(self, scope: SiteScope) -> str:
        return scope.site.root_url + "/"

    def description(self, scope: SiteScope) -> str:
        if scope.is_district:
            return f"Tin, bài mới nhất của {scope.site_label(scope.site)} và các trường trực thuộc."
        return f"Tin, bài mới nhất của {scope.site_label(scope.site)}."

    def items(self, scope: SiteScope) -> list[FeedItem]:
        return latest_news(scope=scope, limit=FEED_LENGTH)

    def item_title(self, item: FeedItem) -> str:
        return item.title

    def item_link(self, item: FeedItem) -> str:
        return item.url

    def item_description(self, item: FeedItem) -> str:
        return item.description

    def item_pubdate(self, item: FeedItem) -> datetime.datetime:
        return item.pubdate

    def item_author_name(self, item: FeedItem) -> str:
        # The school that published the item: useful on the portal's combined feed.
        return item.site_name
