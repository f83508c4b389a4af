"""What the people of a review are told: the reviewer's confirmation after each action, the
explanation when someone else finished the review first, and the author's banner with the
reviewer's request for changes. The review's rules are in `school_site.review`.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, TaskState, WorkflowState

from home.text import display_name

# Told to the reviewer after each review action, from the dashboard and from the editor.
DONE_MESSAGES = {
    "approve": "Đã duyệt bài “{title}”. Tác giả sẽ nhận được thư báo.",
    "reject": "Đã gửi yêu cầu chỉnh sửa bài “{title}” cho tác giả.",
}
# Shown on the post's edit form while the board's request for changes is unanswered.
# {who}: "Ban quản trị", or "Trưởng nhóm" at the group leader's first step.
CHANGES_REQUESTED_BANNER = "{who} ({reviewer}, {date}) yêu cầu chỉnh sửa: “{comment}”"
CHANGES_REQUESTED_BANNER_NO_COMMENT = (
    "{who} ({reviewer}, {date}) yêu cầu chỉnh sửa bài này; sửa xong hãy gửi duyệt lại."
)
ALREADY_FINISHED_MESSAGE = (
    "Bài “{title}” đã được một thành viên khác của Ban quản trị xử lý; "
    "thao tác của bạn không được thực hiện."
)


def review_finished_view(request, page_id: int):
    """Where `perform_action` sends a reviewer whose review was already finished by someone else.

    Wagtail's workflow view redirects to the URL that Task.on_action returns; this shows the
    reviewer why nothing happened instead of an error page.
    """
    from django.contrib import messages
    from django.shortcuts import get_object_or_404, redirect

    page = get_object_or_404(Page, pk=page_id)
    done = request.GET.get("done")
    message = _done_message(page, request.user, done)
    if message:
        messages.success(request, message)
        return redirect("wagtailadmin_home")
    messages.warning(request, ALREADY_FINISHED_MESSAGE.format(title=page.get_admin_display_title()))
    if page.permissions_for_user(request.user).can_edit():
        return redirect("wagtailadmin_pages:edit", page.pk)
    return redirect("wagtailadmin_home")


_STATUS_OF_ACTION = {"approve": TaskState.STATUS_APPROVED, "reject": TaskState.STATUS_REJECTED}


def _done_message(page: Page, user: AbstractBaseUser, action_name: str | None) -> str | None:
    """The confirmation of what `user` just did to `page`, if they did finish a review of it that
    way (so a crafted "?done=" confirms nothing); the leader's approval says where it went."""
    from school_site import leader_review

    if action_name not in DONE_MESSAGES:
        return None
    finished = (
        TaskState.objects.filter(
            workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
            workflow_state__object_id=str(page.pk),
            finished_by=user,
            status=_STATUS_OF_ACTION[action_name],
        )
        .select_related("task")
        .order_by("-finished_at", "-pk")
        .first()
    )
    if finished is None:
        return None
    template = DONE_MESSAGES[action_name]
    if action_name == "approve" and leader_review.is_first_step(finished):
        template = leader_review.FIRST_STEP_APPROVED
    return template.format(title=page.get_admin_display_title())


def confirm_editor_action(request, page: Page) -> None:
    """After the editor's "Duyệt" / "Yêu cầu chỉnh sửa": the same confirmation as the dashboard."""
    from django.contrib import messages

    if not request.POST.get("action-workflow-action"):
        return
    message = _done_message(page, request.user, request.POST.get("workflow-action-name"))
    if message:
        messages.success(request, message)


def changes_requested_banner(page: Page) -> str | None:
    """The board's latest request for changes on `page`, while it is unanswered (else None).

    A resubmission starts a new review (in progress), so the banner goes away by itself. Two
    queries: the page's current review, then the task state that asked for changes.
    """
    state = (
        WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id=str(page.pk),
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    rejected = (
        TaskState.objects.filter(workflow_state=state, status=TaskState.STATUS_REJECTED)
        .select_related("finished_by", "task")
        .order_by("-finished_at", "-pk")
        .first()
    )
    if rejected is None:
        return None
    from django.utils import timezone
    from django.utils.formats import date_format

    from school_site.leader_review import reviewer_title

    reviewer = rejected.finished_by
    values = {
        "who": reviewer_title(rejected),
        "reviewer": display_name(reviewer) if reviewer else "",
        "date": date_format(timezone.localtime(rejected.finished_at), "d/m/Y H:i")
        if rejected.finished_at
        else "",
        "comment": rejected.comment,
    }
    template = CHANGES_REQUESTED_BANNER if rejected.comment else CHANGES_REQUESTED_BANNER_NO_COMMENT
    return template.format(**values)


def show_changes_requested(request, page: Page) -> None:
    """On opening the edit form: the board's request for changes as a banner at its top."""
    from django.contrib import messages

    if request.method != "GET":
        return
    banner = changes_requested_banner(page)
    if banner:
        messages.warning(request, banner)
