"""Page listings of the admin that cost the same whatever the number of rows shown.

Wagtail 8.0.1's page chooser (`wagtail.admin.views.chooser`, browse and search) renders, for
every row, the page's status (`approved_schedule`: one query for a scheduled revision;
`workflow_in_progress`: one more) and a link carrying its parent's id (`get_parent()`: one
query). The explorer avoids the first two with `annotate_approved_schedule()` and
`prefetch_workflow_states()`; the chooser does not, so a section of 1,000 posts cost 97
queries for its first 25 rows instead of 25. `chooser_rows` is applied from the
`construct_page_chooser_queryset` hook, which both chooser views call before they paginate.
"""

from __future__ import annotations

from django.db.models import QuerySet
from wagtail.models import Page

_WITH_PARENTS: dict[type, type] = {}


def _with_parents(iterable_class: type) -> type:
    """`iterable_class`, also loading the parents of the rows it yields in one query."""
    cls = _WITH_PARENTS.get(iterable_class)
    if cls is None:

        class ParentsLoadingIterable(iterable_class):
            def __iter__(self):
                pages = list(super().__iter__())
                steplen = Page.steplen
                parent_paths = {page.path[:-steplen] for page in pages if len(page.path) > steplen}
                parents = {p.path: p for p in Page.objects.filter(path__in=parent_paths)}
                for page in pages:
                    parent = parents.get(page.path[:-steplen])
                    if parent is not None:
                        # treebeard's get_parent() returns this attribute when present.
                        page._cached_parent_obj = parent
                yield from pages

        cls = _WITH_PARENTS[iterable_class] = ParentsLoadingIterable
    return cls


def chooser_rows(pages: QuerySet) -> QuerySet:
    """The chooser's page queryset, with what its rows read loaded in a fixed number of queries."""
    pages = pages.annotate_approved_schedule().prefetch_workflow_states()
    pages._iterable_class = _with_parents(pages._iterable_class)
    return pages
