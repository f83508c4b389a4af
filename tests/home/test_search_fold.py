"""Folding Vietnamese for the search index and highlighting matches (home/search_fold.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from wagtail.search import index
from wagtail.search.query import PlainText

from home.search_fold import (
    FoldedSearchField,
    fold_query,
    fold_text,
    highlight_snippet,
    search_words,
)
from school_site.models import NewsPage, OfficialDocumentPage


def test_words_are_folded_and_split_on_punctuation():
    assert search_words("Trường THCS Đồng Tháp") == ["truong", "thcs", "dong", "thap"]
    assert search_words("Số 531/PGDĐT-VP, ngày 05/9") == [
        "so",
        "531",
        "pgddt",
        "vp",
        "ngay",
        "05",
        "9",
    ]
    assert search_words("5_1 ?! ") == ["5", "1"]
    assert fold_text("  ĐẠI   HỘI  ") == "dai hoi"
    assert fold_query(PlainText("Liên Đội", operator="and")).query_string == "lien doi"
    # A query with no words is left to Wagtail as it came.
    assert fold_query(PlainText("?!", operator="and")).query_string == "?!"


@pytest.mark.django_db
def test_every_page_search_field_is_indexed_folded():
    fields = NewsPage.get_search_fields()
    searchable = [f for f in fields if isinstance(f, index.SearchField)]
    assert searchable and all(isinstance(f, FoldedSearchField) for f in searchable)
    # Same names and boosts as declared; filters and autocomplete untouched.
    title = next(f for f in searchable if f.field_name == "title")
    assert title.boost == 2
    assert any(isinstance(f, index.AutocompleteField) for f in fields)
    assert not any(f.field_name == "search_text" for f in fields)

    page = OfficialDocumentPage(title="Công văn tuyển sinh", number="531/PGDĐT-VP")
    values = {
        f.field_name: f.get_value(page)
        for f in OfficialDocumentPage.get_search_fields()
        if isinstance(f, FoldedSearchField)
    }
    assert values["title"] == "cong van tuyen sinh"
    assert values["number"] == "531 pgddt vp"


def test_snippet_marks_matches_and_escapes_everything_else():
    text = 'Điểm < 5 & "yếu" <i>phụ đạo</i> thêm buổi chiều'
    snippet = highlight_snippet(text, ("phu", "dao"))
    assert snippet == (
        "Điểm &lt; 5 &amp; &quot;yếu&quot; &lt;i&gt;<mark>phụ</mark> <mark>đạo</mark>&lt;/i&gt; "
        "thêm buổi chiều"
    )
    # The last word is also a prefix, as in the search; the others are whole words.
    assert highlight_snippet("Tuyên truyền an toàn", ("an", "toa")) == (
        "Tuyên truyền <mark>an</mark> <mark>toàn</mark>"
    )
    assert highlight_snippet("Khoa học và hoa", ("hoa", "x")) == "Khoa học và <mark>hoa</mark>"


def test_long_snippet_is_a_window_around_the_first_match():
    words = [f"tu{n}" for n in range(100)]
    words[60] = "Khai"
    snippet = highlight_snippet(" ".join(words), ("khai",), max_words=10)
    assert snippet.startswith("…tu55 ")
    assert "<mark>Khai</mark>" in snippet
    assert snippet.endswith("tu64…")
    assert highlight_snippet("", ("a",)) == ""


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL text search config")
def test_vietnamese_unaccent_configuration_folds_and_does_not_stem():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('vietnamese_unaccent', %s)::text, "
            "to_tsquery('vietnamese_unaccent', %s)::text",
            ["Đội tuyển Trường học sinh giỏi running", "Trường:*"],
        )
        vector, query = cursor.fetchone()
    assert vector == "'doi':1 'gioi':6 'hoc':4 'running':7 'sinh':5 'truong':3 'tuyen':2"
    assert query == "'truong':*"
