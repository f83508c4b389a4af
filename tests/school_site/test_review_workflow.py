"""The board's review: one workflow, one task, approvers resolved from the page's school."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import Task, TaskState, Workflow, WorkflowState

from district_site.factories import make_member, make_school
from school_site.models import (
    GroupLeaderReviewTask,
    NewsIndexPage,
    NewsPage,
    SchoolBoardReviewTask,
)
from school_site.models.review import REVIEW_WORKFLOW_NAME

pytestmark = pytest.mark.django_db


# --- helpers shared by the other test_review_* modules ----------------------------------------


def news_index(school) -> NewsIndexPage:
    return NewsIndexPage.objects.child_of(school.site.root_page).get()


def draft_news(school, author, title: str = "Hội khỏe Phù Đổng cấp trường") -> NewsPage:
    """A draft news item written by `author` in `school`, saved with one revision."""
    page = NewsPage(title=title, author=author, owner=author, live=False)
    news_index(school).add_child(instance=page)
    page.save_revision(user=author)
    return NewsPage.objects.get(pk=page.pk)


def submit(page, user) -> WorkflowState:
    """Submit `page` for review the way the editor's "Gửi duyệt" button does."""
    page.save_revision(user=user)
    return page.get_workflow().start(page, user)


def current_task_state(page) -> TaskState:
    return TaskState.objects.get(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    )


def action_url(page, action: str, task_state) -> str:
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])


# --- tests ------------------------------------------------------------------------------------


def test_one_workflow_and_its_two_tasks_whatever_the_number_of_schools(two_schools):
    make_school("thcs-c")
    assert Workflow.objects.filter(active=True).count() == 1
    # The group leader's optional first step, then the board: the same two for every school.
    assert Task.objects.filter(active=True).count() == 2
    workflow = Workflow.objects.get(active=True)
    assert workflow.name == REVIEW_WORKFLOW_NAME
    assert [type(task) for task in workflow.tasks.specific()] == [
        GroupLeaderReviewTask,
        SchoolBoardReviewTask,
    ]
    for school in two_schools:
        page = school.site.root_page
        assert page.get_workflow() == workflow


def test_approvers_are_the_board_of_the_pages_own_school(
    school_a, school_b, editor_a, board_a, board_b
):
    page = draft_news(school_a, editor_a)
    submit(page, editor_a)
    task = SchoolBoardReviewTask.objects.get()
    assert [a[0] for a in task.get_actions(page, board_a)] == ["reject", "approve", "approve"]
    assert task.get_actions(NewsPage.objects.get(pk=page.pk), board_b) == []
    assert task.get_actions(NewsPage.objects.get(pk=page.pk), editor_a) == []
    assert task.locked_for_user(page, editor_a)
    assert not task.locked_for_user(page, board_a)
    assert task.user_can_access_editor(page, board_a)
    assert not task.user_can_access_editor(NewsPage.objects.get(pk=page.pk), board_b)


def test_a_board_members_own_post_offers_no_approve_to_them_but_to_another_member(
    school_a, board_a
):
    other_board = make_member(school_a, "board_a2", board=True)
    page = draft_news(school_a, board_a)
    submit(page, board_a)
    task = SchoolBoardReviewTask.objects.get()
    assert [a[0] for a in task.get_actions(page, board_a)] == ["reject"]
    fresh = NewsPage.objects.get(pk=page.pk)
    assert [a[0] for a in task.get_actions(fresh, other_board)] == ["reject", "approve", "approve"]


def test_the_submitter_gets_no_approve_either(school_a, editor_a, board_a):
    other_board = make_member(school_a, "board_a2", board=True)
    page = draft_news(school_a, editor_a)
    submit(page, board_a)  # board_a edited a teacher's draft and submitted it
    task = SchoolBoardReviewTask.objects.get()
    assert [a[0] for a in task.get_actions(page, board_a)] == ["reject"]
    assert "approve" in [
        a[0] for a in task.get_actions(NewsPage.objects.get(pk=page.pk), other_board)
    ]


def test_approval_through_the_admin_publishes_and_mails_the_author_in_vietnamese(
    client, school_a, editor_a, board_a, board_b, django_capture_on_commit_callbacks
):
    page = draft_news(school_a, editor_a, "Lễ khai giảng năm học mới")
    with django_capture_on_commit_callbacks(execute=True):
        submit(page, editor_a)
    assert [m.to for m in mail.outbox] == [[board_a.email]]
    assert "chờ duyệt" in mail.outbox[0].subject
    mail.outbox.clear()

    client.force_login(board_a)
    state = current_task_state(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_url(page, "approve", state), {"comment": "Tốt, đăng ngay."})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    assert [m.to for m in mail.outbox] == [[editor_a.email]]
    assert "đã được duyệt" in mail.outbox[0].subject
    assert "Tốt, đăng ngay." in mail.outbox[0].body


def test_request_changes_mails_the_comment_and_leaves_the_page_a_draft(
    client, school_a, editor_a, board_a, django_capture_on_commit_callbacks
):
    page = draft_news(school_a, editor_a)
    submit(page, editor_a)
    client.force_login(board_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            action_url(page, "reject", current_task_state(page)),
            {"comment": "Bổ sung ảnh và nguồn tin."},
        )
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert [m.to for m in mail.outbox] == [[editor_a.email]]
    assert "Bổ sung ảnh và nguồn tin." in mail.outbox[0].body
    assert "Yêu cầu chỉnh sửa" in mail.outbox[0].subject
