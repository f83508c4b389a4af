"""Reads behind the public search, the RSS feed and the sitemap: plain typed functions.

Accent-insensitive search. Vietnamese visitors often type without diacritics ("truong" for
"Trường"), and Wagtail's database search backend compares the words as typed, so it finds
nothing. Every page keeps an accent-free, lower-case copy of its searchable text in
`BasePage.search_text` (see `home.models`); we strip the query the same way and require every
word to occur in that column.

`search_text` lives on each concrete page type's own table, so `Page.objects` cannot filter on
it. We run one SELECT per concrete `BasePage` subclass, each already filtered (live, public, in
scope, matching) and reduced to the same columns, and glue them with UNION ALL. Counting and
fetching one page of results are then one query each, whatever the number of results, page
types or schools.

Scope. A school's site reads only the pages under its own root. The district portal (the one
Site without a School) reads its own pages and every active school's; archived schools drop out.
A site's root page sits at depth 2, so the first `SITE_ROOT_PATH_LENGTH` characters of a page's
treebeard path name the site it belongs to.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Length, Substr
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Page, Site

from district_site.models import School
from district_site.selectors import SITE_ROOT_PATH_LENGTH, UnderSiteRoot
from home.models import BasePage
from home.text import strip_accents

RESULTS_PER_PAGE = 10
FEED_LENGTH = 20
# A query is a few words typed into a box; longer input only makes the SQL longer.
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 10
SNIPPET_WORDS = 40

# The columns every branch of the UNION selects, in this order.
_COLUMNS = (
    "r_id",
    "r_title",
    "r_path",
    "r_url_path",
    "r_date",
    "r_intro",
    "r_description",
    "r_rank",
)


@dataclass(frozen=True)
class SiteScope:
    """The sites whose pages one public request may list."""

    site: Site  # the request's own site; its results get relative links
    sites: tuple[Site, ...]  # every site in scope, with `root_page` loaded
    is_district: bool

    @functools.cached_property
    def _sites_by_root_path(self) -> dict[str, Site]:
        return {s.root_page.path: s for s in self.sites}

    def filter(self, queryset: QuerySet) -> QuerySet:
        """Keep only the pages of `queryset` that live under a site in scope."""
        if not self.is_district:
            return queryset.filter(path__startswith=self.site.root_page.path)
        # A subquery rather than a list of paths: the SQL stays the same size however many
        # schools the district has. UnderSiteRoot explains why it is an array on PostgreSQL.
        return queryset.filter(UnderSiteRoot(district_sites().order_by().values("root_page__path")))

    def site_for_path(self, path: str) -> Site:
        return self._sites_by_root_path.get(path[:SITE_ROOT_PATH_LENGTH], self.site)

    def site_label(self, site: Site) -> str:
        school = school_of_site(site)
        return school.name if school is not None else site.site_name

    def url_for(self, *, path: str, url_path: str, absolute: bool = False) -> str:
        """The page's URL from its `url_path`, without Wagtail's per-request site-root lookup.

        `url_path` is the page's slugs from the tree root ("/th-a/tin-tuc/bai-1/"); a site
        serves its root page at "/", so we drop the root's own part.
        """
        site = self.site_for_path(path)
        relative = "/" + url_path[len(site.root_page.url_path) :]
        if absolute or site.pk != self.site.pk:
            return site.root_url + relative
        return relative


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    date: datetime.date | None
    snippet: str
    site_name: str


@dataclass(frozen=True)
class SearchResults:
    query: str
    words: tuple[str, ...]
    page: PaginatorPage | None  # None when the query has no words
    results: list[SearchResult]

    @property
    def count(self) -> int:
        return self.page.paginator.count if self.page is not None else 0


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


def site_of_request(request: HttpRequest) -> Site | None:
    # Returns the Site SchoolSiteMiddleware resolved (None for an unknown host), else finds it.
    return Site.find_for_request(request)


def scope_for_site(site: Site) -> SiteScope:
    """A school's site reads its own pages; the district portal reads all active sites'."""
    if school_of_site(site) is not None:
        return SiteScope(site=site, sites=(site,), is_district=False)
    return SiteScope(site=site, sites=tuple(district_sites()), is_district=True)


def single_site_scope(site: Site) -> SiteScope:
    """Only `site`'s own pages, even on the portal (a sitemap lists one host's URLs)."""
    return SiteScope(site=site, sites=(site,), is_district=False)


def query_words(query: str) -> tuple[str, ...]:
    """The accent-free, lower-case words of a query, as `BasePage.search_text` stores them."""
    words = strip_accents((query or "")[:MAX_QUERY_LENGTH]).split()
    # Keep the first occurrence of each word, in order.
    return tuple(dict.fromkeys(words))[:MAX_QUERY_WORDS]


@functools.cache
def searchable_page_models() -> tuple[type[BasePage], ...]:
    """Concrete page types that carry `search_text`, each with its own table.

    A concrete subclass of another concrete page type is skipped: its pages already appear
    in the parent type's table and would otherwise be listed twice.
    """
    candidates = [
        model
        for model in apps.get_models()
        if issubclass(model, BasePage) and not model._meta.abstract and not model._meta.proxy
    ]
    return tuple(
        model
        for model in sorted(candidates, key=lambda m: m._meta.label)
        if not any(issubclass(parent, BasePage) for parent in model._meta.get_parent_list())
    )


def public_page_q() -> Q:
    """Wagtail's `.public()` condition, built once (one query) and reused by every branch."""
    return ~Page.objects.all().private_q()


def _field_or(model: type[models.Model], name: str, default: Cast) -> F | Cast:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return default
    return F(name)


def _search_branch(
    model: type[BasePage], *, words: Sequence[str], scope: SiteScope, public_q: Q
) -> QuerySet:
    queryset = scope.filter(model.objects.live().filter(public_q))
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    # `search_text` begins with the page's title, and stripping accents keeps the length of
    # Vietnamese text, so its first len(title) characters are the accent-free title.
    queryset = queryset.annotate(
        r_title_key=Substr("search_text", 1, Length("title")),
    )
    title_hit = Q()
    for word in words:
        title_hit &= Q(r_title_key__contains=word)
    # Typed constants: PostgreSQL resolves a UNION's column types pair by pair, so two bare
    # NULLs in a row would be taken for text and then clash with a later branch's dates.
    no_date = Cast(Value(None), models.DateField())
    no_intro = Cast(Value(""), models.TextField())
    return (
        queryset.annotate(
            r_id=F("id"),
            r_title=F("title"),
            r_path=F("path"),
            r_url_path=F("url_path"),
            r_date=_field_or(model, "date", no_date),
            r_intro=_field_or(model, "intro", no_intro),
            r_description=F("search_description"),
            r_rank=Case(When(title_hit, then=Value(0)), default=Value(1)),
        )
        .values(*_COLUMNS)
        # Page's default ordering ("path") is not allowed inside a UNION.
        .order_by()
    )


def search_queryset(*, words: Sequence[str], scope: SiteScope) -> QuerySet:
    """Rows (dicts of `_COLUMNS`) of every live, public page in scope matching all `words`.

    Title matches come first, then the newest by the page's displayed date, then the newest
    pages by id. No words, no rows.
    """
    if not words:
        return Page.objects.none()
    public_q = public_page_q()
    branches = [
        _search_branch(model, words=words, scope=scope, public_q=public_q)
        for model in searchable_page_models()
    ]
    combined = branches[0].union(*branches[1:], all=True)
    return combined.order_by("r_rank", F("r_date").desc(nulls_last=True), "-r_id")


def _snippet(row: dict) -> str:
    text = strip_tags(row["r_intro"] or "").strip() or (row["r_description"] or "").strip()
    return Truncator(" ".join(text.split())).words(SNIPPET_WORDS)


def search_pages(
    *,
    query: str,
    scope: SiteScope,
    page_number: int | str | None = 1,
    per_page: int = RESULTS_PER_PAGE,
) -> SearchResults:
    """One page of search results. Queries: 1 for private sections, 1 count, 1 rows."""
    words = query_words(query)
    if not words:
        return SearchResults(query=query, words=words, page=None, results=[])
    paginator = Paginator(search_queryset(words=words, scope=scope), per_page)
    page = paginator.get_page(page_number)
    rows = list(page.object_list) if paginator.count else []
    results = []
    for row in rows:
        site = scope.site_for_path(row["r_path"])
        results.append(
            SearchResult(
                title=row["r_title"],
                url=scope.url_for(path=row["r_path"], url_path=row["r_url_path"]),
                date=row["r_date"],
                snippet=_snippet(row),
                site_name=scope.site_label(site),
            )
        )
    return SearchResults(query=query, words=words, page=page, results=results)


def _pubdate(date: datetime.date, published_at: datetime.datetime | None) -> datetime.datetime:
    # The displayed date is what the school chose; keep the publishing time when it is that
    # same day, so items of one day keep their order in feed readers.
    if published_at is not None and timezone.localdate(published_at) == date:
        return published_at
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time()))


def latest_news(*, scope: SiteScope, limit: int = FEED_LENGTH) -> list[FeedItem]:
    """The newest live, public news items in scope. Queries: 1 for private sections, 1 rows."""
    from school_site.models import NewsPage

    rows = (
        scope.filter(NewsPage.objects.live().filter(public_page_q()))
        .order_by("-date", F("first_published_at").desc(nulls_last=True), "-id")
        .values("title", "intro", "date", "first_published_at", "path", "url_path")[:limit]
    )
    items = []
    for row in rows:
        site = scope.site_for_path(row["path"])
        items.append(
            FeedItem(
                title=row["title"],
                url=scope.url_for(path=row["path"], url_path=row["url_path"], absolute=True),
                description=row["intro"] or "",
                pubdate=_pubdate(row["date"], row["first_published_at"]),
                site_name=scope.site_label(site),
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
