"""Sealing each school's admin: a school user sees and touches their own school only.

Sealed by default (DESIGN.md, decision 8): `AdminScopingMiddleware` lets a school user (see
`district_site.roles`: not superuser, not district admin) reach only the admin views named in
`district_site.admin_allowlist.ALLOWED`, each with the ids it carries checked against the user's
schools and its filter drawer scoped; everything else gets the friendly refusal below. The
URL-walking test `tests/security/test_admin_url_matrix.py` proves each allowlisted view sealed.

Provisioning gives a school's groups page rights on their own subtree and collection rights on
their own collection, which Wagtail's own checks use in the editor, history, revisions, preview,
the image and document screens and choosers. This module adds what those rights do not cover:
`district_site/wagtail_hooks.py` wires the page querysets below into Wagtail's chooser/explorer hooks
(the page chooser lists every site otherwise), and the reports "locked pages", "workflows" and
"site history" are served through subclasses whose user filters list own schools' people only.
Superusers and district admins are not limited: they run the whole district.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import cache, reduce
from operator import or_

import django_filters
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField, Q, QuerySet, Value
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.auth import require_admin_access
from wagtail.admin.filters import ContentTypeFilter
from wagtail.admin.views.pages import search
from wagtail.admin.views.reports import audit_logging, locked_pages, workflows
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import Page, PageLogEntry
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import BaseSearchResults, FilterFieldError
from wagtail.search.query import MATCH_ALL, MatchAll
from wagtail.search.query import SearchQuery as ParsedQuery
from wagtail.search.utils import parse_query_string

from district_site.roles import roles_for

REFUSED_MESSAGE = "Bạn không có quyền xem nội dung này."


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


def log_entries_for(log_model: type, user: AbstractBaseUser) -> QuerySet:
    """The entries of `log_model` the site history report lists for `user`.

    Wagtail's rule (`viewable_by_user`) keeps a page's entries when the page is among the
    user's explorable pages: `page_id IN (SELECT id FROM wagtailcore_page WHERE <one OR per
    permission and ancestor>)`, which PostgreSQL answers by scanning the whole log and the whole
    page table, and it asks `get_first_root_node()` (a scan of the page table by `depth`) on
    every call. For a school user the entries are those of their schools' pages, as a join on
    `path LIKE '<root>%'`: the path index yields the school's pages and the `page_id` index
    their entries, so the cost follows the school's history, not the district's. (The tree
    root, an explorable ancestor Wagtail also lists, carries no school's history.) Other log
    models (images, documents, snippets) keep Wagtail's rule: by content type permissions,
    of which a school user's groups hold only `wagtailadmin.access_admin` (their image and
    document rights are per collection), so none of their entries is listed. Superusers and
    district admins: Wagtail's rule.
    """
    roots = school_root_paths(user)
    if roots is None or not issubclass(log_model, PageLogEntry):
        return log_model.objects.viewable_by_user(user)
    if not roots:
        return log_model.objects.none()
    return log_model.objects.filter(reduce(or_, (Q(page__path__startswith=path) for path in roots)))


class SiteHistoryFilterSet(audit_logging.SiteHistoryReportFilterSet):
    """The drawer's choices read from the entries the report lists (see `log_entries_for`),
    not from the whole district's log."""

    object_type = ContentTypeFilter(
        label=_("Type"),
        method="filter_object_type",
        queryset=lambda request: ContentType.objects.filter(
            pk__in=_used_in_history(request)["content_type_id"]
        ).order_by("model"),
    )

    def get_action_choices(self):
        used = _used_in_history(self.request)["action"]
        return [choice for choice in log_action_registry.get_choices() if choice[0] in used]

    def get_users_queryset(self):
        used = _used_in_history(self.request)["user_id"]
        users = get_user_model().objects.filter(pk__in=used)
        return scope_users(users.order_by(get_user_model().USERNAME_FIELD), self.request.user)


def _used_in_history(request) -> dict[str, set]:
    """The actions, users and content types among the entries the report lists for the
    request's user: one query per log model (not one per filter), once per request."""
    used = getattr(request, "_site_history_used", None)
    if used is None:
        used = {"action": set(), "user_id": set(), "content_type_id": set()}
        for log_model in log_action_registry.get_log_entry_models():
            entries = log_entries_for(log_model, request.user).order_by()
            for row in entries.values_list(*used).distinct():
                for values, value in zip(used.values(), row, strict=True):
                    values.add(value)
        for values in used.values():
            values.discard(None)
        request._site_history_used = used
    return used


class LockedPagesReport(locked_pages.LockedPagesView):
    filterset_class = LockedPagesFilterSet


class WorkflowReport(workflows.WorkflowView):
    filterset_class = WorkflowFilterSet


class SiteHistoryReport(audit_logging.LogEntriesView):
    filterset_class = SiteHistoryFilterSet

    def get_filtered_queryset(self):
        # Wagtail's method, with each log model's entries from `log_entries_for`.
        self.log_models = list(log_action_registry.get_log_entry_models())
        queryset = None
        for index, log_model in enumerate(self.log_models):
            entries = (
                log_entries_for(log_model, self.request.user)
                .values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            )
            entries = self.filter_queryset(entries).order_by()
            queryset = entries if queryset is None else queryset.union(entries, all=True)
        return queryset.order_by("-timestamp")


class SchoolPageSearchResults(BaseSearchResults):
    """A school user's admin search results, as Wagtail's view and template use a backend's.

    Built from the matches of one statement (`PageSearch._school_search`): the matching pages'
    ids and content types in the order to show. Slicing, `count()`, `len()` and caching are
    Wagtail's (`BaseSearchResults`); a slice reads its pages by primary key (the view's
    annotations and `.specific()` included), the count and the content-type facet are counted
    from the ids, without a query of their own.
    """

    supports_facet = True  # the template shows the page-type filter only for such results

    def __init__(self, matches: Sequence[tuple[int, int]], pages: QuerySet):
        super().__init__(backend=None, query_compiler=None)
        self.model = pages.model  # the paginator names its items from it
        self._matches = matches
        self._pages = pages

    def _clone(self):
        new = type(self)(self._matches, self._pages)
        new.start, new.stop = self.start, self.stop
        return new

    def of_content_type(self, content_type_id: int) -> SchoolPageSearchResults:
        matches = [match for match in self._matches if match[1] == content_type_id]
        return type(self)(matches, self._pages)

    def _do_count(self) -> int:
        return len(self._matches[self.start : self.stop])

    def _do_search(self) -> list:
        ids = [pk for pk, _content_type_id in self._matches[self.start : self.stop]]
        if not ids:
            return []
        pages = {page.pk: page for page in self._pages.filter(pk__in=ids)}
        return [pages[pk] for pk in ids if pk in pages]

    def facet(self, field_name: str) -> dict[int, int]:
        """Matches per content type, the most first (Wagtail's facet, ties by type id)."""
        if field_name != "content_type_id":
            raise FilterFieldError(f"Cannot facet on {field_name!r}", field_name=field_name)
        counts = Counter(content_type_id for _pk, content_type_id in self._matches)
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


class PageSearch(search.SearchView):
    """Wagtail's admin page search, for a school user: their school's pages only, at a cost
    that follows their school's pages, not the district's.

    Wagtail limits the search to `pk IN (SELECT id FROM wagtailcore_page WHERE <explorable>)`
    and joins the pages to the search index on `content_type_id IN (every page type) AND
    object_id = id::varchar`: PostgreSQL takes every page of the district matching the words
    from the index and checks each against the explorable pages, in each of the search's four
    statements (facets, the count twice, the results).

    On PostgreSQL (`_school_search`) one statement reads the school's pages from the path index
    (`path LIKE '<root>%'`), each probing its own index entry (`home.search_backend`,
    `autocomplete_matches`), and returns the matches' ids in the order asked (Wagtail's rank,
    then newest id; or the chosen column); the facets and counts are counted from those ids,
    and the page shown is read by primary key. Same matches, rank, order, facets and count as
    Wagtail's autocomplete over the same pages (`tests/district_site/test_admin_search.py`).
    Other backends (SQLite, the demo) run Wagtail's own search on the path-scoped pages.
    The scope is the explorer's (`scope_pages`); the ancestors Wagtail adds (the tree root)
    hold nothing to find. Superusers and district admins: Wagtail's view, unchanged.
    """

    def drives_from_school_pages(self) -> bool:
        """The backend can probe the index page by page (PostgreSQL, home.search_backend)."""
        return callable(getattr(get_search_backend(), "autocomplete_matches", None))

    def get_queryset(self):
        condition = own_pages_q(self.request.user)
        if condition is None:
            return super().get_queryset()
        filters, query = parse_query_string(self.search_query, operator="and", zero_terms=MATCH_ALL)
        if isinstance(query, MatchAll) or not self.drives_from_school_pages():
            return self._wagtail_search(condition)
        return self._school_search(condition, filters, query)

    def _school_search(
        self, condition: Q, filters: dict, query: ParsedQuery
    ) -> SchoolPageSearchResults:
        scoped = _live_filtered(Page.objects.filter(condition), filters)
        matches = get_search_backend().autocomplete_matches(scoped, query, ordering=self.ordering)
        # The page shown: read by primary key, still within the school (the seal does not rest
        # on the ids alone), with the listing's annotations.
        pages = Page.objects.filter(condition)
        if self.show_locale_labels:
            pages = pages.select_related("locale")
        self.all_pages = SchoolPageSearchResults(matches, self.annotate_queryset(pages))
        self.content_types = [
            (ContentType.objects.get_for_id(pk), n)
            for pk, n in self.all_pages.facet("content_type_id").items()
        ]
        if self.selected_content_type:
            return self.all_pages.of_content_type(self.selected_content_type.pk)
        return self.all_pages

    def _wagtail_search(self, condition: Q):
        """The steps of Wagtail's `SearchView.get_queryset`, from the path-scoped pages."""
        self.all_pages = Page.objects.filter(condition)
        pages = (
            self.all_pages.select_related("locale") if self.show_locale_labels else self.all_pages
        )
        if self.ordering:
            pages = pages.order_by(self.ordering)
        if self.selected_content_type:
            pages = pages.filter(content_type=self.selected_content_type)
        pages, self.all_pages = search.page_filter_search(
            self.search_query, self.annotate_queryset(pages), self.all_pages, self.ordering
        )
        if pages.supports_facet:
            facets = self.all_pages.facet("content_type_id").items()
            self.content_types = [(ContentType.objects.get_for_id(pk), n) for pk, n in facets]
        return pages


def _live_filtered(pages: QuerySet, filters: dict) -> QuerySet:
    """Wagtail's `live:yes` / `live:no` (or `published:`) in the query (`page_filter_search`)."""
    live = (filters.get("live") or filters.get("published") or "").lower()
    if live in ("yes", "true"):
        return pages.filter(live=True)
    if live in ("no", "false"):
        return pages.filter(live=False)
    return pages


def _report_views() -> dict:
    """URL name -> the scoped view served in place of Wagtail's (with its admin-access check)."""
    views = {}
    for name, view_class in (
        ("wagtailadmin_reports:locked_pages", LockedPagesReport),
        ("wagtailadmin_reports:workflow", WorkflowReport),
        ("wagtailadmin_reports:site_history", SiteHistoryReport),
    ):
        views[name] = require_admin_access(view_class.as_view())
        views[f"{name}_results"] = require_admin_access(view_class.as_view(results_only=True))
    views["wagtailadmin_pages:search"] = require_admin_access(_page_search)
    views["wagtailadmin_pages:search_results"] = require_admin_access(_page_search_results)
    return views


@cache
def _page_search_view(results_only: bool):
    # Built as Wagtail builds its own search view (from the base page viewset, which passes it
    # the model, URL names and icon), on the first request: the viewsets are registered by then.
    viewset = page_viewset_registry.get_by_type(Page)
    return viewset.construct_view(PageSearch, results_only=results_only)


def _page_search(request, *args, **kwargs):
    return _page_search_view(False)(request, *args, **kwargs)


def _page_search_results(request, *args, **kwargs):
    return _page_search_view(True)(request, *args, **kwargs)


# Wagtail's report URLs come before any `register_admin_urls` hook's, so a hook cannot replace
# them; the middleware below serves these views for the same URLs and names instead.
SCOPED_REPORT_VIEWS = _report_views()


def refuse(request) -> HttpResponse:
    """The friendly refusal: back to the dashboard with a message (a 403 for AJAX, JSON and
    anything but GET, where a redirect would be followed silently or lose the form)."""
    wants_json = "json" in request.headers.get("Accept", "") or (
        request.headers.get("X-Requested-With") == "XMLHttpRequest"
    )
    if request.method not in ("GET", "HEAD") or wants_json:
        return HttpResponseForbidden(REFUSED_MESSAGE, content_type="text/plain; charset=utf-8")
    messages.error(request, REFUSED_MESSAGE)
    return redirect("wagtailadmin_home")


class AdminScopingMiddleware:
    """Seal the admin for school users: only allowlisted views, each on their own schools' ids.

    For a school user (`district_site.roles`: not superuser, not district admin), an admin URL
    whose name is not in `admin_allowlist.ALLOWED` is refused; an allowlisted one is refused
    too when an id it carries (page, image, document, task state, ids in the query string)
    belongs to another school. Filter drawers of allowlisted listings are scoped, and the three
    reports above are served by their scoped subclasses. Superusers and district admins pass.

    Add after AuthenticationMiddleware and MessageMiddleware in settings.MIDDLEWARE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Imported here: the allowlist's checks use this module's scoping functions.
        from district_site import admin_allowlist

        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated:
            return None
        name = match.view_name
        scoped_view = SCOPED_REPORT_VIEWS.get(name)
        if not admin_allowlist.is_admin_path(request.path_info):
            return None
        if not roles_for(user).is_limited:
            return scoped_view(request, *view_args, **view_kwargs) if scoped_view else None
        if name not in admin_allowlist.ALLOWED:
            return refuse(request)
        if not admin_allowlist.ids_are_own(name, request, view_kwargs, user):
            return refuse(request)
        special = admin_allowlist.SPECIAL_VIEWS.get(name)
        if special is not None:
            return special(request, *view_args, **view_kwargs)
        if scoped_view is not None:
            return scoped_view(request, *view_args, **view_kwargs)
        scoped = admin_allowlist.with_scoped_filters(view_func, name, view_kwargs)
        if scoped is not None:
            return scoped(request, *view_args, **view_kwargs)
        return None
