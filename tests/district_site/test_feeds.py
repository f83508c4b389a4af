"""RSS at /rss.xml, the sitemap at /sitemap.xml and /robots.txt, one of each per site."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import PageViewRestriction, Site

from district_site.factories import make_school
from district_site.models import School
from district_site.portal import setup_district_portal
from district_site.provisioning import archive_school
from tests.district_site.test_public_search import add_document, add_news

pytestmark = pytest.mark.django_db

PORTAL_HOST = "localhost"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def rss_items(client, hostname: str) -> list[dict[str, str]]:
    response = client.get("/rss.xml", HTTP_HOST=hostname)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    return [{child.tag: (child.text or "") for child in item} for item in channel.findall("item")]


def sitemap_locations(client, hostname: str) -> list[str]:
    response = client.get("/sitemap.xml", HTTP_HOST=hostname)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)]


def measure(client, hostname: str, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, HTTP_HOST=hostname)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# --- RSS ------------------------------------------------------------------------------------


def test_feed_lists_the_latest_twenty_news_of_its_own_site(client, school_a, school_b):
    for day in range(1, 23):
        add_news(
            school_a.site.root_page,
            f"Tin trường A ngày {day:02d}",
            intro=f"Tóm tắt ngày {day}.",
            date=datetime.date(2024, 3, day),
        )
    add_news(school_a.site.root_page, "Tin nháp của trường A", live=False)
    add_news(school_b.site.root_page, "Tin trường B", date=datetime.date(2024, 3, 30))

    items = rss_items(client, school_a.site.hostname)

    assert [i["title"] for i in items] == [f"Tin trường A ngày {d:02d}" for d in range(22, 2, -1)]
    newest = items[0]
    assert newest["link"] == "http://th-a.localhost/tin-tuc/tin-truong-a-ngay-22/"
    assert newest["description"] == "Tóm tắt ngày 22."
    assert newest["pubDate"].startswith("Fri, 22 Mar 2024")
    assert all(i["link"].startswith("http://th-a.localhost/") for i in items)

    assert [i["title"] for i in rss_items(client, school_b.site.hostname)] == ["Tin trường B"]


def test_feed_leaves_out_drafts_private_news_and_other_pages(client, school_a, school_b):
    add_news(school_a.site.root_page, "Tin công khai")
    add_news(school_a.site.root_page, "Tin bản nháp", live=False)
    private = add_news(school_a.site.root_page, "Tin nội bộ")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="bimat"
    )
    add_document(school_a.site.root_page, "Công văn không phải tin", number="1/CV")

    assert [i["title"] for i in rss_items(client, school_a.site.hostname)] == ["Tin công khai"]
    assert rss_items(client, school_b.site.hostname) == []


def test_feed_channel_names_the_site(client, school_a, school_b):
    response = client.get("/rss.xml", HTTP_HOST=school_b.site.hostname)
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("title") == f"Tin mới – {school_b.name}"
    assert channel.findtext("link") == "http://mn-b.localhost/"
    assert school_a.name not in response.content.decode()


def test_portal_feed_has_every_active_schools_news(client, school_a, school_b):
    setup_district_portal()
    add_news(school_a.site.root_page, "Tin trường A", date=datetime.date(2024, 4, 2))
    add_news(school_b.site.root_page, "Tin trường B", date=datetime.date(2024, 4, 3))

    items = rss_items(client, PORTAL_HOST)
    assert [(i["title"], i["link"]) for i in items] == [
        ("Tin trường B", "http://mn-b.localhost/tin-tuc/tin-truong-b/"),
        ("Tin trường A", "http://th-a.localhost/tin-tuc/tin-truong-a/"),
    ]
    assert items[0]["{http://purl.org/dc/elements/1.1/}creator"] == school_b.name

    archive_school(hostname=school_b.site.hostname)
    assert [i["title"] for i in rss_items(client, PORTAL_HOST)] == ["Tin trường A"]


# --- Sitemap --------------------------------------------------------------------------------


def test_sitemap_lists_only_its_own_sites_live_public_pages(client, school_a, school_b):
    add_news(school_a.site.root_page, "Tin công khai trường A")
    add_news(school_a.site.root_page, "Tin nháp trường A", live=False)
    private = add_news(school_a.site.root_page, "Tin nội bộ trường A")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="bimat"
    )
    add_news(school_b.site.root_page, "Tin trường B")

    locations = sitemap_locations(client, school_a.site.hostname)

    assert locations[0] == "http://th-a.localhost/"
    assert "http://th-a.localhost/tin-tuc/tin-cong-khai-truong-a/" in locations
    assert "http://th-a.localhost/gioi-thieu/ban-quan-tri/" in locations
    assert all(loc.startswith("http://th-a.localhost/") for loc in locations)
    assert not any("nhap" in loc or "noi-bo" in loc for loc in locations)
    # Home, six sections, board, staff and the one public news item.
    assert len(locations) == 10

    b_locations = sitemap_locations(client, school_b.site.hostname)
    assert "http://mn-b.localhost/tin-tuc/tin-truong-b/" in b_locations
    assert all(loc.startswith("http://mn-b.localhost/") for loc in b_locations)


def test_sitemap_matches_wagtails_own_site_aware_sitemap(client, school_a, school_b):
    """Wagtail's stock Sitemap is site-aware through the request; ours lists the same URLs."""
    add_news(school_a.site.root_page, "Tin trường A")
    add_news(school_b.site.root_page, "Tin trường B")
    for school in (school_a, school_b):
        request = RequestFactory().get("/sitemap.xml", HTTP_HOST=school.site.hostname)
        request._wagtail_site = Site.objects.select_related("root_page").get(pk=school.site.pk)
        stock = [
            url["location"]
            for page in WagtailSitemap(request).items()
            for url in page.get_sitemap_urls(request)
        ]
        assert sitemap_locations(client, school.site.hostname) == stock


def test_portal_sitemap_lists_only_the_portals_pages(client, school_a, school_b):
    portal = setup_district_portal()
    add_document(portal, "Công văn của Phòng", number="5/PGDĐT")
    add_news(school_a.site.root_page, "Tin trường A")

    assert sitemap_locations(client, PORTAL_HOST) == [
        "http://localhost/",
        "http://localhost/van-ban/",
        "http://localhost/van-ban/cong-van-cua-phong/",
    ]


# --- robots.txt -----------------------------------------------------------------------------


def test_robots_txt_points_to_each_sites_own_sitemap(client, school_a, school_b):
    for school in (school_a, school_b):
        response = client.get("/robots.txt", HTTP_HOST=school.site.hostname)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        lines = response.content.decode().splitlines()
        assert lines == [
            "User-agent: *",
            "Allow: /",
            "Disallow: /admin/",
            f"Sitemap: http://{school.site.hostname}/sitemap.xml",
        ]


def test_unknown_and_archived_hosts_get_404(client, school_a, school_b):
    archive_school(hostname=school_b.site.hostname)
    for path in ("/rss.xml", "/sitemap.xml", "/robots.txt", "/search/"):
        assert client.get(path, HTTP_HOST="khong-co.localhost").status_code == 404
        assert client.get(path, HTTP_HOST=school_b.site.hostname).status_code == 404
        assert client.get(path, HTTP_HOST=school_a.site.hostname).status_code == 200


# --- Query counts ---------------------------------------------------------------------------
#
# Every request: a SAVEPOINT / RELEASE pair (ATOMIC_REQUESTS inside the test's transaction),
# and the Site (SchoolSiteMiddleware): 1 query on the first request for a host, none after it
# (the site's bundle, district_site/middleware.py, kept until the site's pages go stale).
#   RSS on a school:     + 1 private sections + 1 news rows                       = 4 (+ 1)
#   RSS on the portal:   + 1 active sites     + 1 private sections + 1 news rows  = 5 (+ 1)
#   sitemap (any site):  + 1 private sections + 1 count + 1 page of rows          = 5
#   robots.txt:          nothing more                                             = 2
SITE_LOOKUP = 1


def test_feed_sitemap_robots_query_counts(client, school_a, school_b, django_assert_num_queries):
    setup_district_portal()
    add_news(school_a.site.root_page, "Tin trường A")
    add_news(school_b.site.root_page, "Tin trường B")

    for hostname in (school_a.site.hostname, school_b.site.hostname):
        with django_assert_num_queries(4 + SITE_LOOKUP):  # the first request for this host
            client.get("/rss.xml", HTTP_HOST=hostname)
        with django_assert_num_queries(5):
            client.get("/sitemap.xml", HTTP_HOST=hostname)
        with django_assert_num_queries(2):
            client.get("/robots.txt", HTTP_HOST=hostname)
    with django_assert_num_queries(5 + SITE_LOOKUP):
        client.get("/rss.xml", HTTP_HOST=PORTAL_HOST)
    with django_assert_num_queries(5):
        client.get("/sitemap.xml", HTTP_HOST=PORTAL_HOST)


@pytest.mark.usefixtures("page_cache_off")  # measures rendering, not the page cache
def test_query_counts_do_not_grow_with_schools_or_news(client, school_a, school_b):
    setup_district_portal()

    def add_many(school, start, stop):
        for n in range(start, stop):
            add_news(school.site.root_page, f"Tin số {n}", date=datetime.date(2024, 1, 1))

    add_many(school_a, 0, 10)
    add_many(school_b, 0, 10)
    paths = ("/rss.xml", "/sitemap.xml", "/robots.txt")
    hosts = (school_a.site.hostname, PORTAL_HOST)
    small = {(h, p): measure(client, h, p) for h in hosts for p in paths}
    assert len(rss_items(client, PORTAL_HOST)) == 20
    assert len(sitemap_locations(client, school_a.site.hostname)) == 9 + 10

    for n in range(18):
        make_school(f"thcs-so-{n}", kind=School.Kind.LOWER_SECONDARY, name=f"Trường THCS số {n}")
    add_many(school_a, 10, 50)
    assert School.objects.count() == 20

    big = {(h, p): measure(client, h, p) for h in hosts for p in paths}
    assert len(sitemap_locations(client, school_a.site.hostname)) == 9 + 50
    assert big == small
    assert small == {
        (school_a.site.hostname, "/rss.xml"): 5,
        (school_a.site.hostname, "/sitemap.xml"): 6,
        (school_a.site.hostname, "/robots.txt"): 3,
        (PORTAL_HOST, "/rss.xml"): 6,
        (PORTAL_HOST, "/sitemap.xml"): 6,
        (PORTAL_HOST, "/robots.txt"): 3,
    }
