"""The per-site cache of what every page needs first (district_site/middleware.py): the Site with
its School, its root page in its specific class (marked unrestricted when it is), and its
branding with the logo's and banner's renditions. It is kept with the page cache's per-host
tokens, so it serves the requests the page cache passes by (here PAGE_CACHE_ENABLED=false, and a
logged-in user); these tests prove that no school ever gets another's, and that every change
that shows on a site's pages reaches the next request at once."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page, PageViewRestriction, Site

from district_site.provisioning import archive_school
from home.models import SiteBranding
from tests.district_site.test_fragment_cache import WARM_HOME_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_only_off(settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True


def get(client, host: str, path: str = "/"):
    return client.get(path, HTTP_HOST=host)


def html(client, host: str, path: str = "/") -> str:
    response = get(client, host, path)
    assert response.status_code == 200, (host, path, response.status_code)
    return response.content.decode()


def warm(client, *hosts: str) -> None:
    """Two requests each: the second is served from the per-site cache (no SQL)."""
    for host in hosts:
        html(client, host)
        html(client, host)


def brand(school, name: str, colour: str) -> None:
    branding, _ = SiteBranding.objects.get_or_create(site=school.site)
    branding.display_name = name
    branding.primary_colour = colour
    branding.save()


def test_each_school_gets_its_own_site_root_and_branding(
    client, school_a, school_b, django_assert_num_queries
):
    brand(school_a, "Trường A riêng", "#112233")
    brand(school_b, "Trường B riêng", "#445566")
    for _ in range(3):  # cold, then warm, then warm again, alternating the two schools
        for school, own, other in (
            (school_a, ("Trường A riêng", "#112233"), ("Trường B riêng", "#445566")),
            (school_b, ("Trường B riêng", "#445566"), ("Trường A riêng", "#112233")),
        ):
            page = html(client, school.site.hostname)
            assert all(text in page for text in own), school
            assert not any(text in page for text in other), school
    with django_assert_num_queries(WARM_HOME_QUERIES):
        html(client, school_b.site.hostname)


def test_branding_and_archive_reach_the_next_request(client, school_a, school_b):
    host_a, host_b = school_a.site.hostname, school_b.site.hostname
    warm(client, host_a, host_b)
    brand(school_a, "Tên hiển thị mới", "#123456")
    page = html(client, host_a)
    assert "Tên hiển thị mới" in page and "#123456" in page
    assert "Tên hiển thị mới" not in html(client, host_b)

    # The cached School is the one the middleware checks: archiving answers 404 at once.
    warm(client, host_a, host_b)
    archive_school(hostname=host_a)
    assert get(client, host_a).status_code == 404
    assert get(client, host_b).status_code == 200


def test_publishing_or_unpublishing_the_home_reaches_the_next_request(client, school_a, school_b):
    host = school_a.site.hostname
    warm(client, host, school_b.site.hostname)
    home = school_a.site.root_page.specific
    home.intro = "<p>Chào mừng quý phụ huynh đến với năm học mới</p>"
    home.save_revision().publish()
    assert "Chào mừng quý phụ huynh" in html(client, host)
    assert "Chào mừng quý phụ huynh" not in html(client, school_b.site.hostname)

    warm(client, host)
    Page.objects.get(pk=home.pk).specific.unpublish()
    assert get(client, host).status_code == 404
    assert get(client, school_b.site.hostname).status_code == 200


def test_a_restriction_on_the_home_applies_at_once_and_lifts_at_once(client, school_a, school_b):
    host = school_a.site.hostname
    warm(client, host, school_b.site.hostname)
    restriction = PageViewRestriction.objects.create(
        page=school_a.site.root_page, restriction_type=PageViewRestriction.LOGIN
    )
    for _ in range(2):  # and it stays restricted once the new cache entry is warm
        response = get(client, host)
        assert response.status_code == 302 and "login" in response["Location"]
    assert get(client, school_b.site.hostname).status_code == 200

    # A logged-in visitor passes it, and the entry the anonymous requests stored still answers
    # "restricted" for the next anonymous one.
    user = get_user_model().objects.create_user("phuhuynh", "ph@example.vn", "x")
    client.force_login(user)
    assert get(client, host).status_code == 200
    client.logout()
    assert get(client, host).status_code == 302

    restriction.delete()
    assert get(client, host).status_code == 200


def test_a_restriction_on_the_tree_root_reaches_every_site(client, school_a, school_b):
    warm(client, school_a.site.hostname, school_b.site.hostname)
    PageViewRestriction.objects.create(
        page=Page.get_first_root_node(), restriction_type=PageViewRestriction.LOGIN
    )
    for school in (school_a, school_b):
        assert get(client, school.site.hostname).status_code == 302, school


def test_a_changed_hostname_answers_at_once(client, school_a, school_b):
    old = school_a.site.hostname
    warm(client, old, school_b.site.hostname)
    site = Site.objects.get(pk=school_a.site.pk)
    site.hostname = "th-a-moi.localhost"
    site.save()
    assert get(client, old).status_code == 404
    assert "Trường Tiểu học A" in html(client, "th-a-moi.localhost")
    assert get(client, school_b.site.hostname).status_code == 200


def test_a_bundle_built_by_a_deeper_page_learns_the_homes_restriction(
    client, school_a, school_b, django_assert_num_queries
):
    """The root's "unrestricted" mark is added by the first request for the home itself; a
    bundle started by another page must not skip the home's restriction check before that."""
    news = school_a.site.root_page.get_children().live().first()
    path = "/" + news.url_path.split("/", 2)[2]
    restriction = PageViewRestriction.objects.create(
        page=school_a.site.root_page, restriction_type=PageViewRestriction.LOGIN
    )
    for _ in range(2):
        assert get(client, school_a.site.hostname, path).status_code == 302
        assert get(client, school_a.site.hostname).status_code == 302
    restriction.delete()
    assert get(client, school_a.site.hostname, path).status_code == 200
    html(client, school_a.site.hostname)
    with django_assert_num_queries(WARM_HOME_QUERIES):
        html(client, school_a.site.hostname)
    # School B's bundle is its own: never restricted by school A's.
    assert get(client, school_b.site.hostname).status_code == 200


def test_a_feed_builds_no_more_of_the_bundle_than_it_uses(client, school_a, school_b):
    """robots.txt and the feed need only the Site: no root page, no branding."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert get(client, school_a.site.hostname, "/robots.txt").status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "home_sitebranding" not in sql and "wagtailcore_pageviewrestriction" not in sql
    # The home after it still gets everything it needs, and school B its own.
    assert "Trường Tiểu học A" in html(client, school_a.site.hostname)
    assert "Trường Tiểu học A" not in html(client, school_b.site.hostname)
