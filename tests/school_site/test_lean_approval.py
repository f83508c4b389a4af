"""The board's one-pass approval (school_site/approval.py) writes what Wagtail's path writes.

Each test approves two posts submitted the same way: one through `review.perform_action` (the
one-pass path when the board's step is the last) and one through Wagtail's own `Task.on_action`
(what perform_action called before issue 16). The task and workflow states, the log entries,
the page's publication fields, the signals, the scoring ledger, the queued index tasks and the
page cache's invalidation must be the same, ids aside.
"""

from __future__ import annotations

import copy
import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageLogEntry, Revision, Task, TaskState, WorkflowState
from wagtail.signals import page_published, task_approved, workflow_approved

from district_site import cache_invalidation
from district_site.factories import make_member
from school_site import approval
from school_site.models import NewsPage, SchoolBoardReviewTask
from school_site.review import perform_action
from scoring.models import CreditEvent, PublicationCheck
from tests.school_site.test_review_workflow import current_task_state, submit
from tests.scoring.helpers import draft_news

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def recorded(monkeypatch, settings):
    """The signals sent, the hostnames invalidated and the tasks queued, in order."""
    settings.TASKS = DATABASE_TASKS
    events: list[tuple] = []

    def on_signal(signal_name):
        def receiver(sender, instance, **kwargs):
            events.append((signal_name, type(instance).__name__))

        return receiver

    receivers = {
        "page_published": (page_published, on_signal("page_published")),
        "workflow_approved": (workflow_approved, on_signal("workflow_approved")),
        "task_approved": (task_approved, on_signal("task_approved")),
    }
    for signal, receiver in receivers.values():
        signal.connect(receiver, weak=False)
    real_stale_hosts = cache_invalidation.stale_hosts

    def stale_hosts(hostnames, **kwargs):
        events.append(("stale_hosts", tuple(sorted(hostnames))))
        real_stale_hosts(hostnames, **kwargs)

    monkeypatch.setattr(cache_invalidation, "stale_hosts", stale_hosts)
    yield events
    for signal, receiver in receivers.values():
        signal.disconnect(receiver)


def _stock_approve(task, state, user, comment):
    # Wagtail's own path, as review.perform_action ran it before issue 16.
    Task.on_action(task, state.specific, user, "approve", comment=comment)


def _lean_approve(task, state, user, comment):
    perform_action(task=task, task_state=state, user=user, action_name="approve", comment=comment)


def _approve(approve, page, reviewer, events, comment="Bài tốt, đăng."):
    """Approve `page`'s review with `approve`; what it wrote, with ids replaced by roles."""
    task = SchoolBoardReviewTask.objects.get()
    state = current_task_state(page)
    revision = page.get_latest_revision()
    before_log = PageLogEntry.objects.filter(page_id=page.pk).count()
    before_tasks = set(DBTaskResult.objects.values_list("pk", flat=True))
    events.clear()
    approve(task, state, reviewer, comment)

    state.refresh_from_db()
    workflow_state = WorkflowState.objects.get(pk=state.workflow_state_id)
    page = NewsPage.objects.get(pk=page.pk)
    roles = {
        "page": page.pk,
        "revision": revision.pk,
        "task_state": state.pk,
        "task": task.pk,
        "workflow": workflow_state.workflow_id,
        "reviewer": reviewer.pk,
    }

    def named(value, role):
        """`role` if `value` is that role's id (ids differ between the two posts)."""
        return role if value == roles[role] else value

    def named_data(data):
        data = copy.deepcopy(data)
        workflow = data.get("workflow")
        if workflow:
            workflow["id"] = named(workflow["id"], "workflow")
            workflow["task_state_id"] = named(workflow["task_state_id"], "task_state")
            workflow["task"]["id"] = named(workflow["task"]["id"], "task")
        if "revision" in data:  # "wagtail.publish.schedule"
            data["revision"]["id"] = named(data["revision"]["id"], "revision")
            data["revision"]["created"] = bool(data["revision"]["created"])
        return data

    entries = list(PageLogEntry.objects.filter(page_id=page.pk).order_by("timestamp", "pk"))
    new_entries = entries[before_log:]
    uuids = {entry.uuid for entry in new_entries}
    queued = DBTaskResult.objects.exclude(pk__in=before_tasks).order_by("enqueued_at")
    check = PublicationCheck.objects.filter(page_id=page.pk).first()
    return {
        "task_state": (
            state.status,
            named(state.finished_by_id, "reviewer"),
            state.comment,
            state.finished_at is not None,
        ),
        "workflow_state": (
            workflow_state.status,
            named(workflow_state.current_task_state_id, "task_state"),
            workflow_state.requested_by_id == page.author_id,
        ),
        "log": [
            (
                e.action,
                e.label,
                named_data(e.data),
                named(e.user_id, "reviewer"),
                named(e.revision_id, "revision"),
                e.content_changed,
                e.deleted,
                e.content_type_id == page.content_type_id,
            )
            for e in new_entries
        ],
        "one_uuid": len(uuids) == 1,
        "page": (
            page.live,
            page.title,
            page.draft_title,
            page.url_path.endswith(f"/{page.slug}/"),
            named(page.live_revision_id, "revision"),
            named(page.latest_revision_id, "revision"),
            page.has_unpublished_changes,
            page.first_published_at is not None,
            page.first_published_at == page.last_published_at,
            page.expired,
            page.go_live_at,
        ),
        "approved_go_live_at": sorted(
            str(value)
            for value in Revision.objects.filter(object_id=str(page.pk)).values_list(
                "approved_go_live_at", flat=True
            )
        ),
        "events": list(events),
        "queued": [r.task_path for r in queued],
        "scoring": (
            (check.outcome, named(check.publisher_id, "reviewer"), check.page_title)
            if check
            else None,
            [
                (e.kind, e.pages, e.points, named(e.actor_id, "reviewer"), e.reason)
                for e in CreditEvent.objects.filter(page_id=page.pk)
            ],
        ),
    }


def _submitted(school, teacher, title=None):
    page = draft_news(school, teacher)
    if title is not None:
        page.title = title
    submit(page, teacher)
    return NewsPage.objects.get(pk=page.pk)


def _same_titles(result, *titles):
    """The two posts have different titles (slugs must differ): compare them as one."""
    text = repr(result)
    for title in sorted(titles, key=len, reverse=True):
        text = text.replace(title, "TITLE")
    return text


def test_the_one_pass_approval_writes_what_wagtails_writes(
    school_a, editor_a, board_a, recorded, monkeypatch
):
    lean_page = _submitted(school_a, editor_a)
    stock_page = _submitted(school_a, editor_a)
    taken = []
    real = approval.approve_and_publish
    monkeypatch.setattr(approval, "approve_and_publish", lambda **kw: taken.append(1) or real(**kw))

    lean = _approve(_lean_approve, lean_page, board_a, recorded)
    stock = _approve(_stock_approve, stock_page, board_a, recorded)

    assert taken == [1]  # the one-pass path ran for the first, not for the second
    assert lean["page"][0] is True
    assert [e[0] for e in lean["log"]] == ["wagtail.workflow.approve", "wagtail.publish"]
    assert lean["scoring"][0][0] == PublicationCheck.Outcome.EARNED
    assert [e[0] for e in lean["events"]] == [
        "stale_hosts",
        "page_published",
        "workflow_approved",
        "task_approved",
    ]
    assert len(lean["queued"]) == 2
    assert _same_titles(lean, lean_page.title, stock_page.title) == _same_titles(
        stock, lean_page.title, stock_page.title
    )


def test_a_retitled_post_logs_the_rename_as_wagtail_does(school_a, editor_a, board_a, recorded):
    # The title changed in the revision sent for review: Wagtail logs "wagtail.rename" first.
    lean_page = _submitted(school_a, editor_a, title="Lễ khai giảng năm học mới")
    stock_page = _submitted(school_a, editor_a, title="Lễ khai giảng năm học mới (2)")

    lean = _approve(_lean_approve, lean_page, board_a, recorded)
    stock = _approve(_stock_approve, stock_page, board_a, recorded)

    assert [e[0] for e in lean["log"]] == [
        "wagtail.workflow.approve",
        "wagtail.rename",
        "wagtail.publish",
    ]
    assert lean["log"][1][2]["title"]["new"] == "Lễ khai giảng năm học mới"
    # The old title is each post's own first title: compare the rest.
    for result in (lean, stock):
        for entry in result["log"][1:]:
            entry[2]["title"]["old"] = "OLD"
    titles = ("Lễ khai giảng năm học mới", "Lễ khai giảng năm học mới (2)")
    assert _same_titles(lean, *titles) == _same_titles(stock, *titles)


def test_a_post_scheduled_later_is_scheduled_by_wagtails_path(
    school_a, editor_a, board_a, recorded, monkeypatch
):
    later = timezone.now() + datetime.timedelta(days=2)
    pages = []
    for _ in range(2):
        page = draft_news(school_a, editor_a)
        page.go_live_at = later
        submit(page, editor_a)
        pages.append(NewsPage.objects.get(pk=page.pk))
    taken = []
    monkeypatch.setattr(approval, "approve_and_publish", lambda **kw: taken.append(1))

    lean = _approve(_lean_approve, pages[0], board_a, recorded)
    stock = _approve(_stock_approve, pages[1], board_a, recorded)

    assert taken == []  # not the one-pass path
    assert lean["page"][0] is False
    assert "wagtail.publish.schedule" in [e[0] for e in lean["log"]]
    assert _same_titles(lean, pages[0].title, pages[1].title) == _same_titles(
        stock, pages[0].title, pages[1].title
    )


def test_the_leader_step_is_left_to_wagtails_path(school_a, editor_a, board_a, monkeypatch):
    """A step that is not the last (the board's comes after) is not the one-pass path."""
    from school_site.leader_review import set_leader_review
    from school_site.models import ContributorGroup, GroupLeaderReviewTask

    leader = make_member(school_a, "truong_nhom_a")
    group = ContributorGroup.objects.create(school=school_a, name="Tổ Toán", leader=leader)
    group.members.add(leader, editor_a)
    set_leader_review(school=school_a, enabled=True)
    page = draft_news(school_a, editor_a, group=group)
    submit(page, editor_a)
    taken = []
    monkeypatch.setattr(approval, "approve_and_publish", lambda **kw: taken.append(1))
    state = current_task_state(page)
    assert state.task.specific_class is GroupLeaderReviewTask

    # GroupLeaderReviewTask.on_action: review.perform_action with the leader's actions.
    state.task.specific.on_action(state, leader, "approve")

    assert taken == []
    board_state = current_task_state(page)
    assert board_state.task.specific_class is SchoolBoardReviewTask
    assert not NewsPage.objects.get(pk=page.pk).live


def test_another_schools_board_cannot_approve_and_nothing_is_written(
    school_a, school_b, editor_a, board_b
):
    from django.core.exceptions import PermissionDenied

    page = _submitted(school_a, editor_a)
    state = current_task_state(page)
    logged = PageLogEntry.objects.count()

    with pytest.raises(PermissionDenied):
        _lean_approve(SchoolBoardReviewTask.objects.get(), state, board_b, "")

    state.refresh_from_db()
    assert state.status == TaskState.STATUS_IN_PROGRESS
    assert PageLogEntry.objects.count() == logged
    assert not NewsPage.objects.get(pk=page.pk).live
    assert not PublicationCheck.objects.filter(page_id=page.pk).exists()
