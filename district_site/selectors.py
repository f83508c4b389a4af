"""Reads about schools. Plain functions; views, hooks and commands call them."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import BooleanField, Expression, QuerySet, Subquery
from django.db.models.functions import Substr
from wagtail.models import Page

from district_site.models import School
from home.models import SiteBranding

# Wagtail's treebeard paths use 4 characters per level: a school's home page sits at depth 2,
# so the first 8 characters of any page's path identify the site root it lives under.
SITE_ROOT_PATH_LENGTH = 8


class UnderSiteRoot(Expression):
    """A page-row condition: its site root (first path segment) is one of `root_paths`.

    `root_paths` is a queryset of one column, the root pages' paths. On PostgreSQL this is
    `substring(path, 1, 8) = ANY(ARRAY(SELECT ...))` rather than `IN (SELECT ...)` or an
    EXISTS: PostgreSQL has no statistics on the substring, so for a semi-join it guessed that
    20 of 20,000 news pages matched, scanned and sorted all of them, and the portal's latest
    news cost grew with every page. Against an array it estimates that most rows match, so
    it walks the news date index newest first and stops at the LIMIT, checking each row's
    root against the (small) array: flat in the number of pages. SQLite keeps `IN`.
    """

    output_field = BooleanField()

    def __init__(self, root_paths: QuerySet, *, path: str = "path") -> None:
        super().__init__()
        self.root = Substr(path, 1, SITE_ROOT_PATH_LENGTH)
        self.root_paths = Subquery(root_paths)

    def get_source_expressions(self):
        return [self.root, self.root_paths]

    def set_source_expressions(self, exprs) -> None:
        self.root, self.root_paths = exprs

    def _compile(self, compiler) -> tuple[str, list, str]:
        root_sql, root_params = compiler.compile(self.root)
        paths_sql, paths_params = compiler.compile(self.root_paths)
        return root_sql, [*root_params, *paths_params], paths_sql

    def as_sql(self, compiler, connection):
        root_sql, params, paths_sql = self._compile(compiler)
        return f"{root_sql} IN {paths_sql}", params

    def as_postgresql(self, compiler, connection):
        root_sql, params, paths_sql = self._compile(compiler)
        return f"{root_sql} = ANY(ARRAY{paths_sql})", params


def school_for_page(page: Page) -> School | None:
    """The school whose site contains `page` (or None for the district portal). One query."""
    if not page.path or len(page.path) < SITE_ROOT_PATH_LENGTH:
        return None
    return (
        School.objects.select_related("site")
        .filter(site__root_page__path=page.path[:SITE_ROOT_PATH_LENGTH])
        .first()
    )


def active_schools() -> QuerySet[School]:
    return School.objects.filter(status=School.Status.ACTIVE).select_related("site")


def attach_school_logos(schools: Iterable[School]) -> None:
    """Set `school.logo` (its branding's logo image, or None) on each school, in one query."""
    schools = list(schools)
    logos = {
        branding.site_id: branding.logo
        for branding in SiteBranding.objects.filter(
            site_id__in={school.site_id for school in schools}, logo__isnull=False
        ).select_related("logo")
    }
    for school in schools:
        school.logo = logos.get(school.site_id)


def is_district_admin(user: AbstractBaseUser) -> bool:
    """A superuser or an active member of the district admins' group (see `district_site.roles`,
    which answers from the request's one roles query)."""
    from district_site.roles import roles_for

    return roles_for(user).is_district_admin
