"""The optional first step of the review: the contributor group's leader, then the board.

A school's principal switches the step on (`School.leader_review`). The district still has ONE
workflow: `GroupLeaderReviewTask` runs first for every school and `start_step` skips it at once
(a task state with status "skipped" and the reason as its comment, which Wagtail's
`WorkflowState.update` treats as done and moves on to the board) when:
- the page is the district portal's, or its school has the step off;
- the post is credited to no group, or its group has no (active) leader;
- the leader wrote, submitted or credited the post (the two-person rule: they cannot be its
  reviewer, so it goes straight to the board).

Which group: the one in the revision the step started on (`TaskState.revision`). While the step
waits only the leader and the board may edit the post (`locked_for_user`), and Wagtail's
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT restarts the steps after an edit, so the leader
always reviews what the step names.

The leader reviews only posts of the groups they lead (`can_review_step`): no other school's,
no other group's; they may approve only where the board could not be bypassed by them
(`review.approval_blocked_for`). Passing the step starts the board's step as before.
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, IntegerField, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import Page, Task, TaskState

from district_site.models import School
from school_site import review
from school_site.models.groups import ContributorGroup

logger = logging.getLogger(__name__)

STEP_LABEL = "Bước 1: trưởng nhóm duyệt"
APPROVE_LABEL = "Duyệt, chuyển Ban quản trị"
SKIP_NOT_A_SCHOOL = "Trang của Phòng GD&ĐT: không có bước trưởng nhóm duyệt."
SKIP_SWITCHED_OFF = "Trường chưa bật bước trưởng nhóm duyệt: bài chuyển thẳng Ban quản trị."
SKIP_NO_GROUP = "Bài không ghi công tổ chức nào: chuyển thẳng Ban quản trị."
SKIP_NO_LEADER = "Tổ chức “{group}” chưa có trưởng nhóm: bài chuyển thẳng Ban quản trị."
SKIP_LEADER_IS_AUTHOR = (
    "Trưởng nhóm của “{group}” là tác giả, người gửi duyệt hoặc người đặt ghi công của bài: "
    "bài chuyển thẳng Ban quản trị."
)
FIRST_STEP_APPROVED = "Đã duyệt bài “{title}”. Bài đã được chuyển đến Ban quản trị."
SKIP_ALREADY_APPROVED = (
    "Trưởng nhóm đã duyệt bài này trong lần gửi duyệt này: bài sửa theo yêu cầu của "
    "Ban quản trị không cần duyệt lại ở bước trưởng nhóm."
)
SKIP_TURNED_OFF = "Trường tắt bước trưởng nhóm duyệt: bài chuyển sang Ban quản trị."

# The group named by the revision a task state started on, as an SQL expression on TaskState
# (the ->> operator, cast to an id; a JSON null is NULL on PostgreSQL and 0 on SQLite, neither
# of which is a group id).
STATE_GROUP = Cast(KeyTextTransform("contributor_group", "revision__content"), IntegerField())

# Remembered on the page object: the group of its waiting leader step (None: no such step).
_STEP_GROUP_ATTR = "_leader_step_group_id"


# --- starting the step ---------------------------------------------------------------------


def skip_reason(page: Page, *, school: School | None, requested_by_id: int | None) -> str | None:
    """Why the leader step does not apply to `page` (its latest version), or None if it does."""
    if school is None:
        return SKIP_NOT_A_SCHOOL
    if not school.leader_review:
        return SKIP_SWITCHED_OFF
    group_id = getattr(page, "contributor_group_id", None)
    group = (
        ContributorGroup.objects.filter(pk=group_id, school=school).select_related("leader").first()
        if group_id
        else None
    )
    if group is None:
        return SKIP_NO_GROUP
    if group.leader is None or not group.leader.is_active:
        return SKIP_NO_LEADER.format(group=group.name)
    setattr(page, review._REQUESTER_ATTR, requested_by_id)
    if review.approval_blocked_for(page, group.leader):
        return SKIP_LEADER_IS_AUTHOR.format(group=group.name)
    return None


def _skip(task_state: TaskState, reason: str) -> TaskState:
    """Mark the step done without a reviewer, the reason kept as its comment (workflow history)."""
    task_state.status = TaskState.STATUS_SKIPPED
    task_state.finished_at = timezone.now()
    task_state.comment = reason
    task_state.save()
    logger.info(
        "Leader step skipped for page %s (task state %s): %s",
        task_state.workflow_state.object_id,
        task_state.pk,
        reason,
    )
    return task_state


def start_step(task, workflow_state, *, user=None) -> TaskState:
    """`GroupLeaderReviewTask.start`: wait for the leader, or record why not and move on."""
    page = workflow_state.content_object
    latest = page.get_latest_revision_as_object() if isinstance(page, Page) else page
    # With WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT, Wagtail counts an approval only for the
    # revision it was given, so after the board asked for changes and approved the corrected
    # post, Wagtail would send it BACK to the leader. The leader's step is one per submission:
    # once the leader passed the post in this workflow, it is the board's.
    already = TaskState.objects.filter(
        workflow_state=workflow_state, task=task, status=TaskState.STATUS_APPROVED
    ).exists()
    reason = (
        SKIP_ALREADY_APPROVED
        if already
        else (
            skip_reason(
                latest,
                school=review.page_school(latest),
                requested_by_id=workflow_state.requested_by_id,
            )
            if isinstance(latest, Page)
            else SKIP_NOT_A_SCHOOL
        )
    )
    if reason is None:
        # Wagtail's own start: an in-progress state and the task_submitted signal (which
        # school_site.notifications answers by mailing the leader).
        return Task.start(task, workflow_state, user=user)
    # No task_submitted signal: nobody is asked anything. Wagtail's WorkflowState.update sees
    # a finished state and starts the next task, the board's, which mails the board.
    state = TaskState(workflow_state=workflow_state, task=task, revision=page.get_latest_revision())
    return _skip(state, reason)


# --- who reviews the step ------------------------------------------------------------------


def step_group_id(page: Page) -> int | None:
    """The group whose leader the page's waiting first step asks (None: no step waiting)."""
    if not hasattr(page, _STEP_GROUP_ATTR):
        from school_site.models.review import GroupLeaderReviewTask

        group_id = None
        if page.pk is not None:
            group_id = (
                TaskState.objects.filter(
                    task__in=GroupLeaderReviewTask.objects.values("pk"),
                    status=TaskState.STATUS_IN_PROGRESS,
                    workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
                    workflow_state__object_id=str(page.pk),
                )
                .annotate(group_id=STATE_GROUP)
                .values_list("group_id", flat=True)
                .first()
            )
        setattr(page, _STEP_GROUP_ATTR, group_id or None)
    return getattr(page, _STEP_GROUP_ATTR)


def remember_step_group(page: Page, group_id: int | None) -> None:
    """Hand `step_group_id` the answer fetched for a whole listing at once."""
    setattr(page, _STEP_GROUP_ATTR, group_id or None)


def can_review_step(page: Page, user: AbstractBaseUser) -> bool:
    """Whether `user` leads the group named by `page`'s waiting first step (own posts too)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    from district_site.roles import led_group_ids

    led = led_group_ids(user)
    if not led:
        return False
    group_id = step_group_id(page)
    if group_id is None or group_id not in led:
        return False
    school = review.page_school(page)
    return school is not None and school.is_active


def actions_for(page: Page, user: AbstractBaseUser) -> list[tuple[str, str, bool]]:
    """What `user` may do at `page`'s first step: the leader approves or asks for changes."""
    if not can_review_step(page, user):
        return []
    actions = [("reject", review.REQUEST_CHANGES_LABEL, True)]
    if not review.approval_blocked_for(page, user):
        actions += [
            ("approve", APPROVE_LABEL, False),
            ("approve", review.APPROVE_WITH_COMMENT_LABEL, True),
        ]
    return actions


def task_states_to_review(task, user: AbstractBaseUser) -> QuerySet[TaskState]:
    """Waiting first steps of posts credited to groups `user` leads in an active school."""
    states = TaskState.objects.filter(task=task, status=TaskState.STATUS_IN_PROGRESS)
    if not (user.is_authenticated and user.is_active):
        return states.none()
    if user.is_superuser:
        return states
    led = ContributorGroup.objects.filter(
        leader_id=user.pk, school__status=School.Status.ACTIVE
    ).values("pk")
    return states.alias(step_group=STATE_GROUP).filter(step_group__in=led)


def is_first_step(task_state: TaskState) -> bool:
    """Whether `task_state` is the group leader's step (no query: the task's content type id)."""
    from school_site.models.review import GroupLeaderReviewTask

    leader_type = ContentType.objects.get_for_model(GroupLeaderReviewTask)
    return task_state.task.content_type_id == leader_type.pk


def reviewer_title(task_state: TaskState) -> str:
    """Who asked, as the author reads it: the group's leader or the board."""
    return "Trưởng nhóm" if is_first_step(task_state) else "Ban quản trị"


def step_leader(task_state: TaskState) -> AbstractBaseUser | None:
    """The leader a waiting first step asks (for the e-mail), if they are active."""
    group_id = (
        TaskState.objects.filter(pk=task_state.pk)
        .annotate(group_id=STATE_GROUP)
        .values_list("group_id", flat=True)
        .first()
    )
    group = (
        ContributorGroup.objects.filter(pk=group_id).select_related("leader").first()
        if group_id
        else None
    )
    leader = group.leader if group else None
    return leader if leader is not None and leader.is_active else None


# --- the principal's switch ----------------------------------------------------------------


def set_leader_review(*, school: School, enabled: bool) -> int:
    """Switch `school`'s first step on or off, in one transaction.

    Switching it off moves the posts waiting for a leader on to the board at once (their step
    is skipped with the reason), so none is left waiting for a step that no longer exists.
    Returns how many posts were moved on.
    """
    from school_site.models.review import GroupLeaderReviewTask

    moved = 0
    with transaction.atomic():
        School.objects.filter(pk=school.pk).update(leader_review=enabled)
        school.leader_review = enabled
        if enabled:
            return 0
        root = school.site.root_page.path
        page_ids = Page.objects.filter(path__startswith=root).values("pk")
        waiting = (
            TaskState.objects.select_for_update()
            .filter(
                task__in=GroupLeaderReviewTask.objects.values("pk"),
                status=TaskState.STATUS_IN_PROGRESS,
                workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
                workflow_state__object_id__in=page_ids.annotate(
                    pk_text=Cast("pk", output_field=CharField())
                ).values("pk_text"),
            )
            .select_related("workflow_state")
            .order_by("pk")
        )
        for state in waiting:
            _skip(state, SKIP_TURNED_OFF)
            state.workflow_state.update(user=None)
            moved += 1
    return moved
