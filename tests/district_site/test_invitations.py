"""Provisioning creates the school's principal and invites them by e-mail (issue 11).

Every path (admin form, command, CSV) goes through `provision_school`; the invitation leaves on
commit, and its link sets the password once, then is refused; an expired link says so.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from district_site.factories import UserFactory
from district_site.invitations import STATE_EXPIRED, STATE_INVALID, check_link
from district_site.models import DISTRICT_ADMINS_GROUP, School
from district_site.provisioning import ProvisioningError, provision_school
from district_site.school_csv import provision_from_csv

pytestmark = pytest.mark.django_db

User = get_user_model()
BASE = "/admin/district_site/school/"
LINK_RE = re.compile(r"(http://[^\s]+/tai-khoan/dat-mat-khau/[^\s]+/)")


@pytest.fixture
def admin_client(client, db):
    user = UserFactory(username="pgd_admin")
    user.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    client.force_login(user)
    return client


def invitation_link(message) -> str:
    match = LINK_RE.search(message.body)
    assert match, message.body
    return match.group(1)


def assert_principal(school: School, email: str, *, first: str, last: str):
    school.refresh_from_db()
    principal = school.principal
    assert principal is not None
    assert principal.email == email
    assert (principal.first_name, principal.last_name) == (first, last)
    assert principal.groups.filter(pk=school.board_group_id).exists()
    assert not principal.has_usable_password()  # only the principal will set it


def test_admin_form_creates_the_preschool_with_its_principal_and_invites_them(
    admin_client, two_schools, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            BASE + "create/",
            {
                "name": "Trường Mầm non Hoa Sen",
                "kind": "preschool",
                "hostname": "mn-hoasen.localhost",
                "principal_name": "Nguyễn Thị Mai",
                "principal_email": "mai@example.vn",
            },
            HTTP_HOST="localhost",
        )
    assert response.status_code == 302
    school = School.objects.get(name="Trường Mầm non Hoa Sen")
    assert_principal(school, "mai@example.vn", first="Mai", last="Nguyễn Thị")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mai@example.vn"]
    assert message.subject == "Mời tham gia trang web Trường Mầm non Hoa Sen"
    assert "Kính gửi Nguyễn Thị Mai," in message.body
    assert "Hiệu trưởng" in message.body
    assert invitation_link(message).startswith("http://mn-hoasen.localhost/")
    # The other schools got no principal and no mail.
    assert all(s.principal_id is None for s in School.objects.exclude(pk=school.pk))


def test_the_form_requires_the_principal(admin_client, school_a):
    response = admin_client.post(
        BASE + "create/",
        {"name": "Trường Mới", "kind": "primary", "hostname": "moi.localhost"},
        HTTP_HOST="localhost",
    )
    assert response.status_code == 200
    assert {"principal_name", "principal_email"} <= set(response.context["form"].errors)
    assert not School.objects.filter(name="Trường Mới").exists()


def test_command_creates_the_principal_and_invites_them(
    two_schools, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "provision_school",
            "--name=Trường Mầm non Sen Hồng",
            "--kind=preschool",
            "--hostname=mn-senhong.localhost",
            "--principal-name=Trần Văn Hiếu",
            "--principal-email=hieu@example.vn",
        )
    school = School.objects.get(name="Trường Mầm non Sen Hồng")
    assert_principal(school, "hieu@example.vn", first="Hiếu", last="Trần Văn")
    assert [m.to for m in mail.outbox] == [["hieu@example.vn"]]


def test_command_with_a_bad_email_creates_nothing(school_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommandError) as exc:
        call_command(
            "provision_school",
            "--name=Trường X",
            "--kind=preschool",
            "--hostname=x.localhost",
            "--principal-name=Lê Văn A",
            "--principal-email=not-an-email",
        )
    assert "Email hiệu trưởng “not-an-email” không hợp lệ." in str(exc.value)
    assert not School.objects.filter(name="Trường X").exists()
    assert not User.objects.filter(email="not-an-email").exists()
    assert mail.outbox == []


def test_csv_creates_each_principal_in_vietnamese_columns(
    two_schools, django_capture_on_commit_callbacks
):
    text = (
        "name,kind,hostname,hieu_truong,email_hieu_truong\n"
        "Trường Mầm non Một,preschool,mn-mot.localhost,Phạm Thị Lan,lan@example.vn\n"
        "Trường Tiểu học Hai,primary,th-hai.localhost,Võ Minh Tuấn,tuan@example.vn\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        validation, results = provision_from_csv(text)
    assert validation.errors == []
    assert [r.created for r in results] == [True, True]
    assert_principal(results[0].school, "lan@example.vn", first="Lan", last="Phạm Thị")
    assert_principal(results[1].school, "tuan@example.vn", first="Tuấn", last="Võ Minh")
    assert sorted(m.to[0] for m in mail.outbox) == ["lan@example.vn", "tuan@example.vn"]


def test_csv_with_a_bad_principal_row_creates_nothing_and_sends_nothing(
    school_a, django_capture_on_commit_callbacks
):
    text = (
        "name,kind,hostname,hieu_truong,email_hieu_truong\n"
        "Trường Mầm non Một,preschool,mn-mot.localhost,Phạm Thị Lan,lan@example.vn\n"
        "Trường Tiểu học Hai,primary,th-hai.localhost,Võ Minh Tuấn,\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        validation, results = provision_from_csv(text)
    assert [(e.line, e.message) for e in validation.errors] == [(3, "Thiếu email của hiệu trưởng.")]
    assert results == []
    assert not School.objects.filter(name="Trường Mầm non Một").exists()
    assert not User.objects.filter(email="lan@example.vn").exists()
    assert mail.outbox == []


def test_asking_again_changes_nothing_and_invites_nobody(
    school_a, django_capture_on_commit_callbacks
):
    args = dict(
        name="Trường Mầm non Hoa Sen",
        kind="preschool",
        hostname="mn-hoasen.localhost",
        principal_name="Nguyễn Thị Mai",
        principal_email="mai@example.vn",
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = provision_school(**args)
    users = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        again = provision_school(**args)
    assert first.created and not again.created
    assert again.school == first.school
    assert User.objects.count() == users
    assert len(mail.outbox) == 1
    # A different principal for an existing school is a conflict, not a silent no-op.
    with pytest.raises(ProvisioningError, match="đã có hiệu trưởng"):
        provision_school(**{**args, "principal_email": "khac@example.vn"})


def test_an_existing_account_with_that_email_becomes_the_principal(
    school_a, django_capture_on_commit_callbacks
):
    teacher = UserFactory(username="mai", email="Mai@Example.vn")
    teacher.groups.add(school_a.editors_group)
    with django_capture_on_commit_callbacks(execute=True):
        result = provision_school(
            name="Trường Mầm non Hoa Sen",
            kind="preschool",
            hostname="mn-hoasen.localhost",
            principal_name="Nguyễn Thị Mai",
            principal_email="mai@example.vn",
        )
    assert result.school.principal == teacher
    assert teacher.groups.filter(pk=result.school.board_group_id).exists()
    assert teacher.groups.filter(pk=school_a.editors_group_id).exists()  # kept
    teacher.refresh_from_db()
    assert teacher.has_usable_password()  # their own password is kept; the link is optional
    assert len(mail.outbox) == 1


def test_a_district_admin_account_cannot_be_made_principal(school_a):
    admin = UserFactory(username="pgd", email="pgd@example.vn")
    admin.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    with pytest.raises(ProvisioningError, match="tài khoản quản trị của Phòng"):
        provision_school(
            name="Trường Y",
            kind="primary",
            hostname="y.localhost",
            principal_name="Lê Y",
            principal_email="pgd@example.vn",
        )
    assert not School.objects.filter(name="Trường Y").exists()


# --- the link --------------------------------------------------------------------------------


@pytest.fixture
def invited(school_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = provision_school(
            name="Trường Mầm non Hoa Sen",
            kind="preschool",
            hostname="mn-hoasen.localhost",
            principal_name="Nguyễn Thị Mai",
            principal_email="mai@example.vn",
        )
    return result.school, invitation_link(mail.outbox[-1])


def test_the_link_sets_the_password_once(client, invited):
    school, link = invited
    path = link.removeprefix("http://mn-hoasen.localhost")
    page = client.get(path, HTTP_HOST="mn-hoasen.localhost")
    assert page.status_code == 200
    assert "Đặt mật khẩu" in page.content.decode()
    assert school.principal.get_username() in page.content.decode()

    mismatch = client.post(
        path,
        {"new_password1": "Hoa-sen-2026!", "new_password2": "khac-han-2026"},
        HTTP_HOST="mn-hoasen.localhost",
    )
    assert "Hai mật khẩu không khớp nhau." in mismatch.content.decode()

    done = client.post(
        path,
        {"new_password1": "Hoa-sen-2026!", "new_password2": "Hoa-sen-2026!"},
        HTTP_HOST="mn-hoasen.localhost",
    )
    assert done.status_code == 200
    assert "Đã lưu mật khẩu" in done.content.decode()
    principal = User.objects.get(pk=school.principal_id)
    assert principal.check_password("Hoa-sen-2026!")
    assert client.login(username=principal.get_username(), password="Hoa-sen-2026!")
    client.logout()

    # Second use: refused, password unchanged.
    again = client.post(
        path,
        {"new_password1": "Ke-gian-2026!", "new_password2": "Ke-gian-2026!"},
        HTTP_HOST="mn-hoasen.localhost",
    )
    assert again.status_code == 400
    assert "không hợp lệ hoặc đã được dùng" in again.content.decode()
    principal.refresh_from_db()
    assert principal.check_password("Hoa-sen-2026!")


class DaysAgoTokenGenerator(PasswordResetTokenGenerator):
    """Django's own tests do the same: a generator whose clock is set back, not a mock."""

    def __init__(self, seconds_ago: int):
        super().__init__()
        self.seconds_ago = seconds_ago

    def _now(self):
        from datetime import datetime, timedelta

        return datetime.now() - timedelta(seconds=self.seconds_ago)


def test_an_expired_link_is_refused_with_the_vietnamese_message(client, invited, settings):
    school, _link = invited
    principal = school.principal
    old = DaysAgoTokenGenerator(settings.PASSWORD_RESET_TIMEOUT + 60).make_token(principal)
    uidb64 = urlsafe_base64_encode(force_bytes(principal.pk))
    assert check_link(uidb64=uidb64, token=old) == (None, STATE_EXPIRED)
    path = reverse("invitation_set_password", kwargs={"uidb64": uidb64, "token": old})
    response = client.post(
        path,
        {"new_password1": "Hoa-sen-2026!", "new_password2": "Hoa-sen-2026!"},
        HTTP_HOST="mn-hoasen.localhost",
    )
    assert response.status_code == 400
    assert "Liên kết này đã hết hạn." in response.content.decode()
    principal.refresh_from_db()
    assert not principal.has_usable_password()
    # A forged token is "invalid", never "expired".
    forged = f"{old.split('-')[0]}-{'0' * 32}"
    assert check_link(uidb64=uidb64, token=forged) == (None, STATE_INVALID)


def test_a_district_admin_reinvites_the_principal_from_the_school_screen(
    admin_client, invited, django_capture_on_commit_callbacks
):
    school, _link = invited
    index = admin_client.get(BASE, HTTP_HOST="localhost")
    invite_url = f"{BASE}invite/{school.pk}/"
    assert invite_url in index.content.decode()
    assert reverse("district_site_school_modeladmin_invite", args=[school.pk]) == invite_url
    confirm = admin_client.get(invite_url, HTTP_HOST="localhost")
    assert confirm.status_code == 200
    assert "mai@example.vn" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(invite_url, HTTP_HOST="localhost")
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert mail.outbox[-1].to == ["mai@example.vn"]


def test_a_school_board_member_cannot_reinvite(client, invited, school_a):
    school, _link = invited
    client.force_login(school.principal)
    mail.outbox.clear()
    response = client.post(f"{BASE}invite/{school.pk}/", HTTP_HOST="localhost")
    assert response.status_code in (302, 403)
    assert mail.outbox == []
