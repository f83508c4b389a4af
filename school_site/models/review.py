"""The management board's review: ONE Wagtail task type that finds its approvers from the page.

Stock Wagtail names the approvers of a `GroupApprovalTask` in the task itself, so a district of
N schools would need N tasks and N workflows; the dashboard's "awaiting your review" panel then
asks every task in turn (measured: 524 queries at 500 schools). `SchoolBoardReviewTask` is a
single task for the whole district: a page's approvers are the board group of the school whose
site contains the page (district portal pages: district admins). The rules themselves are plain
functions in `school_site.review`; this class adapts them to Wagtail's Task API.
"""

from __future__ import annotations

from wagtail.models import Task

REVIEW_WORKFLOW_NAME = "Duyệt bài của Ban quản trị"
REVIEW_TASK_NAME = "Ban quản trị duyệt bài"
LEADER_TASK_NAME = "Trưởng nhóm duyệt bài"

ACTION_APPROVE = "approve"
ACTION_REJECT = "reject"


class SchoolBoardReviewTask(Task):
    """Approval by the board of the school the page belongs to; never by the page's author, its
    submitter or whoever last set its author or group (school_site.review.approval_blocked_for)."""

    # Nothing to choose in the task form: the approvers follow from the page.
    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = "Duyệt bởi Ban quản trị của trường"
        verbose_name_plural = "Duyệt bởi Ban quản trị của trường"

    @classmethod
    def get_description(cls):
        return (
            "Ban quản trị của trường có trang duyệt bài; tác giả, người gửi duyệt và người đặt "
            "ghi công của bài không tự duyệt bài đó."
        )

    def user_can_access_editor(self, obj, user):
        from school_site import review

        return review.can_review(obj, user)

    def locked_for_user(self, obj, user):
        # While the board reviews, only the board may change the page: what it approves is what
        # goes live (with WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT, a board edit restarts it).
        from school_site import review

        return not review.can_review(obj, user)

    def user_can_lock(self, obj, user):
        from school_site import review

        return review.can_review(obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        from school_site import review

        return review.actions_for(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from school_site import review

        return review.task_states_to_review(self, user)

    def get_form_for_action(self, action):
        from school_site import review_dialog

        return review_dialog.form_for_action(action, default=super().get_form_for_action(action))

    def on_action(self, task_state, user, action_name, **kwargs):
        from school_site import review, review_dialog

        # The approve dialog may carry fields of a higher layer (review_dialog): kept from
        # Wagtail's approve(), sent to that layer once the approval is done.
        kwargs, extras = review_dialog.split_extras(kwargs)
        url = review.perform_action(
            task=self, task_state=task_state, user=user, action_name=action_name, **kwargs
        )
        review_dialog.send_extras(
            task_state=task_state, user=user, action_name=action_name, extras=extras
        )
        return url


class GroupLeaderReviewTask(Task):
    """The optional first step: the leader of the post's contributor group reviews it.

    The ONE workflow runs this task before the board's for every school; a school that has not
    switched the step on (`School.leader_review`), a post credited to no group or to a group
    without a leader, and the leader's own post skip it at once (`start` records a skipped
    task state with the reason), so no school needs a workflow of its own. The rules are in
    `school_site.leader_review`.
    """

    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = "Duyệt bởi trưởng nhóm của tổ chức"
        verbose_name_plural = "Duyệt bởi trưởng nhóm của tổ chức"

    @classmethod
    def get_description(cls):
        return (
            "Trưởng nhóm của tổ chức được ghi công duyệt trước Ban quản trị, nếu trường bật "
            "bước này; không thì bước này được bỏ qua."
        )

    def start(self, workflow_state, user=None):
        from school_site import leader_review

        return leader_review.start_step(self, workflow_state, user=user)

    def user_can_access_editor(self, obj, user):
        from school_site import leader_review

        return leader_review.can_review_step(obj, user)

    def locked_for_user(self, obj, user):
        # While the leader reviews, the leader and the school's board may change the post; the
        # author waits for the answer (as during the board's step).
        from school_site import leader_review, review

        return not (leader_review.can_review_step(obj, user) or review.can_review(obj, user))

    def user_can_lock(self, obj, user):
        from school_site import leader_review

        return leader_review.can_review_step(obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        from school_site import leader_review

        return leader_review.actions_for(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from school_site import leader_review

        return leader_review.task_states_to_review(self, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        from school_site import leader_review, review

        return review.perform_action(
            task=self,
            task_state=task_state,
            user=user,
            action_name=action_name,
            allowed_actions=leader_review.actions_for,
            **kwargs,
        )


# The author-facing and board-facing e-mails replace Wagtail's stock ones; see notifications.py
# for why they must be connected while models load.
def _connect_notifications() -> None:
    from school_site import notifications

    notifications.connect()


_connect_notifications()

__all__ = [
    "ACTION_APPROVE",
    "ACTION_REJECT",
    "LEADER_TASK_NAME",
    "GroupLeaderReviewTask",
    "REVIEW_TASK_NAME",
    "REVIEW_WORKFLOW_NAME",
    "SchoolBoardReviewTask",
]
