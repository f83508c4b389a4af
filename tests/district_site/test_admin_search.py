"""A school user's admin page search (district_site.admin_scoping.PageSearch, issue 16).

On PostgreSQL it probes the search index page by page from the school's own pages
(home.search_backend, `autocomplete_matches`) instead of Wagtail's join, which reads every
match of the district. These tests prove that it shows what Wagtail's own search shows the same
user (ranked order, the other orderings, facets, counts, pagination, the filters), that school
B's pages never show in school A's search (list, facets, counts), that its query count does not
move with more schools or more matches elsewhere, and (PostgreSQL) that its statement reads no
other school's index entries. SQLite runs Wagtail's search on the school's pages: the same
tests hold there.
"""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.admin.views.pages import search
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.query import PlainText

from district_site.factories import make_member, make_school
from school_site.factories import LecturePageFactory, NewsPageFactory, OfficialDocumentPageFactory
from school_site.models import DocumentIndexPage, LectureIndexPage
from tests.bulk_pages import bulk_news
from tests.school_site.test_review_workflow import draft_news, news_index

pytestmark = pytest.mark.django_db

SEARCH = "wagtailadmin_pages:search"
RESULTS = "wagtailadmin_pages:search_results"
# Queries the equality test runs (each with the page-type filter and on page 2; two of them with
# every column ordering): one word, two words, a one-letter prefix that most of the
# filler's titles have ("học", "hội", "họp": more than one page of results), a phrase, the
# `live:` filter, and no match. Not "" (every page): Wagtail's own view lists the tree root
# too, an ancestor the school's search leaves out on purpose (nothing there to find).
QUERIES = ("giảng", "khai giảng", "h", '"khai giảng"', "live:no khai", "không có gì")
ORDERINGS = (
    None,
    "title",
    "-title",
    "latest_revision_created_at",
    "-latest_revision_created_at",
    "live",
    "-live",
)
# The page-type filter the equality test also runs (Wagtail's `content_type` parameter).
NEWS_TYPE = "school_site.newspage"


def section(school, model):
    return model.objects.child_of(school.site.root_page).get()


@pytest.fixture
def school_a_pages(two_schools, board_a, editor_a):
    """School A: news (a title with the word twice ranks first), a document, a lecture, two
    drafts and 45 filler posts (more than one page of results for "h")."""
    school_a, _school_b = two_schools
    news = news_index(school_a)
    for title in (
        "Lễ khai giảng năm học mới",
        "Khai giảng rồi lại khai giảng: hai lễ khai giảng",
        "Chuẩn bị cho ngày khai giảng",
    ):
        NewsPageFactory(parent=news, title=title, author=editor_a, publisher=board_a)
    OfficialDocumentPageFactory(
        parent=section(school_a, DocumentIndexPage),
        title="Kế hoạch tổ chức khai giảng",
        author=editor_a,
        publisher=board_a,
    )
    LecturePageFactory(
        parent=section(school_a, LectureIndexPage),
        title="Bài giảng mẫu môn Toán",
        author=editor_a,
        publisher=board_a,
    )
    draft_news(school_a, editor_a, "Bản nháp: khai mạc hội thi")
    draft_news(school_a, editor_a, "Bản nháp: khai giảng ở điểm trường lẻ")
    bulk_news(news, 45)


@pytest.fixture
def school_b_pages(two_schools):
    """School B: pages matching every query above, one of a type school A has none of
    (an album would need an image; B's lecture is the only lecture matching "khai")."""
    _school_a, school_b = two_schools
    writer = make_member(school_b, "gv_b")
    board = make_member(school_b, "bqt_b", board=True)
    NewsPageFactory(
        parent=news_index(school_b),
        title="Khai giảng bí mật của trường B",
        author=writer,
        publisher=board,
    )
    LecturePageFactory(
        parent=section(school_b, LectureIndexPage),
        title="Bài giảng khai giảng bí mật của trường B",
        author=writer,
        publisher=board,
    )
    draft_news(school_b, writer, "Bản nháp khai giảng bí mật của trường B")
    bulk_news(news_index(school_b), 45, start=1000)


def shown(context) -> dict:
    """What the search shows: the page of results, its facets and counts."""
    return {
        "ids": [page.pk for page in context["object_list"]],
        "facets": dict((content_type.pk, n) for content_type, n in context["content_types"]),
        "facet_order": [n for _content_type, n in context["content_types"]],
        "count": context["items_count"],
        "all": context["all_pages"].count(),
    }


def wagtails_own(user, params: dict) -> tuple[dict, list]:
    """Wagtail's own search view (results only) for `user`, and the pages it lists."""
    url = reverse(RESULTS)  # loads the admin's URLs, which register the page viewsets
    view = page_viewset_registry.get_by_type(Page).construct_view(
        search.SearchView, results_only=True
    )
    request = RequestFactory().get(url, params)
    request.user = user
    context = view(request).context_data
    return shown(context), list(context["object_list"])


def ours(client, params: dict, name: str = RESULTS) -> tuple[dict, list]:
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return shown(response.context), list(response.context["object_list"])


def sort_key(page, ordering: str | None):
    return getattr(page, ordering.lstrip("-")) if ordering else None


def test_a_school_users_search_shows_what_wagtails_own_search_shows(
    client, board_a, school_a_pages, school_b_pages
):
    """Same ranked order, facets, counts, pagination, page-type and live filters as Wagtail's
    own view for the same user. The column orderings have ties (Wagtail orders by the column
    alone), so there the sequence of the column's values is compared, and the pages whenever
    all the results fit on one page."""
    client.force_login(board_a)
    news_type = ContentType.objects.get_by_natural_key(*NEWS_TYPE.split("."))
    combinations = [
        {"q": q, **extra} for q in QUERIES for extra in ({}, {"content_type": NEWS_TYPE}, {"p": 2})
    ] + [
        {"q": q, "ordering": ordering, **extra}
        for q in ("h", "khai giảng")
        for ordering in ORDERINGS[1:]
        for extra in ({}, {"p": 2})
    ]
    compared = 0
    for params in combinations:
        ordering = params.get("ordering")
        expected, expected_pages = wagtails_own(board_a, params)
        got, got_pages = ours(client, params)
        assert got["count"] == expected["count"], params
        assert got["all"] == expected["all"], params
        assert got["facets"] == expected["facets"], params
        assert got["facet_order"] == sorted(got["facet_order"], reverse=True), params
        if ordering is None:
            assert got["ids"] == expected["ids"], params
        else:
            keys = [sort_key(page, ordering) for page in got_pages]
            assert keys == [sort_key(page, ordering) for page in expected_pages], params
            if got["count"] <= search.SearchView.paginate_by:
                assert sorted(got["ids"]) == sorted(expected["ids"]), params
        compared += bool(got["count"])
    # The queries found something in most combinations (the comparison is not of empty lists).
    assert compared >= len(combinations) - 3
    ranked, _pages = ours(client, {"q": "khai giảng"})
    first = Page.objects.get(pk=ranked["ids"][0])
    assert first.title == "Khai giảng rồi lại khai giảng: hai lễ khai giảng"
    assert ranked["facets"][news_type.pk] >= 4 and len(ranked["facets"]) == 2
    # More than one page of results: the paginator and the counts agree with Wagtail's.
    many, _pages = ours(client, {"q": "h"})
    assert many["count"] > search.SearchView.paginate_by and len(many["ids"]) == 20


def test_school_bs_pages_never_show_in_school_as_search(
    client, two_schools, board_a, school_a_pages, school_b_pages
):
    """Not in the list, the page-type facets or the counts; on both views (full page and
    results only), with the page-type filter, on the second page; and B's board member sees
    B's pages, so they are there to be hidden."""
    school_a, school_b = two_schools
    a_root, b_root = school_a.site.root_page.path, school_b.site.root_page.path
    lecture_type = ContentType.objects.get_by_natural_key("school_site", "lecturepage")
    client.force_login(board_a)
    for name in (SEARCH, RESULTS):
        for params in (
            {"q": "khai giảng"},
            {"q": "bí mật"},
            {"q": "giảng", "content_type": "school_site.lecturepage"},
            {"q": "h", "p": 2},
            {"q": "live:no giảng"},
        ):
            response = client.get(reverse(name), params)
            body = response.content.decode()
            assert response.status_code == 200
            # B's titles all end "của trường B" (the query itself is echoed in the search box).
            assert "của trường B" not in body, params
            got = shown(response.context)
            paths = Page.objects.filter(pk__in=got["ids"]).values_list("path", flat=True)
            assert all(path.startswith(a_root) for path in paths), params
            if params["q"] == "bí mật":
                assert got["count"] == got["all"] == 0 and got["facets"] == {}, params
            if params["q"] == "khai giảng":
                # A's lecture does not match "khai": B's lecture must not add a lecture facet.
                assert lecture_type.pk not in got["facets"], params
                own = Page.objects.filter(path__startswith=a_root).values_list("title", flat=True)
                assert got["all"] == sum(has_words(title, "khai", "giảng") for title in own)
    client.force_login(make_member(school_b, "bqt_b2", board=True))
    got, _pages = ours(client, {"q": "bí mật"})
    assert got["count"] == 3 and lecture_type.pk in got["facets"]  # news, lecture, draft
    paths = Page.objects.filter(pk__in=got["ids"]).values_list("path", flat=True)
    assert all(path.startswith(b_root) for path in paths)


def has_words(title: str, *words: str) -> bool:
    """Every word in `title`, the last one as a prefix (Wagtail's autocomplete)."""
    tokens = re.findall(r"\w+", title.lower())
    *whole, prefix = words
    return all(w in tokens for w in whole) and any(t.startswith(prefix) for t in tokens)


def measure(client, params: dict, name: str = SEARCH) -> int:
    client.get(reverse(name), params)  # warm the caches (content types, roles, templates)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name), params)
    assert response.status_code == 200
    return len(captured)


# The full page with results (PostgreSQL: one statement for the matches, one for the page of
# results and one per page type among them; Wagtail's join took four statements for the facets,
# the two counts and the results) and with none; the results-only (AJAX) view.
BOUNDS = {
    "postgresql": {"found": 22, "none": 13, "results only": 17},
    "sqlite": {"found": 24, "none": 15, "results only": 19},
}


def test_the_search_costs_the_same_queries_with_more_schools_and_more_matches(
    client, two_schools, board_a, editor_a
):
    school_a, school_b = two_schools
    bulk_news(news_index(school_a), 30)
    bulk_news(news_index(school_b), 5, start=100)
    client.force_login(board_a)
    # A page of results costs one query per page type on it: the screens below keep the same
    # types on the page shown when pages are added (news and the lectures' section for
    # "giảng"; news only on page 2 of "h" filtered to news).
    screens = {
        "found": ({"q": "giảng"}, SEARCH),
        "none": ({"q": "không có gì"}, SEARCH),
        "results only": ({"q": "h", "content_type": NEWS_TYPE, "p": 2}, RESULTS),
    }
    few = {name: measure(client, *screen) for name, screen in screens.items()}

    # Two more schools, and ten times as many matching pages elsewhere as in school A.
    for n, school in enumerate((school_b, make_school("th-c"), make_school("th-d"))):
        bulk_news(news_index(school), 300, start=1000 * (n + 1))
    bulk_news(news_index(school_a), 30, start=30)

    bounds = BOUNDS[connection.vendor]
    for name, screen in screens.items():
        many = measure(client, *screen)
        assert few[name] <= bounds[name], (name, few)
        assert many == few[name], (name, few[name], many)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_search_reads_only_the_schools_own_index_entries(two_schools, board_a):
    """EXPLAIN (ANALYZE) of the statement that finds the matches, with 200 posts in school A
    and 1,500 in school B (about one in ten titles has "giảng"): the index table is read only
    by probes of its unique index, at most one per page of school A, never by the GIN index or
    a scan, so none of school B's matches is read. Wagtail's join, on the same data, reads
    them: PostgreSQL takes the district's matches from the GIN index (a regression to the join
    fails here)."""
    school_a, school_b = two_schools
    bulk_news(news_index(school_a), 200)
    bulk_news(news_index(school_b), 1500, start=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE wagtailsearch_indexentry")
        cursor.execute("ANALYZE wagtailcore_page")
    scoped = Page.objects.filter(path__startswith=school_a.site.root_page.path)
    a_pages = scoped.count()
    b_titles = Page.objects.filter(path__startswith=school_b.site.root_page.path)
    b_matches = sum(has_words(title, "giảng") for title in b_titles.values_list("title", flat=True))

    with CaptureQueriesContext(connection) as captured:
        matches = get_search_backend().autocomplete_matches(scoped, PlainText("giảng"))
    assert len(captured) == 1
    assert 0 < len(matches) and b_matches > 3 * len(matches)
    entries = index_entry_reads(captured.captured_queries[0]["sql"])
    assert entries, "the statement must read the index table"
    for node in entries:
        assert node["Node Type"] == "Index Scan", node["Node Type"]
        assert node["Index Name"].endswith("_uniq"), node["Index Name"]
        assert node["Actual Loops"] <= a_pages
        assert node["Actual Rows"] <= 1  # per loop: the page's own entry, if it matches

    with CaptureQueriesContext(connection) as captured:
        assert scoped.autocomplete("giảng").count() == len(matches)
    wagtails = index_entry_reads(captured.captured_queries[-1]["sql"])
    assert sum(node["Actual Rows"] * node["Actual Loops"] for node in wagtails) >= b_matches


def index_entry_reads(sql: str) -> list[dict]:
    """The plan nodes of `sql` (EXPLAIN ANALYZE, JSON) that read `wagtailsearch_indexentry`."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    found, stack = [], [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        if node.get("Relation Name") == "wagtailsearch_indexentry":
            found.append(node)
        stack.extend(node.get("Plans", []))
    return found
