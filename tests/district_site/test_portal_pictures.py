"""The portal home with pictures: the latest news with their images (newest first, from the
existing selector) and the schools with the logos of their branding; the same queries with 2
schools as with 20."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from district_site.factories import make_school
from district_site.portal import setup_district_portal
from home.models import SiteBranding
from tests.school_site.test_public_pages import add_news, make_image

pytestmark = pytest.mark.django_db

PORTAL_HOST = "localhost"


def dress(school, day: int):
    """A logo in the school's branding and a news item with its own picture."""
    logo = make_image(school, f"Logo {school.name}")
    SiteBranding.objects.filter(site=school.site).update(logo=logo)
    picture = make_image(school, f"Ảnh {school.name}")
    add_news(
        school,
        f"Tin của {school.name}",
        feed_image=picture,
        date=datetime.date(2024, 9, 1) + datetime.timedelta(days=day),
    )
    return logo, picture


def portal_home(client) -> tuple[str, int]:
    client.get("/", HTTP_HOST=PORTAL_HOST)  # warm-up (renditions, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/", HTTP_HOST=PORTAL_HOST)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.usefixtures("page_cache_off")  # measures rendering, not the page cache
def test_portal_shows_news_pictures_and_school_logos_in_flat_queries(client, school_a, school_b):
    setup_district_portal()
    logo_a, picture_a = dress(school_a, 1)
    dress(school_b, 2)

    html, two_schools = portal_home(client)

    # The newest news first, each card with its picture, linking to the school's own site.
    assert html.index("Tin của Trường Mầm non B") < html.index("Tin của Trường Tiểu học A")
    card_a = html[html.index('<article class="card">', html.index("Tin mới từ các trường")) :]
    assert "<picture>" in card_a and 'href="http://th-a.localhost/tin-tuc/' in html
    assert picture_a.file.name.split("/")[-1].split(".")[0] in html
    # Every school with its logo beside its name.
    schools = html[html.index("Các trường trực thuộc") :]
    assert schools.count('class="school-logo"') == 2
    assert logo_a.file.name.split("/")[-1].split(".")[0] in schools

    for i in range(18):
        dress(make_school(f"th-them-{i}", name=f"Trường Tiểu học Thêm {i}"), 3 + i)
    html, twenty_schools = portal_home(client)

    assert twenty_schools == two_schools
    assert html[html.index("Các trường trực thuộc") :].count('class="school-logo"') == 20
    assert html.count('<article class="card">') == 10  # the portal's news_count


def test_a_school_without_a_logo_gets_a_placeholder(client, school_a, school_b):
    setup_district_portal()
    dress(school_a, 1)
    html = client.get("/", HTTP_HOST=PORTAL_HOST).content.decode()
    schools = html[html.index("Các trường trực thuộc") :]
    assert schools.count('class="school-logo"') == 1
    assert schools.count("school-logo no-logo") == 1  # school B has none
