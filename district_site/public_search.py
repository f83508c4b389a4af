"""The public search at /search/, through Wagtail's search backend.

A school's site searches its own live, public pages; the district portal searches its own and
every active school's, in one query on the index (no loop over schools). Matching, ranking and
accent folding are the backend's (home/search_backend.py on PostgreSQL, home/search_backend_sqlite.py
on SQLite, home/search_fold.py for the folding; docs/search-indexing.md):
- whole words, accent-insensitive ("truong" finds "Trường", "doi" finds "Đội"), every word
  required, the last one also as a prefix ("tuyen si" finds "tuyển sinh");
- ranked by relevance, a title match above a body match, the newest first among equals.
Filters: the kind of content (news, documents, lectures, albums) and the school year of the
date shown on the page (1 September to 31 August).

How a search runs, and its queries (none of them grows with the number of pages or schools):
1. The ids of the newest live, public matches in scope, at most MAX_RANKED + 1 (newest: the
   highest page id, the most recently created): 1 query, with the view restrictions as a
   subquery. It replaces the count: a very common word ("hội", in a third of the district's
   20,000 pages) is not counted to the last page, the visitor reads "Hơn 1.000 kết quả".
   PostgreSQL walks the pages newest first and stops there.
2. One page of results, ranked by relevance among those ids only (ts_rank or bm25 for at most
   MAX_RANKED rows, not for every page that contains "hội"): 1 query, none when nothing matched.
3. Each result's own fields (date, intro): 1 query per page type among the results.
So with more than MAX_RANKED matches the results are the newest MAX_RANKED, the best first;
with fewer (nearly every search of a school's site) they are all the matches, the best first.
"""

from __future__ import annotations

import datetime
import functools
import operator
from dataclasses import dataclass

from django import forms
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from district_site.public_reads import SiteScope
from home.search_fold import highlight_snippet, search_words
from home.visibility import live_public
from school_site.models import GalleryPage, LecturePage, NewsPage, OfficialDocumentPage

RESULTS_PER_PAGE = 10
# Matches ranked and listed at most: the newest ones when a word is that common.
MAX_RANKED = 1000
# A query is a few words typed into a box; longer input only makes the SQL longer.
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 10
SNIPPET_WORDS = 40
SCHOOL_YEARS_OFFERED = 6

# The kinds a visitor can filter by: URL value -> (label, page type).
KINDS: dict[str, tuple[str, type[Page]]] = {
    "tin-bai": ("Tin, bài", NewsPage),
    "van-ban": ("Văn bản", OfficialDocumentPage),
    "bai-giang": ("Bài giảng", LecturePage),
    "album-anh": ("Album ảnh", GalleryPage),
}
KIND_LABELS = {model: label for label, model in KINDS.values()}


def school_year_of(date: datetime.date) -> int:
    """The starting year of the school year `date` falls in (a school year starts 1 September)."""
    return date.year if date.month >= 9 else date.year - 1


def school_year_span(start_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 8, 31)


def school_year_choices(today: datetime.date | None = None) -> list[tuple[str, str]]:
    """The current school year and the previous ones, newest first: ("2025-2026", "2025–2026")."""
    current = school_year_of(today or timezone.localdate())
    years = range(current, current - SCHOOL_YEARS_OFFERED, -1)
    return [(f"{year}-{year + 1}", f"{year}–{year + 1}") for year in years]


class SearchForm(forms.Form):
    """What the search page's form sends; an invalid filter is refused with a message."""

    q = forms.CharField(required=False, label="Từ khóa")
    loai = forms.ChoiceField(
        required=False,
        label="Loại nội dung",
        error_messages={"invalid_choice": "Loại nội dung không hợp lệ."},
    )
    nam_hoc = forms.ChoiceField(
        required=False,
        label="Năm học",
        error_messages={"invalid_choice": "Năm học không hợp lệ."},
    )

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loai"].choices = [("", "Tất cả")] + [
            (value, label) for value, (label, _model) in KINDS.items()
        ]
        self.fields["nam_hoc"].choices = [("", "Mọi năm học")] + school_year_choices(today)


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    date: datetime.date | None
    snippet: SafeString  # escaped text with the matched words in <mark>
    site_name: str
    kind: str  # "Tin, bài", "Văn bản"...; "" for other pages


@dataclass(frozen=True)
class SearchResults:
    query: str
    words: tuple[str, ...]
    page: PaginatorPage | None  # None when the query has no words
    results: list[SearchResult]
    # More than MAX_RANKED matches: `count` is MAX_RANKED, the newest of them.
    capped: bool = False

    @property
    def count(self) -> int:
        return self.page.paginator.count if self.page is not None else 0

    @property
    def count_label(self) -> str:
        """The count as the page shows it: Vietnamese groups thousands with a dot ("1.000")."""
        return f"{self.count:,}".replace(",", ".")


class _CountedPaginator(Paginator):
    """A Paginator told its count (len of the matched ids) rather than asking the database."""

    def __init__(self, object_list, per_page: int, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def query_words(query: str) -> tuple[str, ...]:
    """The folded words of a query, as the index stores them, each once, at most ten."""
    words = search_words((query or "")[:MAX_QUERY_LENGTH])
    return tuple(dict.fromkeys(words))[:MAX_QUERY_WORDS]


def _school_year_q(start_year: int, models: list[type[Page]]) -> Q:
    # `date` is not a field of Page (the candidates' query is on Page, for every kind at
    # once): select the ids of the pages of each kind in play dated in that school year.
    start, end = school_year_span(start_year)
    conditions = [
        Q(id__in=model.objects.filter(date__range=(start, end)).order_by().values("pk"))
        for model in models
    ]
    return functools.reduce(operator.or_, conditions)


def _snippet_text(page: Page) -> str:
    for attribute in ("intro", "summary", "search_description"):
        text = strip_tags(getattr(page, attribute, "") or "").strip()
        if text:
            return text
    return ""


def search_pages(
    *,
    query: str,
    scope: SiteScope,
    kind: str = "",
    school_year: str = "",
    page_number: int | str | None = 1,
    per_page: int = RESULTS_PER_PAGE,
) -> SearchResults:
    """One page of results for `query` in `scope`; `kind` and `school_year` as SearchForm cleans them."""
    words = query_words(query)
    if not words:
        return SearchResults(query=query, words=words, page=None, results=[])
    # Live and under no view restriction, as one SQL condition (home/visibility.py) rather
    # than Wagtail's `.public()`, which first reads every restriction in the district: the
    # candidates are a plain queryset, not Wagtail's search, so a subquery is allowed here.
    pages = live_public(Page.objects.all()).filter(scope.search_filter())
    models = [model for _label, model in KINDS.values()]
    if kind:
        models = [KINDS[kind][1]]
        pages = pages.type(*models)
    if school_year:
        pages = pages.filter(_school_year_q(int(school_year.split("-")[0]), models))
    text = " ".join(words)
    backend = get_search_backend()
    # Step 1 (module docstring): the newest matches' ids, one more than we rank, to know
    # whether there are more. Ordered by id alone so that PostgreSQL can walk the primary key
    # backwards and stop; an order on first_published_at would sort every match first.
    newest = (backend.filter_matches(pages, text).order_by("-pk").values_list("pk", flat=True))[
        : MAX_RANKED + 1
    ]
    ids = list(newest)
    capped = len(ids) > MAX_RANKED
    ids = ids[:MAX_RANKED]
    # Step 2: rank those ids only. They already passed every filter; the scope's stays on
    # all the same (a school's search is sealed twice, and it costs nothing). Each result's
    # own fields (date, intro) come with it: one query per page type on the results page,
    # StreamFields (the bodies) left unread.
    candidates = Page.objects.filter(id__in=ids).filter(scope.search_filter())
    ranked = backend.order_by_relevance(candidates, text).defer_streamfields().specific()
    paginator = _CountedPaginator(ranked if ids else ranked.none(), per_page, count=len(ids))
    page = paginator.get_page(page_number)
    results = []
    for result in page.object_list if ids else []:
        results.append(
            SearchResult(
                title=result.title,
                url=scope.url_for(path=result.path, url_path=result.url_path),
                date=getattr(result, "date", None),
                snippet=highlight_snippet(_snippet_text(result), words, max_words=SNIPPET_WORDS),
                site_name=scope.site_for_path(result.path).label,
                kind=KIND_LABELS.get(type(result), ""),
            )
        )
    return SearchResults(query=query, words=words, page=page, results=results, capped=capped)
