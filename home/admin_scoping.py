"""Sealing each school's admin: a school user sees and touches their own school only.

Provisioning already gives a school's groups page rights on their own subtree and collection
rights on their own collection, which seals the explorer, the editor, history, revisions,
preview, the image and document screens and choosers, and the admin page search. What stock
Wagtail 8.0.1 still shows of other schools (measured, see tests/school_site/test_admin_isolation.py):

- the page chooser (browse and search) lists every page of every site, drafts included;
- the "page types usage" report and the "pages using type X" listing list every site's pages;
- the chooser opened on another school's page shows that page;
- the user filters of the reports "locked pages" (locked by), "workflows" (requested by) and
  "site history" (user) list the users of every school.

`home/wagtail_hooks.py` wires the querysets below into Wagtail's chooser/explorer hooks, and
`AdminScopingMiddleware` refuses the views that have no hook and serves the three reports
through subclasses whose filters list the user's own schools' people only. Superusers and
district admins are not limited: they run the whole district.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

import django_filters
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports import audit_logging, locked_pages, workflows
from wagtail.models import Page

from district_site.roles import roles_for

REFUSED_MESSAGE = "Bạn không có quyền xem nội dung này."

# Stock admin views that list pages of every site and have no queryset hook.
UNSCOPED_VIEWS = frozenset(
    {
        "wagtailadmin_reports:page_types_usage",
        "wagtailadmin_reports:page_types_usage_results",
        "wagtailadmin_pages:type_use",
        "wagtailadmin_pages:type_use_results",
    }
)
# Stock admin views taking a page id in the URL that show it without a permission check.
PAGE_ID_VIEWS = {"wagtailadmin_choose_page_child": "parent_page_id"}


def school_root_paths(user: AbstractBaseUser) -> tuple[str, ...] | None:
    """Tree paths of the sites of the schools `user` belongs to; None when not limited.

    Asked of `district_site.roles` (one query per request, shared with every other check).
    """
    roles = roles_for(user)
    if not roles.is_authenticated:
        return ()
    return roles.root_paths if roles.is_limited else None


def own_pages_q(user: AbstractBaseUser) -> Q | None:
    """A filter for the pages of the user's schools (None: no limit; matches nothing if none)."""
    roots = school_root_paths(user)
    if roots is None:
        return None
    if not roots:
        return Q(pk__in=[])
    return reduce(or_, (Q(path__startswith=path) for path in roots))


def scope_pages(pages: QuerySet, user: AbstractBaseUser) -> QuerySet:
    """`pages` limited to the user's own schools' sites."""
    condition = own_pages_q(user)
    return pages if condition is None else pages.filter(condition)


def scope_users(users: QuerySet, user: AbstractBaseUser) -> QuerySet:
    """`users` limited to the people (board and teachers) of `user`'s own schools.

    No limit for superusers and district admins; no extra query (a subquery on the user's
    groups) beyond the request's roles lookup.
    """
    if school_root_paths(user) is None:
        return users
    school_ids = sorted(roles_for(user).school_ids)
    members = (
        get_user_model()
        .objects.filter(Q(groups__board_of__in=school_ids) | Q(groups__editors_of__in=school_ids))
        .values("pk")
    )
    return users.filter(pk__in=members)


def page_visible_to(page_id: int, user: AbstractBaseUser) -> bool:
    """The page is in the user's schools, or is an ancestor of one (the tree root)."""
    roots = school_root_paths(user)
    if roots is None:
        return True
    path = Page.objects.filter(pk=page_id).values_list("path", flat=True).first()
    if path is None:
        return True  # let the view give its own 404
    return any(path.startswith(root) or root.startswith(path) for root in roots)


# --- reports whose user filters list every school's users --------------------------------------


class LockedPagesFilterSet(locked_pages.LockedPagesReportFilterSet):
    locked_by = django_filters.ModelChoiceFilter(
        label=_("Locked by"),
        empty_label=_("Anyone"),
        field_name="locked_by",
        queryset=lambda request: scope_users(locked_pages.get_users_for_filter(), request.user),
    )


class WorkflowFilterSet(workflows.WorkflowReportFilterSet):
    requested_by = django_filters.ModelChoiceFilter(
        field_name="requested_by",
        queryset=lambda request: scope_users(
            workflows.get_requested_by_queryset(request), request.user
        ),
    )


class SiteHistoryFilterSet(audit_logging.SiteHistoryReportFilterSet):
    def get_users_queryset(self):
        return scope_users(super().get_users_queryset(), self.request.user)


class LockedPagesReport(locked_pages.LockedPagesView):
    filterset_class = LockedPagesFilterSet


class WorkflowReport(workflows.WorkflowView):
    filterset_class = WorkflowFilterSet


class SiteHistoryReport(audit_logging.LogEntriesView):
    filterset_class = SiteHistoryFilterSet


def _report_views() -> dict:
    """URL name -> the scoped view served in place of Wagtail's (with its admin-access check)."""
    views = {}
    for name, view_class in (
        ("locked_pages", LockedPagesReport),
        ("workflow", WorkflowReport),
        ("site_history", SiteHistoryReport),
    ):
        views[f"wagtailadmin_reports:{name}"] = require_admin_access(view_class.as_view())
        views[f"wagtailadmin_reports:{name}_results"] = require_admin_access(
            view_class.as_view(results_only=True)
        )
    return views


# Wagtail's report URLs come before any `register_admin_urls` hook's, so a hook cannot replace
# them; the middleware below serves these views for the same URLs and names instead.
SCOPED_REPORT_VIEWS = _report_views()


def refuse(request):
    """What Wagtail does on a permission denial: back to the dashboard with a message."""
    messages.error(request, REFUSED_MESSAGE)
    return redirect("wagtailadmin_home")


class AdminScopingMiddleware:
    """Refuse, for school users, the stock admin views that would show other schools, and serve
    the reports above in place of Wagtail's.

    Add after AuthenticationMiddleware and MessageMiddleware in settings.MIDDLEWARE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated:
            return None
        name = match.view_name
        scoped_view = SCOPED_REPORT_VIEWS.get(name)
        if scoped_view is not None:
            return scoped_view(request, *view_args, **view_kwargs)
        if name in UNSCOPED_VIEWS and school_root_paths(user) is not None:
            return refuse(request)
        kwarg = PAGE_ID_VIEWS.get(name)
        if kwarg and not page_visible_to(view_kwargs.get(kwarg), user):
            return refuse(request)
        return None
