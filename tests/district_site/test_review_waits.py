"""The district's wait screen: each school's median and longest review wait this school year, and
what waits now, in a number of queries that does not grow with schools; district admins only."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import TaskState

from district_site.factories import make_member, make_school
from district_site.models import DISTRICT_ADMINS_GROUP
from district_site.review_waits import duration_text, school_waits, school_year_start
from school_site import leader_review
from school_site.models import ContributorGroup
from tests.school_site.test_review_workflow import current_task_state, draft_news, submit

pytestmark = pytest.mark.django_db

URL = "/admin/review-waits/"
NOW = timezone.now().replace(microsecond=0)
HOUR = datetime.timedelta(hours=1)


def _decided(school, writer, board, title: str, *, hours: float, action="approve", ago=24):
    """A post submitted `ago` hours before NOW and decided `hours` later."""
    page = draft_news(school, writer, title)
    submit(page, writer)
    state = current_task_state(page).specific
    getattr(state, action)(user=board)
    started = NOW - ago * HOUR
    TaskState.objects.filter(pk=state.pk).update(
        started_at=started, finished_at=started + hours * HOUR
    )
    return page


def _waiting(school, writer, title: str, *, hours: float):
    page = draft_news(school, writer, title)
    submit(page, writer)
    TaskState.objects.filter(pk=current_task_state(page).pk).update(started_at=NOW - hours * HOUR)
    return page


@pytest.fixture
def district_admin(school_a):
    user = make_member(school_a, "phong_gd")
    user.groups.set([Group.objects.get(name=DISTRICT_ADMINS_GROUP)])
    return user


def _row(waits, school):
    return next(item for item in waits if item.school.pk == school.pk)


def test_median_longest_and_waiting_per_school(school_a, school_b):
    writer_a, board_a = make_member(school_a, "w_a"), make_member(school_a, "b_a", board=True)
    writer_b, board_b = make_member(school_b, "w_b"), make_member(school_b, "b_b", board=True)
    _decided(school_a, writer_a, board_a, "A1", hours=1)
    _decided(school_a, writer_a, board_a, "A2", hours=10, action="reject")
    # Two-step: 1 hour with the leader, then 4 with the board: a 5-hour wait.
    leader = make_member(school_a, "leader_a")
    group = ContributorGroup.objects.create(school=school_a, name="Tổ Toán", leader=leader)
    group.members.add(leader, writer_a)
    leader_review.set_leader_review(school=school_a, enabled=True)
    page = draft_news(school_a, writer_a, "A3")
    page.contributor_group = group
    submit(page, writer_a)
    first = current_task_state(page).specific
    first.approve(user=leader)
    second = current_task_state(page).specific
    second.approve(user=board_a)
    TaskState.objects.filter(pk=first.pk).update(
        started_at=NOW - 30 * HOUR, finished_at=NOW - 29 * HOUR
    )
    TaskState.objects.filter(pk=second.pk).update(
        started_at=NOW - 29 * HOUR, finished_at=NOW - 25 * HOUR
    )
    leader_review.set_leader_review(school=school_a, enabled=False)
    # Decided before this school year began: not counted.
    old = _decided(school_a, writer_a, board_a, "A cũ", hours=100)
    year_start = school_year_start(timezone.localdate(NOW))
    before_year = timezone.make_aware(datetime.datetime.combine(year_start, datetime.time()))
    TaskState.objects.filter(workflow_state__object_id=str(old.pk)).update(
        started_at=before_year - 200 * HOUR, finished_at=before_year - 100 * HOUR
    )
    _waiting(school_a, writer_a, "A chờ", hours=50)
    _waiting(school_a, writer_a, "A chờ 2", hours=2)
    # School B: an even count, the median is the mean of the two middle waits.
    _decided(school_b, writer_b, board_b, "B1", hours=2)
    _decided(school_b, writer_b, board_b, "B2", hours=4)

    waits = school_waits(now=NOW)
    a, b = _row(waits, school_a), _row(waits, school_b)
    assert (a.decided, a.median, a.longest) == (3, 5 * HOUR, 10 * HOUR)
    assert (a.waiting, a.oldest_since) == (2, NOW - 50 * HOUR)
    assert (b.decided, b.median, b.longest) == (2, 3 * HOUR, 4 * HOUR)
    assert (b.waiting, b.oldest_since) == (0, None)


def test_the_screen_costs_the_same_for_2_and_10_schools(client, school_a, school_b, district_admin):
    def measure() -> tuple[int, str]:
        client.get(URL, HTTP_HOST="localhost")  # warm caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, HTTP_HOST="localhost")
        assert response.status_code == 200
        return len(captured), response.content.decode()

    for school in (school_a, school_b):
        writer, board = (
            make_member(school, f"w{school.pk}"),
            make_member(school, f"b{school.pk}", board=True),
        )
        _decided(school, writer, board, f"Tin {school.pk}", hours=3)
        _waiting(school, writer, f"Chờ {school.pk}", hours=1)
    client.force_login(district_admin)
    with_two, body = measure()
    assert body.count("data-school-row") == 2
    for i in range(8):
        school = make_school(f"th-{i:02d}")
        writer, board = make_member(school, f"w-{i}"), make_member(school, f"b-{i}", board=True)
        _decided(school, writer, board, f"Tin {i}", hours=3)
    with_ten, body = measure()
    assert body.count("data-school-row") == 10
    assert "3 giờ" in body
    assert with_two == with_ten


def test_school_users_are_refused(client, school_a, school_b):
    principal = make_member(school_a, "principal_a", board=True)
    school_a.principal = principal
    school_a.save()
    writer_b, board_b = make_member(school_b, "w_b"), make_member(school_b, "b_b", board=True)
    _decided(school_b, writer_b, board_b, "Tin trường B", hours=2)
    for user in (principal, make_member(school_a, "editor_a")):
        client.force_login(user)
        response = client.get(URL, HTTP_HOST="localhost")
        assert response.status_code in (302, 403)
        assert school_b.name not in response.content.decode()


def test_duration_text_in_vietnamese():
    assert duration_text(None) == "—"
    assert duration_text(datetime.timedelta(minutes=40)) == "40 phút"
    assert duration_text(5 * HOUR) == "5 giờ"
    assert duration_text(datetime.timedelta(days=2, hours=3)) == "2 ngày 3 giờ"
    assert duration_text(datetime.timedelta(days=2)) == "2 ngày"
