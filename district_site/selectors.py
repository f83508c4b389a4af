"""Reads about schools. Plain functions; views, hooks and commands call them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from wagtail.models import Page

from district_site.models import School

# Wagtail's treebeard paths use 4 characters per level: a school's home page sits at depth 2,
# so the first 8 characters of any page's path identify the site root it lives under.
SITE_ROOT_PATH_LENGTH = 8


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


def is_district_admin(user: AbstractBaseUser) -> bool:
    """A superuser or an active member of the district admins' group (see `district_site.roles`,
    which answers from the request's one roles query)."""
    from district_site.roles import roles_for

    return roles_for(user).is_district_admin
