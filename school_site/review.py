"""The board's review of a school's pages: who reviews what, and acting on a review safely.

Plain functions; `school_site.models.review.SchoolBoardReviewTask` and the admin hooks call them.

Rules
- A page's reviewers are the board group of the school whose site contains it (the district
  portal's pages: the district admins). Superusers may act anywhere, as everywhere in Wagtail.
- Nobody approves their own post: the page's author and the person who submitted it get no
  approve action; another board member must approve.
- Acting on a review locks its task state row first, so two board members pressing "Duyệt" at
  the same moment give one publish; the second is told the review was already finished.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast, Substr
from django.urls import reverse
from wagtail.models import Page, Site, TaskState, Workflow, WorkflowPage, WorkflowState

from district_site.models import School
from district_site.selectors import SITE_ROOT_PATH_LENGTH, school_for_page

APPROVE_LABEL = "Duyệt"
APPROVE_WITH_COMMENT_LABEL = "Duyệt kèm nhận xét"
REQUEST_CHANGES_LABEL = "Yêu cầu chỉnh sửa"
ALREADY_FINISHED_MESSAGE = (
    "Bài “{title}” đã được một thành viên khác của Ban quản trị xử lý; "
    "thao tác của bạn không được thực hiện."
)

# Attribute names used to remember per-request lookups on the page and user objects, so that
# a listing asking get_actions() and locked_for_user() for the same page queries once.
_SCHOOL_ATTR = "_review_school"
_REQUESTER_ATTR = "_review_requested_by_id"
_GROUPS_ATTR = "_review_group_ids"


class ReviewAlreadyFinished(Exception):
    """The task state was approved, rejected or cancelled by someone else meanwhile."""


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
            WorkflowState.objects.active()
            .filter(
                base_content_type=ContentType.objects.get_for_model(Page),
                object_id=str(page.pk),
            )
            .values_list("requested_by_id", flat=True)
            .first()
        )
        setattr(page, _REQUESTER_ATTR, requester)
    return getattr(page, _REQUESTER_ATTR)


def _author_id(page: Page) -> int | None:
    if hasattr(page, "author_id"):
        return page.author_id
    # A plain Page (not its specific class): the author lives on the content page's table.
    return getattr(page.specific_deferred, "author_id", None)


def is_own_post(page: Page, user: AbstractBaseUser) -> bool:
    """The user wrote the page or submitted it for review."""
    return user.pk is not None and user.pk in {_author_id(page), _requested_by_id(page)}


def actions_for(page: Page, user: AbstractBaseUser) -> list[tuple[str, str, bool]]:
    """Wagtail task actions (name, label, needs a comment form) that `user` may take on `page`."""
    if not can_review(page, user):
        return []
    actions = [("reject", REQUEST_CHANGES_LABEL, True)]
    if not is_own_post(page, user):
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


def perform_action(*, task, task_state: TaskState, user, action_name: str, **kwargs) -> str | None:
    """Approve or request changes on `task_state`, or explain why it can no longer be done.

    Wagtail's workflow action view takes the task state id from the URL and checks the actions
    against the page id from the URL; they are checked again here against the task state's OWN
    page, under a row lock, so neither a crafted URL nor a double click can act twice or act on
    another school's page. Returns the URL to go to (Wagtail's view redirects there).
    """
    with transaction.atomic():
        locked = (
            TaskState.objects.select_for_update()
            .select_related("workflow_state")
            .filter(pk=task_state.pk, task=task)
            .first()
        )
        if locked is None:
            raise PermissionDenied
        page = Page.objects.filter(pk=locked.workflow_state.object_id).first()
        if page is None:
            raise PermissionDenied
        page = page.specific_deferred
        if locked.status != TaskState.STATUS_IN_PROGRESS:
            return reverse("school_review_finished", args=[page.pk])
        allowed = {name for name, _label, _modal in actions_for(page, user)}
        if action_name not in allowed:
            raise PermissionDenied
        # Wagtail's base on_action approves or rejects the (now locked, fresh) task state.
        super(type(task), task).on_action(locked.specific, user, action_name, **kwargs)
    return None


# --- the one workflow ------------------------------------------------------------------------


def review_workflow() -> Workflow | None:
    from school_site.models.review import REVIEW_WORKFLOW_NAME

    return Workflow.objects.filter(name=REVIEW_WORKFLOW_NAME, active=True).first()


def attach_workflow(page: Page) -> None:
    """Put `page` and its subtree under the board's review (a link row, no new workflow).

    The data migration links the tree root once, which covers every school provisioned later;
    this is for a tree that was built differently (tests of other set-ups, repairs).
    """
    workflow = review_workflow()
    if workflow is None:
        raise RuntimeError("The board's review workflow is missing; run the migrations.")
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})


# --- admin glue -----------------------------------------------------------------------------


def review_finished_view(request, page_id: int):
    """Where `perform_action` sends a reviewer whose review was already finished by someone else.

    Wagtail's workflow view redirects to the URL that Task.on_action returns; this shows the
    reviewer why nothing happened instead of an error page.
    """
    from django.contrib import messages
    from django.shortcuts import get_object_or_404, redirect

    page = get_object_or_404(Page, pk=page_id)
    messages.warning(request, ALREADY_FINISHED_MESSAGE.format(title=page.get_admin_display_title()))
    if page.permissions_for_user(request.user).can_edit():
        return redirect("wagtailadmin_pages:edit", page.pk)
    return redirect("wagtailadmin_home")


def may_publish_directly(page: Page, user: AbstractBaseUser) -> bool:
    """Pressing "Publish" skips the review: never for the page's own author (but superusers)."""
    if user.is_superuser:
        return True
    return _author_id(page) != user.pk
