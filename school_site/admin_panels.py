"""The school board's "awaiting your review" dashboard panel, in a fixed number of queries.

Wagtail's stock panel (`WorkflowObjectsToModeratePanel`) asks, for every waiting review, for
its task, the specific task, the page's school, its submitter and the workflow's task list:
about five queries per review, so a board with 30 posts waiting runs 150 more queries. This
panel fetches the same facts for all waiting reviews at once (the task, the task states with
their submitters, the pages with their authors, the pages' schools: the same handful of
queries for 2 or 200 reviews), lists them oldest first and says how long each has waited.

The rules (who reviews, who may approve) stay in `school_site.review`; this module only feeds
them what they would otherwise look up one page at a time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Task, TaskState

from district_site.models import School
from district_site.selectors import SITE_ROOT_PATH_LENGTH
from school_site import leader_review, review

STOCK_PANEL_NAME = "workflow_objects_to_moderate"
AWAITS_OTHER_LABEL = "Chờ thành viên khác của Ban quản trị duyệt"


@dataclass(frozen=True)
class WaitingReview:
    """One review awaiting the user: what the panel shows and the actions it offers."""

    page: Page
    task_state: TaskState
    submitted_by: AbstractBaseUser | None
    waited: str
    actions: list[tuple[str, str, bool]]
    # The user wrote, submitted or credited it: another board member must approve it, so it is
    # listed as waiting for them, not as the user's to review.
    awaits_other: bool = False
    # Set for the group leader's first step (school_site.leader_review), empty for the board's.
    step_label: str = ""


def waited_text(started_at: datetime.datetime, now: datetime.datetime) -> str:
    """How long a review has waited, in Vietnamese: "đã chờ 3 ngày", "đã chờ 5 giờ"."""
    elapsed = now - started_at
    if elapsed.days >= 1:
        return f"đã chờ {elapsed.days} ngày"
    hours = elapsed.seconds // 3600
    if hours >= 1:
        return f"đã chờ {hours} giờ"
    return "vừa gửi"


def _remember_lookups(page: Page, *, school: School | None, requested_by_id: int | None) -> None:
    """Hand `school_site.review` the page's school and submitter, fetched here for all pages.

    review.page_school() and the submitter lookup remember their answer on the page object
    under these names; filled in advance, `review.actions_for` asks the database nothing.
    """
    setattr(page, review._SCHOOL_ATTR, school)
    setattr(page, review._REQUESTER_ATTR, requested_by_id)


def _review_tasks() -> tuple[Task | None, Task | None]:
    """The board's task and the group leader's first step, in one query (base `Task` rows:
    the panel needs only their ids; the rules are plain functions)."""
    from school_site.models import GroupLeaderReviewTask, SchoolBoardReviewTask

    types = ContentType.objects.get_for_models(SchoolBoardReviewTask, GroupLeaderReviewTask)
    by_type = {
        task.content_type_id: task
        for task in Task.objects.filter(active=True, content_type__in=types.values()).order_by("pk")
    }
    return (
        by_type.get(types[SchoolBoardReviewTask].pk),
        by_type.get(types[GroupLeaderReviewTask].pk),
    )


def waiting_reviews(user: AbstractBaseUser, *, now: datetime.datetime | None = None):
    """Reviews `user` may act on, oldest first: the board's, and the first steps of the groups
    the user leads (constant query count)."""
    board_task, leader_task = _review_tasks()
    wanted = Q(pk__in=[])
    if board_task is not None:
        wanted |= Q(pk__in=review.task_states_to_review(board_task, user).values("pk"))
    if leader_task is not None:
        wanted |= Q(pk__in=leader_review.task_states_to_review(leader_task, user).values("pk"))
    states = list(
        TaskState.objects.filter(wanted)
        .annotate(step_group_id=leader_review.STATE_GROUP)
        .select_related("workflow_state__requested_by")
        .order_by("started_at", "pk")
    )
    if not states:
        return []

    pages = Page.objects.filter(pk__in=[int(s.workflow_state.object_id) for s in states])
    # The credit fields the two-person rule reads, for all pages in this one query.
    pages = pages.annotate(**review.credit_columns())
    pages_by_id = {page.pk: page for page in pages.defer_streamfields()}
    roots = {page.path[:SITE_ROOT_PATH_LENGTH] for page in pages_by_id.values()}
    schools = {
        school.root_path: school
        for school in School.objects.filter(site__root_page__path__in=roots).annotate(
            root_path=F("site__root_page__path")
        )
    }

    now = now or timezone.now()
    waiting = []
    for state in states:
        page = pages_by_id.get(int(state.workflow_state.object_id))
        if page is None:
            continue
        _remember_lookups(
            page,
            school=schools.get(page.path[:SITE_ROOT_PATH_LENGTH]),
            requested_by_id=state.workflow_state.requested_by_id,
        )
        first_step = leader_task is not None and state.task_id == leader_task.pk
        if first_step:
            state.task = leader_task
            leader_review.remember_step_group(page, state.step_group_id)
            actions = leader_review.actions_for(page, user)
        else:
            state.task = board_task
            actions = review.actions_for(page, user)
        waiting.append(
            WaitingReview(
                page=page,
                task_state=state,
                submitted_by=state.workflow_state.requested_by,
                waited=waited_text(state.started_at, now),
                actions=actions,
                awaits_other=review.approval_blocked_for(page, user),
                step_label=leader_review.STEP_LABEL if first_step else "",
            )
        )
    return waiting


class AwaitingReviewPanel(Component):
    """Replaces Wagtail's panel of the same place for school users (see school_site/wagtail_hooks.py)."""

    name = "school_awaiting_review"
    template_name = "school_site/review/awaiting_review_panel.html"
    order = 220

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        request = parent_context["request"]
        context["request"] = request
        context["csrf_token"] = parent_context["csrf_token"]
        waiting = waiting_reviews(request.user)
        context["reviews"] = [item for item in waiting if not item.awaits_other]
        context["own_waiting"] = [item for item in waiting if item.awaits_other]
        context["own_waiting_label"] = AWAITS_OTHER_LABEL
        return context
