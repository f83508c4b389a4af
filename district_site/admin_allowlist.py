"""The admin views a school user may reach, and the checks each one gets on the way in.

Sealed by default (DESIGN.md, decision 8): `district_site.admin_scoping.AdminScopingMiddleware`
refuses a school user every admin URL whose name is not in `ALLOWED`, the table kept in
`district_site.admin_allowlist_names`. A Wagtail upgrade that adds a route therefore refuses it
until someone adds its name there AND the URL-walking test (`tests/security/
test_admin_url_matrix.py`) proves it sealed with another school's ids.

What a name on the list gets, besides Wagtail's own permission checks:
- `ids_are_own`: every page, image, document or task state id the URL carries (path or query
  string: bulk actions, "chosen multiple") belongs to the user's own schools; page ids may also
  be an ancestor of the user's site (the tree root), which Wagtail's permissions then handle;
- `with_scoped_filters`: the listing's filter drawer (owner, edited by, site, collection, the
  images' and documents' popular tags) offers the user's own schools only;
- `SPECIAL_VIEWS`: a view served in place of Wagtail's (tag autocomplete, which has no hook).

Left off on purpose (a school has no use for them, or Wagtail shows other schools there):
the images/documents admin API and the pages API's actions (nothing in the admin UI uses them;
the API's "publish" would skip the board), collections, workflows and tasks, sites, users and
groups (the principal's "people" screen replaces them), redirects, snippets, the page types
usage report and listing, "choose parent" for a page type, alias conversion, the district's own
screens (schools, school years, rubric, bonus points).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django_filters.filters import QuerySetRequestMixin
from taggit.models import Tag, TaggedItem
from wagtail.admin.auth import require_admin_access
from wagtail.admin.filters import PopularTagsFilter
from wagtail.admin.urls import display_custom_404
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site, TaskState

from district_site import admin_scoping
from district_site.admin_allowlist_names import ALLOWED as ALLOWED  # re-exported: see below
from district_site.roles import roles_for

# `ALLOWED` is a table of its own (admin_allowlist_names); the middleware and the URL-matrix test
# keep reading it as `admin_allowlist.ALLOWED`.

# URL keyword arguments naming a page, for any admin view.
PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id")
# Views whose `pk` keyword argument is a page id.
PAGE_PK_VIEWS = frozenset({"wagtailadmin_pages:revisions_compare", "wagtailadmin_api:pages:detail"})
# Views taking a list of object ids in the query string (`?id=1&id=2`), and their model.
CHOSEN_MULTIPLE_VIEWS: dict[str, Callable[[], type[Model]]] = {
    "wagtailadmin_choose_page_chosen_multiple": lambda: Page,
    "wagtailimages_chooser:chosen_multiple": get_image_model,
    "wagtaildocs_chooser:chosen_multiple": get_document_model,
}


@cache
def _admin_prefix() -> str:
    return reverse("wagtailadmin_home")


def is_admin_path(path: str) -> bool:
    return path.startswith(_admin_prefix())


# --- ids: do they belong to the user's schools? ---------------------------------------------


def _int_ids(values: Iterable) -> list[int] | None:
    """The values as ints, or None if one is not a number (the view would refuse it anyway)."""
    try:
        return [int(value) for value in values]
    except (TypeError, ValueError):
        return None


def pages_are_own(
    page_ids: Iterable, user: AbstractBaseUser, *, ancestors_too: bool = True
) -> bool:
    """Every existing page among `page_ids` lies in the user's sites (or is their ancestor)."""
    ids = _int_ids(page_ids)
    if ids is None:
        return False
    if not ids:
        return True
    roots = admin_scoping.school_root_paths(user) or ()
    for path in Page.objects.filter(pk__in=ids).values_list("path", flat=True):
        inside = any(path.startswith(root) for root in roots)
        above = ancestors_too and any(root.startswith(path) for root in roots)
        if not (inside or above):
            return False
    return True


def own_collections_q(user: AbstractBaseUser, prefix: str = "") -> Q:
    """A filter for objects in the user's schools' collections (and their sub-collections)."""
    paths = list(
        Collection.objects.filter(school__in=sorted(roles_for(user).school_ids)).values_list(
            "path", flat=True
        )
    )
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


def files_are_own(model: type[Model], object_ids: Iterable, user: AbstractBaseUser) -> bool:
    """Every existing image or document among `object_ids` is in the user's collections."""
    ids = _int_ids(object_ids)
    if ids is None:
        return False
    if not ids:
        return True
    objects = model.objects.filter(pk__in=ids)
    return not objects.exclude(own_collections_q(user, "collection__")).exists()


def _file_model(model: type[Model]) -> bool:
    return issubclass(model, (get_image_model(), get_document_model()))


def _bulk_ids_are_own(request, kwargs: dict, user: AbstractBaseUser) -> bool:
    """Bulk actions: Wagtail's confirmation page lists every given id, titles included, even
    those the user may not act on ("you don't have permission to ..."), so all must be own."""
    try:
        model = apps.get_model(kwargs.get("app_label", ""), kwargs.get("model_name", ""))
    except (LookupError, ValueError):
        return False
    ids = request.GET.getlist("id")
    if issubclass(model, Page):
        if "all" in ids:
            # "All in this listing": the children of `childOf`, which must be inside the sites.
            return pages_are_own([request.GET.get("childOf")], user, ancestors_too=False)
        return pages_are_own(ids, user, ancestors_too=False)
    if _file_model(model):
        # "All" would mean every school's files: a school selects its own explicitly.
        return "all" not in ids and files_are_own(model, ids, user)
    return False


def _task_state_is_the_pages(kwargs: dict) -> bool:
    task_state_id, page_id = kwargs.get("task_state_id"), kwargs.get("page_id")
    return TaskState.objects.filter(
        pk=task_state_id, workflow_state__object_id=str(page_id)
    ).exists()


def ids_are_own(name: str, request, kwargs: dict, user: AbstractBaseUser) -> bool:
    """Every object id the request names belongs to the user's own schools."""
    page_ids = [kwargs[key] for key in PAGE_KWARGS if kwargs.get(key) is not None]
    if name in PAGE_PK_VIEWS:
        page_ids.append(kwargs.get("pk"))
    if page_ids and not pages_are_own(page_ids, user):
        return False
    if "task_state_id" in kwargs and not _task_state_is_the_pages(kwargs):
        return False
    image_ids = [kwargs[key] for key in ("image_id",) if key in kwargs]
    if name == "wagtailimages_chooser:chosen":
        image_ids.append(kwargs.get("pk"))
    if image_ids and not files_are_own(get_image_model(), image_ids, user):
        return False
    document_ids = [kwargs[key] for key in ("document_id", "doc_id") if key in kwargs]
    if name == "wagtaildocs_chooser:chosen":
        document_ids.append(kwargs.get("pk"))
    if document_ids and not files_are_own(get_document_model(), document_ids, user):
        return False
    if name in CHOSEN_MULTIPLE_VIEWS:
        model = CHOSEN_MULTIPLE_VIEWS[name]()
        ids = request.GET.getlist("id")
        own = pages_are_own(ids, user, ancestors_too=False) if model is Page else None
        if own is None:
            own = files_are_own(model, ids, user)
        if not own:
            return False
    if name == "wagtail_bulk_action" and not _bulk_ids_are_own(request, kwargs, user):
        return False
    return True


# --- filter drawers: offer the user's own schools only -------------------------------------


def scope_queryset(queryset: QuerySet, user: AbstractBaseUser) -> QuerySet:
    """`queryset` (users, sites, pages or collections) limited to the user's own schools."""
    model = queryset.model
    if issubclass(model, AbstractBaseUser):
        return admin_scoping.scope_users(queryset, user)
    if issubclass(model, Site):
        return queryset.filter(root_page__path__in=admin_scoping.school_root_paths(user) or ())
    if issubclass(model, Page):
        return admin_scoping.scope_pages(queryset, user)
    if issubclass(model, Collection):
        return queryset.filter(own_collections_q(user))
    return queryset


def _scoped_source(source):
    """A filter's queryset (or `callable(request)` giving one), limited to the user's schools."""

    def scoped(request):
        queryset = source(request) if callable(source) else source
        if request is None:
            return queryset.none()
        return scope_queryset(queryset.all(), request.user)

    return scoped


@cache
def scoped_filterset(base: type) -> type:
    """`base` (a django-filters FilterSet) whose model-choice filters offer own schools only.

    Wagtail's filter drawers (the explorer's owner / edited by / site, the reports' users, the
    images' collections) list every object of the district; validation uses the same queryset,
    so a crafted `?owner=<id of another school's teacher>` is rejected too.
    """

    class ScopedFilterSet(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for filter_ in self.filters.values():
                if isinstance(filter_, QuerySetRequestMixin) and filter_.queryset is not None:
                    filter_.queryset = _scoped_source(filter_.queryset)
            # The images' and documents' "popular tags" are the district's ten most used.
            if isinstance(self.filters.get("tag"), PopularTagsFilter):
                user = getattr(self.request, "user", None)
                tags = own_popular_tags(self._meta.model, user) if user else []
                if tags:
                    self.filters["tag"].extra["choices"] = [(tag.name, tag.name) for tag in tags]
                else:
                    del self.filters["tag"]

    ScopedFilterSet.__name__ = ScopedFilterSet.__qualname__ = f"Scoped{base.__name__}"
    return ScopedFilterSet


_SCOPED_VIEWS: dict = {}
# Views whose context lists "popular tags" of the whole district (no filter set).
POPULAR_TAGS_VIEWS = frozenset(
    {"wagtailimages_chooser:choose", "wagtailimages_chooser:choose_results"}
)

# Wagtail routes these URLs to the page-type viewset's view at request time (a "view router"
# function with no view class): URL name -> (the viewset's view name, the parent id kwarg).
PAGE_ROUTER_VIEWS = {
    "wagtailadmin_explore_root": ("index", None),
    "wagtailadmin_explore": ("index", "parent_page_id"),
    "wagtailadmin_explore_results": ("index_results", "parent_page_id"),
}


def _routed_view(name: str, kwargs: dict):
    """The concrete view Wagtail's page view router would call (None: let it answer)."""
    from django.core.exceptions import ObjectDoesNotExist
    from wagtail.admin.viewsets.pages import page_viewset_registry

    view_name, parent_kwarg = PAGE_ROUTER_VIEWS[name]
    try:
        if parent_kwarg:
            viewset = page_viewset_registry.get_by_parent_page_id(kwargs.get(parent_kwarg))
        else:
            viewset = page_viewset_registry.get_by_type(Page)
        return viewset.get_view_by_name(view_name)
    except (ObjectDoesNotExist, KeyError):
        return None


def with_scoped_filters(view_func, name: str = "", kwargs: dict | None = None) -> Callable | None:
    """The class-based view behind `view_func` with its filter set scoped (None: no filters)."""
    if name in PAGE_ROUTER_VIEWS:
        view_func = _routed_view(name, kwargs or {})
    view_class = getattr(view_func, "view_class", None)
    if view_class is None or not (
        hasattr(view_class, "filterset_class") or name in POPULAR_TAGS_VIEWS
    ):
        return None
    scoped = _SCOPED_VIEWS.get(view_func)
    if scoped is None:

        class ScopedView(view_class):
            def get_context_data(self, **kwargs):
                context = super().get_context_data(**kwargs)
                # The image chooser lists the district's ten most used tags.
                if "popular_tags" in context:
                    context["popular_tags"] = own_popular_tags(self.model, self.request.user)
                return context

            # A property, so that it wins over a plain class attribute, over Wagtail's
            # cached_property of the same name (which builds the stock filter set), and over
            # the `filterset_class` a viewset passes to as_view() (kept by the setter).
            @property
            def filterset_class(self):
                base = self.__dict__.get("_stock_filterset_class")
                if base is None:
                    base = super().filterset_class
                return scoped_filterset(base) if base is not None else None

            @filterset_class.setter
            def filterset_class(self, value):
                self.__dict__["_stock_filterset_class"] = value

        ScopedView.__name__ = ScopedView.__qualname__ = f"Scoped{view_class.__name__}"
        # The decorators Wagtail puts on every admin URL (admin access and the user's admin
        # language, the admin's 404 page, no caching), which the resolved view_func carries.
        scoped = never_cache(
            display_custom_404(
                require_admin_access(
                    ScopedView.as_view(**getattr(view_func, "view_initkwargs", {}))
                )
            )
        )
        _SCOPED_VIEWS[view_func] = scoped
    return scoped


# --- views served in place of Wagtail's -----------------------------------------------------

TAGS_AUTOCOMPLETE_LIMIT = 10


def _own_tagged_items(model: type[Model], user: AbstractBaseUser) -> QuerySet[TaggedItem]:
    return TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=model.objects.filter(own_collections_q(user, "collection__")).values("pk"),
    )


def own_popular_tags(model: type[Model], user: AbstractBaseUser, count: int = 10) -> list[Tag]:
    """Wagtail's `popular_tags_for_model`, counting the user's schools' images or documents."""
    return list(
        Tag.objects.filter(taggit_taggeditem_items__in=_own_tagged_items(model, user))
        .annotate(item_count=Count("taggit_taggeditem_items"))
        .order_by("-item_count", "name")[:count]
    )


def own_tags(user: AbstractBaseUser) -> QuerySet[Tag]:
    """Tags used on the images and documents of the user's schools."""
    items = _own_tagged_items(get_image_model(), user) | _own_tagged_items(
        get_document_model(), user
    )
    return Tag.objects.filter(pk__in=items.values("tag_id"))


def tag_autocomplete(request, app_name: str | None = None, model_name: str | None = None):
    """Wagtail's tag autocomplete (`wagtail.admin.views.tags`), offering own schools' tags.

    Stock Wagtail answers with every tag of the district that starts with the term.
    """
    if app_name or model_name:
        if (app_name, model_name) != ("taggit", "tag"):
            raise Http404
    term = request.GET.get("term", "")
    tags = []
    if term:
        tags = list(
            own_tags(request.user)
            .filter(name__istartswith=term)
            .order_by("name")
            .values_list("name", flat=True)[:TAGS_AUTOCOMPLETE_LIMIT]
        )
    return JsonResponse(tags, safe=False)


# Wrapped like every Wagtail admin view: admin access required, the user's admin language.
SPECIAL_VIEWS: dict[str, Callable] = {
    "wagtailadmin_tag_autocomplete": require_admin_access(tag_autocomplete),
    "wagtailadmin_tag_model_autocomplete": require_admin_access(tag_autocomplete),
}
