"""A school is served at its hostname as soon as it is provisioned, and only there."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from district_site.factories import make_school
from district_site.portal import setup_district_portal
from district_site.provisioning import provision_school

pytestmark = pytest.mark.django_db


def test_new_school_is_served_at_once(client, school_a, school_b):
    # The middleware and Wagtail's site cache were both used before the new school existed.
    assert client.get("/", HTTP_HOST=school_a.site.hostname).status_code == 200
    assert client.get("/", HTTP_HOST="mn-moi.localhost").status_code == 404

    provision_school(name="Trường Mầm non Mới", kind="preschool", hostname="mn-moi.localhost")

    response = client.get("/", HTTP_HOST="mn-moi.localhost")
    assert response.status_code == 200
    assert "Trường Mầm non Mới" in response.content.decode()
    news = client.get("/tin-tuc/", HTTP_HOST="mn-moi.localhost")
    assert news.status_code == 200


def test_each_hostname_serves_its_own_school(client, two_schools):
    for school in two_schools:
        other = next(s for s in two_schools if s != school)
        body = client.get("/", HTTP_HOST=school.site.hostname).content.decode()
        assert school.name in body
        assert other.name not in body


@pytest.mark.parametrize(
    "host", ["khong-co.localhost", "localhost", "th-a.localhost.evil.localhost"]
)
def test_unknown_hostnames_answer_404_never_another_school(client, two_schools, host):
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 404
    body = response.content.decode()
    for school in two_schools:
        assert school.name not in body


def test_disallowed_hostname_is_rejected(client, school_a):
    assert client.get("/", HTTP_HOST="th-a.example.com").status_code == 400


def test_district_portal_is_served_at_the_base_domain(client, two_schools):
    setup_district_portal()
    response = client.get("/", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert "Phòng Giáo dục và Đào tạo" in response.content.decode()


def home_page_queries(client, host: str) -> int:
    client.get("/", HTTP_HOST=host)  # warm caches (site root paths, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.usefixtures("page_cache_off")  # measures rendering, not the page cache
def test_home_page_query_count_does_not_grow_with_schools(client, school_a, school_b):
    with_two = home_page_queries(client, school_a.site.hostname)
    for n in range(28):
        make_school(f"th-{n:02d}", name=f"Trường Tiểu học Số {n}")
    with_thirty = home_page_queries(client, school_a.site.hostname)
    assert with_two == with_thirty
    assert with_thirty <= 12
