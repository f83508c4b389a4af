"""Who a user is, and for which school: the one place every permission check asks.

`roles_for(user)` answers from ONE query (the user's groups, each joined to the school whose
board or editors group it is) and remembers the answer in ONE attribute on the user object.
Django builds `request.user` anew for every request, so the answer lasts exactly one request;
code that changes a user's groups and asks again on the same object calls `forget_roles`.

Roles
- superuser: Django's flag; may do everything, limited by nothing.
- district admin: member of the group `DISTRICT_ADMINS_GROUP`; runs every school.
- board member: member of a school's board group.
- principal: `School.principal` of an *active* school, and still a member of its board.
- editor (contributor): member of a school's editors group.
- group leader: `ContributorGroup.leader`; a second, lazy query, asked only where needed.

A school user (`is_limited`) is anyone signed in who is neither superuser nor district admin:
the admin is sealed for them (see `district_site.admin_scoping`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, Group

from district_site.models import DISTRICT_ADMINS_GROUP, School

# The one attribute the answer is remembered in (per user object, so per request).
ROLES_ATTR = "_district_roles"


@dataclass(frozen=True)
class SchoolMembership:
    """The user's roles in one school."""

    school_id: int
    root_path: str  # tree path of the school site's root page
    active: bool
    is_board: bool = False
    is_editor: bool = False
    is_principal: bool = False


@dataclass(frozen=True)
class Roles:
    """Everything the permission checks need to know about one user, for one request."""

    user_id: int | None
    is_authenticated: bool = False
    is_superuser: bool = False
    is_district_admin: bool = False  # superusers count as district admins
    group_ids: frozenset[int] = frozenset()
    editors_group_ids: frozenset[int] = frozenset()  # those of group_ids that are editors groups
    memberships: tuple[SchoolMembership, ...] = ()
    # Filled on first use by `led_group_ids`; not part of equality or the repr.
    _lazy: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_limited(self) -> bool:
        """A school user: signed in, neither superuser nor district admin (anonymous: True)."""
        return not self.is_district_admin

    @property
    def school_ids(self) -> frozenset[int]:
        return frozenset(m.school_id for m in self.memberships)

    @property
    def board_school_ids(self) -> frozenset[int]:
        return frozenset(m.school_id for m in self.memberships if m.is_board)

    @property
    def editor_school_ids(self) -> frozenset[int]:
        return frozenset(m.school_id for m in self.memberships if m.is_editor)

    @property
    def principal_school_ids(self) -> frozenset[int]:
        return frozenset(m.school_id for m in self.memberships if m.is_principal)

    @property
    def root_paths(self) -> tuple[str, ...]:
        """Tree paths of the roots of the user's schools' sites, without duplicates, sorted."""
        return tuple(sorted({m.root_path for m in self.memberships if m.root_path}))

    def is_board_of(self, school_id: int) -> bool:
        return school_id in self.board_school_ids

    def is_principal_of(self, school_id: int) -> bool:
        return school_id in self.principal_school_ids

    def is_editor_of(self, school_id: int) -> bool:
        return school_id in self.editor_school_ids


ANONYMOUS = Roles(user_id=None)


def _compute(user: AbstractBaseUser) -> Roles:
    if not user.is_authenticated or not user.is_active:
        return Roles(user_id=user.pk, is_authenticated=user.is_authenticated)
    # One query: each of the user's groups, with the school it is the board or editors group of
    # (LEFT JOINs: a group is at most one of the two, or neither, e.g. the district admins).
    rows = Group.objects.filter(user=user).values_list(
        "pk",
        "name",
        "board_of__pk",
        "board_of__site__root_page__path",
        "board_of__status",
        "board_of__principal_id",
        "editors_of__pk",
        "editors_of__site__root_page__path",
        "editors_of__status",
    )
    group_ids: set[int] = set()
    editors_group_ids: set[int] = set()
    district_admin = bool(user.is_superuser)
    by_school: dict[int, dict] = {}
    for (
        group_id,
        name,
        board_school,
        board_root,
        board_status,
        principal_id,
        editors_school,
        editors_root,
        editors_status,
    ) in rows:
        group_ids.add(group_id)
        if name == DISTRICT_ADMINS_GROUP:
            district_admin = True
        if board_school is not None:
            entry = by_school.setdefault(
                board_school,
                {"root_path": board_root or "", "active": board_status == School.Status.ACTIVE},
            )
            entry["is_board"] = True
            # Principal only while still on the board of an active school, as the people and
            # groups screens have always required.
            entry["is_principal"] = principal_id == user.pk and entry["active"]
        if editors_school is not None:
            editors_group_ids.add(group_id)
            entry = by_school.setdefault(
                editors_school,
                {
                    "root_path": editors_root or "",
                    "active": editors_status == School.Status.ACTIVE,
                },
            )
            entry["is_editor"] = True
    memberships = tuple(
        SchoolMembership(school_id=school_id, **values)
        for school_id, values in sorted(by_school.items())
    )
    return Roles(
        user_id=user.pk,
        is_authenticated=True,
        is_superuser=bool(user.is_superuser),
        is_district_admin=district_admin,
        group_ids=frozenset(group_ids),
        editors_group_ids=frozenset(editors_group_ids),
        memberships=memberships,
    )


def roles_for(user: AbstractBaseUser | None) -> Roles:
    """The user's roles, computed once per user object (one query) and remembered on it."""
    if user is None:
        return ANONYMOUS
    roles = getattr(user, ROLES_ATTR, None)
    if roles is None:
        roles = _compute(user)
        try:
            setattr(user, ROLES_ATTR, roles)
        except AttributeError:  # an AnonymousUser-like object without a __dict__
            pass
    return roles


def forget_roles(user: AbstractBaseUser) -> None:
    """Drop the remembered answer, after changing the user's groups on the same object."""
    if hasattr(user, ROLES_ATTR):
        delattr(user, ROLES_ATTR)


def is_limited(user: AbstractBaseUser | None) -> bool:
    """A school user (or anonymous): the admin is sealed to their own schools."""
    return roles_for(user).is_limited


def led_group_ids(user: AbstractBaseUser) -> frozenset[int]:
    """Ids of the contributor groups the user leads (a second query, asked only when needed)."""
    roles = roles_for(user)
    if "led_group_ids" not in roles._lazy:
        if not roles.is_authenticated or roles.user_id is None:
            ids: frozenset[int] = frozenset()
        else:
            # Imported here: school_site sits above the district's tenancy in the layers, and
            # only this lazy question needs its model.
            from django.apps import apps

            contributor_group = apps.get_model("school_site", "ContributorGroup")
            ids = frozenset(
                contributor_group.objects.filter(leader_id=roles.user_id).values_list(
                    "pk", flat=True
                )
            )
        roles._lazy["led_group_ids"] = ids
    return roles._lazy["led_group_ids"]
