"""The public search at /search/ through Wagtail's search backend (district_site.public_search).

Run on both databases: SQLite (home/search_backend_sqlite.py, FTS5) and PostgreSQL
(home/search_backend.py, `vietnamese_unaccent`): the same behaviour is asserted on each.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from district_site import public_search
from district_site.factories import make_school
from district_site.models import School
from district_site.portal import setup_district_portal
from district_site.provisioning import archive_school
from district_site.public_reads import scope_for_site
from district_site.public_search import SearchResults, search_pages
from school_site.models import DocumentIndexPage, NewsIndexPage, NewsPage, OfficialDocumentPage

pytestmark = pytest.mark.django_db

PORTAL_HOST = "localhost"


def add_news(site_root, title: str, *, intro: str = "", live: bool = True, date=None) -> NewsPage:
    index = NewsIndexPage.objects.descendant_of(site_root).get()
    page = NewsPage(title=title, intro=intro, live=live)
    if date is not None:
        page.date = date
    return index.add_child(instance=page)


def add_document(site_root, title: str, *, number: str, live: bool = True) -> OfficialDocumentPage:
    index = DocumentIndexPage.objects.descendant_of(site_root).get()
    return index.add_child(instance=OfficialDocumentPage(title=title, number=number, live=live))


def host(school: School) -> str:
    return school.site.hostname


def search(client, hostname: str, query: str, **params):
    return client.get("/search/", {"q": query, **params}, HTTP_HOST=hostname)


def titles(response) -> list[str]:
    return [r.title for r in response.context["results"]]


def loaded_site(school_or_host) -> Site:
    """The Site as the middleware loads it (root page and school joined)."""
    hostname = school_or_host if isinstance(school_or_host, str) else host(school_or_host)
    return Site.objects.select_related("root_page", "school").get(hostname=hostname)


def test_accents_do_not_matter_either_way(client, school_a, school_b):
    add_news(school_a.site.root_page, "Trường tổ chức lễ khai giảng", intro="Năm học mới.")
    add_news(school_a.site.root_page, "Thông báo đăng ký học bơi", intro="Đăng ký trước thứ Sáu.")
    add_news(school_a.site.root_page, "Lich hoc truong he", intro="Go khong dau.")

    assert "Trường tổ chức lễ khai giảng" in titles(search(client, host(school_a), "truong"))
    assert "Lich hoc truong he" in titles(search(client, host(school_a), "truong"))
    assert titles(search(client, host(school_a), "dang ky")) == ["Thông báo đăng ký học bơi"]
    # Typed with diacritics, it still finds the page written without them, and upper case too.
    found = titles(search(client, host(school_a), "TRƯỜNG hè"))
    assert found == ["Lich hoc truong he"]


def test_every_word_must_match(client, school_a, school_b):
    add_news(school_a.site.root_page, "Hội thi giáo viên dạy giỏi cấp trường")
    add_news(school_a.site.root_page, "Hội khỏe Phù Đổng")

    assert titles(search(client, host(school_a), "hoi thi")) == [
        "Hội thi giáo viên dạy giỏi cấp trường"
    ]
    assert titles(search(client, host(school_a), "hoi")) == [
        "Hội khỏe Phù Đổng",
        "Hội thi giáo viên dạy giỏi cấp trường",
    ]
    assert titles(search(client, host(school_a), "hoi bong da")) == []


def test_results_stay_on_their_own_school(client, school_a, school_b):
    add_news(school_a.site.root_page, "Ngày hội đọc sách ở trường A")
    add_news(school_b.site.root_page, "Ngày hội đọc sách ở trường B")

    for school, own, other in (
        (school_a, "Ngày hội đọc sách ở trường A", "Ngày hội đọc sách ở trường B"),
        (school_b, "Ngày hội đọc sách ở trường B", "Ngày hội đọc sách ở trường A"),
    ):
        response = search(client, host(school), "doc sach")
        assert titles(response) == [own]
        assert other not in response.content.decode()
        # Each school's site finds its own home page, never the other school's.
        homes = titles(search(client, host(school), "truong"))
        assert school.name in homes
        assert (school_b if school == school_a else school_a).name not in homes


def test_drafts_and_private_pages_are_not_found(client, school_a, school_b):
    add_news(school_a.site.root_page, "Kế hoạch tham quan đã đăng")
    add_news(school_a.site.root_page, "Kế hoạch tham quan bản nháp", live=False)
    private = add_news(school_a.site.root_page, "Kế hoạch tham quan nội bộ")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="bimat"
    )
    add_news(school_b.site.root_page, "Kế hoạch tham quan của trường B")

    assert titles(search(client, host(school_a), "tham quan")) == ["Kế hoạch tham quan đã đăng"]
    assert titles(search(client, host(school_b), "tham quan")) == [
        "Kế hoạch tham quan của trường B"
    ]


def test_document_number_is_searchable(client, school_a, school_b):
    add_document(school_a.site.root_page, "Công văn về tuyển sinh", number="531/PGDĐT-VP")
    add_document(school_b.site.root_page, "Công văn của trường B", number="531/PGDĐT-TH")

    assert titles(search(client, host(school_a), "531/PGD")) == ["Công văn về tuyển sinh"]
    assert titles(search(client, host(school_a), "531/pgddt-vp")) == ["Công văn về tuyển sinh"]
    assert titles(search(client, host(school_b), "531/PGDĐT")) == ["Công văn của trường B"]
    # Punctuation (and "_") separates words: "5" and "1" are not words of either page.
    assert titles(search(client, host(school_a), "5_1")) == []


def test_title_matches_first_then_newest(client, school_a, school_b):
    root = school_a.site.root_page
    add_news(root, "Văn nghệ chào mừng", date=datetime.date(2024, 9, 1))
    add_news(
        root, "Tin tháng mười", intro="Có tiết mục văn nghệ.", date=datetime.date(2024, 10, 20)
    )
    add_news(root, "Hội diễn văn nghệ", date=datetime.date(2024, 10, 5))

    assert titles(search(client, host(school_a), "van nghe")) == [
        "Hội diễn văn nghệ",
        "Văn nghệ chào mừng",
        "Tin tháng mười",
    ]


def test_result_shows_title_date_snippet_and_link(client, school_a, school_b):
    add_news(
        school_a.site.root_page,
        "Tuyên dương học sinh giỏi",
        intro="Nhà trường tuyên dương 25 học sinh đạt giải cấp huyện.",
        date=datetime.date(2024, 5, 3),
    )
    response = search(client, host(school_a), "tuyen duong")
    html = response.content.decode()

    assert response.status_code == 200
    assert 'href="/tin-tuc/tuyen-duong-hoc-sinh-gioi/"' in html
    assert "03/05/2024" in html
    assert (
        "Nhà trường <mark>tuyên</mark> <mark>dương</mark> 25 học sinh đạt giải cấp huyện." in html
    )
    assert 'name="q"' in html and 'value="tuyen duong"' in html


def test_other_page_types_show_their_own_intro(
    client, school_a, school_b, django_assert_num_queries
):
    # The four kinds' fields come joined to the page; any other page type (here the school's
    # news section) has its own fields read by its type, so its intro is still the snippet.
    section = NewsIndexPage.objects.descendant_of(school_a.site.root_page).get()
    section.title = "Tin ngoại khóa"
    section.intro = "<p>Chuyên mục tin hoạt động <b>ngoại khóa</b> của nhà trường.</p>"
    section.save()
    add_news(school_a.site.root_page, "Ngoại khóa mùa hè", intro="Học sinh tham gia ngoại khóa.")
    add_news(school_b.site.root_page, "Ngoại khóa trường B", intro="Trường B ngoại khóa.")

    site = loaded_site(school_a)
    scope = scope_for_site(site)
    search_pages(query="ngoai khoa", scope=scope)  # warm the content type cache (per process)
    # The newest matches, the fields of both kinds of result, the section's own fields.
    with django_assert_num_queries(3):
        found = search_pages(query="ngoai khoa", scope=scope)
    snippets = {r.title: str(r.snippet) for r in found.results}
    assert set(snippets) == {"Ngoại khóa mùa hè", "Tin ngoại khóa"}
    assert (
        snippets["Ngoại khóa mùa hè"] == "Học sinh tham gia <mark>ngoại</mark> <mark>khóa</mark>."
    )
    assert snippets["Tin ngoại khóa"] == (
        "Chuyên mục tin hoạt động <mark>ngoại</mark> <mark>khóa</mark> của nhà trường."
    )
    assert {r.kind for r in found.results} == {"Tin, bài", ""}


def test_results_fields_are_read_in_the_scope_only(school_a, school_b):
    # The fields query keeps the scope's filter: given another school's id (which step 1
    # never passes it), a school's search shows nothing of it.
    other = add_news(school_b.site.root_page, "Tin riêng của trường B", intro="Nội bộ trường B.")
    own = add_news(school_a.site.root_page, "Tin của trường A", intro="Tin trường A.")
    scope = scope_for_site(loaded_site(school_a))

    results = public_search._results([other.pk, own.pk], scope=scope, words=("tin",))

    assert [r.title for r in results] == ["Tin của trường A"]


def test_empty_query_shows_the_form_only(client, school_a, school_b, django_assert_num_queries):
    add_news(school_a.site.root_page, "Tin bất kỳ")
    for query in ("", "   ", "?!"):
        response = search(client, host(school_a), query)
        assert response.status_code == 200
        assert response.context["results"] == []
        assert 'class="search-results"' not in response.content.decode()
        assert 'action="/search/"' in response.content.decode()
    # No words means no search at all.
    scope = scope_for_site(loaded_site(school_a))
    with django_assert_num_queries(0):
        found = search_pages(query="  ", scope=scope)
    assert found.page is None and found.count == 0


def test_results_are_paginated(client, school_a, school_b):
    for n in range(12):
        add_news(
            school_a.site.root_page, f"Thông báo số {n:02d}", date=datetime.date(2024, 1, n + 1)
        )

    first = search(client, host(school_a), "thong bao")
    second = search(client, host(school_a), "thong bao", page=2)

    assert first.context["search"].count == 12
    assert titles(first) == [f"Thông báo số {n:02d}" for n in range(11, 1, -1)]
    assert titles(second) == ["Thông báo số 01", "Thông báo số 00"]
    assert 'href="?q=thong+bao&amp;page=2"' in first.content.decode()
    # An out-of-range page number shows the last page rather than an error.
    assert titles(search(client, host(school_a), "thong bao", page=99)) == titles(second)


def test_whole_words_only(client, school_a, school_b):
    root = school_a.site.root_page
    add_news(root, "Câu lạc bộ Khoa học nhỏ")
    add_news(root, "Hoạt động ngoại khóa")
    add_news(root, "Vườn hoa của lớp 1A")
    add_news(root, "An toàn giao thông")

    # "hoa" is not a word of "Khoa học"; as the last word it is also a prefix, so "Hoạt động"
    # comes too (and the news index, "Tin tức – Hoạt động"), after the page with the whole word.
    found = titles(search(client, host(school_a), "hoa"))
    assert found[0] == "Vườn hoa của lớp 1A"
    assert "Hoạt động ngoại khóa" in found
    assert "Câu lạc bộ Khoa học nhỏ" not in found
    # "an" is in neither "Hoạt động" nor "ngoại khóa" (it would start "ảnh": "Thư viện ảnh").
    found = titles(search(client, host(school_a), "an"))
    assert found[0] == "An toàn giao thông"
    assert "Hoạt động ngoại khóa" not in found
    # Only the last word is a prefix: "hoa" in the middle needs the whole word.
    assert titles(search(client, host(school_a), "hoa lop")) == ["Vườn hoa của lớp 1A"]
    assert titles(search(client, host(school_a), "khoa hoc")) == ["Câu lạc bộ Khoa học nhỏ"]


def test_d_with_stroke_is_folded_and_last_word_is_a_prefix(client, school_a, school_b):
    root = school_a.site.root_page
    add_news(root, "Đại hội Liên đội nhiệm kỳ mới")
    add_news(root, "Thông báo tuyển sinh lớp 1")
    add_news(school_b.site.root_page, "Đại hội Liên đội của trường B")

    assert titles(search(client, host(school_a), "dai hoi lien doi")) == [
        "Đại hội Liên đội nhiệm kỳ mới"
    ]
    assert titles(search(client, host(school_a), "ĐẠI HỘI")) == ["Đại hội Liên đội nhiệm kỳ mới"]
    assert titles(search(client, host(school_a), "tuyen si")) == ["Thông báo tuyển sinh lớp 1"]
    assert titles(search(client, host(school_a), "tuy sinh")) == []


def test_filters_by_kind_and_school_year(client, school_a, school_b):
    root = school_a.site.root_page
    add_news(root, "Tổng kết học kỳ (tin)", date=datetime.date(2024, 12, 30))
    add_news(root, "Tổng kết năm học cũ (tin)", date=datetime.date(2024, 5, 20))
    add_document(root, "Kế hoạch tổng kết (văn bản)", number="15/KH")
    add_news(school_b.site.root_page, "Tổng kết của trường B", date=datetime.date(2024, 12, 30))

    every = set(titles(search(client, host(school_a), "tong ket")))
    assert every == {
        "Tổng kết học kỳ (tin)",
        "Tổng kết năm học cũ (tin)",
        "Kế hoạch tổng kết (văn bản)",
    }
    news = search(client, host(school_a), "tong ket", loai="tin-bai")
    assert set(titles(news)) == {"Tổng kết học kỳ (tin)", "Tổng kết năm học cũ (tin)"}
    assert titles(search(client, host(school_a), "tong ket", loai="van-ban")) == [
        "Kế hoạch tổng kết (văn bản)"
    ]
    # 2024-2025 runs from 1/9/2024 to 31/8/2025; the document is dated today.
    assert titles(search(client, host(school_a), "tong ket", nam_hoc="2024-2025")) == [
        "Tổng kết học kỳ (tin)"
    ]
    assert (
        titles(search(client, host(school_a), "tong ket", loai="van-ban", nam_hoc="2024-2025"))
        == []
    )
    # The filters stay in the pagination links and in the form.
    html = news.content.decode()
    assert '<option value="tin-bai" selected>' in html

    # An unknown value is refused in Vietnamese, and nothing is searched half-filtered.
    response = search(client, host(school_a), "tong ket", loai="video")
    assert response.status_code == 200
    assert titles(response) == []
    assert "Loại nội dung không hợp lệ." in response.content.decode()
    response = search(client, host(school_a), "tong ket", nam_hoc="1990-1991")
    assert titles(response) == []
    assert "Năm học không hợp lệ." in response.content.decode()


def test_snippet_is_escaped_with_matches_marked(client, school_a, school_b):
    add_news(
        school_a.site.root_page,
        "Điểm thi <b>học kỳ</b>",
        intro='Điểm trung bình < 5 & "yếu": <script>alert(1)</script> phụ đạo thêm.',
    )
    response = search(client, host(school_a), "phu dao")
    html = response.content.decode()
    result = response.context["results"][0]

    assert "<script>alert(1)</script>" not in html
    assert "<b>học kỳ</b>" not in html
    assert "Điểm thi &lt;b&gt;học kỳ&lt;/b&gt;" in html
    # strip_tags drops the tag-like text; what remains is escaped, our <mark> is the only markup.
    assert str(result.snippet) == (
        "Điểm trung bình &lt; 5 &amp; &quot;yếu&quot;: alert(1) <mark>phụ</mark> <mark>đạo</mark> thêm."
    )


def test_a_very_common_word_ranks_only_the_newest_matches(client, school_a, school_b, monkeypatch):
    # MAX_RANKED is 1,000; three here, so that four pages make a "very common" word.
    monkeypatch.setattr(public_search, "MAX_RANKED", 3)
    root = school_a.site.root_page
    add_news(root, "Olympic tiếng Anh năm trước")  # the oldest: a title match, but left out
    add_news(root, "Tin thứ hai", intro="Đội olympic luyện tập.")
    add_news(root, "Tin thứ ba", intro="Đội olympic thi đấu.")
    add_news(root, "Olympic toán tuổi thơ")
    # School B's pages are newer still: they must neither show nor take school A's places.
    for n in range(3):
        add_news(school_b.site.root_page, f"Olympic trường B số {n}")

    response = search(client, host(school_a), "olympic")
    found = response.context["search"]
    html = response.content.decode()

    # The newest three of school A's four matches, the title match first.
    assert titles(response) == ["Olympic toán tuổi thơ", "Tin thứ ba", "Tin thứ hai"]
    assert found.capped and found.count == 3
    assert "Hơn 3 kết quả cho “olympic”." in html
    assert "trường B" not in html
    # School B has exactly as many matches as are ranked: all of them, not "more than".
    response = search(client, host(school_b), "olympic")
    assert not response.context["search"].capped
    assert response.context["search"].count == 3
    assert "Có 3 kết quả" in response.content.decode()

    # Under the cap every match is ranked: both title matches lead.
    monkeypatch.setattr(public_search, "MAX_RANKED", 10)
    response = search(client, host(school_a), "olympic")
    assert titles(response) == [
        "Olympic toán tuổi thơ",
        "Olympic tiếng Anh năm trước",
        "Tin thứ ba",
        "Tin thứ hai",
    ]
    assert not response.context["search"].capped


def test_the_count_groups_thousands_with_a_dot():
    paginator = public_search._CountedPaginator([], 10, count=1500)
    found = SearchResults(
        query="hoi", words=("hoi",), page=paginator.get_page(1), results=[], capped=True
    )
    assert found.count_label == "1.500"


def test_unknown_and_archived_hosts_are_404(client, school_a, school_b):
    add_news(school_b.site.root_page, "Tin của trường B")
    assert search(client, "khong-co.localhost", "tin").status_code == 404
    archive_school(hostname=host(school_b))
    assert search(client, host(school_b), "tin").status_code == 404
    assert search(client, host(school_a), "tin").status_code == 200


def test_portal_searches_every_active_school(client, school_a, school_b):
    portal = setup_district_portal()
    add_news(school_a.site.root_page, "Hội thi vẽ tranh trường A")
    add_news(school_b.site.root_page, "Hội thi vẽ tranh trường B")
    add_document(portal, "Hướng dẫn hội thi vẽ tranh cấp huyện", number="12/PGDĐT")

    response = search(client, PORTAL_HOST, "hoi thi ve tranh")
    results = {r.title: r for r in response.context["results"]}
    html = response.content.decode()

    assert set(results) == {
        "Hội thi vẽ tranh trường A",
        "Hội thi vẽ tranh trường B",
        "Hướng dẫn hội thi vẽ tranh cấp huyện",
    }
    assert results["Hội thi vẽ tranh trường A"].site_name == school_a.name
    assert results["Hội thi vẽ tranh trường A"].url == (
        "http://th-a.localhost/tin-tuc/hoi-thi-ve-tranh-truong-a/"
    )
    assert results["Hội thi vẽ tranh trường B"].url.startswith("http://mn-b.localhost/")
    assert results["Hướng dẫn hội thi vẽ tranh cấp huyện"].url == (
        "/van-ban/huong-dan-hoi-thi-ve-tranh-cap-huyen/"
    )
    assert school_a.name in html and school_b.name in html

    # A school's own site still sees only itself.
    assert titles(search(client, host(school_a), "hoi thi ve tranh")) == [
        "Hội thi vẽ tranh trường A"
    ]


def test_portal_leaves_out_archived_schools(client, school_a, school_b):
    setup_district_portal()
    add_news(school_a.site.root_page, "Tin tuyển sinh trường A")
    add_news(school_b.site.root_page, "Tin tuyển sinh trường B")

    archive_school(hostname=host(school_b))
    found = titles(search(client, PORTAL_HOST, "tuyen sinh"))

    assert found == ["Tin tuyển sinh trường A"]
    assert school_b.name not in search(client, PORTAL_HOST, "truong").content.decode()


# --- Query counts ---------------------------------------------------------------------------
#
# search_pages: 1 for the newest live, public matches with their ranks (instead of a COUNT and a
# ranking query; the view restrictions are a subquery of it, not a query of their own), 1 for
# the fields of the results page (the four kinds' tables joined, whatever kinds it shows).
# Building the portal's scope reads the sites (1).


def test_search_query_count(school_a, school_b, django_assert_num_queries):
    portal = setup_district_portal()
    for n in range(3):
        add_news(school_a.site.root_page, f"Lễ tổng kết năm học {n}")
        add_news(school_b.site.root_page, f"Lễ tổng kết năm học {n}")
    add_document(portal, "Lễ tổng kết năm học: hướng dẫn", number="7/PGDĐT")

    for school in (school_a, school_b):
        site = loaded_site(school)
        with django_assert_num_queries(0):
            scope = scope_for_site(site)
        with django_assert_num_queries(2):
            found = search_pages(query="le tong ket", scope=scope)
        assert found.count == 3
        # Nothing matched: no ranking query, no per-type query.
        with django_assert_num_queries(1):
            found = search_pages(query="khong co trang nao", scope=scope)
        assert found.count == 0 and found.results == []

    # The portal reads its own pages and both schools'.
    portal_site = loaded_site(PORTAL_HOST)
    with django_assert_num_queries(1):
        portal_scope = scope_for_site(portal_site)
    # News and a document on the results page: two page types, still one query for their fields.
    with django_assert_num_queries(2):
        found = search_pages(query="le tong ket", scope=portal_scope)
    assert found.count == 7


def count_queries(client, hostname: str, path: str, params: dict) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params, HTTP_HOST=hostname)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_search_view_queries_do_not_grow_with_schools_or_pages(
    client, school_a, school_b, page_cache_off
):
    # Fragments off too (page_cache_off): the menu's cached rows would make the count depend on
    # whether a publish since the warm-up replaced the site's token.
    setup_district_portal()

    def add_many(school, start, stop):
        for n in range(start, stop):
            add_news(school.site.root_page, f"Sinh hoạt chuyên môn {n}", intro="Tổ Toán.")

    add_many(school_a, 0, 10)
    add_many(school_b, 0, 10)
    # Warm up anything cached per process (content types, templates) before measuring.
    client.get("/search/", {"q": "sinh hoat"}, HTTP_HOST=host(school_a))
    client.get("/search/", {"q": "sinh hoat"}, HTTP_HOST=PORTAL_HOST)

    small_school, response = count_queries(client, host(school_a), "/search/", {"q": "sinh hoat"})
    assert response.context["search"].count == 10
    small_portal, response = count_queries(client, PORTAL_HOST, "/search/", {"q": "sinh hoat"})
    assert response.context["search"].count == 20

    for n in range(18):
        make_school(f"th-so-{n}", name=f"Trường Tiểu học số {n}")
    add_many(school_a, 10, 50)
    assert School.objects.count() == 20

    big_school, response = count_queries(client, host(school_a), "/search/", {"q": "sinh hoat"})
    assert response.context["search"].count == 50
    big_portal, response = count_queries(client, PORTAL_HOST, "/search/", {"q": "sinh hoat"})
    assert response.context["search"].count == 60

    assert big_school == small_school
    assert big_portal == small_portal
    # Site lookup (middleware) 1, SAVEPOINT/RELEASE of ATOMIC_REQUESTS 2, search 2, and what
    # base.html reads: the site's branding 1 and its menu 1. The portal adds its sites.
    assert small_school == 7
    assert small_portal == 8


def test_newest_matches_are_the_pages_filter_and_rank_give(school_a, school_b):
    # `newest_matches` (one statement, a join on PostgreSQL) returns the rows the backend's
    # `filter_matches` and `annotate_rank` give, newest first, capped, rank for rank; in each
    # school's scope it holds none of the other school's pages, though they are newer.
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    for n in range(4):
        add_news(school_a.site.root_page, f"Hội thi số {n}", intro=f"Tin trường A {n}.")
    add_news(school_a.site.root_page, "Tin vắn", intro="Có hội thi.")
    for n in range(3):
        add_news(school_b.site.root_page, f"Hội thi trường B {n}")
    backend = get_search_backend()
    for school, other in ((school_a, school_b), (school_b, school_a)):
        pages = Page.objects.live().filter(path__startswith=school.site.root_page.path)
        for limit in (2, 100):
            expected = list(
                backend.annotate_rank(backend.filter_matches(pages, "hoi th"), "hoi th")
                .order_by("-pk")
                .values_list("pk", "first_published_at", "search_rank")[:limit]
            )
            found = backend.newest_matches(pages, "hoi th", limit=limit)
            assert found == [tuple(row) for row in expected]
            assert len(found) == min(limit, 5 if school == school_a else 3)
            others = set(
                Page.objects.filter(path__startswith=other.site.root_page.path).values_list(
                    "pk", flat=True
                )
            )
            assert not others & {row[0] for row in found}
    assert backend.newest_matches(Page.objects.all(), "?!", limit=10) == []
    assert backend.newest_matches(Page.objects.none(), "hoi thi", limit=10) == []
