"""Writes to a school's people: adding one person, invitations, status, memberships.

Every function checks again that `by_user` is the principal of `school` and that the person
belongs to it (`access.py`), so a view that forgot a check still cannot reach another school.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from district_site.invitations import KIND_INVITE, KIND_RESET, send_invitation
from district_site.models import School
from district_site.roles import roles_for
from home.text import split_full_name
from school_site.models import ContributorGroup, StaffProfile
from school_site.people.access import (
    NAME_MAX_LENGTH,
    POSITION_MAX_LENGTH,
    ROLE_BOARD,
    ROLE_STAFF,
    PeopleError,
    User,
    require_account_wide,
    require_manageable,
    require_principal,
    unique_username,
    username_base,
)
from school_site.people.selectors import school_contributor_groups


def _role_of(*, school: School, user) -> str:
    on_board = user.groups.filter(pk=school.board_group_id).exists()
    return f"{ROLE_BOARD if on_board else ROLE_STAFF} của {school.name}"


def invite_person(*, school: School, user, by_user: AbstractBaseUser) -> str:
    """E-mail the person a link to set their own password; return what was sent, in Vietnamese.

    Someone who never set a password gets the invitation again; someone who has one gets a
    reset link (their current password keeps working until they use it). Either way only the
    person chooses the password. Account-wide like the password itself: a person of two
    schools is the district's to handle.
    """
    require_account_wide(by_user=by_user, school=school, user=user)
    if not user.is_active:
        raise PeopleError("Tài khoản đang bị khoá; mở lại tài khoản trước khi gửi thư.")
    if not user.email:
        raise PeopleError("Người này chưa có email; không gửi được thư.")
    kind = KIND_RESET if user.has_usable_password() else KIND_INVITE
    send_invitation(
        user=user,
        school_name=school.name,
        base_url=school.site.root_url,
        role=_role_of(school=school, user=user),
        kind=kind,
    )
    what = "liên kết đặt lại mật khẩu" if kind == KIND_RESET else "thư mời"
    return f"Đã gửi {what} tới {user.email}."


def add_person(
    *,
    school: School,
    by_user: AbstractBaseUser,
    full_name: str,
    email: str,
    position: str = "",
    contributor_group_ids: Iterable[int] = (),
    on_board: bool = False,
    hide_on_honour_board: bool = False,
):
    """Create one person of the school and invite them; all or nothing.

    An e-mail already used by an account is refused: joining an existing account to the school
    goes through the CSV import (which shows the match first) or the district.
    """
    require_principal(by_user=by_user, school=school)
    full_name = " ".join(unicodedata.normalize("NFC", full_name or "").split())
    email = (email or "").strip()
    position = (position or "").strip()
    if not full_name:
        raise PeopleError("Thiếu họ tên.")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise PeopleError(f"Email “{email}” không hợp lệ.") from exc
    if len(position) > POSITION_MAX_LENGTH:
        raise PeopleError(f"Chức vụ dài quá {POSITION_MAX_LENGTH} ký tự.")
    wanted = set(contributor_group_ids)
    if not wanted <= set(school_contributor_groups(school=school).values_list("pk", flat=True)):
        raise PeopleError("Chỉ chọn được tổ chức của trường này.")
    try:
        with transaction.atomic():
            if User.objects.filter(email__iexact=email).exists():
                raise PeopleError(
                    f"Email “{email}” đã có tài khoản; dùng chức năng nhập tệp CSV để thêm người "
                    "này vào trường, hoặc liên hệ Phòng GD&ĐT."
                )
            first_name, last_name = split_full_name(full_name)
            user = User(
                username=unique_username(username_base(email)),
                email=email,
                first_name=first_name[:NAME_MAX_LENGTH],
                last_name=last_name[:NAME_MAX_LENGTH],
                is_active=True,
            )
            user.set_unusable_password()
            user.save()
            user.groups.add(school.board_group_id if on_board else school.editors_group_id)
            if wanted:
                user.contributor_groups.add(*wanted)
            save_position(
                user_id=user.pk,
                school=school,
                position=position,
                hide_on_honour_board=hide_on_honour_board,
            )
            send_invitation(
                user=user,
                school_name=school.name,
                base_url=school.site.root_url,
                role=f"{ROLE_BOARD if on_board else ROLE_STAFF} của {school.name}",
            )
    except IntegrityError as exc:
        # Someone took the user name at the same moment; nothing was written.
        raise PeopleError("Dữ liệu vừa thay đổi; hãy thử lại.") from exc
    return user


def deactivate_user(*, school: School, user, by_user: AbstractBaseUser) -> None:
    """Someone who has left: they can no longer log in. Nothing else changes.

    Their pages keep them as author and their credits keep counting: the account stays, with
    its groups, only `is_active` goes off.
    """
    require_account_wide(by_user=by_user, school=school, user=user)
    if user.pk == by_user.pk:
        raise PeopleError("Bạn không thể tự khoá tài khoản của mình.")
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])


def reactivate_user(*, school: School, user, by_user: AbstractBaseUser) -> None:
    require_account_wide(by_user=by_user, school=school, user=user)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])


def own_honour_opt_out(*, user) -> bool:
    """Whether the person asked, at any of their schools, not to be named on the honour board."""
    school_ids = [m.school_id for m in roles_for(user).memberships]
    return StaffProfile.objects.filter(
        user_id=user.pk, school_id__in=school_ids, hide_on_honour_board=True
    ).exists()


def set_own_honour_opt_out(*, user, hide: bool) -> None:
    """The person's own choice from their account settings, at every school they belong to
    (it is about their name, not a school's record); positions are kept as they are."""
    school_ids = [m.school_id for m in roles_for(user).memberships]
    with transaction.atomic():
        positions = dict(
            StaffProfile.objects.filter(user_id=user.pk, school_id__in=school_ids).values_list(
                "school_id", "position"
            )
        )
        for school in School.objects.filter(pk__in=school_ids):
            save_position(
                user_id=user.pk,
                school=school,
                position=positions.get(school.pk, ""),
                hide_on_honour_board=hide,
            )


# --- memberships -------------------------------------------------------------------------------


def update_membership(
    *,
    school: School,
    user,
    by_user: AbstractBaseUser,
    contributor_group_ids: Iterable[int],
    on_board: bool,
    position: str,
    hide_on_honour_board: bool | None = None,
) -> None:
    """Set the person's contributor groups, board membership, position and honour-board opt-out
    at this school (`hide_on_honour_board=None`: leave the opt-out as it is).

    Only this school's groups are touched: the person's groups elsewhere stay as they are.
    Ids of groups that are not this school's are refused, not ignored, so a forged form
    cannot pass unnoticed.
    """
    require_manageable(by_user=by_user, school=school, user=user)
    wanted = set(contributor_group_ids)
    school_group_ids = set(school_contributor_groups(school=school).values_list("pk", flat=True))
    if not wanted <= school_group_ids:
        raise PeopleError("Chỉ chọn được tổ chức của trường này.")
    position = position.strip()
    if len(position) > POSITION_MAX_LENGTH:
        raise PeopleError(f"Chức vụ dài quá {POSITION_MAX_LENGTH} ký tự.")
    if not on_board and user.pk == by_user.pk:
        raise PeopleError("Hiệu trưởng không thể tự rời Ban quản trị.")

    with transaction.atomic():
        current = set(
            user.contributor_groups.filter(school_id=school.pk).values_list("pk", flat=True)
        )
        if wanted - current:
            user.contributor_groups.add(*(wanted - current))
        if current - wanted:
            user.contributor_groups.remove(*(current - wanted))
            # A leader is always a member (see ContributorGroupForm): leaving ends the lead.
            ContributorGroup.objects.filter(pk__in=current - wanted, leader=user).update(
                leader=None
            )
        if on_board:
            user.groups.add(school.board_group_id)
        else:
            # Leaving the board keeps them a member of the school, as a teacher or staff.
            user.groups.add(school.editors_group_id)
            user.groups.remove(school.board_group_id)
        save_position(
            user_id=user.pk,
            school=school,
            position=position,
            hide_on_honour_board=hide_on_honour_board,
        )


def save_position(
    *, user_id: int, school: School, position: str, hide_on_honour_board: bool | None = None
) -> None:
    """Write the person's profile row at this school: position and honour-board opt-out.

    `hide_on_honour_board=None` leaves the opt-out as it is (the CSV import knows only
    positions). The row is deleted only when it holds nothing: emptying the position must not
    silently drop a person's request not to be named on the public honour board.
    """
    if hide_on_honour_board is None:
        if position:
            StaffProfile.objects.update_or_create(
                user_id=user_id, school=school, defaults={"position": position}
            )
        else:
            profiles = StaffProfile.objects.filter(user_id=user_id, school=school)
            profiles.filter(hide_on_honour_board=False).delete()
            # .save() rather than .update() so the cache invalidation receivers see it.
            for profile in profiles.exclude(position=""):
                profile.position = ""
                profile.save(update_fields=["position"])
    elif position or hide_on_honour_board:
        StaffProfile.objects.update_or_create(
            user_id=user_id,
            school=school,
            defaults={"position": position, "hide_on_honour_board": hide_on_honour_board},
        )
    else:
        StaffProfile.objects.filter(user_id=user_id, school=school).delete()
