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
1. The newest live, public matches in scope, at most MAX_RANKED + 1 (newest: the highest page
   id, the most recently created), each with its id, first publication and rank: 1 query,
   with the view restrictions as a subquery. It replaces the count: a very common word
   ("hội", in a third of the district's 20,000 pages) is not counted to the last page, the
   visitor reads "Hơn 1.000 kết quả". For such a word PostgreSQL walks the pages newest first
   and stops there; for a rarer one it reads the matches from the full-text indexes and finds
   each one's page by primary key (home/search_backend.py, `newest_matches`: a join on the
   page's id). The rank (ts_rank, or bm25 on SQLite) is computed for the rows returned only.
2. Those rows sorted in Python, the best rank first, then the newest: the order a ranked SQL
   query gave, without a second query that fetched every candidate again.
3. The fields one page of results shows (title, address, date, intro): 1 query, the four
   kinds' tables joined on the page's ids; 1 more per other page type among them (a section's
   index, a home page).
So with more than MAX_RANKED matches the results are the newest MAX_RANKED, the best first;
with fewer (nearly every search of a school's site) they are all the matches, the best first.
"""

from __future__ import annotations

import datetime
import functools
import operator
from dataclasses import dataclass

from django import forms
from django.contrib.contenttypes.models import ContentType
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
# Sorts a page with no first_published_at after every dated one (the SQL's NULLS LAST).
_NO_DATE = datetime.datetime.min.replace(tzinfo=datetime.UTC)

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


def _snippet_text(fields: dict) -> str:
    for name in ("intro", "summary", "search_description"):
        text = strip_tags(fields.get(name) or "").strip()
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
    # Step 1 (module docstring): the newest matches, one more than we rank, to know whether
    # there are more, each with its rank. Ordered by id alone so that PostgreSQL can walk the
    # primary key backwards and stop; an order on first_published_at would sort every match
    # first. The rank is computed for the rows returned only (home/search_backend.py).
    rows = backend.newest_matches(pages, text, limit=MAX_RANKED + 1)
    capped = len(rows) > MAX_RANKED
    ranked = _best_first(rows[:MAX_RANKED])
    paginator = _CountedPaginator(ranked, per_page, count=len(ranked))
    page = paginator.get_page(page_number)
    # Step 2: the fields this page of results shows, for its ids only.
    results = _results(list(page.object_list), scope=scope, words=words)
    return SearchResults(query=query, words=words, page=page, results=results, capped=capped)


def _best_first(rows: list[tuple[int, datetime.datetime | None, float | None]]) -> list[int]:
    """The ids of (id, first_published_at, rank) rows, the best rank first, then the newest.

    The order the ranked SQL query gave (`rank DESC NULLS LAST, first_published_at DESC NULLS
    LAST, id DESC`), in Python: the rows are at most MAX_RANKED, already fetched with their
    rank, so sorting them here saves a second query that would fetch them all again. Python's
    sort is stable: sorting by the last key first gives the same order as the three keys.
    """
    ordered = sorted(rows, key=lambda row: row[0], reverse=True)
    ordered.sort(key=lambda row: (row[1] is not None, row[1] or _NO_DATE), reverse=True)
    ordered.sort(key=lambda row: (row[2] is not None, row[2] or 0.0), reverse=True)
    return [row[0] for row in ordered]


# The four kinds' own fields, read with the page's columns in one query (a LEFT JOIN per kind
# on its primary key, for the few ids of one results page): "newspage__date", ...
_PAGE_FIELDS = ("id", "title", "path", "url_path", "content_type_id", "search_description")
_OWN_FIELDS = ("date", "intro", "summary")


def _own_fields(model: type[Page]) -> list[str]:
    names = {field.name for field in model._meta.get_fields()}
    return [name for name in _OWN_FIELDS if name in names]


def _results(ids: list[int], *, scope: SiteScope, words: tuple[str, ...]) -> list[SearchResult]:
    """The results for `ids` (one page of them, best first): 1 query, plus 1 per other page type.

    Plain values rather than Wagtail's `.specific()`, which reads the pages, then each page
    type's table, and builds a model instance of each: here the four kinds' fields come with
    the page's own columns in a single query. A page of another type (a section's index, a
    school's home page: their `intro` is all a snippet needs) costs one query for its type.
    The scope's filter stays on: a school's results are sealed twice, and it costs nothing.
    """
    if not ids:
        return []
    kinds = [model for _label, model in KINDS.values()]
    joined = [f"{model._meta.model_name}__{name}" for model in kinds for name in _own_fields(model)]
    rows = {
        row["id"]: row
        for row in Page.objects.filter(id__in=ids)
        .filter(scope.search_filter())
        .order_by()  # Page's default order (path): the order is `ids`'
        .values(*_PAGE_FIELDS, *joined)
    }
    models = {row["content_type_id"]: _page_model(row["content_type_id"]) for row in rows.values()}
    own: dict[int, dict] = {}
    for content_type_id, model in models.items():
        if model in kinds:
            prefix = f"{model._meta.model_name}__"
            for row in rows.values():
                if row["content_type_id"] == content_type_id:
                    own[row["id"]] = {name: row[prefix + name] for name in _own_fields(model)}
        elif model is not None and (fields := _own_fields(model)):
            of_type = [pk for pk, row in rows.items() if row["content_type_id"] == content_type_id]
            for values in model.objects.filter(pk__in=of_type).values("pk", *fields):
                own[values.pop("pk")] = values
    results = []
    for pk in ids:
        row = rows.get(pk)
        if row is None:  # not in scope (cannot happen: every id passed the scope's filter)
            continue
        fields = {"search_description": row["search_description"], **own.get(pk, {})}
        results.append(
            SearchResult(
                title=row["title"],
                url=scope.url_for(path=row["path"], url_path=row["url_path"]),
                date=fields.get("date"),
                snippet=highlight_snippet(_snippet_text(fields), words, max_words=SNIPPET_WORDS),
                site_name=scope.site_for_path(row["path"]).label,
                kind=KIND_LABELS.get(models[row["content_type_id"]], ""),
            )
        )
    return results


def _page_model(content_type_id: int) -> type[Page] | None:
    # ContentType's manager caches every content type it has read: no query after the first.
    return ContentType.objects.get_for_id(content_type_id).model_class()
