"""The board's dashboard costs the same at 2 and at 30 schools, and double approval is safe."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from wagtail.models import PageLogEntry, TaskState

from district_site.factories import make_member, make_school
from school_site.models import NewsPage
from tests.school_site.test_review_workflow import (
    action_url,
    current_task_state,
    draft_news,
    submit,
)

# Measured with two reviews waiting: 45 queries whatever the number of schools. Stock Wagtail's
# "awaiting your review" panel still spends about five queries per waiting review (task,
# specific task, revision, the workflow's task list; the page's school and submitter here).
DASHBOARD_QUERY_BOUND = 45


def _school_with_pending_reviews(slug: str, n: int = 2):
    school = make_school(slug)
    writer = make_member(school, f"writer-{slug}")
    for i in range(n):
        submit(draft_news(school, writer, f"Bài chờ duyệt {i} của {slug}"), writer)
    return school


def _dashboard_queries(client, board) -> int:
    from django.test.utils import CaptureQueriesContext

    client.force_login(board)
    client.get("/admin/", HTTP_HOST="localhost")  # warm caches (content types, site root paths)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/admin/", HTTP_HOST="localhost")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bài chờ duyệt 0 của th-a" in body and "Bài chờ duyệt 1 của th-a" in body
    assert "của mn-b" not in body  # only the own school's reviews
    return len(captured)


@pytest.mark.django_db
def test_board_dashboard_query_count_does_not_grow_with_schools(client):
    school_a = _school_with_pending_reviews("th-a")
    _school_with_pending_reviews("mn-b")
    board = make_member(school_a, "board_a", board=True)
    with_two = _dashboard_queries(client, board)

    for i in range(28):
        _school_with_pending_reviews(f"th-{i:02d}", n=1)
    with_thirty = _dashboard_queries(client, board)

    assert with_two == with_thirty
    assert with_thirty <= DASHBOARD_QUERY_BOUND


# --- two board members approve the same review at the same moment ------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_double_approval_publishes_once_and_tells_the_second_reviewer():
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
