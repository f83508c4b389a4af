"""The portal's latest news (home and RSS) follow the tree as pages are published, unpublished,
moved between schools and deleted, and PostgreSQL serves them from the newest-first index.

The portal reads the news table through `district_site.selectors.UnderSiteRoot` and the
`news_newest_first_idx` index; nothing is denormalised, so there is nothing to keep in step on
save or move. These tests prove that: every change shows at once on both portal reads.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection

from district_site.portal import setup_district_portal
from district_site.portal.models import DistrictHomePage
from district_site.portal.selectors import latest_school_news, portal_schools
from district_site.provisioning import archive_school
from district_site.public_reads import latest_news, scope_for_site
from school_site.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db

PORTAL_HOST = "localhost"


@pytest.fixture
def portal(db) -> DistrictHomePage:
    return setup_district_portal()


def news_index(school) -> NewsIndexPage:
    return NewsIndexPage.objects.child_of(school.site.root_page).get()


def draft(school, title: str, day: int) -> NewsPage:
    page = NewsPage(title=title, live=False, date=datetime.date(2025, 3, day))
    news_index(school).add_child(instance=page)
    return page


def home_links(client) -> list[str]:
    """The portal home's news links, newest first."""
    response = client.get("/", HTTP_HOST=PORTAL_HOST)
    assert response.status_code == 200
    links = re.findall(r'href="(http://[^"]+/tin-tuc/[^"]+)"', response.content.decode())
    return list(dict.fromkeys(links))  # an item may link from its picture and its title


def rss_links(client) -> list[str]:
    response = client.get("/rss.xml", HTTP_HOST=PORTAL_HOST)
    assert response.status_code == 200
    channel = ET.fromstring(response.content).find("channel")
    return [item.find("link").text for item in channel.findall("item")]


def test_latest_news_follows_publish_unpublish_move_and_delete(client, portal, school_a, school_b):
    first = draft(school_a, "Khai giảng", 1)
    second = draft(school_a, "Hội thi giáo viên", 2)
    assert home_links(client) == [] and rss_links(client) == []

    first.save_revision().publish()
    second.save_revision().publish()
    a1 = "http://th-a.localhost/tin-tuc/khai-giang/"
    a2 = "http://th-a.localhost/tin-tuc/hoi-thi-giao-vien/"
    assert home_links(client) == [a2, a1]
    assert rss_links(client) == [a2, a1]

    second.refresh_from_db()
    second.unpublish()
    assert home_links(client) == [a1] and rss_links(client) == [a1]

    # Moved to another school: listed under that school, with that school's URL.
    first.refresh_from_db()
    first.move(news_index(school_b), pos="last-child")
    b1 = "http://mn-b.localhost/tin-tuc/khai-giang/"
    assert home_links(client) == [b1] and rss_links(client) == [b1]
    # ...and dropped with it when that school is archived.
    archive_school(hostname=school_b.site.hostname)
    assert home_links(client) == [] and rss_links(client) == []

    second.refresh_from_db()
    second.save_revision().publish()
    assert home_links(client) == [a2]
    NewsPage.objects.get(pk=second.pk).delete()
    assert home_links(client) == [] and rss_links(client) == []


def test_portal_feed_includes_the_portals_own_news(client, portal, school_a):
    # The feed's scope is the portal's own site plus active schools (home lists schools only).
    index = NewsIndexPage(title="Tin của Phòng", slug="tin-phong")
    portal.add_child(instance=index)
    index.add_child(instance=NewsPage(title="Tin Phòng", date=datetime.date(2025, 3, 5)))
    draft(school_a, "Tin trường A", 4).save_revision().publish()

    assert rss_links(client) == [
        "http://localhost/tin-phong/tin-phong/",
        "http://th-a.localhost/tin-tuc/tin-truong-a/",
    ]
    assert home_links(client) == ["http://th-a.localhost/tin-tuc/tin-truong-a/"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_postgresql_walks_the_newest_first_index(portal, school_a, school_b):
    """With a few thousand news pages, both portal reads use the index and sort no table."""
    from tests.bulk_pages import bulk_news

    for school in (school_a, school_b):
        bulk_news(news_index(school), 1500, start=school.pk * 10_000, search_index=False)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # VACUUM cannot run in the test's transaction; ANALYZE can

    portal_site = portal.get_site()
    feed_sql = _sql_of(lambda: latest_news(scope=scope_for_site(portal_site), limit=20))
    schools = portal_schools()
    home_sql = _sql_of(lambda: latest_school_news(schools, limit=portal.news_count))
    for sql in (feed_sql, home_sql):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "news_newest_first_idx" in plan, plan
        assert "Seq Scan on school_site_newspage" not in plan, plan


def _sql_of(read) -> str:
    """The SQL of the one statement of `read` that reads the news table."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        read()
    (sql,) = [q["sql"] for q in captured.captured_queries if "school_site_newspage" in q["sql"]]
    return sql
