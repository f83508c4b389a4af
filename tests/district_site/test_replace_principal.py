"""Replacing a school's principal (district_site/principals.py, principal_views.py): from the
school's people or by inviting someone new; the old principal leaves the board (unless kept)
but stays in the school with their authorship; one transaction; logged; two schools."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from district_site.factories import UserFactory, make_member
from district_site.models import DISTRICT_ADMINS_GROUP, School
from district_site.principals import LOG_ACTION, replace_principal
from district_site.provisioning import ProvisioningError
from school_site.models import NewsPage
from tests.school_site.test_review_workflow import draft_news

pytestmark = pytest.mark.django_db

HOST = "localhost"


@pytest.fixture
def district_admin(db):
    user = UserFactory(username="pgd_admin")
    user.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    return user


@pytest.fixture
def principals(school_a, school_b):
    result = {}
    for school, name in ((school_a, "ht_a"), (school_b, "ht_b")):
        user = make_member(school, name, board=True, first_name="Lan", last_name="Trần Thị")
        school.principal = user
        school.save(update_fields=["principal"])
        result[school.pk] = user
    return result


def url(school: School) -> str:
    return reverse("district_site_school_modeladmin_principal", args=[school.pk])


def on_board(user, school: School) -> bool:
    return user.groups.filter(pk=school.board_group_id).exists()


def test_a_teacher_of_the_school_becomes_principal_from_the_screen(
    client, district_admin, principals, school_a, school_b, django_capture_on_commit_callbacks
):
    old = principals[school_a.pk]
    post = draft_news(school_a, old)
    teacher = make_member(school_a, "gv_a", first_name="Hùng", last_name="Lê Văn")
    teacher_b = make_member(school_b, "gv_b", first_name="Bình", last_name="Phạm")
    client.force_login(district_admin)
    form = client.get(url(school_a), HTTP_HOST=HOST)
    html = form.content.decode()
    assert "Lê Văn Hùng (gv_a)" in html and "gv_b" not in html and "Trần Thị Lan (ht_a)" not in html
    # School B's teacher is not a choice for school A.
    refused = client.post(url(school_a), {"member": teacher_b.pk}, HTTP_HOST=HOST)
    assert refused.status_code == 200 and "member" in refused.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(school_a), {"member": teacher.pk}, HTTP_HOST=HOST)
    assert response.status_code == 302
    school_a.refresh_from_db()
    school_b.refresh_from_db()
    assert school_a.principal == teacher and on_board(teacher, school_a)
    assert not on_board(old, school_a)
    assert old.groups.filter(pk=school_a.editors_group_id).exists()  # still of the school
    assert NewsPage.objects.get(pk=post.pk).author == old  # authorship kept
    assert school_b.principal == principals[school_b.pk]  # the other school untouched
    assert [m.to for m in mail.outbox] == [[teacher.email]]
    entry = ModelLogEntry.objects.get(action=LOG_ACTION)
    assert entry.user == district_admin and entry.data["old"] == old.pk
    assert entry.object_id == str(school_a.pk)


def test_invite_someone_new_and_keep_the_old_one_on_the_board(
    district_admin, principals, school_a, django_capture_on_commit_callbacks
):
    old = principals[school_a.pk]
    with django_capture_on_commit_callbacks(execute=True):
        change = replace_principal(
            school=school_a,
            by_user=district_admin,
            full_name="Nguyễn Thị Mai",
            email="mai@example.vn",
            keep_old_on_board=True,
        )
    new = change.new
    assert (new.first_name, new.last_name) == ("Mai", "Nguyễn Thị")
    assert not new.has_usable_password() and on_board(new, school_a)
    assert on_board(old, school_a)
    assert "Nguyễn Thị Mai là hiệu trưởng mới" in change.message
    assert [m.to for m in mail.outbox] == [["mai@example.vn"]]


def test_bad_requests_change_nothing(district_admin, principals, school_a, school_b):
    old = principals[school_a.pk]
    cases = [
        ({"member": principals[school_b.pk]}, "không phải người dùng của trường"),
        ({"member": old}, "không phải người dùng của trường"),  # already the principal
        ({"full_name": "Nguyễn Mai", "email": "sai"}, "không hợp lệ"),
        ({}, "Chọn một người"),
    ]
    for kwargs, error in cases:
        with pytest.raises(ProvisioningError, match=error):
            replace_principal(school=school_a, by_user=district_admin, **kwargs)
    with pytest.raises(ProvisioningError, match="Chỉ Phòng GD&ĐT"):
        replace_principal(school=school_a, by_user=principals[school_b.pk], member=old)
    school_a.refresh_from_db()
    assert school_a.principal == old and on_board(old, school_a)
    assert not ModelLogEntry.objects.filter(action=LOG_ACTION).exists()
    assert mail.outbox == []


def test_school_users_cannot_open_the_screen(client, principals, school_a):
    client.force_login(principals[school_a.pk])
    response = client.get(url(school_a), HTTP_HOST=HOST)
    assert response.status_code in (302, 403)
    assert "Thay hiệu trưởng" not in response.content.decode()


# --- the school edit form routes a new principal through the same flow ----------------------


def edit_url(school: School) -> str:
    return reverse("district_site_school_modeladmin_edit", args=[school.pk])


def edit_data(school: School, principal, **extra) -> dict:
    return {
        "name": school.name,
        "short_code": school.short_code,
        "address": school.address,
        "principal": principal.pk,
        **extra,
    }


def test_a_new_principal_from_the_edit_form_is_a_replacement(
    client, district_admin, principals, school_a, school_b, django_capture_on_commit_callbacks
):
    old, old_b = principals[school_a.pk], principals[school_b.pk]
    deputy = make_member(school_a, "pht_a", board=True, first_name="Hùng", last_name="Lê Văn")
    client.force_login(district_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit_url(school_a), edit_data(school_a, deputy, address="2 Lê Lợi"), HTTP_HOST=HOST
        )
    assert response.status_code == 302
    school_a.refresh_from_db()
    school_b.refresh_from_db()
    assert (school_a.principal, school_a.address) == (deputy, "2 Lê Lợi")
    # The replace flow's effects: the old principal leaves the board but stays in the school,
    # the change is logged, the new principal is e-mailed.
    assert not on_board(old, school_a)
    assert old.groups.filter(pk=school_a.editors_group_id).exists()
    entry = ModelLogEntry.objects.get(action=LOG_ACTION)
    assert (entry.object_id, entry.user, entry.data["old"], entry.data["new"]) == (
        str(school_a.pk),
        district_admin,
        old.pk,
        deputy.pk,
    )
    assert [m.to for m in mail.outbox] == [[deputy.email]]
    # School B is untouched.
    assert school_b.principal == old_b and on_board(old_b, school_b)

    # Saving again without changing the principal is not a replacement (no log, no e-mail);
    # ticking "keep on board" while choosing someone else keeps the former one on the board.
    response = client.post(edit_url(school_a), edit_data(school_a, deputy), HTTP_HOST=HOST)
    assert response.status_code == 302
    assert ModelLogEntry.objects.filter(action=LOG_ACTION).count() == 1
    assert len(mail.outbox) == 1
    new = make_member(school_a, "ht_moi", board=True)
    response = client.post(
        edit_url(school_a), edit_data(school_a, new, keep_old_on_board="on"), HTTP_HOST=HOST
    )
    assert response.status_code == 302
    school_a.refresh_from_db()
    assert school_a.principal == new and on_board(deputy, school_a)


def test_a_refused_principal_from_the_edit_form_saves_nothing(
    client, district_admin, principals, school_a, school_b
):
    old, name = principals[school_a.pk], school_a.name
    # On the board, hence offered by the form, but a district account: the replace flow
    # refuses it, and the rename in the same request must not be saved either.
    staff = make_member(school_a, "staff_a", board=True, is_staff=True)
    client.force_login(district_admin)
    response = client.post(
        edit_url(school_a), edit_data(school_a, staff, name="Tên mới"), HTTP_HOST=HOST
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["principal"]
    assert "không phải người dùng của trường" in str(errors)
    # Emptying the field is refused too: a replacement always names a successor.
    response = client.post(
        edit_url(school_a), {**edit_data(school_a, old), "principal": ""}, HTTP_HOST=HOST
    )
    assert response.status_code == 200 and "principal" in response.context["form"].errors
    school_a.refresh_from_db()
    assert (school_a.name, school_a.principal) == (name, old) and on_board(old, school_a)
    assert school_b.principal == principals[school_b.pk]
    assert not ModelLogEntry.objects.filter(action=LOG_ACTION).exists()
    assert mail.outbox == []
