"""What one public request may read: its site scope, the RSS feed's and the sitemap's rows.

Plain typed functions; the search (district_site/public_search.py), the feed
(district_site/feeds.py) and the sitemap (district_site/sitemaps.py) call them. They live in
the portal layer because they know both the School registry and the school page types.

Scope. A school's site reads only the pages under its own root. The district portal (the one
Site without a School) reads its own pages and every active school's; archived schools drop out.
A site's root page sits at depth 2, so the first `SITE_ROOT_PATH_LENGTH` characters of a page's
treebeard path name the site it belongs to.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from wagtail.models import Page, Site

from district_site.models import School
from district_site.selectors import SITE_ROOT_PATH_LENGTH, UnderSiteRoot
from school_site.models import NewsPage

FEED_LENGTH = 20


@dataclass(frozen=True)
class ScopedSite:
    """What a result needs of the site it belongs to: its root, its address and its label.

    Plain values rather than a `Site` with its root `Page` and `School`: the portal's scope
    lists every active school, and building 200 Page instances (Wagtail's Page.__init__ is
    not cheap) cost more than the rest of its search page put together.
    """

    pk: int
    hostname: str
    port: int
    root_path: str
    root_url_path: str
    label: str  # the school's name, or the site's own name for the portal

    @classmethod
    def of(cls, site: Site) -> ScopedSite:
        """From a Site loaded with its root page (and school), as the middleware loads it."""
        school = school_of_site(site)
        return cls(
            pk=site.pk,
            hostname=site.hostname,
            port=site.port,
            root_path=site.root_page.path,
            root_url_path=site.root_page.url_path,
            label=school.name if school is not None else site.site_name,
        )

    @property
    def root_url(self) -> str:
        # Wagtail's own rule (http, https on 443, the port otherwise), on an unsaved Site.
        return Site(hostname=self.hostname, port=self.port).root_url


@dataclass(frozen=True)
class SiteScope:
    """The sites whose pages one public request may list."""

    site: Site  # the request's own site; its results get relative links
    sites: tuple[ScopedSite, ...]  # every site in scope
    is_district: bool
    # The portal's: root paths of the archived schools' sites, whose pages it must not list.
    excluded_roots: tuple[str, ...] = ()

    @functools.cached_property
    def _sites_by_root_path(self) -> dict[str, ScopedSite]:
        return {s.root_path: s for s in self.sites}

    @functools.cached_property
    def own(self) -> ScopedSite:
        return self._sites_by_root_path.get(self.site.root_page.path) or ScopedSite.of(self.site)

    def filter(self, queryset: QuerySet) -> QuerySet:
        """Keep only the pages of `queryset` that live under a site in scope."""
        if not self.is_district:
            return queryset.filter(path__startswith=self.site.root_page.path)
        # A subquery rather than a list of paths: the SQL stays the same size however many
        # schools the district has. UnderSiteRoot explains why it is an array on PostgreSQL.
        return queryset.filter(UnderSiteRoot(district_sites().order_by().values("root_page__path")))

    def search_filter(self) -> Q:
        """The scope as conditions on `path` and `depth` only.

        Wagtail's search backends accept filters on a page type's declared FilterFields alone
        (`path` and `depth` are Page's), so the subquery of `filter()` cannot be used there.
        A school's site: its root and below. The portal: every page below the tree root, minus
        the archived schools' sites, so the condition grows with the (rare) archived schools,
        not with the active ones.
        """
        if not self.is_district:
            return Q(path__startswith=self.site.root_page.path)
        condition = Q(depth__gt=1)
        for path in self.excluded_roots:
            condition &= ~Q(path__startswith=path)
        return condition

    def site_for_path(self, path: str) -> ScopedSite:
        return self._sites_by_root_path.get(path[:SITE_ROOT_PATH_LENGTH], self.own)

    def site_label(self, site: Site) -> str:
        school = school_of_site(site)
        return school.name if school is not None else site.site_name

    def url_for(self, *, path: str, url_path: str, absolute: bool = False) -> str:
        """The page's URL from its `url_path`, without Wagtail's per-request site-root lookup.

        `url_path` is the page's slugs from the tree root ("/th-a/tin-tuc/bai-1/"); a site
        serves its root page at "/", so we drop the root's own part.
        """
        site = self.site_for_path(path)
        relative = "/" + url_path[len(site.root_url_path) :]
        if absolute or site.pk != self.site.pk:
            return site.root_url + relative
        return relative


@dataclass(frozen=True)
class FeedItem:
    title: str
    url: str
    description: str
    pubdate: datetime.datetime
    site_name: str


def school_of_site(site: Site) -> School | None:
    # SchoolSiteMiddleware and `district_sites` load the reverse one-to-one with select_related,
    # so this reads the cache; a missing School raises an AttributeError subclass.
    return getattr(site, "school", None)


def district_sites() -> QuerySet[Site]:
    """The portal's own Site (the one without a School) and every active school's Site."""
    return (
        Site.objects.select_related("root_page", "school")
        .filter(Q(school__isnull=True) | Q(school__status=School.Status.ACTIVE))
        .order_by("root_page__path")
    )


def scope_for_site(site: Site) -> SiteScope:
    """A school's site reads its own pages; the district portal reads all active sites'.

    The portal's scope is one query: every Site's few columns that a result's link and label
    need, with its school's name and status, split here into the active ones (listed) and the
    archived schools' (excluded by the search). Values, not model instances (see ScopedSite).
    """
    if school_of_site(site) is not None:
        return SiteScope(site=site, sites=(ScopedSite.of(site),), is_district=False)
    active, archived = [], []
    rows = Site.objects.order_by("root_page__path").values_list(
        "pk",
        "hostname",
        "port",
        "site_name",
        "root_page__path",
        "root_page__url_path",
        "school__name",
        "school__status",
    )
    for pk, hostname, port, site_name, root_path, root_url_path, name, status in rows:
        if status is not None and status != School.Status.ACTIVE:
            archived.append(root_path)
            continue
        active.append(
            ScopedSite(
                pk=pk,
                hostname=hostname,
                port=port,
                root_path=root_path,
                root_url_path=root_url_path,
                label=name if status is not None else site_name,
            )
        )
    return SiteScope(
        site=site, sites=tuple(active), is_district=True, excluded_roots=tuple(archived)
    )


def single_site_scope(site: Site) -> SiteScope:
    """Only `site`'s own pages, even on the portal (a sitemap lists one host's URLs)."""
    return SiteScope(site=site, sites=(ScopedSite.of(site),), is_district=False)


def public_page_q() -> Q:
    """Wagtail's `.public()` condition, built once (one query) and reused by every branch."""
    return ~Page.objects.all().private_q()


def _pubdate(date: datetime.date, published_at: datetime.datetime | None) -> datetime.datetime:
    # The displayed date is what the school chose; keep the publishing time when it is that
    # same day, so items of one day keep their order in feed readers.
    if published_at is not None and timezone.localdate(published_at) == date:
        return published_at
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time()))


def latest_news(*, scope: SiteScope, limit: int = FEED_LENGTH) -> list[FeedItem]:
    """The newest live, public news items in scope. Queries: 1 for private sections, 1 rows."""
    rows = (
        scope.filter(NewsPage.objects.live().filter(public_page_q()))
        .order_by("-date", F("first_published_at").desc(nulls_last=True), "-id")
        .values("title", "intro", "date", "first_published_at", "path", "url_path")[:limit]
    )
    items = []
    for row in rows:
        items.append(
            FeedItem(
                title=row["title"],
                url=scope.url_for(path=row["path"], url_path=row["url_path"], absolute=True),
                description=row["intro"] or "",
                pubdate=_pubdate(row["date"], row["first_published_at"]),
                site_name=scope.site_for_path(row["path"]).label,
            )
        )
    return items


def sitemap_pages(*, site: Site) -> QuerySet:
    """Rows of every live, public page of one site, in tree order, for the sitemap."""
    scope = single_site_scope(site)
    return (
        scope.filter(Page.objects.live().filter(public_page_q()))
        .order_by("path")
        .values("path", "url_path", "last_published_at", "latest_revision_created_at")
    )
