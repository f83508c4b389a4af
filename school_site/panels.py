"""A contributor's dashboard panels: "Bản nháp của tôi" and "Bài đã gửi duyệt".

A contributor is a user in some school's editors group. Each panel is ONE query whatever the
number of pages (the school scope is a correlated subquery, the reviewer and their comment come
with `select_related`); the user's groups come from `district_site.roles`, asked once per
request by every check, so the dashboard of a board member costs no more than before.

Wagtail's own "your pages in a workflow" panel lists only reviews in progress and looks up each
page separately; for contributors it is replaced by the submissions panel, which also shows
changes requested (with the reviewer's comment) and approvals.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    CharField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page, TaskState, WorkflowState, get_page_models

from district_site.models import School
from district_site.roles import roles_for
from district_site.selectors import SITE_ROOT_PATH_LENGTH

STOCK_SUBMISSIONS_PANEL_NAME = "user_objects_in_workflow_moderation"
PANEL_LIMIT = 10

IN_REVIEW = "in_review"
CHANGES_REQUESTED = "changes_requested"
APPROVED = "approved"
CANCELLED = "cancelled"
STATE_LABELS = {
    IN_REVIEW: "Đang chờ Ban quản trị duyệt",
    CHANGES_REQUESTED: "Ban quản trị yêu cầu chỉnh sửa",
    APPROVED: "Đã duyệt và xuất bản",
    CANCELLED: "Đã rút lại, không gửi duyệt nữa",
}
# The same states at the group leader's optional first step (school_site/leader_review.py).
LEADER_STATE_LABELS = {
    IN_REVIEW: "Đang chờ trưởng nhóm duyệt (bước 1)",
    CHANGES_REQUESTED: "Trưởng nhóm yêu cầu chỉnh sửa",
}
FILTERABLE_STATES = (IN_REVIEW, CHANGES_REQUESTED, APPROVED)
_STATE_BY_STATUS = {
    WorkflowState.STATUS_IN_PROGRESS: IN_REVIEW,
    WorkflowState.STATUS_NEEDS_CHANGES: CHANGES_REQUESTED,
    WorkflowState.STATUS_APPROVED: APPROVED,
    WorkflowState.STATUS_CANCELLED: CANCELLED,
}


def editor_group_ids(user: AbstractBaseUser) -> frozenset[int]:
    """Ids of the schools' editors groups `user` is in (from the request's one roles query)."""
    return roles_for(user).editors_group_ids


def is_contributor(user: AbstractBaseUser) -> bool:
    return bool(editor_group_ids(user))


def _in_own_schools(path_ref, group_ids: frozenset[int]) -> Exists:
    """The page at `path_ref` lies in an active school whose editors group is in `group_ids`."""
    return Exists(
        School.objects.filter(
            site__root_page__path=Substr(path_ref, 1, SITE_ROOT_PATH_LENGTH),
            status=School.Status.ACTIVE,
            editors_group__in=group_ids,
        )
    )


def _authored_by(user: AbstractBaseUser) -> Q:
    """Pages whose credited author is `user`: one subquery per content page type (a few)."""
    from school_site.models.content import ContentPage

    return reduce(
        or_,
        (
            Q(pk__in=model.objects.filter(author=user).values("pk"))
            for model in get_page_models()
            if issubclass(model, ContentPage)
        ),
        Q(pk__in=Page.objects.none()),
    )


def _page_workflow_states() -> QuerySet[WorkflowState]:
    return WorkflowState.objects.filter(
        base_content_type__app_label="wagtailcore", base_content_type__model="page"
    )


def my_drafts(user: AbstractBaseUser, *, limit: int = PANEL_LIMIT) -> list[Page]:
    """Unpublished pages `user` wrote or owns in their schools, not waiting for review.

    Newest first. A page sent back with changes requested is a draft again and shows here
    too (the submissions panel says why). One query.
    """
    group_ids = editor_group_ids(user)
    if not group_ids:
        return []
    in_review = _page_workflow_states().filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        object_id=Cast(OuterRef("pk"), CharField()),
    )
    pages = (
        Page.objects.filter(live=False)
        .filter(Q(owner=user) | _authored_by(user))
        .filter(_in_own_schools(OuterRef("path"), group_ids))
        .exclude(Exists(in_review))
        .select_related("content_type")
        .order_by("-latest_revision_created_at", "-pk")
    )
    drafts = list(pages[:limit])
    for page in drafts:
        # The page type's name from the class registry: no query per page.
        model = page.content_type.model_class()
        page.type_label = model._meta.verbose_name if model else ""
        # Wagtail lets the owner delete their own never-published page: the discard link.
        page.can_discard = page.owner_id == user.pk and page.first_published_at is None
    return drafts


@dataclass(frozen=True)
class Submission:
    """One of the user's submissions, in its latest state."""

    page_id: int
    title: str
    state: str
    label: str
    submitted_at: object
    reviewer: AbstractBaseUser | None
    comment: str
    # How long it has waited for the board ("đã chờ 3 ngày"), while it waits.
    waited: str = ""


# The dashboard's "my posts" filter: ?bai_cua_toi=<state> shows only submissions in that state.
STATE_FILTER_PARAM = "bai_cua_toi"
_STATUS_BY_STATE = {key: status for status, key in _STATE_BY_STATUS.items()}


def my_submissions(
    user: AbstractBaseUser, *, limit: int = PANEL_LIMIT, state: str | None = None
) -> list[Submission]:
    """The latest review `user` asked for on each page of their schools, newest first.

    One query: the page's title and path are subqueries, the reviewer's decision (the task
    state that finished the review, with its comment and who made it) comes by select_related.
    """
    group_ids = editor_group_ids(user)
    if not group_ids:
        return []
    page = Page.objects.filter(pk=Cast(OuterRef("object_id"), IntegerField()))
    mine = _page_workflow_states().filter(requested_by=user)
    latest_of_page = mine.filter(object_id=OuterRef("object_id")).order_by("-created_at", "-pk")
    states = (
        mine.annotate(
            page_title=Subquery(page.values("draft_title")[:1]),
            page_path=Subquery(page.values("path")[:1]),
        )
        .filter(pk=Subquery(latest_of_page.values("pk")[:1]))
        .filter(**({"status": _STATUS_BY_STATE[state]} if state in _STATUS_BY_STATE else {}))
        .filter(_in_own_schools(OuterRef("page_path"), group_ids))
        # The task too: which step the post is at, read without a query per row.
        .select_related("current_task_state__finished_by", "current_task_state__task")
        .order_by("-created_at", "-pk")
    )
    from school_site.admin_panels import waited_text
    from school_site.leader_review import is_first_step

    now = timezone.now()
    submissions = []
    for state in states[:limit]:
        key = _STATE_BY_STATUS.get(state.status, IN_REVIEW)
        task_state = state.current_task_state
        decided = task_state is not None and task_state.status in (
            TaskState.STATUS_APPROVED,
            TaskState.STATUS_REJECTED,
        )
        at_first_step = task_state is not None and is_first_step(task_state)
        label = LEADER_STATE_LABELS.get(key, STATE_LABELS[key]) if at_first_step else None
        submissions.append(
            Submission(
                page_id=int(state.object_id),
                title=state.page_title or "",
                state=key,
                label=label or STATE_LABELS[key],
                submitted_at=state.created_at,
                reviewer=task_state.finished_by if decided else None,
                comment=task_state.comment if decided else "",
                waited=waited_text(state.created_at, now) if key == IN_REVIEW else "",
            )
        )
    return submissions


class ListPanel(Component):
    """A dashboard panel showing one list, `load(user)`, in the frame of
    `school_site/panels/list_panel.html`; `template_name` extends it and names the list
    `context_name` in its rows."""

    panel_id = ""
    heading = ""
    second_col_width = "25%"
    context_name = "items"

    @staticmethod
    def load(user: AbstractBaseUser) -> list:
        raise NotImplementedError

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        rows = self.load(parent_context["request"].user)
        context.update(
            rows=rows,
            panel_id=self.panel_id,
            heading=self.heading,
            second_col_width=self.second_col_width,
        )
        context[self.context_name] = rows
        return context


class MyDraftsPanel(ListPanel):
    name = "school_my_drafts"
    template_name = "school_site/panels/my_drafts.html"
    order = 205
    panel_id = "my-drafts"
    heading = "Bản nháp của tôi"
    context_name = "drafts"
    load = staticmethod(my_drafts)


class MySubmissionsPanel(ListPanel):
    name = "school_my_submissions"
    template_name = "school_site/panels/my_submissions.html"
    order = 210
    panel_id = "my-submissions"
    heading = "Bài đã gửi duyệt"
    second_col_width = "30%"
    context_name = "submissions"

    def get_context_data(self, parent_context):
        state = parent_context["request"].GET.get(STATE_FILTER_PARAM)
        self.state = state if state in STATE_LABELS else None
        context = super().get_context_data(parent_context)
        context["state"] = self.state
        context["state_param"] = STATE_FILTER_PARAM
        context["state_filters"] = [(key, STATE_LABELS[key]) for key in FILTERABLE_STATES]
        return context

    def load(self, user: AbstractBaseUser) -> list:
        return my_submissions(user, state=self.state)


def add_contributor_panels(request, panels: list) -> None:
    """For contributors: add the drafts panel and replace Wagtail's workflow panel by ours."""
    if not is_contributor(request.user):
        return
    panels[:] = [p for p in panels if getattr(p, "name", "") != STOCK_SUBMISSIONS_PANEL_NAME]
    panels += [MyDraftsPanel(), MySubmissionsPanel()]


# --- "Viết bài mới": one click from the dashboard to a new post of each kind -------------------


@dataclass(frozen=True)
class NewPostLink:
    """A kind of post the user may add in one of their schools, and the editor that adds it."""

    label: str
    school_name: str
    url: str


def _post_sections() -> list[type[Page]]:
    """Section page types (news, documents, lectures, albums) in the order the panel shows them."""
    from school_site.models import (
        DocumentIndexPage,
        GalleryIndexPage,
        LectureIndexPage,
        NewsIndexPage,
    )

    return [NewsIndexPage, DocumentIndexPage, LectureIndexPage, GalleryIndexPage]


def new_post_links(user: AbstractBaseUser) -> list[NewPostLink]:
    """The kinds of post `user` may create in their own schools, each a link to its editor.

    For school users only (superusers and district admins run every school: a button per school
    would be hundreds). One query for the sections of the user's schools, one for the user's page
    permissions (Wagtail caches it on the user); the school roots are the sealing module's,
    already asked for by the admin on every request.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from district_site import admin_scoping
    from school_site.models.content import ContentPage

    roots = admin_scoping.school_root_paths(user)
    if not roots:
        return []
    section_models = _post_sections()
    content_types = ContentType.objects.get_for_models(*section_models)
    order = {content_types[model].pk: n for n, model in enumerate(section_models)}
    sections = (
        Page.objects.filter(admin_scoping.own_pages_q(user))
        .filter(
            content_type__in=list(order),
            depth=SITE_ROOT_PATH_LENGTH // Page.steplen + 1,
        )
        .annotate(
            school_name=Subquery(
                School.objects.filter(
                    site__root_page__path=Substr(OuterRef("path"), 1, SITE_ROOT_PATH_LENGTH)
                ).values("name")[:1]
            )
        )
    )
    sections = sorted(sections, key=lambda s: (s.school_name or "", order[s.content_type_id]))
    links = []
    for section in sections:
        if not section.permissions_for_user(user).can_add_subpage():
            continue
        for model in section.specific_class.creatable_subpage_models():
            if issubclass(model, ContentPage):
                links.append(
                    NewPostLink(
                        label=model._meta.verbose_name,
                        school_name=section.school_name or "",
                        url=reverse(
                            "wagtailadmin_pages:add",
                            args=[model._meta.app_label, model._meta.model_name, section.pk],
                        ),
                    )
                )
    return links


class NewPostPanel(Component):
    """ "Viết bài mới" at the top of the dashboard; nothing at all for a user who may add none."""

    name = "school_new_post"
    template_name = "school_site/panels/new_post.html"
    order = 50

    def __init__(self, links: list[NewPostLink]):
        self.links = links

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["links"] = self.links
        context["show_school"] = len({link.school_name for link in self.links}) > 1
        return context


def add_new_post_panel(request, panels: list) -> None:
    links = new_post_links(request.user)
    if links:
        panels.insert(0, NewPostPanel(links))
