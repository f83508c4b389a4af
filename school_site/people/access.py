"""Who is who in a school's people, and the checks every write of `school_site.people` makes
before touching anyone (see the package's docstring for what a principal may never do)."""

from __future__ import annotations

import re

from anyascii import anyascii
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q

from district_site.models import School
from district_site.selectors import is_district_admin
from school_site.admin_views import principal_school_ids
from school_site.models import StaffProfile

User = get_user_model()
UserGroups = User.groups.through

NAME_MAX_LENGTH = 150
POSITION_MAX_LENGTH = StaffProfile._meta.get_field("position").max_length
USERNAME_MAX_LENGTH = 150

ROLE_BOARD = "Ban quản trị"
ROLE_STAFF = "Giáo viên, nhân viên"


class PeopleError(Exception):
    """A change the principal may not make; the message is shown to them as is."""


def school_member_filter(school: School) -> Q:
    """Users in the school's board or editors group, without a join that duplicates rows."""
    return Q(
        pk__in=UserGroups.objects.filter(
            group_id__in=(school.board_group_id, school.editors_group_id)
        ).values("user_id")
    )


def is_principal_of(*, user: AbstractBaseUser, school: School) -> bool:
    """Principal of the school, still on its board, school active (see admin_views)."""
    return school.pk in principal_school_ids(user)


def is_protected_account(user: AbstractBaseUser) -> bool:
    """Accounts above any school: a principal never changes them."""
    return bool(user.is_superuser or user.is_staff or is_district_admin(user))


def belongs_to_other_school(*, user: AbstractBaseUser, school: School) -> bool:
    return (
        School.objects.filter(Q(board_group__user=user) | Q(editors_group__user=user))
        .exclude(pk=school.pk)
        .exists()
    )


def require_principal(*, by_user: AbstractBaseUser, school: School) -> None:
    if not is_principal_of(user=by_user, school=school):
        raise PeopleError("Chỉ Hiệu trưởng của trường mới quản lý được người dùng của trường.")


def require_manageable(*, by_user: AbstractBaseUser, school: School, user) -> None:
    require_principal(by_user=by_user, school=school)
    if not User.objects.filter(school_member_filter(school), pk=user.pk).exists():
        raise PeopleError("Người này không thuộc trường của bạn.")
    if is_protected_account(user):
        raise PeopleError("Đây là tài khoản quản trị cấp trên; Hiệu trưởng không thay đổi được.")


def require_account_wide(*, by_user: AbstractBaseUser, school: School, user) -> None:
    """Password and active status are the account's, shared by every school it belongs to."""
    require_manageable(by_user=by_user, school=school, user=user)
    if belongs_to_other_school(user=user, school=school):
        raise PeopleError(
            "Người này còn thuộc một trường khác; mật khẩu và trạng thái tài khoản "
            "do Phòng GD&ĐT thay đổi."
        )


_USERNAME_UNSAFE = re.compile(r"[^a-z0-9._-]+")


def username_base(email: str) -> str:
    """ASCII user name from the e-mail's local part: "Hoà.Nguyễn@…" -> "hoa.nguyen"."""
    local = anyascii(email.split("@", 1)[0]).lower()
    base = _USERNAME_UNSAFE.sub("", local).strip("._-")
    return (base or "gv")[: USERNAME_MAX_LENGTH - 6]


def unique_username(base: str, taken_in_file: set[str] = frozenset()) -> str:
    # Compared without case: "Hoa.nguyen" and "hoa.nguyen" would be two confusable accounts.
    taken = {
        name.lower()
        for name in User.objects.filter(username__istartswith=base).values_list(
            "username", flat=True
        )
    }
    taken |= set(taken_in_file)
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate
