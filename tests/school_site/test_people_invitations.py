"""Invitations instead of passwords in the principal's people screens (issue 11).

The principal adds one person (or a CSV of them) and each new person is e-mailed a link to set
their own password; "resend invitation" / "send a reset link" replace "set password". A
principal of school A can invite, re-invite or reset nobody of school B. Two schools in every
test; mail is Django's locmem outbox, sent on commit.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from district_site.factories import make_member
from district_site.models import School
from district_site.provisioning import provision_school
from school_site import people
from school_site.models import ContributorGroup, StaffProfile

pytestmark = pytest.mark.django_db

User = get_user_model()
HOST = "localhost"
LINK_RE = re.compile(r"http://[^\s/]+(/tai-khoan/dat-mat-khau/[^\s]+/)")


def url(name: str, *args) -> str:
    return reverse(f"school_people:{name}", args=args)


def make_principal(school: School, username: str):
    user = make_member(school, username, board=True)
    school.principal = user
    school.save(update_fields=["principal"])
    return user


@pytest.fixture
def principal_a(school_a):
    return make_principal(school_a, "hieutruong_a")


@pytest.fixture
def principal_b(school_b):
    return make_principal(school_b, "hieutruong_b")


def link_path(message) -> str:
    match = LINK_RE.search(message.body)
    assert match, message.body
    return match.group(1)


def test_principal_adds_a_teacher_who_is_invited_and_sets_their_password(
    client, principal_a, principal_b, school_a, school_b, django_capture_on_commit_callbacks
):
    toan = ContributorGroup.objects.create(school=school_a, name="Tổ Toán")
    client.force_login(principal_a)
    page = client.get(url("add", school_a.pk), HTTP_HOST=HOST)
    assert page.status_code == 200
    assert "Họ và tên" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("add", school_a.pk),
            {
                "full_name": "Nguyễn Thị Mai",
                "email": "mai@truong-a.edu.vn",
                "position": "Giáo viên",
                "contributor_groups": [toan.pk],
            },
            HTTP_HOST=HOST,
        )
    assert response.status_code == 302
    mai = User.objects.get(email="mai@truong-a.edu.vn")
    assert (mai.last_name, mai.first_name, mai.username) == ("Nguyễn Thị", "Mai", "mai")
    assert not mai.has_usable_password()
    assert mai.groups.filter(pk=school_a.editors_group_id).exists()
    assert not mai.groups.filter(pk=school_a.board_group_id).exists()
    assert list(mai.contributor_groups.all()) == [toan]
    assert StaffProfile.objects.get(user=mai, school=school_a).position == "Giáo viên"
    assert [m.to for m in mail.outbox] == [["mai@truong-a.edu.vn"]]
    message = mail.outbox[0]
    assert "Kính gửi Nguyễn Thị Mai," in message.body
    assert "Giáo viên, nhân viên của Trường Tiểu học A" in message.body

    # The teacher, logged out, opens the link on the school's host and sets a password.
    client.logout()
    path = link_path(message)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            path,
            {"new_password1": "Hoa-phuong-2026!", "new_password2": "Hoa-phuong-2026!"},
            HTTP_HOST="th-a.localhost",
        )
    assert "Đã lưu mật khẩu" in done.content.decode()
    assert client.login(username="mai", password="Hoa-phuong-2026!")


def test_adding_with_a_taken_email_or_a_foreign_group_creates_nothing(
    client, principal_a, principal_b, school_a, school_b, django_capture_on_commit_callbacks
):
    van_b = ContributorGroup.objects.create(school=school_b, name="Tổ Văn")
    make_member(school_b, "gv_b", email="gv@truong-b.edu.vn")
    users = User.objects.count()
    client.force_login(principal_a)
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(
            url("add", school_a.pk),
            {"full_name": "Lê Văn B", "email": "GV@truong-b.edu.vn"},
            HTTP_HOST=HOST,
        )
        foreign = client.post(
            url("add", school_a.pk),
            {
                "full_name": "Lê Văn C",
                "email": "c@truong-a.edu.vn",
                "contributor_groups": [van_b.pk],
            },
            HTTP_HOST=HOST,
        )
    assert taken.status_code == 200
    assert "Email “GV@truong-b.edu.vn” đã có tài khoản" in taken.content.decode()
    assert foreign.status_code == 200
    assert "contributor_groups" in foreign.context["form"].errors
    assert User.objects.count() == users
    assert mail.outbox == []


def test_csv_import_invites_each_new_person_only(
    client, principal_a, principal_b, school_a, school_b, django_capture_on_commit_callbacks
):
    make_member(school_a, "cu", email="cu@truong-a.edu.vn")
    text = (
        "ho_ten,email,chuc_vu,to_chuc\n"
        "Trần Văn Hiếu,hieu@truong-a.edu.vn,Giáo viên,\n"
        "Người Cũ,cu@truong-a.edu.vn,Bảo vệ,\n"
    )
    client.force_login(principal_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("import", school_a.pk), {"csv_text": text}, HTTP_HOST=HOST)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["hieu@truong-a.edu.vn"]]
    hieu = User.objects.get(email="hieu@truong-a.edu.vn")
    assert (hieu.last_name, hieu.first_name) == ("Trần Văn", "Hiếu")


def test_resend_invitation_then_reset_link(
    client, principal_a, principal_b, school_a, school_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mai = people.add_person(
            school=school_a, by_user=principal_a, full_name="Nguyễn Thị Mai", email="mai@a.vn"
        )
    client.force_login(principal_a)
    assert (
        "Gửi lại thư mời"
        in client.get(url("edit", school_a.pk, mai.pk), HTTP_HOST=HOST).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("invite", school_a.pk, mai.pk), HTTP_HOST=HOST)
    assert len(mail.outbox) == 2
    assert mail.outbox[-1].subject == "Mời tham gia trang web Trường Tiểu học A"

    mai.set_password("Mat-khau-cua-Mai-1")
    mai.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("invite", school_a.pk, mai.pk), HTTP_HOST=HOST)
    assert response.status_code == 302
    assert len(mail.outbox) == 3
    assert mail.outbox[-1].subject == "Đặt lại mật khẩu – Trường Tiểu học A"
    # Sending a link never changes the password: only the person can.
    mai.refresh_from_db()
    assert mai.check_password("Mat-khau-cua-Mai-1")


def test_a_principal_of_school_a_cannot_invite_or_reset_anyone_of_school_b(
    client, principal_a, principal_b, school_a, school_b, django_capture_on_commit_callbacks
):
    teacher_b = make_member(school_b, "gv_b", email="gv@truong-b.edu.vn")
    client.force_login(principal_a)
    with django_capture_on_commit_callbacks(execute=True):
        for school in (school_a, school_b):
            for person in (teacher_b, principal_b):
                address = url("invite", school.pk, person.pk)
                assert client.get(address, HTTP_HOST=HOST).status_code == 404
                assert client.post(address, HTTP_HOST=HOST).status_code == 404
        assert (
            client.post(
                url("add", school_b.pk), {"full_name": "X Y", "email": "x@b.vn"}, HTTP_HOST=HOST
            ).status_code
            == 404
        )
        # The services refuse too, whatever a view forgets.
        with pytest.raises(people.PeopleError):
            people.invite_person(school=school_a, user=teacher_b, by_user=principal_a)
        with pytest.raises(people.PeopleError):
            people.invite_person(school=school_b, user=teacher_b, by_user=principal_a)
        with pytest.raises(people.PeopleError):
            people.add_person(school=school_b, by_user=principal_a, full_name="X Y", email="x@b.vn")
    assert mail.outbox == []
    assert not User.objects.filter(email="x@b.vn").exists()


def test_provisioned_principal_adds_a_teacher_end_to_end(
    client, two_schools, django_capture_on_commit_callbacks
):
    """The whole path of issue 11: provision with a principal, set the password, invite."""
    with django_capture_on_commit_callbacks(execute=True):
        school = provision_school(
            name="Trường Mầm non Hoa Sen",
            kind="preschool",
            hostname="mn-hoasen.localhost",
            principal_name="Nguyễn Thị Mai",
            principal_email="mai@hoasen.vn",
        ).school
    path = link_path(mail.outbox[0])
    client.post(
        path,
        {"new_password1": "Hoa-sen-2026!", "new_password2": "Hoa-sen-2026!"},
        HTTP_HOST="mn-hoasen.localhost",
    )
    assert client.login(username="mai", password="Hoa-sen-2026!")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("add", school.pk),
            {"full_name": "Lê Thị Hồng", "email": "hong@hoasen.vn"},
            HTTP_HOST="localhost",
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["mai@hoasen.vn"], ["hong@hoasen.vn"]]
    assert "http://mn-hoasen.localhost/tai-khoan/dat-mat-khau/" in mail.outbox[1].body
