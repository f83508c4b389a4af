"""The PostgreSQL search index without Wagtail's whole-table pass per save (home.search_backend).

These tests need PostgreSQL (DATABASE_URL=postgres://...); on SQLite Wagtail's default database
backend is used and they are skipped.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend

from home.search_backend import IncrementalTitleNormSearchBackend, refresh_title_norms
from home.search_statistics import SearchTitleStatistics
from school_site.models import NewsIndexPage, NewsPage
from tests.bulk_pages import bulk_news

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the PostgreSQL search backend needs PostgreSQL"
    ),
]


def add_news(school, title: str, *, intro: str = "") -> NewsPage:
    index = NewsIndexPage.objects.child_of(school.site.root_page).get()
    return index.add_child(instance=NewsPage(title=title, intro=intro, live=True))


def norm_and_length(page) -> tuple[float, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title_norm, length(title) FROM wagtailsearch_indexentry WHERE object_id = %s",
            [str(page.pk)],
        )
        return cursor.fetchone()


def index_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if "wagtailsearch_indexentry" in q["sql"]]


def test_postgres_uses_the_incremental_backend():
    assert isinstance(get_search_backend(), IncrementalTitleNormSearchBackend)


def test_an_indexed_save_touches_only_its_own_rows(school_a):
    add_news(school_a, "Bài đầu tiên")
    refresh_title_norms()
    with CaptureQueriesContext(connection) as captured:
        add_news(school_a, "Lễ khai giảng năm học mới")
    sql = index_queries(captured)
    # The upsert, then one UPDATE of the new row; Wagtail's stock backend adds
    # SELECT AVG(LENGTH(title)) over the table and an UPDATE ... WHERE title_norm = 1.0.
    assert len(sql) == 2, sql
    assert not any("AVG(" in s.upper() for s in sql)
    update = next(s for s in sql if s.lstrip().upper().startswith("UPDATE"))
    assert re.search(r'"object_id" IN \(', update) and '"content_type_id" =' in update


def test_a_new_row_gets_its_norm_from_the_stored_average(school_a):
    for title in ("Hội khỏe Phù Đổng", "Thông báo lịch họp phụ huynh học sinh đầu năm"):
        add_news(school_a, title)
    result = refresh_title_norms()
    assert SearchTitleStatistics.objects.get().title_length_average == pytest.approx(result.average)
    page = add_news(school_a, "Khai giảng")
    norm, length = norm_and_length(page)
    assert norm == pytest.approx(result.average / length)


def test_before_the_first_refresh_a_new_row_keeps_the_neutral_norm(school_a):
    page = add_news(school_a, "Khai giảng năm học")
    assert norm_and_length(page)[0] == 1.0
    refresh_title_norms()
    norm, length = norm_and_length(page)
    assert norm == pytest.approx(SearchTitleStatistics.objects.get().title_length_average / length)


def test_refresh_rewrites_all_norms_only_when_the_average_drifts(school_a):
    add_news(school_a, "Hội khỏe Phù Đổng cấp trường")
    first = refresh_title_norms()
    assert first.rewritten == first.entries
    assert refresh_title_norms().rewritten == 0  # nothing changed: nothing rewritten
    for n in range(5):  # much longer titles: the average moves, every norm follows
        add_news(school_a, f"Thông báo số {n} về lịch họp phụ huynh học sinh toàn trường đầu năm")
    drifted = refresh_title_norms()
    assert drifted.average > first.average
    assert drifted.rewritten == drifted.entries
    assert refresh_title_norms(full=True).rewritten == drifted.entries


def test_a_published_post_is_searchable_at_once(school_a):
    refresh_title_norms()
    page = add_news(school_a, "Lễ tri ân nhà giáo", intro="Kỷ niệm ngày 20 tháng 11.")
    found = list(NewsPage.objects.live().search("tri ân nhà giáo"))
    assert [p.pk for p in found] == [page.pk]


def test_ranking_matches_a_full_refresh(school_a, school_b):
    """Norms set per save rank exactly as Wagtail's own whole-table refresh would."""
    titles = [
        "Khai giảng",
        "Lễ khai giảng năm học mới tại điểm trường chính và các điểm lẻ",
        "Tin vắn",
        "Khai giảng lớp bồi dưỡng chuyên môn",
    ]
    add_news(school_b, "Tin vắn về lớp học")
    refresh_title_norms()
    for title in titles:
        add_news(school_a, title, intro="khai giảng" if title == "Tin vắn" else "")
    ranked = [p.title for p in NewsPage.objects.search("khai giảng", order_by_relevance=True)]
    # The short exact title first (its norm is the largest), and a body-only match last.
    assert ranked[0] == "Khai giảng"
    assert ranked[-1] == "Tin vắn"
    refresh_title_norms(full=True)  # what the stock backend's refresh computes
    assert ranked == [p.title for p in NewsPage.objects.search("khai giảng")]


def test_the_command_reports_on_the_index(school_a):
    from io import StringIO

    add_news(school_a, "Khai giảng")
    out = StringIO()
    call_command("refresh_search_title_norms", stdout=out)
    assert "trung bình" in out.getvalue()
    assert SearchTitleStatistics.objects.get().entries >= 1


# --- The public search's join on the page's id (home/0006, `newest_matches`) ----------------


def newest_matches_sql(pages, query: str) -> str:
    with CaptureQueriesContext(connection) as captured:
        get_search_backend().newest_matches(pages, query, limit=1001)
    (sql,) = index_queries(captured)
    return sql


def plan_of(sql: str, *settings: str) -> str:
    with connection.cursor() as cursor:
        for setting in settings:  # SET LOCAL: undone with the test's transaction
            cursor.execute(f"SET LOCAL {setting}")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_migration_and_the_backend_share_the_page_id_expression():
    from importlib import import_module

    from home.search_backend import ENTRY_PAGE_ID_SQL

    migration = import_module("home.migrations.0006_search_entry_page_id_index")
    assert migration.ENTRY_PAGE_ID == ENTRY_PAGE_ID_SQL


def test_the_join_can_be_served_by_an_index_from_either_side(school_a, school_b):
    # On a test database of a few hundred rows PostgreSQL rightly prefers scans; with scans,
    # hash and merge joins priced out, the nested loop it builds instead shows that each side
    # of the key has an index: the entry's side (the index's expression, from a page) and the
    # page's primary key (an integer, from an entry). These are the two plans the benchmark's
    # database shows at default settings (docs/search-indexing.md).
    from wagtail.models import Page

    for n in range(5):
        newest = add_news(school_a, f"Hội thi số {n}", intro="Tin trường A.")
        add_news(school_b, f"Hội thi số {n}", intro="Tin trường B.")
    add_news(school_b, "Olympic tiếng Anh")
    # More pages of the same type, unindexed: so that their content type no longer picks them.
    bulk_news(
        NewsIndexPage.objects.child_of(school_b.site.root_page).get(),
        300,
        start=100,
        search_index=False,
    )
    with connection.cursor() as cursor:  # the estimates a filled database has
        cursor.execute("ANALYZE wagtailcore_page, wagtailsearch_indexentry")
    off = ("enable_seqscan = off", "enable_hashjoin = off", "enable_mergejoin = off")

    # A page probes its own entry (a common word: the pages walked newest first).
    one_page = Page.objects.filter(pk=newest.pk)
    walk = plan_of(
        newest_matches_sql(one_page, "hoi thi"),
        *off,
        "enable_bitmapscan = off",
        "enable_material = off",
    )
    probe = re.search(r"Index Scan using home_indexentry_page_id on \S+\s.*\n(.*)", walk)
    assert probe and "Index Cond: ((content_type_id = " in probe.group(1), walk
    # The district's rare word: each matching entry probes its page by primary key (the
    # district's pages are not read; before, only `page.id::varchar` could be compared).
    rare = plan_of(newest_matches_sql(Page.objects.live(), "olympic"), *off)
    probe = re.search(r"Index Scan using wagtailcore_page_pkey on wagtailcore_page\s.*\n(.*)", rare)
    assert probe and "Index Cond: (id = CASE WHEN" in probe.group(1), rare


def test_an_entry_whose_id_is_not_a_number_is_indexed_and_never_matched(school_a, school_b):
    # Wagtail indexes whatever model registers itself; an id of text must not break its write
    # (the index's expression is NULL for it) nor pair it with a page.
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page
    from wagtail.search.models import IndexEntry

    page = add_news(school_a, "Hội thi vẽ tranh")
    add_news(school_b, "Hội thi vẽ tranh trường B")
    IndexEntry.objects.create(
        content_type=ContentType.objects.get_for_model(NewsPage),
        object_id=f"{page.pk}-ban-sao",
        title_norm=1.0,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE wagtailsearch_indexentry SET title = to_tsvector('simple', 'hoi thi ve tranh')"
            " WHERE object_id = %s",
            [f"{page.pk}-ban-sao"],
        )
    pages = Page.objects.live().filter(path__startswith=school_a.site.root_page.path)
    found = get_search_backend().newest_matches(pages, "hoi thi ve tranh", limit=10)
    assert [row[0] for row in found] == [page.pk]
