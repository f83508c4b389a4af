"""The admin reports' user filters list a school user's own school only; the rows still work.

Stock Wagtail 8.0.1 fills the "locked by" (locked pages), "requested by" (workflows) and "user"
(site history) filters with users of every site: a board member of school A could read the
names of school B's teachers there.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.log_actions import log

from district_site import admin_scoping
from district_site.factories import UserFactory, make_member
from district_site.models import DISTRICT_ADMINS_GROUP
from tests.school_site.test_review_workflow import draft_news, submit

pytestmark = pytest.mark.django_db
User = get_user_model()

# (report URL, name of its user filter's field); workflow_tasks has no user filter, but its
# page must not show another school's users either.
REPORTS = {
    "locked": ("/admin/reports/locked/", "locked_by"),
    "workflow": ("/admin/reports/workflow/", "requested_by"),
    "workflow_tasks": ("/admin/reports/workflow_tasks/", None),
    "site_history": ("/admin/reports/site-history/", "user"),
}


def school_people(school, tag: str, last_name: str) -> dict:
    """A board member and a teacher of `school` with names that are easy to spot."""
    return {
        "board": make_member(
            school, f"board_{tag}", board=True, first_name="Hạnh", last_name=last_name
        ),
        "writer": make_member(school, f"writer_{tag}", first_name="Minh", last_name=last_name),
    }


def build_school_activity(school, people, tag: str) -> dict:
    """A locked page, a review waiting, a published page and an uploaded image, in `school`."""
    board, writer = people["board"], people["writer"]
    waiting = draft_news(school, writer, f"Bài chờ duyệt của trường {tag}")
    submit(waiting, writer)
    locked = draft_news(school, writer, f"Bài bị khóa của trường {tag}")
    locked.locked, locked.locked_by = True, board
    locked.save()
    published = draft_news(school, writer, f"Bài đã đăng của trường {tag}")
    published.get_latest_revision().publish(user=board)
    image = Image.objects.create(
        title=f"Ảnh của trường {tag}", file=get_test_image_file(), collection=school.collection
    )
    log(instance=image, action="wagtail.create", user=writer)
    return {"waiting": waiting, "locked": locked, "published": published}


@pytest.fixture
def world(school_a, school_b):
    people_a = school_people(school_a, "a", "Trường Anh")
    people_b = school_people(school_b, "b", "Ngoài Bờ")
    pages_a = build_school_activity(school_a, people_a, "A")
    pages_b = build_school_activity(school_b, people_b, "B")
    return people_a, people_b, pages_a, pages_b


def filter_user_ids(body: str, field: str) -> set[int]:
    """The user ids offered by a filter (a <select> or a list of checkboxes)."""
    select = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', body, re.S)
    if select:
        return {int(v) for v in re.findall(r'<option value="(\d+)"', select.group(1))}
    return {int(v) for v in re.findall(rf'<input[^>]*name="{field}"[^>]*value="(\d+)"', body)}


@pytest.mark.parametrize("report", sorted(REPORTS))
@pytest.mark.parametrize("role", ["board", "writer"])
def test_school_users_see_only_their_own_schools_users(client, world, report, role):
    people_a, people_b, pages_a, _pages_b = world
    client.force_login(people_a[role])
    url, field = REPORTS[report]
    response = client.get(url, HTTP_HOST="localhost")
    body = response.content.decode()
    if role == "writer" and report == "locked":
        # Only who may unlock pages (the board) gets this report; teachers are sent back.
        assert response.status_code == 302
    else:
        assert response.status_code == 200
    for person in people_b.values():
        assert person.username not in body
        assert person.get_full_name() not in body
    assert "Ngoài Bờ" not in body and "trường B" not in body
    if field is not None and f'name="{field}"' in body:
        offered = filter_user_ids(body, field)
        own = {user.pk for user in people_a.values()}
        assert offered and offered <= own, f"{report}: {offered} not within school A {own}"


def test_the_filters_still_offer_the_own_schools_users(client, world):
    people_a, _people_b, _pages_a, _pages_b = world
    client.force_login(people_a["board"])
    locked = client.get("/admin/reports/locked/", HTTP_HOST="localhost").content.decode()
    assert filter_user_ids(locked, "locked_by") == {people_a["board"].pk}
    workflow = client.get("/admin/reports/workflow/", HTTP_HOST="localhost").content.decode()
    assert filter_user_ids(workflow, "requested_by") == {people_a["writer"].pk}
    history = client.get("/admin/reports/site-history/", HTTP_HOST="localhost").content.decode()
    assert filter_user_ids(history, "user") == {people_a["board"].pk, people_a["writer"].pk}


def test_report_rows_and_filtering_by_an_own_user_still_work(client, world):
    people_a, people_b, pages_a, _pages_b = world
    board, writer = people_a["board"], people_a["writer"]
    client.force_login(board)

    def get(url: str) -> str:
        response = client.get(url, HTTP_HOST="localhost")
        assert response.status_code == 200
        return response.content.decode()

    assert pages_a["locked"].title in get(f"/admin/reports/locked/?locked_by={board.pk}")
    assert pages_a["waiting"].title in get(f"/admin/reports/workflow/?requested_by={writer.pk}")
    assert pages_a["waiting"].title in get("/admin/reports/workflow_tasks/")
    history = get(f"/admin/reports/site-history/?user={board.pk}")
    assert pages_a["published"].title in history
    assert pages_a["waiting"].title not in history  # only the board member's own actions
    # The results-only URLs (used when a filter changes) are scoped the same way.
    results = get(f"/admin/reports/locked/results/?locked_by={board.pk}")
    assert pages_a["locked"].title in results


def test_a_crafted_filter_on_another_schools_user_shows_nothing_of_that_school(client, world):
    people_a, people_b, _pages_a, pages_b = world
    client.force_login(people_a["board"])
    for url in (
        f"/admin/reports/locked/?locked_by={people_b['board'].pk}",
        f"/admin/reports/workflow/?requested_by={people_b['writer'].pk}",
        f"/admin/reports/site-history/?user={people_b['writer'].pk}",
    ):
        body = client.get(url, HTTP_HOST="localhost").content.decode()
        assert "trường B" not in body and "Ngoài Bờ" not in body, url


def test_superusers_still_see_every_schools_users(client, world):
    # District admins are not limited either (same branch), but hold no page rights, so Wagtail
    # gives them no workflow report at all.
    people_a, people_b, _pages_a, _pages_b = world
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    body = client.get("/admin/reports/workflow/", HTTP_HOST="localhost").content.decode()
    assert filter_user_ids(body, "requested_by") == {people_a["writer"].pk, people_b["writer"].pk}


def test_scope_users_is_one_query_and_unlimited_for_district_admins(
    world, django_assert_num_queries
):
    people_a, people_b, _pages_a, _pages_b = world
    board = people_a["board"]
    admin_scoping.school_root_paths(board)  # remembered for the request, as in the admin
    with django_assert_num_queries(1):
        ids = set(admin_scoping.scope_users(User.objects.all(), board).values_list("pk", flat=True))
    assert ids == {user.pk for user in people_a.values()}
    district = UserFactory(username="district")
    district.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    everyone = admin_scoping.scope_users(User.objects.all(), district)
    assert {user.pk for user in people_b.values()} <= set(everyone.values_list("pk", flat=True))
