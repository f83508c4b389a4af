"""The board's dashboard costs the same at 2 and 30 schools and at 2 and 10 waiting reviews;
its "awaiting your review" panel lists the own school's reviews oldest first with their wait;
double approval is safe."""

from __future__ import annotations

import datetime
import re
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from wagtail.models import PageLogEntry, TaskState

from district_site.factories import make_member, make_school
from school_site.admin_panels import waited_text
from school_site.models import NewsPage
from tests.school_site.test_review_workflow import (
    action_url,
    current_task_state,
    draft_news,
    submit,
)

# Measured: 30 queries, the same with 2 or 10 reviews waiting and at 2 or 30 schools: the
# scoring panel's school-year lookup included (no current year in these tests), one roles query
# per request (`district_site.roles`), the "Viết bài mới" panel's one query for the school's
# sections and the tab title's one query for the school's name. Stock Wagtail's "awaiting your
# review" panel cost 45 with two reviews and about five more per review;
# school_site/admin_panels.py replaces it for school users.
DASHBOARD_QUERIES = 30


def _school_with_pending_reviews(slug: str, n: int = 2):
    school = make_school(slug)
    writer = make_member(school, f"writer-{slug}")
    for i in range(n):
        submit(draft_news(school, writer, f"Bài chờ duyệt {i} của {slug}"), writer)
    return school


def _dashboard(client, board) -> tuple[int, str]:
    """The board member's dashboard: its query count (caches warm) and its HTML."""
    from django.test.utils import CaptureQueriesContext

    client.force_login(board)
    client.get("/admin/", HTTP_HOST="localhost")  # warm caches (content types, site root paths)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/admin/", HTTP_HOST="localhost")
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _review_rows(body: str) -> list[str]:
    """Titles in the "awaiting your review" panel, in the order shown."""
    panel = body.split('id="awaiting-review-section"', 1)[1].split("</section>", 1)[0]
    return re.findall(
        r'<td class="title">\s*<div class="title-wrapper">\s*<a [^>]*>([^<]+)</a>', panel
    )


def _dashboard_queries(client, board, expected_titles: set[str]) -> int:
    queries, body = _dashboard(client, board)
    assert set(_review_rows(body)) == expected_titles
    assert "của mn-b" not in body  # only the own school's reviews
    return queries


def _titles(slug: str, n: int) -> set[str]:
    return {f"Bài chờ duyệt {i} của {slug}" for i in range(n)}


@pytest.mark.django_db
def test_board_dashboard_query_count_does_not_grow_with_schools(client):
    school_a = _school_with_pending_reviews("th-a")
    _school_with_pending_reviews("mn-b")
    board = make_member(school_a, "board_a", board=True)
    with_two = _dashboard_queries(client, board, _titles("th-a", 2))

    for i in range(28):
        _school_with_pending_reviews(f"th-{i:02d}", n=1)
    with_thirty = _dashboard_queries(client, board, _titles("th-a", 2))

    assert with_two == with_thirty == DASHBOARD_QUERIES


@pytest.mark.django_db
def test_board_dashboard_query_count_does_not_grow_with_waiting_reviews(client):
    school_a = make_school("th-a")
    _school_with_pending_reviews("mn-b", n=3)
    writer = make_member(school_a, "writer-th-a")
    board = make_member(school_a, "board_a", board=True)
    for i in range(2):
        submit(draft_news(school_a, writer, f"Bài chờ duyệt {i} của th-a"), writer)
    with_two = _dashboard_queries(client, board, _titles("th-a", 2))

    for i in range(2, 10):
        submit(draft_news(school_a, writer, f"Bài chờ duyệt {i} của th-a"), writer)
    with_ten = _dashboard_queries(client, board, _titles("th-a", 10))

    assert with_two == with_ten == DASHBOARD_QUERIES


# --- the board's own "awaiting your review" panel ---------------------------------------------


@pytest.mark.django_db
def test_the_panel_lists_oldest_first_with_the_wait_and_no_self_approval(client):
    school_a = make_school("th-a")
    _school_with_pending_reviews("mn-b")
    writer = make_member(school_a, "writer-th-a", first_name="Lan", last_name="Nguyễn Thị")
    board = make_member(school_a, "board_a", board=True)
    make_member(school_a, "board_a2", board=True)
    now = timezone.now()
    for title, days_ago, author in (
        ("Bài gửi hôm nay", 0, writer),
        ("Bài gửi ba ngày trước", 3, writer),
        ("Bài của chính người duyệt", 1, board),
    ):
        page = draft_news(school_a, author, title)
        submit(page, author)
        TaskState.objects.filter(
            workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
        ).update(started_at=now - datetime.timedelta(days=days_ago, minutes=5))

    _queries, body = _dashboard(client, board)
    # The reviewer's own post is listed apart, as waiting for another board member.
    assert _review_rows(body) == [
        "Bài gửi ba ngày trước",
        "Bài gửi hôm nay",
        "Bài của chính người duyệt",
    ]
    rows = body.split("data-review-row")[1:]
    assert "đã chờ 3 ngày" in rows[0]
    assert writer.get_full_name() in rows[0]  # who submitted it
    assert "vừa gửi" in rows[1]
    # Approve is offered on the others' posts; the reviewer's own is not theirs to review.
    assert "/approve/" in rows[0] and "/approve/" in rows[1]
    own = body.split("data-own-waiting-row", 1)[1].split("</tr>", 1)[0]
    assert "Bài của chính người duyệt" in own and "đã chờ 1 ngày" in own
    assert "Chờ thành viên khác của Ban quản trị duyệt" in own
    assert "/approve/" not in own and "/reject/" not in own
    assert "của mn-b" not in body


def test_waited_text_in_vietnamese():
    start = datetime.datetime(2026, 9, 5, 7, 30, tzinfo=datetime.UTC)
    assert waited_text(start, start + datetime.timedelta(minutes=20)) == "vừa gửi"
    assert waited_text(start, start + datetime.timedelta(hours=5, minutes=1)) == "đã chờ 5 giờ"
    assert waited_text(start, start + datetime.timedelta(days=3, hours=2)) == "đã chờ 3 ngày"


# --- two board members approve the same review at the same moment ------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_double_approval_publishes_once_and_tells_the_second_reviewer(migrated_rows):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL; SQLite serialises every write anyway.")
    school_a = make_school("th-a")
    make_school("mn-b")
    writer = make_member(school_a, "writer_a")
    reviewers = [make_member(school_a, f"board_{i}", board=True) for i in range(2)]
    page = draft_news(school_a, writer, "Bài được hai người cùng duyệt")
    submit(page, writer)
    state = current_task_state(page)
    url = action_url(page, "approve", state)

    barrier = threading.Barrier(len(reviewers))
    responses = {}

    def approve(user):
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            responses[user.username] = client.post(url, {"comment": ""}, HTTP_HOST="localhost")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(user,)) for user in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(r.status_code for r in responses.values()) == [302, 302]
    page = NewsPage.objects.get(pk=page.pk)
    assert page.live
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish").count() == 1
    assert PageLogEntry.objects.filter(page=page, action="wagtail.workflow.approve").count() == 1
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_APPROVED
    # The second reviewer was sent to a page that explains, not to an error.
    locations = sorted(r["Location"] for r in responses.values())
    assert any(
        "/review/finished/" in loc or loc.endswith(f"/pages/{page.pk}/edit/") for loc in locations
    )
