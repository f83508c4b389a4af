"""The rights a school's two groups get on their own subtree, collection and branding.

Granted at provisioning and on restore, revoked on archive. Split out of
`district_site.provisioning`, which re-exports these names.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupCollectionPermission, GroupPagePermission, GroupSitePermission

from district_site.models import School

BOARD_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
)
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
BOARD_COLLECTION_PERMISSIONS = (
    "add_image", "change_image", "choose_image", "delete_image",
    "add_document", "change_document", "choose_document", "delete_document",
)  # fmt: skip
EDITOR_COLLECTION_PERMISSIONS = (
    "add_image", "change_image", "choose_image",
    "add_document", "change_document", "choose_document",
)  # fmt: skip


def _permissions(
    codenames: tuple[str, ...], app_label: str | None = None, *, found: list[Permission]
) -> list[Permission]:
    """The permissions named `codenames` (in `app_label`) among `found`, or fail loudly."""
    chosen = [
        p
        for p in found
        if p.codename in codenames and (app_label is None or p.content_type.app_label == app_label)
    ]
    missing = set(codenames) - {p.codename for p in chosen}
    if missing:  # a programming error, not bad input: fail loudly and roll back
        raise RuntimeError(f"Missing permissions: {sorted(missing)}")
    return chosen


_ALL_CODENAMES = frozenset(
    ("access_admin", "change_sitebranding")
    + BOARD_PAGE_PERMISSIONS
    + EDITOR_PAGE_PERMISSIONS
    + BOARD_COLLECTION_PERMISSIONS
    + EDITOR_COLLECTION_PERMISSIONS
)


def grant_school_permissions(school: School) -> None:
    """Give the school's two groups rights on their own subtree, collection and branding only."""
    home = school.site.root_page
    # Every permission involved, in one query (instead of one per kind of grant).
    found = list(
        Permission.objects.filter(codename__in=_ALL_CODENAMES).select_related("content_type")
    )
    access = _permissions(("access_admin",), "wagtailadmin", found=found)
    Group.permissions.through.objects.bulk_create(
        [
            Group.permissions.through(group_id=group.pk, permission_id=p.pk)
            for group in (school.board_group, school.editors_group)
            for p in access
        ],
        ignore_conflicts=True,
    )
    page_rows = [
        GroupPagePermission(group=school.board_group, page=home, permission=p)
        for p in _permissions(BOARD_PAGE_PERMISSIONS, "wagtailcore", found=found)
    ] + [
        GroupPagePermission(group=school.editors_group, page=home, permission=p)
        for p in _permissions(EDITOR_PAGE_PERMISSIONS, "wagtailcore", found=found)
    ]
    GroupPagePermission.objects.bulk_create(page_rows, ignore_conflicts=True)
    collection_rows = [
        GroupCollectionPermission(
            group=school.board_group, collection=school.collection, permission=p
        )
        for p in _permissions(BOARD_COLLECTION_PERMISSIONS, found=found)
    ] + [
        GroupCollectionPermission(
            group=school.editors_group, collection=school.collection, permission=p
        )
        for p in _permissions(EDITOR_COLLECTION_PERMISSIONS, found=found)
    ]
    GroupCollectionPermission.objects.bulk_create(collection_rows, ignore_conflicts=True)
    GroupSitePermission.objects.bulk_create(
        [
            GroupSitePermission(group=school.board_group, site=school.site, permission=p)
            for p in _permissions(("change_sitebranding",), "home", found=found)
        ],
        ignore_conflicts=True,
    )


def revoke_school_permissions(school: School) -> None:
    groups = [school.board_group, school.editors_group]
    GroupPagePermission.objects.filter(group__in=groups).delete()
    GroupCollectionPermission.objects.filter(group__in=groups).delete()
    GroupSitePermission.objects.filter(group__in=groups).delete()
    for group in groups:
        group.permissions.clear()
