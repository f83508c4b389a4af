"""The anonymous page cache (home/page_cache.py) and its invalidation
(district_site/cache_invalidation.py): every change is visible on the next anonymous request of
every page that shows it, on the school's site and on the portal; nothing private is stored."""

from __future__ import annotations

import datetime

import pytest
from wagtail.models import PageViewRestriction

from district_site.portal import setup_district_portal
from district_site.provisioning import archive_school
from home.models import SiteBranding
from home.page_cache import STATUS_HEADER
from school_site.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db

PORTAL_HOST = "localhost"
# Every page a new news item shows on: its school's home, news index, feed and sitemap, and the
# portal's home and feed.
SCHOOL_PATHS = ("/", "/tin-tuc/", "/rss.xml", "/sitemap.xml")
PORTAL_PATHS = ("/", "/rss.xml")


def news_index(school) -> NewsIndexPage:
    return NewsIndexPage.objects.descendant_of(school.site.root_page).get()


def draft_news(school, title: str) -> NewsPage:
    page = NewsPage(title=title, live=False, date=datetime.date(2024, 9, 5), intro="Tóm tắt")
    news_index(school).add_child(instance=page)
    return page


def publish(page) -> None:
    """Publish as the editor's Publish button does (a revision, Wagtail's signals)."""
    page.save_revision().publish()


def get(client, host: str, path: str):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, (host, path, response.status_code)
    return response


def site_path(school, page) -> str:
    return page.url_path[len(school.site.root_page.url_path) - 1 :]


def body(client, host: str, path: str) -> str:
    return get(client, host, path).content.decode()


def warm(client, pages) -> None:
    """Request each page twice, proving the second answer came from the cache."""
    for host, path in pages:
        get(client, host, path)
        assert get(client, host, path)[STATUS_HEADER] == "hit", (host, path)


@pytest.fixture
def portal(db):
    return setup_district_portal()


def pages_showing_news(school):
    return [(school.site.hostname, p) for p in SCHOOL_PATHS] + [
        (PORTAL_HOST, p) for p in PORTAL_PATHS
    ]


def test_a_hit_costs_at_most_one_query_and_is_public_for_a_minute(
    client, school_a, django_assert_max_num_queries
):
    first = get(client, school_a.site.hostname, "/")
    assert first[STATUS_HEADER] == "miss"
    with django_assert_max_num_queries(1):
        second = get(client, school_a.site.hostname, "/")
    assert second[STATUS_HEADER] == "hit"
    assert second.content == first.content
    assert "public" in second["Cache-Control"] and "max-age=60" in second["Cache-Control"]


def test_publish_unpublish_and_move_show_on_the_next_request_everywhere(
    client, portal, school_a, school_b
):
    news = draft_news(school_a, "Lễ khai giảng năm học mới")
    # Its slug is in every page that shows it: the links of the HTML pages, the feed, the sitemap.
    marker = news.slug
    assert marker == "le-khai-giang-nam-hoc-moi"
    pages = pages_showing_news(school_a)
    warm(client, pages)
    for host, path in pages:
        assert marker not in body(client, host, path)

    publish(news)
    for host, path in pages:
        assert marker in body(client, host, path), (host, path)
    assert news.title in body(client, school_a.site.hostname, site_path(school_a, news))

    warm(client, pages)
    NewsPage.objects.get(pk=news.pk).unpublish()
    for host, path in pages:
        assert marker not in body(client, host, path), (host, path)

    # A move to school B's news section: it leaves A and appears on B, and on the portal.
    publish(NewsPage.objects.get(pk=news.pk))
    pages_b = pages_showing_news(school_b)
    warm(client, pages + pages_b)
    NewsPage.objects.get(pk=news.pk).move(news_index(school_b), pos="last-child")
    for host, path in [(school_a.site.hostname, p) for p in SCHOOL_PATHS]:
        assert marker not in body(client, host, path), (host, path)
    for host, path in pages_b:
        assert marker in body(client, host, path), (host, path)


def test_a_publish_on_school_a_leaves_school_b_cached_and_unchanged(
    client, portal, school_a, school_b
):
    b_pages = [(school_b.site.hostname, p) for p in SCHOOL_PATHS]
    warm(client, b_pages)
    publish(draft_news(school_a, "Tin riêng của trường A"))
    for host, path in b_pages:
        response = get(client, host, path)
        # Precise: B's pages were not invalidated, and nothing of A's shows there.
        assert response[STATUS_HEADER] == "hit", path
        assert "Tin riêng của trường A" not in response.content.decode()


def test_branding_change_shows_on_every_page_of_the_school(client, portal, school_a):
    pages = [(school_a.site.hostname, p) for p in ("/", "/tin-tuc/", "/lien-he/")]
    pages = [(h, p) for h, p in pages if client.get(p, HTTP_HOST=h).status_code == 200]
    warm(client, pages)
    branding, _ = SiteBranding.objects.get_or_create(site=school_a.site)
    branding.display_name = "Trường Tiểu học A – Tên mới"
    branding.primary_colour = "#123456"
    branding.save()
    for host, path in pages:
        html = body(client, host, path)
        assert "Trường Tiểu học A – Tên mới" in html, path
        assert "#123456" in html, path


def test_school_rename_and_archive_show_on_the_portal_and_the_school(
    client, portal, school_a, school_b
):
    warm(client, [(PORTAL_HOST, "/"), (school_a.site.hostname, "/")])
    school_a.name = "Trường Tiểu học A Đổi Tên"
    school_a.save()
    assert "Trường Tiểu học A Đổi Tên" in body(client, PORTAL_HOST, "/")

    warm(client, [(PORTAL_HOST, "/"), (school_a.site.hostname, "/")])
    archive_school(hostname=school_a.site.hostname)
    assert client.get("/", HTTP_HOST=school_a.site.hostname).status_code == 404
    assert "Trường Tiểu học A Đổi Tên" not in body(client, PORTAL_HOST, "/")


def test_logged_in_users_are_never_served_or_stored(client, school_a, board_a):
    host = school_a.site.hostname
    warm(client, [(host, "/")])
    client.force_login(board_a)
    response = get(client, host, "/")
    assert STATUS_HEADER not in response
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    client.logout()
    client.cookies.clear()
    # What the logged-in user saw (edit links in the userbar) was not stored: the cache only
    # holds the anonymous copy.
    anonymous = get(client, host, "/")
    assert anonymous[STATUS_HEADER] == "hit"
    assert "/admin/pages/" not in anonymous.content.decode()


def test_logged_in_first_then_anonymous_is_a_fresh_render(client, school_a, board_a):
    host = school_a.site.hostname
    client.force_login(board_a)
    get(client, host, "/")
    client.logout()
    client.cookies.clear()
    assert get(client, host, "/")[STATUS_HEADER] == "miss"


def test_previews_are_not_cached_and_drafts_do_not_leak(client, school_a, board_a):
    host = school_a.site.hostname
    news = draft_news(school_a, "Bản nháp chưa duyệt")
    client.force_login(board_a)
    preview = client.get(f"/admin/pages/{news.pk}/view_draft/")
    assert preview.status_code == 200
    assert STATUS_HEADER not in preview
    assert "Bản nháp chưa duyệt" in preview.content.decode()
    client.logout()
    client.cookies.clear()
    for path in SCHOOL_PATHS:
        assert "Bản nháp chưa duyệt" not in body(client, host, path)


def test_restricted_pages_posts_and_errors_are_not_stored(client, school_a):
    host = school_a.site.hostname
    news = draft_news(school_a, "Tin nội bộ")
    publish(news)
    PageViewRestriction.objects.create(
        page=news, restriction_type=PageViewRestriction.PASSWORD, password="bi-mat"
    )
    for _ in range(2):
        # Wagtail's password form (it uses the CSRF token): never stored.
        response = client.get(site_path(school_a, news), HTTP_HOST=host)
        assert response.status_code == 200
        assert STATUS_HEADER not in response
    for _ in range(2):
        assert STATUS_HEADER not in client.get("/khong-co/", HTTP_HOST=host)
        assert STATUS_HEADER not in client.post("/", HTTP_HOST=host)


def test_one_vietnamese_copy_whatever_language_the_browser_asks(client, portal, school_a):
    # The public sites are in Vietnamese for everyone (district_site/middleware.py): a phone set
    # to English gets the page a Vietnamese one stored, and the page it renders is Vietnamese.
    host = school_a.site.hostname
    first = client.get("/", HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert first.status_code == 200 and first[STATUS_HEADER] == "miss"
    assert first["Content-Language"] == "vi"
    for language in ("vi-VN,vi;q=0.9", "en", "fr-FR"):
        again = client.get("/", HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE=language)
        assert again[STATUS_HEADER] == "hit", language
        assert again.content == first.content
    # Django's own texts too: an English browser's 404 on the portal is the Vietnamese page.
    missing = client.get("/khong-co-trang-nay/", HTTP_HOST=PORTAL_HOST, HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404 and missing["Content-Language"] == "vi"
