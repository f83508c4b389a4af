"""Vietnamese e-mails of the board's review, to that school's people only.

- A page waiting at the first step (the school switched on the group leader's review): the
  leader of the post's group. When the leader passes it on, the board is told as below.
- A page submitted to the board (also resubmitted after changes): the school's board members,
  except the person who submitted it. Never other schools, never every superuser.
- Approved, or changes requested (with the reviewer's comment): the page's author and the person
  who submitted it, except the reviewer.

Why these replace Wagtail's stock e-mails: Wagtail's `workflow_submitted` notifier mails every
superuser, and its approval/rejection mails go to the submitter only and without the approval
comment. Wagtail connects those with fixed `dispatch_uid`s in wagtail.admin's AppConfig.ready();
Django ignores a second `connect` with a (dispatch_uid, sender) pair already connected, and
every models module is imported before any ready() runs, so `connect()` below, called while
school_site's models load, takes those three places first.

Mail is queued after the transaction commits (a rolled-back approval mails nobody) as one
background task per recipient (a decision's mail is even prepared by the worker:
`send_review_decision_task`) (`home.tasks.send_mail_task`): a slow or failing mail server never
slows, undoes or blocks an approval; failed sends are retried and listed for district admins.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task
from wagtail.models import Page, TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

from home.tasks import MAIL_PRIORITY, send_mail_task

logger = logging.getLogger(__name__)

# Wagtail's own dispatch_uids (wagtail/admin/signal_handlers.py), claimed on purpose. They are
# private strings, but they must remain: Wagtail 8.0.1 has no setting or hook to turn its
# workflow e-mails off, and disconnecting them in AppConfig.ready() would need the same strings.
# tests/school_site/test_review_workflow.py fails if an upgrade renames them (stock mails return).
WAGTAIL_SUBMITTED_UID = "workflow_state_submitted_email_notification"
WAGTAIL_APPROVED_UID = "workflow_state_approved_email_notification"
WAGTAIL_REJECTED_UID = "workflow_state_rejected_email_notification"


def board_recipients(page: Page, *, exclude_user_id: int | None = None) -> list:
    """Active board members (with an e-mail) of the page's school; district admins for the portal."""
    from district_site.models import DISTRICT_ADMINS_GROUP
    from school_site.review import page_school

    school = page_school(page)
    if school is not None:
        group_filter = {"groups": school.board_group_id}
    else:
        group_filter = {"groups__in": Group.objects.filter(name=DISTRICT_ADMINS_GROUP)}
    users = get_user_model().objects.filter(is_active=True, **group_filter).exclude(email="")
    if exclude_user_id is not None:
        users = users.exclude(pk=exclude_user_id)
    return list(users.distinct().order_by("pk"))


def author_recipients(page: Page, workflow_state: WorkflowState, *, exclude_user_id=None) -> list:
    """The page's author and its submitter (each once), with an e-mail, except the reviewer."""
    ids = {getattr(page, "author_id", None), workflow_state.requested_by_id} - {None}
    ids.discard(exclude_user_id)
    users = get_user_model().objects.filter(pk__in=ids, is_active=True).exclude(email="")
    return list(users.order_by("pk"))


def edit_url(page: Page) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "wagtailadmin_pages:edit", args=[page.pk]
    )


def send_email(*, subject: str, body: str, to: list[str]) -> None:
    """Queue one mail for the background worker (reminders; `deliver` queues the review mail)."""
    send_mail_task.enqueue(subject=subject, message=body, recipient_list=to)


def deliver(*, template: str, context: dict, recipients: list) -> int:
    """Queue one mail per recipient (rendered here, sent by the worker). Returns how many."""
    queued = 0
    for user in recipients:
        ctx = {**context, "recipient": user}
        subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
        body = render_to_string(f"{template}.txt", ctx)
        try:
            send_mail_task.enqueue(subject=subject, message=body, recipient_list=[user.email])
            queued += 1
        except Exception:  # e.g. the task table unreachable: an approval must not depend on it
            logger.exception("Could not queue review e-mail %r to %s", subject, user.email)
    return queued


def _after_commit(**kwargs) -> None:
    def run():
        try:
            deliver(**kwargs)
        except Exception:  # a template or query error must not turn a done approval into a 500
            logger.exception("Could not prepare review e-mails")

    transaction.on_commit(run)


def _is_board_review(task) -> bool:
    from school_site.models.review import SchoolBoardReviewTask

    return isinstance(task, SchoolBoardReviewTask)


def _page_of(workflow_state: WorkflowState) -> Page | None:
    obj = workflow_state.content_object
    return obj if isinstance(obj, Page) else None


def _is_leader_step(task) -> bool:
    from school_site.models.review import GroupLeaderReviewTask

    return isinstance(task, GroupLeaderReviewTask)


def on_task_submitted(sender, instance: TaskState, user=None, **kwargs) -> None:
    """A page reached the board (tell that school's board) or its group's leader (tell them)."""
    task = instance.task.specific
    if not (_is_board_review(task) or _is_leader_step(task)):
        return
    page = _page_of(instance.workflow_state)
    if page is None:
        return
    page = page.get_latest_revision_as_object()
    if _is_leader_step(task):
        _tell_the_leader(instance, page, user)
        return
    _after_commit(
        template="school_site/review/email_submitted",
        context={"page": page, "submitter": user, "url": edit_url(page)},
        recipients=board_recipients(page, exclude_user_id=getattr(user, "pk", None)),
    )


def _tell_the_leader(task_state: TaskState, page: Page, submitter) -> None:
    from school_site.leader_review import step_leader

    leader = step_leader(task_state)
    if leader is None or not leader.email:
        return
    group = getattr(page, "contributor_group", None)
    _after_commit(
        template="school_site/review/email_leader_submitted",
        context={
            "page": page,
            "submitter": submitter,
            "group_name": group.name if group else "",
            "url": edit_url(page),
        },
        recipients=[leader],
    )


def _last_finished_state(workflow_state: WorkflowState) -> TaskState | None:
    return (
        TaskState.objects.filter(workflow_state=workflow_state)
        .exclude(status=TaskState.STATUS_IN_PROGRESS)
        .select_related("task")  # which step decided (is_first_step), in the same query
        .order_by("-finished_at", "-pk")
        .first()
    )


def public_url(page: Page) -> str | None:
    """The page's address on its school's site, once it is live (None before)."""
    page.refresh_from_db(fields=["live", "url_path"])
    return page.get_full_url() if page.live else None


def _on_decision(workflow_state: WorkflowState, user, template: str, *, to_public=False) -> None:
    """Queue the decision mail's preparation for the worker, once the approval has committed.

    Finding the recipients, the reviewer's comment and the page's public address costs four
    queries that the reviewer's request need not wait for (issue 16: a publication through the
    review in as few queries as possible); the worker does them, then queues one mail each.
    """
    # Pages only (a workflow on a snippet is not the board's review); no query for the check.
    if workflow_state.base_content_type_id != ContentType.objects.get_for_model(Page).pk:
        return
    kwargs = {
        "workflow_state_id": workflow_state.pk,
        "reviewer_id": getattr(user, "pk", None),
        "template": template,
        "to_public": to_public,
    }

    def enqueue():
        try:
            send_review_decision_task.enqueue(**kwargs)
        except Exception:  # e.g. the task table unreachable: an approval must not depend on it
            logger.exception("Could not queue the review decision mail %r", kwargs)

    transaction.on_commit(enqueue)


def send_review_decision(
    *, workflow_state_id: int, reviewer_id: int | None, template: str, to_public: bool
) -> int:
    """Mail the page's author and submitter the board's decision. Returns how many were queued."""
    from school_site.leader_review import is_first_step

    workflow_state = WorkflowState.objects.filter(pk=workflow_state_id).first()
    page = _page_of(workflow_state) if workflow_state is not None else None
    if page is None:
        return 0
    page = page.specific_deferred
    reviewer = get_user_model().objects.filter(pk=reviewer_id).first() if reviewer_id else None
    last = _last_finished_state(workflow_state)
    # An approval links to what readers now see; changes requested (or an approval scheduled
    # for later, not live yet) link to the edit form where the author acts on it.
    url = (public_url(page) if to_public else None) or edit_url(page)
    return deliver(
        template=template,
        context={
            "page": page,
            "reviewer": reviewer,
            "comment": last.comment if last else "",
            "url": url,
            # Changes asked at the group leader's first step are the leader's, not the board's.
            "by_leader": bool(last and is_first_step(last)),
        },
        recipients=author_recipients(page, workflow_state, exclude_user_id=reviewer_id),
    )


@task(priority=MAIL_PRIORITY)
def send_review_decision_task(
    *, workflow_state_id: int, reviewer_id: int | None, template: str, to_public: bool
) -> int:
    return send_review_decision(
        workflow_state_id=workflow_state_id,
        reviewer_id=reviewer_id,
        template=template,
        to_public=to_public,
    )


def on_workflow_approved(sender, instance: WorkflowState, user=None, **kwargs) -> None:
    _on_decision(instance, user, "school_site/review/email_approved", to_public=True)


def on_workflow_rejected(sender, instance: WorkflowState, user=None, **kwargs) -> None:
    _on_decision(instance, user, "school_site/review/email_rejected")


def on_workflow_submitted(sender, instance: WorkflowState, user=None, **kwargs) -> None:
    """Deliberately nothing: the board is told by on_task_submitted (Wagtail's mailed superusers)."""


def connect() -> None:
    task_submitted.connect(
        on_task_submitted, sender=TaskState, dispatch_uid="school_board_review_submitted"
    )
    workflow_submitted.connect(
        on_workflow_submitted, sender=WorkflowState, dispatch_uid=WAGTAIL_SUBMITTED_UID
    )
    workflow_approved.connect(
        on_workflow_approved, sender=WorkflowState, dispatch_uid=WAGTAIL_APPROVED_UID
    )
    workflow_rejected.connect(
        on_workflow_rejected, sender=WorkflowState, dispatch_uid=WAGTAIL_REJECTED_UID
    )
