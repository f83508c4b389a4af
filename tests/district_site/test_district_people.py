"""The district admin's people screen across schools (district_site/people_admin.py): every
school's people, the same accent-insensitive search as a principal's, a school filter, queries
flat in the number of schools and people, and closed to every school user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from district_site.factories import UserFactory, make_member, make_school
from district_site.models import DISTRICT_ADMINS_GROUP, School
from district_site.people_admin import PER_PAGE

pytestmark = pytest.mark.django_db

HOST = "localhost"


@pytest.fixture
def district_admin(db):
    user = UserFactory(username="pgd_admin")
    user.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    return user


@pytest.fixture
def people_ab(school_a, school_b):
    return {
        "dao_a": make_member(school_a, "dao_a", first_name="Đào", last_name="Nguyễn Thị"),
        "dao_b": make_member(school_b, "dao_b", board=True, first_name="Đào", last_name="Lê"),
        "hung_b": make_member(school_b, "hung_b", first_name="Hùng", last_name="Phạm Văn"),
    }


def screen(client, **params):
    return client.get(reverse("district_people"), params, HTTP_HOST=HOST)


def usernames(response) -> set[str]:
    return {p.username for p in response.context["persons"]}


def test_lists_searches_and_filters_across_schools(
    client, district_admin, people_ab, school_a, school_b
):
    client.force_login(district_admin)
    everyone = screen(client)
    assert usernames(everyone) == {"dao_a", "dao_b", "hung_b"}  # not the district admin
    html = everyone.content.decode()
    assert "Nguyễn Thị Đào" in html and "Trường Mầm non B (Ban quản trị)" in html
    assert usernames(screen(client, q="dao")) == {"dao_a", "dao_b"}
    assert usernames(screen(client, q="nguyen DAO")) == {"dao_a"}
    assert usernames(screen(client, truong=school_b.pk)) == {"dao_b", "hung_b"}
    assert usernames(screen(client, truong=school_a.pk, q="đào")) == {"dao_a"}


def test_refused_to_school_users(client, people_ab, school_b):
    principal = people_ab["dao_b"]
    School.objects.filter(pk=school_b.pk).update(principal=principal)
    for user in (people_ab["dao_a"], principal):
        client.force_login(user)
        response = screen(client)
        assert response.status_code in (302, 403)
        assert "dao_a" not in response.content.decode()


def test_queries_flat_in_schools_and_people(client, district_admin, people_ab, school_a):
    client.force_login(district_admin)
    screen(client)  # warm the caches every admin page shares
    with CaptureQueriesContext(connection) as few:
        screen(client)
    for n in range(3):
        school = make_school(f"th-{n}", name=f"Trường Tiểu học số {n}")
        for m in range(PER_PAGE // 2):
            make_member(school, f"gv{n}_{m}", board=m == 0)
    with CaptureQueriesContext(connection) as many:
        response = screen(client)
    assert len(response.context["persons"]) == PER_PAGE
    assert response.context["page"].paginator.count == 3 + 3 * (PER_PAGE // 2)
    assert len(many) == len(few)
