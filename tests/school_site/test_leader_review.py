"""The group leader's optional first step: switched on per school by its principal, one workflow
for every school, the leader reviews only their own group's posts, then the board."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from district_site.factories import make_member
from district_site.models import School
from school_site import leader_review, review_feedback
from school_site.models import ContributorGroup, GroupLeaderReviewTask, NewsPage
from tests.school_site.test_review_workflow import action_url, current_task_state, draft_news

pytestmark = pytest.mark.django_db


def _group(school, name: str, leader, *members) -> ContributorGroup:
    group = ContributorGroup.objects.create(school=school, name=name, leader=leader)
    group.members.add(leader, *members)
    return group


def _credited_draft(school, author, group, title: str) -> NewsPage:
    page = draft_news(school, author, title)
    page.contributor_group = group
    page.save_revision(user=author)
    return NewsPage.objects.get(pk=page.pk)


def _submit(page, user) -> WorkflowState:
    return page.get_workflow().start(page, user)


def _switch_on(*schools: School) -> None:
    for school in schools:
        leader_review.set_leader_review(school=school, enabled=True)


def _step_states(page) -> list[tuple[str, str]]:
    """(task class name, status) of the page's task states, in order."""
    states = TaskState.objects.filter(workflow_state__object_id=str(page.pk)).order_by("pk")
    return [(type(state.task.specific).__name__, state.status) for state in states]


@pytest.fixture
def people(school_a, school_b):
    """Per school: a writer, the leader of the writer's group, a board member, a principal."""
    result = {}
    for school, tag in ((school_a, "a"), (school_b, "b")):
        writer = make_member(school, f"writer_{tag}", email=f"writer_{tag}@example.vn")
        leader = make_member(school, f"leader_{tag}", email=f"leader_{tag}@example.vn")
        board = make_member(school, f"board_{tag}", board=True, email=f"board_{tag}@example.vn")
        principal = make_member(school, f"principal_{tag}", board=True)
        school.principal = principal
        school.save()
        group = _group(school, f"Tổ Toán {tag}", leader, writer)
        result[tag] = {
            "school": school,
            "writer": writer,
            "leader": leader,
            "board": board,
            "principal": principal,
            "group": group,
        }
    return result


def test_switched_off_by_default_the_post_goes_straight_to_the_board(people):
    a = people["a"]
    page = _credited_draft(a["school"], a["writer"], a["group"], "Tin tổ Toán")
    _submit(page, a["writer"])
    assert _step_states(page) == [
        ("GroupLeaderReviewTask", TaskState.STATUS_SKIPPED),
        ("SchoolBoardReviewTask", TaskState.STATUS_IN_PROGRESS),
    ]
    skipped = TaskState.objects.get(workflow_state__object_id=str(page.pk), status="skipped")
    assert skipped.comment == leader_review.SKIP_SWITCHED_OFF
    assert skipped.finished_by is None


def test_switched_on_the_leader_reviews_first_then_the_board(
    client, people, django_capture_on_commit_callbacks
):
    a = people["a"]
    _switch_on(a["school"])
    page = _credited_draft(a["school"], a["writer"], a["group"], "Tin tổ Toán tháng 9")
    with django_capture_on_commit_callbacks(execute=True):
        _submit(page, a["writer"])
    assert _step_states(page) == [("GroupLeaderReviewTask", TaskState.STATUS_IN_PROGRESS)]
    # The leader is told; the board is not asked yet.
    assert [m.to for m in mail.outbox] == [["leader_a@example.vn"]]
    assert "trưởng nhóm" in mail.outbox[0].subject
    assert "Tin tổ Toán tháng 9" in mail.outbox[0].body

    # The board's panel does not list it; the leader's does, with "approve".
    client.force_login(a["board"])
    assert (
        "Tin tổ Toán tháng 9" not in client.get("/admin/", HTTP_HOST="localhost").content.decode()
    )
    client.force_login(a["leader"])
    body = client.get("/admin/", HTTP_HOST="localhost").content.decode()
    assert "Tin tổ Toán tháng 9" in body and leader_review.STEP_LABEL in body
    state = current_task_state(page)
    assert action_url(page, "approve", state) in body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_url(page, "approve", state), {}, HTTP_HOST="localhost")
    assert response.status_code == 302
    confirmation = client.get(response["Location"], HTTP_HOST="localhost", follow=True)
    assert (
        leader_review.FIRST_STEP_APPROVED.format(title="Tin tổ Toán tháng 9")
        in confirmation.content.decode()
    )
    assert _step_states(page) == [
        ("GroupLeaderReviewTask", TaskState.STATUS_APPROVED),
        ("SchoolBoardReviewTask", TaskState.STATUS_IN_PROGRESS),
    ]
    assert not NewsPage.objects.get(pk=page.pk).live
    # Now the board is told (not the author: nothing is decided yet).
    recipients = sorted(r for m in mail.outbox for r in m.to)
    assert recipients == ["board_a@example.vn", a["principal"].email]

    client.force_login(a["board"])
    board_state = current_task_state(page)
    response = client.post(action_url(page, "approve", board_state), {}, HTTP_HOST="localhost")
    assert response.status_code == 302
    assert NewsPage.objects.get(pk=page.pk).live


def test_no_group_or_the_leaders_own_post_goes_straight_to_the_board(people):
    a = people["a"]
    _switch_on(a["school"])
    no_group = draft_news(a["school"], a["writer"], "Tin không ghi công tổ")
    _submit(no_group, a["writer"])
    own = _credited_draft(a["school"], a["leader"], a["group"], "Tin của chính trưởng nhóm")
    _submit(own, a["leader"])
    for page, reason in (
        (no_group, leader_review.SKIP_NO_GROUP),
        (own, leader_review.SKIP_LEADER_IS_AUTHOR.format(group=a["group"].name)),
    ):
        assert _step_states(page) == [
            ("GroupLeaderReviewTask", TaskState.STATUS_SKIPPED),
            ("SchoolBoardReviewTask", TaskState.STATUS_IN_PROGRESS),
        ]
        assert (
            TaskState.objects.get(workflow_state__object_id=str(page.pk), status="skipped").comment
            == reason
        )


def test_a_group_without_leader_goes_straight_to_the_board(people):
    a = people["a"]
    _switch_on(a["school"])
    union = ContributorGroup.objects.create(school=a["school"], name="Công đoàn")
    union.members.add(a["writer"])
    page = _credited_draft(a["school"], a["writer"], union, "Tin Công đoàn")
    _submit(page, a["writer"])
    skipped = TaskState.objects.get(workflow_state__object_id=str(page.pk), status="skipped")
    assert skipped.comment == leader_review.SKIP_NO_LEADER.format(group="Công đoàn")


def test_a_leader_reviews_only_their_own_groups_posts_in_their_own_school(client, people):
    a, b = people["a"], people["b"]
    _switch_on(a["school"], b["school"])
    page_b = _credited_draft(b["school"], b["writer"], b["group"], "Tin trường B bsecret")
    _submit(page_b, b["writer"])
    # Another group of school A, with its own leader: not leader_a's to review.
    other_leader = make_member(a["school"], "leader_a2")
    other_group = _group(a["school"], "Tổ Văn", other_leader, a["writer"])
    page_a2 = _credited_draft(a["school"], a["writer"], other_group, "Tin tổ Văn asecret")
    _submit(page_a2, a["writer"])

    client.force_login(a["leader"])
    body = client.get("/admin/", HTTP_HOST="localhost").content.decode()
    assert "bsecret" not in body and "asecret" not in body
    for page in (page_b, page_a2):
        state = current_task_state(page)
        assert GroupLeaderReviewTask.objects.get().get_actions(page, a["leader"]) == []
        response = client.post(action_url(page, "approve", state), {}, HTTP_HOST="localhost")
        assert response.status_code in (302, 403)
        if response.status_code == 302:  # the seal's refusal sends back to the dashboard
            assert response["Location"] == reverse("wagtailadmin_home")
        state.refresh_from_db()
        assert state.status == TaskState.STATUS_IN_PROGRESS
    # The board of school A cannot act on the leader's step either (it is not theirs yet).
    page_a = _credited_draft(a["school"], a["writer"], a["group"], "Tin tổ Toán")
    _submit(page_a, a["writer"])
    assert GroupLeaderReviewTask.objects.get().get_actions(page_a, a["board"]) == []


def test_the_author_cannot_edit_while_the_leader_reviews(people):
    a = people["a"]
    _switch_on(a["school"])
    page = _credited_draft(a["school"], a["writer"], a["group"], "Tin đang chờ trưởng nhóm")
    _submit(page, a["writer"])
    task = GroupLeaderReviewTask.objects.get()
    assert task.locked_for_user(page, a["writer"])
    assert not task.locked_for_user(page, a["leader"])
    assert not task.locked_for_user(page, a["board"])
    assert task.locked_for_user(page, people["b"]["leader"])


def test_changes_requested_by_the_leader_go_back_to_the_leader(
    client, people, django_capture_on_commit_callbacks
):
    a = people["a"]
    _switch_on(a["school"])
    page = _credited_draft(a["school"], a["writer"], a["group"], "Tin cần sửa")
    _submit(page, a["writer"])
    client.force_login(a["leader"])
    state = current_task_state(page)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            action_url(page, "reject", state), {"comment": "Thêm ảnh"}, HTTP_HOST="localhost"
        )
    assert response.status_code == 302
    # The author reads who asked: the group's leader, not the board.
    (rejected,) = [m for m in mail.outbox if m.to == ["writer_a@example.vn"]]
    assert "Trưởng nhóm" in rejected.body and "Thêm ảnh" in rejected.body
    assert "Ban quản trị (" not in rejected.body
    banner = review_feedback.changes_requested_banner(page)
    assert banner.startswith("Trưởng nhóm (") and "Thêm ảnh" in banner
    workflow_state = WorkflowState.objects.get(object_id=str(page.pk))
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    # The author's edit, as the editor saves it: the latest revision, changed, saved again.
    page.get_latest_revision_as_object().save_revision(user=a["writer"])
    workflow_state.resume(user=a["writer"])
    assert type(current_task_state(page).task.specific) is GroupLeaderReviewTask


def test_switching_off_moves_the_waiting_posts_on_to_the_board(people):
    a, b = people["a"], people["b"]
    _switch_on(a["school"], b["school"])
    page_a = _credited_draft(a["school"], a["writer"], a["group"], "Tin A")
    page_b = _credited_draft(b["school"], b["writer"], b["group"], "Tin B")
    _submit(page_a, a["writer"])
    _submit(page_b, b["writer"])
    assert leader_review.set_leader_review(school=a["school"], enabled=False) == 1
    assert _step_states(page_a) == [
        ("GroupLeaderReviewTask", TaskState.STATUS_SKIPPED),
        ("SchoolBoardReviewTask", TaskState.STATUS_IN_PROGRESS),
    ]
    # School B keeps its step and its waiting post.
    assert _step_states(page_b) == [("GroupLeaderReviewTask", TaskState.STATUS_IN_PROGRESS)]
    assert School.objects.get(pk=b["school"].pk).leader_review


def test_only_the_principal_switches_the_step_for_their_own_school(client, people):
    a, b = people["a"], people["b"]
    url = reverse("school_review_steps:index")
    for user in (a["board"], a["leader"], a["writer"]):
        client.force_login(user)
        assert client.get(url, HTTP_HOST="localhost").status_code in (302, 403)
        client.post(url, {f"leader_review_{a['school'].pk}": "on"}, HTTP_HOST="localhost")
    assert not School.objects.get(pk=a["school"].pk).leader_review

    client.force_login(a["principal"])
    body = client.get(url, HTTP_HOST="localhost").content.decode()
    assert a["school"].name in body and b["school"].name not in body
    response = client.post(
        url,
        {f"leader_review_{a['school'].pk}": "on", f"leader_review_{b['school'].pk}": "on"},
        HTTP_HOST="localhost",
        follow=True,
    )
    assert "Đã bật bước trưởng nhóm duyệt" in response.content.decode()
    assert School.objects.get(pk=a["school"].pk).leader_review
    assert not School.objects.get(pk=b["school"].pk).leader_review


def _leader_dashboard_queries(client, leader) -> tuple[int, int]:
    client.force_login(leader)
    client.get("/admin/", HTTP_HOST="localhost")  # warm caches
    from django.db import connection

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/admin/", HTTP_HOST="localhost")
    return len(captured), response.content.decode().count("data-leader-step")


def test_the_leaders_dashboard_costs_the_same_for_2_and_10_waiting_posts(client, people):
    a = people["a"]
    _switch_on(a["school"], people["b"]["school"])
    for i in range(2):
        _submit(_credited_draft(a["school"], a["writer"], a["group"], f"Tin {i}"), a["writer"])
    with_two, shown_two = _leader_dashboard_queries(client, a["leader"])
    for i in range(2, 10):
        _submit(_credited_draft(a["school"], a["writer"], a["group"], f"Tin {i}"), a["writer"])
    with_ten, shown_ten = _leader_dashboard_queries(client, a["leader"])
    assert (shown_two, shown_ten) == (2, 10)
    assert with_two == with_ten == LEADER_DASHBOARD_QUERIES


# Measured: 32, the same with 2 or 10 posts waiting for the leader. A leader is a contributor,
# so the dashboard also has the contributor's panels; the first-step rules add the one lazy
# "groups I lead" query (district_site.roles.led_group_ids) to the panel's fixed queries.
LEADER_DASHBOARD_QUERIES = 32


def test_after_the_boards_request_for_changes_the_leader_is_not_asked_again(people):
    """Wagtail re-asks every step for an edited revision (REQUIRE_REAPPROVAL_ON_EDIT); the
    leader's step is once per submission, so the board's approval publishes the fixed post."""
    a = people["a"]
    _switch_on(a["school"])
    page = _credited_draft(a["school"], a["writer"], a["group"], "Tin sửa theo Ban quản trị")
    workflow_state = _submit(page, a["writer"])
    current_task_state(page).specific.approve(user=a["leader"])
    current_task_state(page).specific.reject(user=a["board"], comment="Sửa tiêu đề")
    page.get_latest_revision_as_object().save_revision(user=a["writer"])
    workflow_state.refresh_from_db()
    workflow_state.resume(user=a["writer"])
    assert type(current_task_state(page).task.specific).__name__ == "SchoolBoardReviewTask"
    current_task_state(page).specific.approve(user=a["board"])
    assert NewsPage.objects.get(pk=page.pk).live
    last_leader_step = (
        TaskState.objects.filter(
            workflow_state=workflow_state, task__in=[GroupLeaderReviewTask.objects.get()]
        )
        .order_by("-pk")
        .first()
    )
    assert last_leader_step.status == TaskState.STATUS_SKIPPED
    assert last_leader_step.comment == leader_review.SKIP_ALREADY_APPROVED


def test_the_writers_panel_says_who_the_post_waits_for(people):
    from school_site.panels import my_submissions

    a = people["a"]
    _switch_on(a["school"])
    with_leader = _credited_draft(a["school"], a["writer"], a["group"], "Tin chờ trưởng nhóm")
    to_board = draft_news(a["school"], a["writer"], "Tin không thuộc tổ")
    _submit(with_leader, a["writer"])
    _submit(to_board, a["writer"])

    labels = {s.title: s.label for s in my_submissions(a["writer"])}
    assert labels == {
        "Tin chờ trưởng nhóm": "Đang chờ trưởng nhóm duyệt (bước 1)",
        "Tin không thuộc tổ": "Đang chờ Ban quản trị duyệt",
    }
