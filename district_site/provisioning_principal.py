"""The principal's account at provisioning: found or created by e-mail, put on the board, invited.

Also used by `district_site.principals` (replacing a principal). Split out of
`district_site.provisioning`, which re-exports these names.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from district_site.invitations import send_invitation
from district_site.models import School
from district_site.provisioning_specs import ProvisioningError, SchoolSpec
from district_site.selectors import is_district_admin
from home.text import split_full_name
from school_site.people import unique_username, username_base


def check_same_principal(school: School, spec: SchoolSpec) -> None:
    """Asked again for an existing school, a different principal is a conflict, not a no-op.

    Silently ignoring it would leave the district admin believing someone was invited.
    """
    if not spec.principal_email:
        return
    current = school.principal
    if current is not None and current.email.lower() == spec.principal_email.lower():
        return
    raise ProvisioningError(
        f"Trường “{school.name}” đã có"
        + (
            f" hiệu trưởng ({current.email})"
            if current is not None
            else " nhưng chưa có hiệu trưởng"
        )
        + "; thay hoặc mời hiệu trưởng trong màn hình Trường học."
    )


def existing_principal_user(email: str):
    """The one active account using `email`, None if there is none; raise if it cannot be used."""
    users = list(get_user_model().objects.filter(email__iexact=email).order_by("pk")[:2])
    if not users:
        return None
    if len(users) > 1:
        raise ProvisioningError(
            f"Có nhiều tài khoản dùng email “{email}”; hãy để mỗi email một tài khoản trước."
        )
    user = users[0]
    if not user.is_active:
        raise ProvisioningError(f"Tài khoản dùng email “{email}” đang bị khoá.")
    # A superuser or district admin as a school's principal would mix district and school
    # powers in one account (and the principal's screens refuse to manage such accounts).
    if user.is_superuser or user.is_staff or is_district_admin(user):
        raise ProvisioningError(
            f"Email “{email}” là tài khoản quản trị của Phòng; hiệu trưởng cần tài khoản riêng."
        )
    return user


def make_principal(board_group_id: int, *, full_name: str, email: str):
    """Create (or reuse, by e-mail) the principal's account and put it on the school's board."""
    user = existing_principal_user(email)
    if user is None:
        first_name, last_name = split_full_name(full_name)
        user = get_user_model()(
            username=unique_username(username_base(email)),
            email=email,
            first_name=first_name[:150],
            last_name=last_name[:150],
            is_active=True,
        )
        # Nobody knows a password for this account until the principal sets one by the link.
        user.set_unusable_password()
        user.save()
    user.groups.add(board_group_id)
    return user


def invite_principal(*, school: School) -> None:
    """E-mail the school's principal a set-password link (after the transaction commits)."""
    if school.principal is None or not school.principal.email:
        raise ProvisioningError(f"Trường “{school.name}” chưa có hiệu trưởng có email.")
    send_invitation(
        user=school.principal,
        school_name=school.name,
        base_url=school.site.root_url,
        role="Hiệu trưởng",
    )
