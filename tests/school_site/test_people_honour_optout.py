"""The honour-board opt-out on the principal's people screens (school_site/people_views.py,
people/services.py): set on the add and edit screens, kept when the position is emptied,
sealed to the principal's own school, and the school's cached honour board page (and the
portal's) drops or shows the name at once. Two schools in every test."""

from __future__ import annotations

import pytest
from django.utils import timezone

from district_site.factories import make_member
from district_site.portal import setup_district_portal
from home.page_cache import STATUS_HEADER
from school_site import people
from school_site.models import StaffProfile
from scoring import services
from tests.school_site.test_people import HOST, make_principal, refused, url
from tests.scoring.helpers import draft_news, publish
from tests.scoring.test_honour_board import add_board, html_of

pytestmark = pytest.mark.django_db

OPT_OUT = "Không hiện tên trên bảng vinh danh"


@pytest.fixture
def principal_a(school_a):
    return make_principal(school_a, "hieutruong_a", first_name="Lan", last_name="Trần")


@pytest.fixture
def teacher_b(school_b):
    make_principal(school_b, "hieutruong_b")
    return make_member(school_b, "gv_b", first_name="Châu", last_name="Lê Minh")


def profile(user, school):
    return StaffProfile.objects.filter(user=user, school=school).first()


def test_add_and_edit_screens_set_the_opt_out(client, principal_a, school_a, school_b):
    client.force_login(principal_a)
    assert OPT_OUT in client.get(url("add", school_a.pk), HTTP_HOST=HOST).content.decode()
    response = client.post(
        url("add", school_a.pk),
        {
            "full_name": "Phạm Văn Dũng",
            "email": "dung@example.edu.vn",
            "hide_on_honour_board": "on",
        },
        HTTP_HOST=HOST,
    )
    assert response.status_code == 302
    dung = school_a.editors_group.user_set.get(email="dung@example.edu.vn")
    # No position, but the row is kept: it holds the opt-out.
    assert (profile(dung, school_a).position, profile(dung, school_a).hide_on_honour_board) == (
        "",
        True,
    )
    edit = client.get(url("edit", school_a.pk, dung.pk), HTTP_HOST=HOST)
    assert edit.context["form"].initial["hide_on_honour_board"] is True

    client.post(url("edit", school_a.pk, dung.pk), {"position": "Giáo viên"}, HTTP_HOST=HOST)
    assert (profile(dung, school_a).position, profile(dung, school_a).hide_on_honour_board) == (
        "Giáo viên",
        False,
    )
    client.post(
        url("edit", school_a.pk, dung.pk),
        {"position": "", "hide_on_honour_board": "on"},
        HTTP_HOST=HOST,
    )
    assert (profile(dung, school_a).position, profile(dung, school_a).hide_on_honour_board) == (
        "",
        True,
    )
    # Nothing left to hold: the row goes.
    client.post(url("edit", school_a.pk, dung.pk), {"position": ""}, HTTP_HOST=HOST)
    assert profile(dung, school_a) is None
    assert not StaffProfile.objects.filter(school=school_b).exists()


def test_a_caller_that_leaves_the_opt_out_alone_never_drops_it(principal_a, school_a, editor_a):
    """`hide_on_honour_board=None` (the CSV import's path knows only positions) keeps it."""
    StaffProfile.objects.create(
        user=editor_a, school=school_a, position="Tổ trưởng", hide_on_honour_board=True
    )
    for position in ("", "Giáo viên"):
        people.update_membership(
            school=school_a,
            user=editor_a,
            by_user=principal_a,
            contributor_group_ids=[],
            on_board=False,
            position=position,
        )
        kept = profile(editor_a, school_a)
        assert (kept.position, kept.hide_on_honour_board) == (position, True)


def test_a_principal_cannot_set_another_schools_opt_out(
    client, principal_a, school_a, school_b, teacher_b
):
    client.force_login(principal_a)
    for school in (school_a, school_b):
        response = client.post(
            url("edit", school.pk, teacher_b.pk),
            {"position": "Giáo viên", "hide_on_honour_board": "on"},
            HTTP_HOST=HOST,
        )
        assert response.status_code == 404 or refused(response)
    with pytest.raises(people.PeopleError):
        people.update_membership(
            school=school_b,
            user=teacher_b,
            by_user=principal_a,
            contributor_group_ids=[],
            on_board=False,
            position="",
            hide_on_honour_board=True,
        )
    assert not StaffProfile.objects.filter(user=teacher_b).exists()


def test_an_opted_out_author_leaves_the_cached_honour_boards(
    client, principal_a, board_a, board_b, school_a, school_b, teacher_b
):
    services.school_year_for(moment=timezone.now())
    hoa = make_member(school_a, "hoa", first_name="Hoa", last_name="Nguyễn Thị")
    publish(draft_news(school_a, hoa), board_a)
    publish(draft_news(school_b, teacher_b), board_b)
    add_board(school_a.site.root_page)
    add_board(school_b.site.root_page)
    add_board(setup_district_portal())
    host_a, host_b, portal = school_a.site.hostname, school_b.site.hostname, "localhost"
    for host in (host_a, portal):
        assert "Nguyễn Thị Hoa" in html_of(client, host)
    html_of(client, host_b)
    assert client.get("/vinh-danh/", HTTP_HOST=host_a)[STATUS_HEADER] == "hit"

    client.force_login(principal_a)
    edit = url("edit", school_a.pk, hoa.pk)
    client.post(edit, {"position": "", "hide_on_honour_board": "on"}, HTTP_HOST=HOST)
    client.logout()
    for host in (host_a, portal):
        assert "Nguyễn Thị Hoa" not in html_of(client, host)
    assert "Lê Minh Châu" in html_of(client, portal)
    # School B's board cannot show the change and keeps its cached copy.
    assert client.get("/vinh-danh/", HTTP_HOST=host_b)[STATUS_HEADER] == "hit"

    client.force_login(principal_a)
    client.post(edit, {"position": ""}, HTTP_HOST=HOST)
    client.logout()
    for host in (host_a, portal):
        assert "Nguyễn Thị Hoa" in html_of(client, host)
