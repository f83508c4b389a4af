"""Extra fields of the board's approve dialog, contributed by a higher layer.

Wagtail builds the dialog from `Task.get_form_for_action(action)` and hands the form's
`cleaned_data` to `Task.on_action` as keyword arguments, which the base Task passes on to
`TaskState.approve(comment=...)`: any other field would break it. So `SchoolBoardReviewTask`
asks here for the form (a layer above school_site registers it with the
`school_review_approve_form` Wagtail hook: scoring's "Đánh dấu bài hay" box), keeps the extra
fields away from Wagtail, and, once the review is approved by this user, sends them with
`review_approved_with` for that layer's receiver. school_site never imports that layer.
"""

from __future__ import annotations

from django.dispatch import Signal
from wagtail import hooks
from wagtail.models import TaskState

APPROVE_FORM_HOOK = "school_review_approve_form"
WAGTAIL_FIELDS = frozenset({"comment"})

# Sent with task_state, page_id, user and extras (the dialog's fields other than the comment),
# after `user` approved the review (so after the page went live when this was the last step).
review_approved_with = Signal()


def form_for_action(action_name: str, *, default):
    if action_name == "approve":
        for form_class in hooks.get_hooks(APPROVE_FORM_HOOK):
            return form_class()
    return default


def split_extras(kwargs: dict) -> tuple[dict, dict]:
    """(what Wagtail's approve/reject accept, the fields a higher layer added)."""
    wagtail = {k: v for k, v in kwargs.items() if k in WAGTAIL_FIELDS}
    return wagtail, {k: v for k, v in kwargs.items() if k not in WAGTAIL_FIELDS}


def send_extras(*, task_state: TaskState, user, action_name: str, extras: dict) -> None:
    # Only when this very call approved it: a double click, or a review another board member
    # finished first, sends nothing.
    if action_name != "approve" or not extras:
        return
    approved = (
        TaskState.objects.filter(
            pk=task_state.pk, status=TaskState.STATUS_APPROVED, finished_by=user
        )
        .values_list("workflow_state__object_id", flat=True)
        .first()
    )
    if approved is not None:
        review_approved_with.send(
            sender=type(task_state.task.specific),
            task_state=task_state,
            page_id=int(approved),
            user=user,
            extras=extras,
        )
