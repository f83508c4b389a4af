"""Invitations: a one-time link by which a person sets their own password.

Nobody but the person sets their password: provisioning (for a school's principal) and the
principal's people screens (for everyone else) only call `send_invitation`, which e-mails a
link built with Django's password-reset token machinery:

- the link expires after `PASSWORD_RESET_TIMEOUT` seconds (the token carries its timestamp);
- it works once, because the token is a hash over the user's password hash, which setting the
  password changes (likewise, a newer password or a login makes older links useless).

The mail goes out on commit (`transaction.on_commit`), so a provisioning or import that rolls
back invites nobody. `deliver_invitation` is the one place that sends: it queues the mail as a
background task (`home.tasks.send_mail_task`), retried and listed for district admins if it fails.

This module imports only Django and `home` so that every layer above (school_site, the
provisioning) may use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from home.tasks import send_mail_task
from home.text import display_name

URL_NAME = "invitation_set_password"

KIND_INVITE = "invite"
KIND_RESET = "reset"

token_generator = PasswordResetTokenGenerator()


@dataclass(frozen=True)
class Invitation:
    to: str
    subject: str
    body: str
    link: str


def invitation_link(*, user, base_url: str, generator: PasswordResetTokenGenerator | None = None):
    """Absolute set-password link for `user` on the site at `base_url` ("https://host[:port]")."""
    generator = generator or token_generator
    path = reverse(
        URL_NAME,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


def build_invitation(*, user, school_name: str, base_url: str, role: str, kind: str) -> Invitation:
    """The Vietnamese e-mail: who invites whom to what, the link, how long it stays valid."""
    link = invitation_link(user=user, base_url=base_url)
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    validity = f"{hours // 24} ngày" if hours >= 24 and hours % 24 == 0 else f"{hours} giờ"
    greeting = f"Kính gửi {display_name(user)},"
    if kind == KIND_RESET:
        subject = f"Đặt lại mật khẩu – {school_name}"
        lead = (
            f"Có yêu cầu đặt lại mật khẩu cho tài khoản của anh/chị trên trang web {school_name}."
        )
    else:
        subject = f"Mời tham gia trang web {school_name}"
        lead = f"Anh/chị được mời tham gia trang web {school_name} với vai trò {role}."
    body = "\n".join(
        [
            greeting,
            "",
            lead,
            f"Tên đăng nhập: {user.get_username()}",
            "",
            "Để tự đặt mật khẩu, mở liên kết sau:",
            link,
            "",
            f"Liên kết chỉ dùng được một lần và hết hạn sau {validity}. Khi hết hạn, hãy nhờ "
            "người quản lý gửi lại lời mời.",
            f"Sau khi đặt mật khẩu, đăng nhập tại {base_url.rstrip('/')}/admin/.",
            "",
            "Nếu anh/chị không chờ thư này, hãy bỏ qua; tài khoản không thay đổi gì.",
        ]
    )
    return Invitation(to=user.email, subject=subject, body=body, link=link)


def deliver_invitation(invitation: Invitation) -> None:
    """Queue one invitation for the background worker (at once in dev and tests)."""
    send_mail_task.enqueue(
        subject=invitation.subject,
        message=invitation.body,
        recipient_list=[invitation.to],
        from_email=settings.DEFAULT_FROM_EMAIL,
    )


def send_invitation(
    *, user, school_name: str, base_url: str, role: str = "", kind: str = KIND_INVITE
) -> None:
    """E-mail `user` a set-password link once the current transaction commits.

    The link is built at commit time too: the token hashes the user's password hash and last
    login, so it must see the row as committed.
    """
    if not user.email:
        raise ValueError("An invitation needs an e-mail address.")

    def _send():
        deliver_invitation(
            build_invitation(
                user=user, school_name=school_name, base_url=base_url, role=role, kind=kind
            )
        )

    transaction.on_commit(_send)


# --- the public page behind the link ------------------------------------------------------

STATE_OK = "ok"
STATE_EXPIRED = "expired"
STATE_INVALID = "invalid"


def check_link(*, uidb64: str, token: str, generator: PasswordResetTokenGenerator | None = None):
    """(user, state): state says whether the link is good, expired, or used/invalid.

    Django's `check_token` answers only yes or no. To tell "expired" from "already used" we
    read the timestamp the token carries and recompute the token at that timestamp: if it
    matches, the link was genuine and unused, only too old.
    """
    generator = generator or token_generator
    User = get_user_model()
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = User._default_manager.get(pk=pk, is_active=True)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None, STATE_INVALID
    if generator.check_token(user, token):
        return user, STATE_OK
    try:
        ts_b36, _hash = token.split("-")
        ts = base36_to_int(ts_b36)
    except ValueError:
        return None, STATE_INVALID
    genuine = any(
        constant_time_compare(generator._make_token_with_timestamp(user, ts, secret), token)
        for secret in [generator.secret, *generator.secret_fallbacks]
    )
    return (None, STATE_EXPIRED) if genuine else (None, STATE_INVALID)


class InvitationPasswordForm(SetPasswordForm):
    """Django's set-password form (password validators included) with Vietnamese labels."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Mật khẩu mới"
        self.fields["new_password2"].label = "Nhập lại mật khẩu mới"
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": "Hai mật khẩu không khớp nhau.",
        }


@sensitive_post_parameters()
@csrf_protect
@never_cache
def set_password_view(request, uidb64: str, token: str):
    """Public page (any served host, not under /admin/): set your own password once."""
    user, state = check_link(uidb64=uidb64, token=token)
    template = "accounts/set_password.html"
    if state != STATE_OK:
        return render(request, template, {"state": state}, status=400)
    if request.method == "POST":
        form = InvitationPasswordForm(user, request.POST)
        if form.is_valid():
            # Saving changes the password hash, so this link (and every older one) stops working.
            form.save()
            return render(request, template, {"state": "done", "username": user.get_username()})
    else:
        form = InvitationPasswordForm(user)
    return render(
        request,
        template,
        {"state": STATE_OK, "form": form, "username": user.get_username(), "person": user},
    )
