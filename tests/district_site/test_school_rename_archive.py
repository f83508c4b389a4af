"""Renaming a school carries the name to its site, collection, groups and branding in one
transaction; archiving takes its people's access to its admin, restoring gives it back, and a
person who also works at another active school keeps that school (district_site/school_names.py,
provisioning.archive_school / restore_school). Two schools."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from district_site.factories import UserFactory, make_member
from district_site.models import DISTRICT_ADMINS_GROUP, School
from district_site.provisioning import archive_school, restore_school
from district_site.school_names import rename_school
from home.models import SiteBranding
from tests.school_site.test_review_workflow import draft_news

pytestmark = pytest.mark.django_db

HOST = "localhost"


def names_of(school: School) -> dict:
    school = School.objects.select_related(
        "site", "collection", "board_group", "editors_group"
    ).get(pk=school.pk)
    branding = SiteBranding.objects.get(site=school.site)
    return {
        "school": school.name,
        "site": school.site.site_name,
        "collection": school.collection.name,
        "board": school.board_group.name,
        "editors": school.editors_group.name,
        "title": branding.display_name,
        "footer": branding.footer_text,
    }


def test_renaming_from_the_edit_screen_renames_everything(client, school_a, school_b):
    admin = UserFactory(username="pgd_admin")
    admin.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    client.force_login(admin)
    before_b = names_of(school_b)
    response = client.post(
        f"/admin/district_site/school/edit/{school_a.pk}/",
        {"name": "Trường Tiểu học Kim Đồng", "short_code": "", "address": ""},
        HTTP_HOST=HOST,
    )
    assert response.status_code == 302
    assert names_of(school_a) == {
        "school": "Trường Tiểu học Kim Đồng",
        "site": "Trường Tiểu học Kim Đồng",
        "collection": "Trường Tiểu học Kim Đồng",
        "board": "Trường Tiểu học Kim Đồng – Ban quản trị",
        "editors": "Trường Tiểu học Kim Đồng – Giáo viên, nhân viên",
        "title": "Trường Tiểu học Kim Đồng",
        "footer": "Trang thông tin điện tử Trường Tiểu học Kim Đồng. Ghi rõ nguồn khi phát hành "
        "lại thông tin.",
    }
    assert names_of(school_b) == before_b


def test_a_title_the_board_chose_is_kept_and_a_taken_name_changes_nothing(school_a, school_b):
    SiteBranding.objects.filter(site=school_a.site).update(display_name="TH A – xã Hoà")
    rename_school(school=school_a, name="Trường Tiểu học Hoà Bình")
    assert names_of(school_a)["title"] == "TH A – xã Hoà"
    assert names_of(school_a)["board"] == "Trường Tiểu học Hoà Bình – Ban quản trị"
    before = names_of(school_a)
    with pytest.raises(ValidationError):
        rename_school(school=school_a, name=school_b.name)
    assert names_of(school_a) == before


def admin_home(client, user) -> int:
    client.force_login(user)
    return client.get("/admin/", HTTP_HOST=HOST).status_code


def can_edit(user, page) -> bool:
    user = type(user).objects.get(pk=user.pk)  # fresh: permissions are cached on the object
    return page.permissions_for_user(user).can_edit()


def test_archiving_takes_the_schools_admin_access_and_restoring_gives_it_back(
    client, school_a, school_b
):
    only_a = make_member(school_a, "gv_a")
    both = make_member(school_a, "gv_ab")
    both.groups.add(school_b.editors_group)
    post_a = draft_news(school_a, only_a)
    post_b = draft_news(school_b, both)
    assert admin_home(client, only_a) == 200 and can_edit(both, post_a)

    archive_school(hostname=school_a.site.hostname)
    assert admin_home(client, only_a) == 302  # sent to the login page: no admin access
    assert not can_edit(only_a, post_a) and not can_edit(both, post_a)
    assert admin_home(client, both) == 200 and can_edit(both, post_b)  # school B kept

    restore_school(hostname=school_a.site.hostname)
    assert admin_home(client, only_a) == 200
    assert can_edit(only_a, post_a) and can_edit(both, post_a) and can_edit(both, post_b)
