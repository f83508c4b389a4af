"""The per-site fragments (home/templatetags/fragment_tags.py): a school home's listings and the
portal home's news and schools are cached with the page cache's per-host tokens. They serve the
requests the page cache passes by (here: PAGE_CACHE_ENABLED=false, and a logged-in user), so
these tests prove what they save, that no school ever sees another's, and that every change the
page cache's invalidation knows about makes them stale too."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import PageViewRestriction

from district_site.portal import setup_district_portal
from school_site.models import NewsPage
from tests.district_site.test_page_cache import draft_news, news_index, publish

pytestmark = pytest.mark.django_db

PORTAL_HOST = "localhost"
# A warm school home runs no SQL at all: the site, its root page and branding come with the
# per-site cache (district_site/middleware.py), the menu and the listings are fragments. What
# is left is the SAVEPOINT / RELEASE pair that ATOMIC_REQUESTS adds inside a test's transaction.
WARM_HOME_QUERIES = 2
# Its listings when cold, on a home without pictures: news and announcements (one query),
# documents, lectures, albums.
HOME_LISTING_QUERIES = 4
# A warm portal home: the same (tests/district_site/test_portal_home.py, PORTAL_HOME_QUERIES =
# 13 when cold).
WARM_PORTAL_QUERIES = 2
# With fragments off, the fixed costs of every page come back (tests/school_site/
# test_public_pages.py, EXPECTED_QUERIES): the site lookup, the root's specific row, the two
# view restriction checks and the branding (no logo here), besides the savepoint pair.
UNCACHED_FIXED_QUERIES = 7
# A logged-in user's request adds the session, the user, and the Wagtail userbar's two
# permission lookups (whether to show it).
LOGGED_IN_QUERIES = 4


@pytest.fixture
def page_cache_only_off(settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True


def html(client, host: str, path: str = "/") -> str:
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, (host, path)
    return response.content.decode()


def add_live_news(school, title: str) -> NewsPage:
    page = draft_news(school, title)
    publish(page)
    return page


@pytest.mark.usefixtures("page_cache_only_off")
def test_a_warm_home_skips_its_listings_and_renders_the_same_page(
    client, school_a, django_assert_num_queries
):
    add_live_news(school_a, "Hội khỏe Phù Đổng")
    host = school_a.site.hostname
    cold = html(client, host)
    with django_assert_num_queries(WARM_HOME_QUERIES):
        warm = html(client, host)
    assert warm == cold and "Hội khỏe Phù Đổng" in warm


@pytest.mark.usefixtures("page_cache_only_off")
def test_each_school_sees_only_its_own_fragment(client, school_a, school_b):
    add_live_news(school_a, "Tin riêng của trường A")
    add_live_news(school_b, "Tin riêng của trường B")
    for _ in range(2):  # cold, then warm: both must stay sealed
        page_a = html(client, school_a.site.hostname)
        page_b = html(client, school_b.site.hostname)
        assert "Tin riêng của trường A" in page_a and "Tin riêng của trường B" not in page_a
        assert "Tin riêng của trường B" in page_b and "Tin riêng của trường A" not in page_b


@pytest.mark.usefixtures("page_cache_only_off")
def test_publish_unpublish_and_move_make_the_fragments_stale(client, school_a, school_b):
    portal = setup_district_portal()
    assert portal is not None
    news = draft_news(school_a, "Lễ khai giảng năm học mới")
    pages = [(school_a.site.hostname, "/"), (school_b.site.hostname, "/"), (PORTAL_HOST, "/")]
    for host, path in pages:
        assert news.title not in html(client, host, path)  # warms every fragment

    publish(news)
    assert news.title in html(client, school_a.site.hostname)
    assert news.title in html(client, PORTAL_HOST)
    assert news.title not in html(client, school_b.site.hostname)

    NewsPage.objects.get(pk=news.pk).move(news_index(school_b), pos="last-child")
    assert news.title not in html(client, school_a.site.hostname)
    assert news.title in html(client, school_b.site.hostname)

    NewsPage.objects.get(pk=news.pk).unpublish()
    for host, path in pages:
        assert news.title not in html(client, host, path), host


def test_a_logged_in_user_gets_the_fragments_and_sees_a_publish_at_once(
    client, school_a, django_assert_num_queries
):
    """The page cache never serves a session; the fragments do, and stay exact."""
    user = get_user_model().objects.create_user("phuhuynh", "ph@example.vn", "x")
    client.force_login(user)
    host = school_a.site.hostname
    html(client, host)
    with django_assert_num_queries(WARM_HOME_QUERIES + LOGGED_IN_QUERIES):
        before = html(client, host)
    news = add_live_news(school_a, "Thông báo họp phụ huynh")
    assert news.title not in before
    assert news.title in html(client, host)


@pytest.mark.usefixtures("page_cache_only_off")
def test_a_warm_portal_home_skips_its_listings(client, school_a, django_assert_num_queries):
    setup_district_portal()
    add_live_news(school_a, "Tin mới của trường A")
    cold = html(client, PORTAL_HOST)
    with django_assert_num_queries(WARM_PORTAL_QUERIES):
        warm = html(client, PORTAL_HOST)
    assert warm == cold and "Tin mới của trường A" in warm


def test_fragments_can_be_switched_off(client, school_a, settings, django_assert_num_queries):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False
    host = school_a.site.hostname
    html(client, host)
    # Every listing and the menu queried again, as on the first request.
    with django_assert_num_queries(UNCACHED_FIXED_QUERIES + HOME_LISTING_QUERIES + 1):
        html(client, host)


@pytest.mark.usefixtures("page_cache_only_off")
def test_the_cached_menu_follows_an_unpublish_and_stays_per_school(client, school_a, school_b):
    menu_link = 'href="/tin-tuc/"'
    for school in (school_a, school_b):
        html(client, school.site.hostname)  # warms both menus
        assert menu_link in html(client, school.site.hostname)
    news_index(school_a).unpublish()
    assert menu_link not in html(client, school_a.site.hostname)
    assert menu_link in html(client, school_b.site.hostname)
    # Which item is active still depends on the page asked for, not on the cached rows.
    assert 'href="/tin-tuc/" aria-current="page"' in html(
        client, school_b.site.hostname, "/tin-tuc/"
    )


@pytest.mark.usefixtures("page_cache_only_off")
def test_a_view_restriction_makes_the_listings_stale(client, school_a):
    """A restricted page leaves every listing at once, and comes back when it is lifted."""
    setup_district_portal()
    news = add_live_news(school_a, "Tin chỉ dành cho phụ huynh")
    pages = [(school_a.site.hostname, "/"), (PORTAL_HOST, "/")]
    for host, path in pages:
        assert news.title in html(client, host, path)
    restriction = PageViewRestriction.objects.create(
        page=news, restriction_type=PageViewRestriction.PASSWORD, password="bi-mat"
    )
    for host, path in pages:
        assert news.title not in html(client, host, path), host
    restriction.delete()
    for host, path in pages:
        assert news.title in html(client, host, path), host
