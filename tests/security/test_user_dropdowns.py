"""No user drop-down in school A's admin lists school B's people (issue 11).

Renders, as school A's principal and as one of its teachers, every admin screen that offers a
choice of users: the page editor's author field (new and existing post), the board page's
members' "Tài khoản", the contributor group's members and leader, the page explorer's owner
and "edited by" filters, the reports' user filters; and checks by name that school B's people
are nowhere in them while school A's are offered. School B's people own pages, edit them and
appear in logs, so stock Wagtail would list them.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from district_site.factories import make_member
from school_site.models import BoardPage
from tests.school_site.test_review_workflow import draft_news, news_index, submit

pytestmark = pytest.mark.django_db

HOST = "localhost"
# Names no school A page or label would contain by chance.
B_NAMES = ("Bạch Thị Bê", "Bùi Văn Bốn", "bach_b", "bui_b")


@pytest.fixture
def world(school_a, school_b):
    principal_a = make_member(school_a, "ht_a", board=True, first_name="An", last_name="Đặng Văn")
    school_a.principal = principal_a
    school_a.save(update_fields=["principal"])
    teacher_a = make_member(school_a, "gv_a", first_name="Thu", last_name="Hồ Thị")
    board_b = make_member(school_b, "bach_b", board=True, first_name="Bê", last_name="Bạch Thị")
    teacher_b = make_member(school_b, "bui_b", first_name="Bốn", last_name="Bùi Văn")
    # School B's people own, edit, submit, lock and publish pages: stock filters list them.
    waiting = draft_news(school_b, teacher_b, "Tin chờ duyệt B")
    submit(waiting, teacher_b)
    locked = draft_news(school_b, teacher_b, "Tin khoá B")
    locked.locked, locked.locked_by = True, board_b
    locked.save()
    draft_news(school_b, teacher_b, "Tin đã đăng B").get_latest_revision().publish(user=board_b)
    post_a = draft_news(school_a, teacher_a, "Tin của trường A")
    return {"principal": principal_a, "teacher": teacher_a, "post_a": post_a}


def screens(school_a, post_a) -> dict[str, str]:
    board_page = BoardPage.objects.descendant_of(school_a.site.root_page).get()
    index = news_index(school_a)
    return {
        "new post (author)": reverse(
            "wagtailadmin_pages:add", args=["school_site", "newspage", index.pk]
        ),
        "existing post (author)": reverse("wagtailadmin_pages:edit", args=[post_a.pk]),
        "board page (members' accounts)": reverse("wagtailadmin_pages:edit", args=[board_page.pk]),
        "explorer (owner, edited by)": reverse("wagtailadmin_explore", args=[index.pk]),
        "group (members, leader)": "/admin/school_site/contributorgroup/create/",
        "locked pages report": "/admin/reports/locked/",
        "workflow report": "/admin/reports/workflow/",
        "site history report": "/admin/reports/site-history/",
    }


@pytest.mark.parametrize("role", ["principal", "teacher"])
def test_no_dropdown_in_school_a_lists_school_b_people(client, world, school_a, role):
    client.force_login(world[role])
    offered_a = []
    for label, address in screens(school_a, world["post_a"]).items():
        response = client.get(address, HTTP_HOST=HOST)
        if response.status_code != 200:  # a teacher is refused some screens: nothing shown
            assert role == "teacher", (label, response.status_code)
            continue
        html = response.content.decode()
        for name in B_NAMES:
            assert name not in html, (role, label, name)
        if "gv_a" in html or "Hồ Thị Thu" in html:  # school A's teacher is offered
            offered_a.append(label)
    # The drop-downs are really rendered, with school A's own people in them.
    if role == "principal":
        assert {
            "new post (author)",
            "board page (members' accounts)",
            "group (members, leader)",
        } <= set(offered_a)
    else:
        assert "new post (author)" in offered_a
