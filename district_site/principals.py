"""Replacing a school's principal (a district admin's act).

The new principal is either someone already in the school (chosen from its people) or a person
named by full name and e-mail (a new account, or the existing account with that e-mail, as at
provisioning). Either way they join the board and get an e-mail with a set-password link (or a
reset link if they already have a password).

The old principal loses the principal role and, by default, their seat on the board: in these
schools the board seat comes with the office, and a former principal who could still approve
posts would be a second approver nobody chose. They stay in the school as staff (its editors
group), so their pages keep them as author, their credits keep counting, and their contributor
groups stay. When the former principal stays on the board (e.g. as deputy), the district admin
ticks `keep_old_on_board`.

One transaction, the school row locked; logged in Wagtail's history (`district_site.
replace_principal`, shown in "Nhật ký") and in the structured server log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from wagtail.log_actions import log

from district_site.invitations import KIND_INVITE, KIND_RESET, send_invitation
from district_site.models import School
from district_site.provisioning import ProvisioningError, make_principal
from district_site.selectors import is_district_admin
from home.text import display_name
from school_site.people import User, is_protected_account, school_member_filter

LOG_ACTION = "district_site.replace_principal"
logger = logging.getLogger("district_site.principals")


@dataclass(frozen=True)
class PrincipalChange:
    school: School
    old: AbstractBaseUser | None
    new: AbstractBaseUser
    old_kept_on_board: bool

    @property
    def message(self) -> str:
        text = f"{display_name(self.new)} là hiệu trưởng mới của {self.school.name}"
        if self.old is not None:
            where = "vẫn ở Ban quản trị" if self.old_kept_on_board else "chuyển sang giáo viên"
            text += f"; {display_name(self.old)} {where}, bài viết và điểm ghi công giữ nguyên"
        return text + f". Đã gửi thư tới {self.new.email}."


def school_candidates(school: School):
    """The school's active people who could become its principal (not the current one)."""
    return (
        User.objects.filter(school_member_filter(school), is_active=True)
        .exclude(pk=school.principal_id or 0)
        .exclude(is_superuser=True)
        .exclude(is_staff=True)
    )


def replace_principal(
    *,
    school: School,
    by_user: AbstractBaseUser,
    member: AbstractBaseUser | None = None,
    full_name: str = "",
    email: str = "",
    keep_old_on_board: bool = False,
) -> PrincipalChange:
    """Make `member` (someone of the school) or the person `full_name`/`email` the principal."""
    if not (by_user.is_superuser or is_district_admin(by_user)):
        raise ProvisioningError("Chỉ Phòng GD&ĐT thay được hiệu trưởng.")
    full_name = " ".join((full_name or "").split())
    email = (email or "").strip()
    if (member is None) == (not email):
        raise ProvisioningError(
            "Chọn một người của trường, hoặc nhập họ tên và email người mới (không cả hai)."
        )
    if member is None:
        if not full_name:
            raise ProvisioningError("Thiếu họ tên hiệu trưởng mới.")
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ProvisioningError(f"Email “{email}” không hợp lệ.") from exc

    with transaction.atomic():
        school = (
            School.objects.select_for_update(of=("self",))
            .select_related("site", "principal")
            .get(pk=school.pk)
        )
        if school.status != School.Status.ACTIVE:
            raise ProvisioningError(f"Trường “{school.name}” đang lưu trữ; khôi phục trước.")
        old = school.principal
        if member is not None:
            if not school_candidates(school).filter(pk=member.pk).exists():
                raise ProvisioningError("Người được chọn không phải người dùng của trường này.")
            if is_protected_account(member):
                raise ProvisioningError("Tài khoản quản trị của Phòng không làm hiệu trưởng được.")
            new = member
            new.groups.add(school.board_group_id)
        else:
            new = make_principal(school.board_group_id, full_name=full_name, email=email)
        if old is not None and new.pk == old.pk:
            raise ProvisioningError(f"{display_name(new)} đã là hiệu trưởng của trường.")
        if not new.email:
            raise ProvisioningError("Hiệu trưởng mới cần có email để nhận thư.")

        school.principal = new
        school.save(update_fields=["principal", "updated_at"])
        kept = bool(old is not None and keep_old_on_board)
        if old is not None and not keep_old_on_board:
            # Leaving the board keeps them in the school (authorship and credit stay theirs).
            old.groups.add(school.editors_group_id)
            old.groups.remove(school.board_group_id)

        data = {"old": old.pk if old else None, "new": new.pk, "old_kept_on_board": kept}
        log(instance=school, action=LOG_ACTION, user=by_user, data=data)
        logger.info("principal replaced", extra={"school": school.pk, **data})
        send_invitation(
            user=new,
            school_name=school.name,
            base_url=school.site.root_url,
            role="Hiệu trưởng",
            kind=KIND_RESET if new.has_usable_password() else KIND_INVITE,
        )
    return PrincipalChange(school=school, old=old, new=new, old_kept_on_board=kept)
