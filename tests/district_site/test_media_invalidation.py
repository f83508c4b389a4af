"""Editing what a cached page shows without publishing it (district_site/media_invalidation.py):
an image, a person's name, a contributor group's name. The next anonymous request shows the
change on the school's site, and on the portal when the portal shows it; another school's cached
pages stay cached."""

from __future__ import annotations

import pytest

from district_site.factories import make_member
from district_site.portal import setup_district_portal
from home.models import SiteBranding
from home.page_cache import STATUS_HEADER
from school_site.models import ContributorGroup, StaffMember, StaffPage
from tests.school_site.test_public_pages import add_news, host, make_image, url_of

pytestmark = pytest.mark.django_db

PORTAL_HOST = "localhost"


def get(client, hostname: str, path: str):
    response = client.get(path, HTTP_HOST=hostname)
    assert response.status_code == 200, (hostname, path)
    return response


def warm(client, pages) -> None:
    for hostname, path in pages:
        get(client, hostname, path)
        assert get(client, hostname, path)[STATUS_HEADER] == "hit", (hostname, path)


def assert_cached(client, pages) -> None:
    for hostname, path in pages:
        assert get(client, hostname, path)[STATUS_HEADER] == "hit", (hostname, path)


@pytest.fixture
def portal(db):
    return setup_district_portal()


def test_editing_a_news_picture_reaches_the_school_and_the_portal_not_school_b(
    client, portal, school_a, school_b
):
    picture = make_image(school_a, "Ảnh khai giảng")
    news = add_news(school_a, "Khai giảng", feed_image=picture)
    add_news(school_b, "Tin trường B", feed_image=make_image(school_b, "Ảnh B"))
    shown = [(host(school_a), "/"), (host(school_a), url_of(news)), (PORTAL_HOST, "/")]
    untouched = [(host(school_b), "/"), (host(school_b), "/tin-tuc/")]
    warm(client, shown + untouched)

    picture.title = "Ảnh lễ khai giảng năm học mới"
    picture.focal_point_x, picture.focal_point_y = 20, 30
    picture.focal_point_width = picture.focal_point_height = 40
    picture.save()

    for hostname, path in shown:
        response = get(client, hostname, path)
        assert response[STATUS_HEADER] == "miss", (hostname, path)
        if path == url_of(news):
            # og:image:alt, and a rendition for the new focal point.
            assert 'content="Ảnh lễ khai giảng năm học mới"' in response.content.decode()
    assert_cached(client, untouched)


def test_an_image_the_portal_does_not_show_leaves_the_portal_cached(
    client, portal, school_a, school_b
):
    SiteBranding.objects.filter(site=school_b.site).update(logo=make_image(school_b, "Logo B"))
    staff = StaffPage.objects.descendant_of(school_a.site.root_page).get()
    portrait = make_image(school_a, "Chân dung")
    StaffMember.objects.create(page=staff, name="Lê Thị Hoa", photo=portrait)
    staff.save_revision().publish()
    warm(client, [(host(school_a), url_of(staff)), (PORTAL_HOST, "/"), (host(school_b), "/")])

    portrait.delete()

    page = get(client, host(school_a), url_of(staff))
    assert page[STATUS_HEADER] == "miss" and "Lê Thị Hoa" in page.content.decode()
    assert "<picture>" not in page.content.decode().split('class="people"')[1]
    assert_cached(client, [(PORTAL_HOST, "/"), (host(school_b), "/")])


def test_a_school_logo_change_reaches_the_portal(client, portal, school_a, school_b):
    logo = make_image(school_a, "Logo A")
    SiteBranding.objects.filter(site=school_a.site).update(logo=logo)
    warm(client, [(PORTAL_HOST, "/"), (host(school_b), "/")])

    logo.title = "Logo mới"
    logo.save()

    assert get(client, PORTAL_HOST, "/")[STATUS_HEADER] == "miss"
    assert_cached(client, [(host(school_b), "/")])


def test_renaming_an_author_or_a_group_updates_their_bylines_only(
    client, portal, school_a, school_b
):
    author = make_member(school_a, "gv_lan", first_name="Lan", last_name="Trần Thị")
    group = ContributorGroup.objects.create(school=school_a, name="Tổ Văn")
    group.members.add(author)
    news = add_news(school_a, "Bài của cô Lan", author=author, contributor_group=group)
    pages = [(host(school_a), url_of(news)), (PORTAL_HOST, "/"), (host(school_b), "/")]
    warm(client, pages)
    assert "Tác giả: Trần Thị Lan" in get(client, *pages[0]).content.decode()

    author.last_login = None
    author.save(update_fields=["last_login"])  # a login changes no name: nothing goes stale
    assert_cached(client, pages)

    author.last_name = "Nguyễn Thị"
    author.save()
    article = get(client, *pages[0])
    assert article[STATUS_HEADER] == "miss"
    assert "Tác giả: Nguyễn Thị Lan" in article.content.decode()
    assert_cached(client, pages[1:])  # the portal shows no bylines

    group.name = "Tổ Ngữ văn"
    group.save()
    assert "Tổ Ngữ văn" in get(client, *pages[0]).content.decode()
    assert_cached(client, pages[1:])
