"""The honour-board opt-out in a person's own account settings (scoring/account_panel.py): a
school's person sets it for themselves at their schools, never for anyone else, and the
district's own accounts (no school) do not see it. Two schools in every test."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from district_site.factories import UserFactory, make_member
from district_site.models import DISTRICT_ADMINS_GROUP
from school_site.models import StaffProfile

pytestmark = pytest.mark.django_db

HOST = "localhost"
FIELD = "honour_board-hide_on_honour_board"


def account_form_data(client) -> dict:
    """What the account screen's forms would post as they are shown (every panel's form is
    bound on POST and must validate), as a browser submits it."""
    response = client.get(reverse("wagtailadmin_account"), HTTP_HOST=HOST)
    assert response.status_code == 200
    data = {}
    for panels in response.context["panels_by_tab"].values():
        for panel in panels:
            for field in panel.get_form():
                value = field.value()
                if isinstance(value, FieldFile):
                    continue  # no new avatar: a browser posts no file
                if value is True:
                    data[field.html_name] = "on"
                elif value not in (None, False):
                    data[field.html_name] = value
    return data


def save_account(client, *, hide: bool):
    data = account_form_data(client)
    data.pop(FIELD, None)
    if hide:
        data[FIELD] = "on"
    response = client.post(reverse("wagtailadmin_account"), data, HTTP_HOST=HOST)
    assert response.status_code == 302, response.context and [
        f.errors for p in response.context["panels_by_tab"].values() for f in p
    ]


def opt_outs(user) -> dict:
    return dict(
        StaffProfile.objects.filter(user=user).values_list("school_id", "hide_on_honour_board")
    )


def test_a_person_sets_their_own_opt_out_and_nobody_elses(client, school_a, school_b):
    teacher = make_member(school_a, "gv_a", first_name="Hoa", last_name="Nguyễn Thị")
    colleague = make_member(school_a, "gv_a2")
    other = make_member(school_b, "gv_b")
    StaffProfile.objects.create(user=teacher, school=school_a, position="Giáo viên")
    StaffProfile.objects.create(user=other, school=school_b, hide_on_honour_board=True)
    client.force_login(teacher)
    html = client.get(reverse("wagtailadmin_account"), HTTP_HOST=HOST).content.decode()
    assert "Không hiện tên trên bảng vinh danh" in html

    save_account(client, hide=True)
    assert opt_outs(teacher) == {school_a.pk: True}
    assert StaffProfile.objects.get(user=teacher).position == "Giáo viên"
    assert opt_outs(colleague) == {}
    assert opt_outs(other) == {school_b.pk: True}

    save_account(client, hide=False)
    assert opt_outs(teacher) == {school_a.pk: False}
    assert opt_outs(other) == {school_b.pk: True}


def test_a_person_of_two_schools_opts_out_at_both(client, school_a, school_b):
    shared = make_member(school_a, "gv_chung")
    shared.groups.add(school_b.editors_group)
    client.force_login(shared)
    save_account(client, hide=True)
    assert opt_outs(shared) == {school_a.pk: True, school_b.pk: True}
    save_account(client, hide=False)
    # Nothing left to hold: no position, no opt-out.
    assert opt_outs(shared) == {}


def test_the_districts_own_accounts_do_not_see_it(client, school_a, school_b):
    admin = UserFactory(username="pgd_admin")
    admin.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    client.force_login(admin)
    html = client.get(reverse("wagtailadmin_account"), HTTP_HOST=HOST).content.decode()
    assert "bảng vinh danh" not in html
    assert not StaffProfile.objects.exists()
