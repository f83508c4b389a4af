"""The district portal's home: schools by kind, the newest news of every active school."""

from __future__ import annotations

import datetime

import pytest

from district_site.factories import make_school
from district_site.models import School
from district_site.portal import setup_district_portal
from district_site.provisioning import archive_school
from school_site.models import (
    DocumentIndexPage,
    NewsIndexPage,
    NewsPage,
    OfficialDocumentPage,
)

pytestmark = pytest.mark.django_db

PORTAL_HOST = "localhost"


def add_news(school: School, title: str, *, live: bool = True, date=None) -> NewsPage:
    index = NewsIndexPage.objects.descendant_of(school.site.root_page).get()
    page = NewsPage(title=title, live=live, date=date or datetime.date(2024, 9, 5))
    index.add_child(instance=page)
    return page


@pytest.fixture
def portal(db):
    return setup_district_portal()


def add_district_document(portal, title: str, number: str) -> OfficialDocumentPage:
    index = DocumentIndexPage.objects.child_of(portal).get()
    page = OfficialDocumentPage(title=title, number=number, issue_date=datetime.date(2024, 8, 1))
    index.add_child(instance=page)
    return page


def test_portal_lists_active_schools_by_kind_with_links(client, portal, school_a, school_b):
    school_a.address = "Ấp 3, xã Phú Cường"
    school_a.save()
    archived = make_school("thcs-c", kind=School.Kind.LOWER_SECONDARY, name="Trường THCS C")
    archive_school(hostname=archived.site.hostname)

    response = client.get("/", HTTP_HOST=PORTAL_HOST)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html and "Các trường trực thuộc" in html
    assert "Mầm non – Mẫu giáo" in html and "Tiểu học" in html
    # Kinds in the order of School.Kind: preschools first.
    assert html.index("Mầm non – Mẫu giáo") < html.index("Trường Mầm non B")
    assert html.index("Trường Mầm non B") < html.index("Trường Tiểu học A")
    assert 'href="http://th-a.localhost/"' in html and 'href="http://mn-b.localhost/"' in html
    assert "Ấp 3, xã Phú Cường" in html
    assert "Trường THCS C" not in html and "Trung học cơ sở" not in html


def test_portal_shows_latest_news_of_active_schools_with_full_urls(
    client, portal, school_a, school_b
):
    news_a = add_news(school_a, "Khai giảng năm học mới ở trường A")
    add_news(school_b, "Bé vui đến trường ở trường B", date=datetime.date(2024, 9, 6))
    add_news(school_a, "Tin nháp của trường A", live=False)
    archived = make_school("thcs-c", kind=School.Kind.LOWER_SECONDARY, name="Trường THCS C")
    add_news(archived, "Tin của trường đã lưu trữ")
    archive_school(hostname=archived.site.hostname)

    html = client.get("/", HTTP_HOST=PORTAL_HOST).content.decode()

    assert "Tin mới từ các trường" in html
    assert "Khai giảng năm học mới ở trường A" in html and "Bé vui đến trường ở trường B" in html
    assert html.index("Bé vui đến trường") < html.index("Khai giảng năm học mới")
    assert f'href="http://th-a.localhost/tin-tuc/{news_a.slug}/"' in html
    assert "05/09/2024" in html and "06/09/2024" in html
    assert "Tin nháp của trường A" not in html and "Tin của trường đã lưu trữ" not in html
    # Each school's own home still shows only its own news.
    home_a = client.get("/", HTTP_HOST=school_a.site.hostname).content.decode()
    assert "Khai giảng năm học mới" in home_a and "Bé vui đến trường" not in home_a


def test_portal_links_its_own_documents(client, portal, school_a, school_b):
    add_district_document(portal, "Hướng dẫn nhiệm vụ năm học", "531/PGDĐT-VP")
    html = client.get("/", HTTP_HOST=PORTAL_HOST).content.decode()
    assert "Văn bản chỉ đạo" in html and 'href="/van-ban/"' in html
    assert "531/PGDĐT-VP" in html

    listing = client.get("/van-ban/", HTTP_HOST=PORTAL_HOST)
    assert listing.status_code == 200
    assert "Hướng dẫn nhiệm vụ năm học" in listing.content.decode()


# Measured on Wagtail 8.0.1 after a warm-up request; includes the SAVEPOINT / RELEASE pair of
# ATOMIC_REQUESTS in a test transaction. SQL reads: site, root page's specific row, two view
# restriction checks, branding, menu, active schools, news of all schools, the documents
# section and its documents, the schools' logos. (Pictures add one query for all their
# renditions: tests/district_site/test_portal_pictures.py; none here.)
PORTAL_HOME_QUERIES = 13


@pytest.mark.usefixtures("page_cache_off")  # measures rendering, not the page cache
def test_portal_home_query_count_does_not_grow(
    client, portal, school_a, school_b, django_assert_num_queries
):
    add_district_document(portal, "Công văn 1", "1/PGDĐT")
    for i in range(5):
        add_news(school_a, f"Tin A {i}")
        add_news(school_b, f"Tin B {i}")

    def measure():
        assert client.get("/", HTTP_HOST=PORTAL_HOST).status_code == 200  # warm-up
        with django_assert_num_queries(PORTAL_HOME_QUERIES):
            response = client.get("/", HTTP_HOST=PORTAL_HOST)
        assert response.status_code == 200
        return response.content.decode()

    measure()
    schools = [
        make_school(f"th-them-{i}", name=f"Trường Tiểu học Thêm {i}", address=f"Ấp {i}")
        for i in range(18)
    ]
    for i, school in enumerate(schools * 5):
        add_news(school, f"Tin thêm {i}", date=datetime.date(2025, 1, 1))
    for i in range(3):
        add_district_document(portal, f"Công văn thêm {i}", f"{i + 2}/PGDĐT")
    assert School.objects.count() == 20 and NewsPage.objects.count() == 100
    html = measure()
    assert "Trường Tiểu học Thêm 17" in html and "Tin thêm 89" in html
