"""The board's review of a school's pages: who reviews what, and acting on a review safely.

Plain functions; `school_site.models.review.SchoolBoardReviewTask` and the admin hooks call them.
What the reviewer and the author are told afterwards is in `school_site.review_feedback`.

Rules
- A page's reviewers are the board group of the school whose site contains it (the district
  portal's pages: the district admins). Superusers may act anywhere, as everywhere in Wagtail.
- Two people for every credit (DESIGN decision 9): nobody makes a content post go live that
  they wrote, submitted for review, or whose credit fields (author, group) they last set. Such
  a post goes live only when ANOTHER board member approves it in the review. `may_publish` is
  the rule; `school_site.permissions` makes Wagtail's page permission tester ask it, so every
  route that publishes (editor, bulk actions, admin API, copy, scheduling, revert) obeys it,
  and `actions_for` asks `approval_blocked_for` before offering "Duyệt".
- Acting on a review locks its task state row first, so two board members pressing "Duyệt" at
  the same moment give one publish; the second is told the review was already finished.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import CharField, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Substr
from django.urls import reverse
from wagtail.models import (
    Page,
    Site,
    TaskState,
    Workflow,
    WorkflowState,
    get_page_models,
)

from district_site.models import School
from district_site.selectors import SITE_ROOT_PATH_LENGTH, school_for_page

APPROVE_LABEL = "Duyệt"
APPROVE_WITH_COMMENT_LABEL = "Duyệt kèm nhận xét"
REQUEST_CHANGES_LABEL = "Yêu cầu chỉnh sửa"
SELF_PUBLISH_REFUSED = (
    "Bạn là tác giả, người gửi duyệt hoặc người đặt ghi công của bài này nên không thể tự đăng; "
    "hãy gửi duyệt để một thành viên khác của Ban quản trị duyệt."
)
CREDIT_CHANGE_NEEDS_REVIEW = (
    "Bạn vừa đặt tác giả hoặc tổ chức của bài nên không thể đăng ngay; hãy lưu và gửi duyệt để "
    "một thành viên khác của Ban quản trị duyệt."
)
# Attribute names used to remember per-request lookups on the page and user objects, so that
# a listing asking get_actions() and locked_for_user() for the same page queries once.
_SCHOOL_ATTR = "_review_school"
SCHOOL_ATTR = _SCHOOL_ATTR  # for callers that hand page_school() the answer (approval.py)
_REQUESTER_ATTR = "_review_requested_by_id"
_CREDIT_ATTR = "_review_credit_user_ids"

# Annotation names (see credit_columns): the credit fields of the page row and of its latest
# revision, which is what the review, the bulk action and the admin API put live.
ROW_AUTHOR = "author_id"
ROW_CREDIT_SETTER = "credit_set_by_id"
REVISION_AUTHOR = "review_revision_author_id"
REVISION_CREDIT_SETTER = "review_revision_credit_set_by_id"
_CREDIT_COLUMNS = (ROW_AUTHOR, ROW_CREDIT_SETTER, REVISION_AUTHOR, REVISION_CREDIT_SETTER)


# --- who reviews what -----------------------------------------------------------------------


def page_school(page: Page) -> School | None:
    """The school of `page` (None for the district portal), looked up once per page object."""
    if not hasattr(page, _SCHOOL_ATTR):
        setattr(page, _SCHOOL_ATTR, school_for_page(page))
    return getattr(page, _SCHOOL_ATTR)


def _group_ids(user: AbstractBaseUser) -> frozenset[int]:
    from district_site.roles import roles_for

    return roles_for(user).group_ids


def _is_district_admin(user: AbstractBaseUser) -> bool:
    from district_site.roles import roles_for

    return roles_for(user).is_district_admin


def can_review(page: Page, user: AbstractBaseUser) -> bool:
    """Whether `user` is one of the reviewers of `page` (own posts included; see actions_for)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    school = page_school(page)
    if school is None:
        return _is_district_admin(user)
    return school.is_active and school.board_group_id in _group_ids(user)


def _requested_by_id(page: Page) -> int | None:
    """Who submitted the page's current review (one query, remembered on the page)."""
    if not hasattr(page, _REQUESTER_ATTR):
        requester = (
            None
            if page.pk is None
            else (
                WorkflowState.objects.active()
                .filter(
                    base_content_type=ContentType.objects.get_for_model(Page),
                    object_id=str(page.pk),
                )
                .values_list("requested_by_id", flat=True)
                .first()
            )
        )
        setattr(page, _REQUESTER_ATTR, requester)
    return getattr(page, _REQUESTER_ATTR)


# --- the two-person rule -----------------------------------------------------------------------


def remember_review_facts(
    page: Page, *, requested_by_id: int | None, latest_revision_content: dict | None
) -> None:
    """Hand the rule facts a caller already holds: the submitter of the page's review in
    progress, and the content of its latest revision (whose credit fields _credit_user_ids
    would otherwise read with a query). The object's own fields must be loaded."""
    setattr(page, _REQUESTER_ATTR, requested_by_id)
    if latest_revision_content is not None:
        setattr(page, REVISION_AUTHOR, latest_revision_content.get("author"))
        setattr(page, REVISION_CREDIT_SETTER, latest_revision_content.get("credit_set_by"))


def is_content_page(page: Page) -> bool:
    """Whether `page` is a post that earns credit (a `ContentPage`), without loading it."""
    from school_site.models.content import ContentPage

    specific_class = page.specific_class
    return specific_class is not None and issubclass(specific_class, ContentPage)


def _content_models() -> list[type[Page]]:
    from school_site.models.content import ContentPage

    return [model for model in get_page_models() if issubclass(model, ContentPage)]


def credit_columns() -> dict:
    """Annotations giving a plain `Page` queryset the credit fields the rule reads, in one query.

    The row's author and credit setter live on each content type's own table (one correlated
    subquery per content page type: a fixed, small number); the latest revision's come from
    its JSON content. Listings that ask the rule for many pages annotate with these, so that
    `approval_blocked_for` asks the database nothing per page.
    """
    models = _content_models()

    def row(field: str):
        subqueries = [
            Subquery(model.objects.filter(pk=OuterRef("pk")).values(field)[:1]) for model in models
        ]
        return (
            Coalesce(*subqueries, output_field=IntegerField())
            if len(subqueries) > 1
            else (subqueries[0])
        )

    return {
        ROW_AUTHOR: row("author_id"),
        ROW_CREDIT_SETTER: row("credit_set_by_id"),
        # The ->> operator (KeyTextTransform; KT() cannot follow the latest_revision relation):
        # text, cast to an id. A JSON null casts to NULL on PostgreSQL and to 0 on SQLite;
        # _credit_user_ids ignores both.
        REVISION_AUTHOR: Cast(
            KeyTextTransform("author", "latest_revision__content"), IntegerField()
        ),
        REVISION_CREDIT_SETTER: Cast(
            KeyTextTransform("credit_set_by", "latest_revision__content"), IntegerField()
        ),
    }


def _credit_user_ids(page: Page) -> frozenset[int]:
    """Author and credit setter of `page` as this object holds them AND as its latest revision does.

    The object may be the page row (listings, bulk actions), a revision turned into a page (the
    editor, a revert, Wagtail's publish action) or a new page: what goes live is either the
    object itself or the latest revision, so both are read, and either one blocks. One query at
    most, remembered on the object; none if `credit_columns()` annotated it.
    """
    if hasattr(page, _CREDIT_ATTR):
        return getattr(page, _CREDIT_ATTR)
    deferred = page.get_deferred_fields()
    values = {
        name: getattr(page, name)
        for name in _CREDIT_COLUMNS
        if name not in deferred and name in page.__dict__
    }
    missing = [name for name in _CREDIT_COLUMNS if name not in values]
    if missing and page.pk is not None and is_content_page(page):
        columns = credit_columns()
        row = (
            Page.objects.filter(pk=page.pk)
            .annotate(**{f"v_{name}": columns[name] for name in missing})
            .values_list(*(f"v_{name}" for name in missing))
            .first()
        )
        values.update(zip(missing, row or (None,) * len(missing), strict=True))
    ids = frozenset(user_id for user_id in values.values() if user_id)
    setattr(page, _CREDIT_ATTR, ids)
    return ids


def publish_blockers(page: Page) -> frozenset[int]:
    """Ids of the users who may not be the one to make `page` go live (nor approve it).

    The author and the credit setter of the version that would go live (see _credit_user_ids)
    and the submitter of the page's active review.
    """
    requester = _requested_by_id(page)
    blockers = _credit_user_ids(page) if is_content_page(page) else frozenset()
    return blockers | {requester} if requester is not None else blockers


def approval_blocked_for(page: Page, user: AbstractBaseUser) -> bool:
    """`user` wrote, submitted or credited `page`: someone else must approve it."""
    return user.pk is None or user.pk in publish_blockers(page)


def may_publish(page: Page, user: AbstractBaseUser, *, sets_credit: bool = False) -> bool:
    """The two-person rule: may `user` make `page` go live without the board's review?

    Only the question of who: Wagtail's own permissions (the "publish" right on the subtree)
    are checked by the permission tester beside this. Superusers keep every right (scoring
    gives them nothing for their own posts); pages that earn no credit follow Wagtail's
    permissions. A content post goes live directly only by someone who is neither its author,
    nor its submitter, nor whoever last set its author or group. `sets_credit`: the user is
    changing the author or group in this same step (the editor form), which makes them the
    credit setter of the revision that would go live.
    """
    if user.is_superuser:
        return True
    if not is_content_page(page):
        return True
    return not sets_credit and not approval_blocked_for(page, user)


def may_publish_new_child(parent: Page, user: AbstractBaseUser) -> bool:
    """May `user` create a page under `parent` that is live at once (create and publish, copy
    with "publish copies", alias)?

    Not in a content section: a new content post's author and credit setter are its creator,
    and a copy carries the original's credit into a page no second person has seen there.
    """
    if user.is_superuser:
        return True
    specific_class = parent.specific_class
    if specific_class is None:
        return True
    from school_site.models.content import ContentPage

    return not any(
        issubclass(model, ContentPage) for model in specific_class.allowed_subpage_models()
    )


def actions_for(page: Page, user: AbstractBaseUser) -> list[tuple[str, str, bool]]:
    """Wagtail task actions (name, label, needs a comment form) that `user` may take on `page`."""
    if not can_review(page, user):
        return []
    actions = [("reject", REQUEST_CHANGES_LABEL, True)]
    if not approval_blocked_for(page, user):
        actions += [
            ("approve", APPROVE_LABEL, False),
            ("approve", APPROVE_WITH_COMMENT_LABEL, True),
        ]
    return actions


def reviewable_pages(user: AbstractBaseUser) -> QuerySet[Page]:
    """Pages `user` reviews, as ONE SQL query whatever the number of schools.

    A page's first path segment (SITE_ROOT_PATH_LENGTH characters) is the path of its site's
    root page, matched in SQL against the roots of the active schools whose board the user is in.
    """
    if not (user.is_authenticated and user.is_active):
        return Page.objects.none()
    if user.is_superuser:
        return Page.objects.all()
    root_path = Substr(OuterRef("path"), 1, SITE_ROOT_PATH_LENGTH)
    own_board_roots = Site.objects.filter(
        root_page__path=root_path,
        school__status=School.Status.ACTIVE,
        school__board_group__user=user,
    )
    condition = Q(Exists(own_board_roots))
    if _is_district_admin(user):
        school_roots = Site.objects.filter(root_page__path=root_path, school__isnull=False)
        condition |= ~Q(Exists(school_roots))
    return Page.objects.filter(condition)


def task_states_to_review(task, user: AbstractBaseUser) -> QuerySet[TaskState]:
    """In-progress task states of `task` on pages `user` reviews: one queryset, no loop."""
    states = TaskState.objects.filter(task=task, status=TaskState.STATUS_IN_PROGRESS)
    if user.is_superuser:
        return states
    page_ids = (
        reviewable_pages(user)
        .annotate(pk_text=Cast("pk", output_field=CharField()))
        .values("pk_text")
    )
    return states.filter(
        workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
        workflow_state__object_id__in=page_ids,
    )


# --- acting on a review -----------------------------------------------------------------------


def perform_action(
    *, task, task_state: TaskState, user, action_name: str, allowed_actions=None, **kwargs
) -> str | None:
    """Approve or request changes on `task_state`, or explain why it can no longer be done.

    `allowed_actions(page, user)` lists what the user may do at this step (the board's
    `actions_for` unless the task says otherwise: the group leader's first step).

    Wagtail's workflow action view takes the task state id from the URL and checks the actions
    against the page id from the URL; they are checked again here against the task state's OWN
    page, under a row lock, so neither a crafted URL nor a double click can act twice or act on
    another school's page. Returns the URL to go to (Wagtail's view redirects there).
    """
    with transaction.atomic():
        # The task state and its workflow state are locked (not the revision and workflow
        # read with them); the revision and the workflow's name serve the approval below.
        locked = (
            TaskState.objects.select_for_update(of=("self", "workflow_state"))
            .select_related("workflow_state__workflow", "revision")
            .filter(pk=task_state.pk, task=task)
            .first()
        )
        if locked is None:
            raise PermissionDenied
        workflow_state = locked.workflow_state
        page = _specific_page(workflow_state)
        if page is None:
            raise PermissionDenied
        if locked.status != TaskState.STATUS_IN_PROGRESS:
            return reverse("school_review_finished", args=[page.pk])
        latest = locked.revision if locked.revision_id == page.latest_revision_id else None
        if workflow_state.status in (
            WorkflowState.STATUS_IN_PROGRESS,
            WorkflowState.STATUS_NEEDS_CHANGES,
        ):
            # The facts the two-person rule reads, held here: no query of its own.
            remember_review_facts(
                page,
                requested_by_id=workflow_state.requested_by_id,
                latest_revision_content=latest.content if latest is not None else None,
            )
        allowed = {name for name, _label, _modal in (allowed_actions or actions_for)(page, user)}
        if action_name not in allowed:
            raise PermissionDenied
        locked.task = task  # the same row (filtered above), already loaded
        from school_site import approval

        if action_name == "approve" and approval.lean_path_applies(
            workflow_state=workflow_state, task_state=locked, page=page
        ):
            # The last step approves and publishes in one pass (issue 16; school_site/approval.py).
            approval.approve_and_publish(
                task_state=locked.specific, page=page, user=user, comment=kwargs.get("comment", "")
            )
        else:
            # Wagtail's base on_action approves or rejects the (now locked, fresh) task state.
            super(type(task), task).on_action(locked.specific, user, action_name, **kwargs)
    # Wagtail's workflow action view (the dashboard's buttons) redirects here, and has no
    # message of its own; the editor ignores this URL and says it itself (after_edit_page).
    return reverse("school_review_finished", args=[page.pk]) + f"?done={action_name}"


def _specific_page(workflow_state: WorkflowState) -> Page | None:
    """The page of `workflow_state`, as its specific type, in one query."""
    model = ContentType.objects.get_for_id(workflow_state.content_type_id).model_class()
    if model is None or not issubclass(model, Page):
        page = Page.objects.filter(pk=workflow_state.object_id).first()
        return page.specific_deferred if page is not None else None
    page = model.objects.filter(pk=workflow_state.object_id).first()
    if page is not None and page.specific_class not in (None, type(page)):
        page = page.specific  # a workflow started on a base Page object: its own type
    return page


# --- the one workflow ------------------------------------------------------------------------


def review_workflow() -> Workflow | None:
    from school_site.models.review import REVIEW_WORKFLOW_NAME

    return Workflow.objects.filter(name=REVIEW_WORKFLOW_NAME, active=True).first()
