"""The board's approval that ends the review and publishes the post, in one pass (issue 16).

Wagtail's path for the same approval (`Task.on_action` → `TaskState.approve` →
`WorkflowState.update` → `finish` → `publish_workflow_state` → `Revision.publish`) costs about
70 queries on its own (docs/upstream.md, "Queries per publish"): it rebuilds the page from the
revision twice, reloads the workflow, page, latest revision and tasks twice to find the next
task, checks every foreign key of the workflow state and of each log entry with a `SELECT 1`
(`full_clean()` in their `save()`), and opens a savepoint for each nested `transaction.atomic`.

`approve_and_publish` does the same writes with what `school_site.review.perform_action` has
already loaded under its row lock (the task state, its workflow state and workflow, the revision,
the specific page, the school):
- the task state and the workflow state are updated column by column (status, finished at/by,
  comment; status), without `full_clean()`: their foreign keys are the rows just locked, and the
  workflow state's uniqueness check only concerns states still in progress;
- the "next task" is asked once, before any write, and only when there is none (the board is
  the last step) does this path go on; otherwise Wagtail's path runs, unchanged;
- the page is built from the revision ONCE, and Wagtail's own publish action
  (`PublishPageRevisionAction`: permission check, scheduling fields, live revision, dates,
  comments, aliases, `page_published`) publishes that object; it is told the answers it would
  otherwise query again: the two-person rule's facts, the school, that the page is not a site
  root, that no workflow is still in progress (the one being finished was the page's only one);
- the log entries are the ones Wagtail writes ("wagtail.workflow.approve", then "wagtail.rename"
  if the title changed, and "wagtail.publish"), with the same data, user, revision and uuid,
  written by `home.log_entries.log_held` (no foreign-key re-check of held objects);
- the signals are sent in Wagtail's order: `page_published` (inside the publish),
  `workflow_approved`, then `task_approved`.

What does not take this path (Wagtail's runs instead, as before): a step that is not the last
(the group leader's approval, which starts the board's step), a revision that is not the page's
latest, a post scheduled to go live later (`go_live_at` in the future: Wagtail schedules it and
logs "wagtail.publish.schedule"), and a project that replaces `WAGTAIL_FINISH_WORKFLOW_ACTION`.
`tests/school_site/test_lean_approval.py` compares what both paths write.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from wagtail.actions.base import BaseAction
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.models import Page, Revision, Task, TaskState, WorkflowState
from wagtail.signals import task_approved, workflow_approved
from wagtail.workflows import publish_workflow_state

from home.log_entries import log_held
from school_site import review


class _PublishBuiltPage(PublishPageRevisionAction):
    """Wagtail's publish action, given the page already built from the revision.

    `PublishRevisionAction.__init__` builds it with `revision.as_object()` (about 8 queries:
    the page, its parent, locale, users, content type and revisions re-read, comments); the
    approval has just built the same object. Everything else is Wagtail's: `check()`,
    `_publish_revision()`, `_after_publish()`. Logging is left to the caller (`log_action=False`)
    so that the entries are written without re-checking their foreign keys.
    """

    def __init__(self, revision: Revision, page: Page, *, user):
        from wagtail.permissions import policy_registry

        # The attributes PublishRevisionAction.__init__ sets (Wagtail 8.0.1).
        BaseAction.__init__(self, page, user=user)
        self.revision = revision
        self.object = page
        self.permission_policy = policy_registry.get(page)
        self.changed = True
        self.log_action = False
        self.previous_revision = None


def lean_path_applies(*, workflow_state: WorkflowState, task_state: TaskState, page: Page) -> bool:
    """Whether this approval may take the one-pass path (see the module's docstring)."""
    if WorkflowState.on_finish is not publish_workflow_state:
        return False  # another finish action: Wagtail's path calls it
    if workflow_state.status != WorkflowState.STATUS_IN_PROGRESS:
        return False
    if workflow_state.current_task_state_id != task_state.pk:
        return False
    revision = task_state.revision
    if page.latest_revision_id != revision.pk:
        return False  # Wagtail publishes the latest revision; keep its path for the odd case
    go_live_at = Page._meta.get_field("go_live_at").to_python(revision.content.get("go_live_at"))
    if go_live_at is not None and go_live_at > timezone.now():
        return False  # scheduled, not published: Wagtail's path and its schedule log entry
    return next_task(workflow_state=workflow_state, page=page, after=task_state.task_id) is None


def next_task(*, workflow_state: WorkflowState, page: Page, after: int) -> Task | None:
    """`WorkflowState.get_next_task()` once `after`'s state is approved, in one query.

    Wagtail's reloads the workflow, the page and its latest revision first; here they are held.
    The tasks already passed are those with an approved or skipped state (on the page's latest
    revision, with WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT), plus `after`, about to be.
    """
    successful = TaskState.objects.filter(
        workflow_state_id=workflow_state.pk,
        status__in=(TaskState.STATUS_APPROVED, TaskState.STATUS_SKIPPED),
    )
    if getattr(settings, "WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT", False):
        successful = successful.filter(revision_id=page.latest_revision_id)
    return (
        Task.objects.filter(workflow_tasks__workflow_id=workflow_state.workflow_id, active=True)
        .exclude(pk=after)
        .exclude(task_states__in=successful)
        .order_by("workflow_tasks__sort_order")
        .first()
    )


def approve_and_publish(*, task_state: TaskState, page: Page, user, comment: str = "") -> None:
    """Approve `task_state` (the last step of its workflow) and publish `page`'s latest revision.

    `task_state` is locked, with its workflow state (and workflow) and revision loaded; `page` is
    the specific page row. The caller checked `lean_path_applies` and the reviewer's right.
    """
    workflow_state = task_state.workflow_state
    revision = task_state.revision
    now = timezone.now()

    task_state.status = TaskState.STATUS_APPROVED
    task_state.finished_at = now
    task_state.finished_by = user
    task_state.comment = comment
    task_state.save(update_fields=["status", "finished_at", "finished_by", "comment"])

    # The page as the revision has it, built once (Wagtail builds it for the log entry, then
    # again to publish). with_content_json() reads the parent for the URL path; the slug check
    # of the publish's full_clean() asks for it again, so the built page keeps it.
    built = page.with_content_json(revision.content)
    parent = page.get_parent()
    if parent is not None:
        built._cached_parent_obj = parent

    log_held(
        built,
        "wagtail.workflow.approve",
        user=user,
        revision=revision,
        data={
            "workflow": {
                "id": workflow_state.workflow_id,
                "title": workflow_state.workflow.name,
                "status": task_state.status,
                "task_state_id": task_state.pk,
                "task": {"id": task_state.task_id, "title": task_state.task.name},
                "next": None,
            },
            "comment": task_state.get_comment(),
        },
    )

    # WorkflowState.finish(): the state is approved, then the finish action publishes. Its
    # save() would run full_clean() (foreign keys and the "one state in progress" check, which
    # does not apply to an approved state): one UPDATE of the column instead.
    workflow_state.status = WorkflowState.STATUS_APPROVED
    WorkflowState.objects.filter(pk=workflow_state.pk).update(status=workflow_state.status)

    _remember_facts(built, page=page, workflow_state=workflow_state, revision=revision)
    title_before = str(page)
    _PublishBuiltPage(revision, built, user=user).execute()
    _log_publication(built, revision=revision, user=user, title_before=title_before)

    workflow_approved.send(sender=WorkflowState, instance=workflow_state, user=user)
    specific_state = task_state.specific
    task_approved.send(sender=specific_state.__class__, instance=specific_state, user=user)


def _remember_facts(
    built: Page, *, page: Page, workflow_state: WorkflowState, revision: Revision
) -> None:
    """Tell the built page what the publish would otherwise query again (all held here)."""
    # The two-person rule, asked again by the publish's permission check on the built page:
    # its credit fields are the revision's (review._credit_user_ids reads both the object's
    # and its latest revision's, the same revision here), its submitter the workflow's.
    review.remember_review_facts(
        built,
        requested_by_id=workflow_state.requested_by_id,
        latest_revision_content=revision.content,
    )
    school = review.page_school(page)
    setattr(built, review.SCHOOL_ATTR, school)
    # Page.save() asks whether the page is a site root (to clear Wagtail's cached root paths):
    # a post never is one (posts live under a section; a site's root is its home page).
    if review.is_content_page(built) and (school is None or school.site.root_page_id != page.pk):
        built._is_site_root = False
    # The publish cancels the page's workflow still in progress, if any: the only one (one per
    # page, a database constraint) is the one this approval has just finished.
    built._current_workflow_states = []


def _log_publication(built: Page, *, revision: Revision, user, title_before: str) -> None:
    """The entries Wagtail's publish action writes for a page that went live now (its
    `_publish_revision`, with `log_action=True` and no `previous_revision`): "wagtail.rename"
    if the title differs from the page's before, when an earlier revision exists, then
    "wagtail.publish" with the same data."""
    data = None
    title_after = str(built)
    if title_after != title_before and _has_previous(revision):
        data = {"title": {"old": title_before, "new": title_after}}
        log_held(built, "wagtail.rename", user=user, data=data, revision=revision)
    log_held(
        built, "wagtail.publish", user=user, data=data, revision=revision, content_changed=True
    )


def _has_previous(revision: Revision) -> bool:
    # Revision.get_previous(), as Wagtail asks it (only needed when the title changed).
    try:
        revision.get_previous()
    except Revision.DoesNotExist:
        return False
    return True
