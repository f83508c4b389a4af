"""The honour board page on two schools' sites and on the portal: each school's board names only
its own leaders, public names only, opted-out people left out, a new credit shown after the
next publish (the page cache), and constant queries whatever the number of schools or posts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from district_site.factories import make_member, make_school
from district_site.portal import setup_district_portal
from home.page_cache import STATUS_HEADER
from school_site.models import ContributorGroup, StaffProfile
from scoring import services
from scoring.honour import HonourBoardPage
from tests.scoring.helpers import draft_news, news_index, publish

PORTAL_HOST = "localhost"


@pytest.fixture
def year(db):
    return services.school_year_for(moment=timezone.now())


def add_board(parent, title: str = "Bảng vinh danh") -> HonourBoardPage:
    page = HonourBoardPage(title=title, slug="vinh-danh", limit=10)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def html_of(client, host: str) -> str:
    response = client.get("/vinh-danh/", HTTP_HOST=host)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def honour(year, school_a, school_b, board_a, board_b):
    """School A: Nguyễn Thị Hoa (2 posts, Tổ Toán) and Trần Văn Bình, who opted out (1 post);
    school B: Lê Minh Châu (1 post). An honour board on both school sites."""
    hoa = make_member(school_a, "hoa", first_name="Hoa", last_name="Nguyễn Thị")
    binh = make_member(school_a, "binh", first_name="Bình", last_name="Trần Văn")
    chau = make_member(school_b, "chau", first_name="Châu", last_name="Lê Minh")
    maths = ContributorGroup.objects.create(school=school_a, name="Tổ Toán")
    maths.members.add(hoa)
    StaffProfile.objects.create(user=binh, school=school_a, hide_on_honour_board=True)
    for _ in range(2):
        publish(draft_news(school_a, hoa, group=maths), board_a)
    publish(draft_news(school_a, binh), board_a)
    publish(draft_news(school_b, chau), board_b)
    return {
        "hoa": hoa,
        "binh": binh,
        "chau": chau,
        "board_a": add_board(school_a.site.root_page),
        "board_b": add_board(school_b.site.root_page),
    }


def test_each_school_shows_its_own_leaders_by_public_name(client, honour, school_a, school_b):
    html_a = html_of(client, school_a.site.hostname)
    assert "Nguyễn Thị Hoa" in html_a and "Tổ Toán" in html_a
    assert "Lê Minh Châu" not in html_a
    # Public names only: never a username; an opted-out person is left out.
    assert "Trần Văn Bình" not in html_a and ">hoa<" not in html_a
    html_b = html_of(client, school_b.site.hostname)
    assert "Lê Minh Châu" in html_b
    assert "Nguyễn Thị Hoa" not in html_b and "Tổ Toán" not in html_b


def test_the_portal_board_names_every_school(client, honour, school_a, school_b):
    portal = setup_district_portal()
    add_board(portal)
    html = html_of(client, PORTAL_HOST)
    assert "Nguyễn Thị Hoa" in html and "Lê Minh Châu" in html
    assert school_a.name in html and school_b.name in html
    assert "Trần Văn Bình" not in html


def test_a_new_credit_shows_after_the_next_publish(client, honour, school_a, board_a):
    host = school_a.site.hostname
    html_of(client, host)
    assert client.get("/vinh-danh/", HTTP_HOST=host)[STATUS_HEADER] == "hit"
    newcomer = make_member(school_a, "dung", first_name="Dũng", last_name="Phạm Văn")
    assert "Phạm Văn Dũng" not in html_of(client, host)
    publish(draft_news(school_a, newcomer), board_a)
    assert "Phạm Văn Dũng" in html_of(client, host)


def test_a_renamed_person_is_renamed_on_the_boards_that_name_them(
    client, honour, school_a, school_b
):
    portal = setup_district_portal()
    add_board(portal)
    hosts = [school_a.site.hostname, PORTAL_HOST, school_b.site.hostname]
    for host in hosts:
        html_of(client, host)
        assert client.get("/vinh-danh/", HTTP_HOST=host)[STATUS_HEADER] == "hit"

    hoa = honour["hoa"]
    hoa.last_name = "Nguyễn Ngọc"
    hoa.save()

    for host in hosts[:2]:  # her school's board and the portal's name her
        response = client.get("/vinh-danh/", HTTP_HOST=host)
        assert response[STATUS_HEADER] == "miss"
        assert "Nguyễn Ngọc Hoa" in response.content.decode()
        assert "Nguyễn Thị Hoa" not in response.content.decode()
    # School B's board cannot name her: it stays cached.
    assert client.get("/vinh-danh/", HTTP_HOST=hosts[2])[STATUS_HEADER] == "hit"


def test_renaming_someone_without_credit_leaves_the_boards_cached(
    client, honour, school_a, school_b
):
    portal = setup_district_portal()
    add_board(portal)
    newcomer = make_member(school_a, "giang", first_name="Giang", last_name="Đỗ Thị")
    hosts = [school_a.site.hostname, PORTAL_HOST, school_b.site.hostname]
    for host in hosts:
        html_of(client, host)
    newcomer.first_name = "Hương Giang"
    newcomer.save()
    for host in hosts:
        assert client.get("/vinh-danh/", HTTP_HOST=host)[STATUS_HEADER] == "hit"


def test_one_per_home_page_and_nowhere_else(honour, school_a):
    fresh = make_school("th-vd-moi")
    assert HonourBoardPage.can_create_at(fresh.site.root_page) is True
    # One per home page: school A already has its board.
    assert HonourBoardPage.can_create_at(school_a.site.root_page) is False
    assert HonourBoardPage.can_create_at(news_index(fresh)) is False


def _queries(client, host: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        html_of(client, host)
    return len(captured)


def test_query_count_is_flat_in_schools_and_posts(
    client, honour, school_a, board_a, page_cache_off
):
    host = school_a.site.hostname
    before = _queries(client, host)
    for n in range(3):
        school = make_school(f"th-vd{n}")
        other_board = make_member(school, f"bqt_vd{n}", board=True)
        publish(draft_news(school, make_member(school, f"gv_vd{n}")), other_board)
        writer = make_member(school_a, f"gv_a{n}", first_name=f"Tên {n}", last_name="Võ")
        publish(draft_news(school_a, writer), board_a)
    assert _queries(client, host) == before
