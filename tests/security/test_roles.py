"""`district_site.roles`: who a user is for which school, from one query per user object."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from district_site import admin_scoping, roles
from district_site.factories import UserFactory, make_member
from district_site.models import DISTRICT_ADMINS_GROUP, School
from district_site.selectors import is_district_admin
from school_site.models import ContributorGroup

pytestmark = pytest.mark.django_db


def test_one_query_answers_every_role_of_a_school_user(
    school_a, school_b, django_assert_num_queries
):
    principal = make_member(school_a, "principal_a", board=True)
    principal.groups.add(school_b.editors_group)  # also teaches at school B
    school_a.principal = principal
    school_a.save()

    with django_assert_num_queries(1):
        answer = roles.roles_for(principal)
        # Every other check asks the same remembered answer: no further query.
        assert roles.roles_for(principal) is answer
        assert admin_scoping.school_root_paths(principal) == answer.root_paths
        assert not is_district_admin(principal)

    assert answer.is_limited
    assert answer.school_ids == {school_a.pk, school_b.pk}
    assert answer.board_school_ids == {school_a.pk}
    assert answer.principal_school_ids == {school_a.pk}
    assert answer.editor_school_ids == {school_b.pk}
    assert answer.editors_group_ids == {school_b.editors_group_id}
    assert answer.group_ids == {school_a.board_group_id, school_b.editors_group_id}
    assert set(answer.root_paths) == {
        school_a.site.root_page.path,
        school_b.site.root_page.path,
    }


def test_a_principal_who_left_the_board_or_whose_school_is_archived_is_no_principal(school_a):
    principal = make_member(school_a, "principal_a")  # teacher only, not on the board
    school_a.principal = principal
    school_a.save()
    assert roles.roles_for(principal).principal_school_ids == frozenset()

    board = make_member(school_a, "board_a", board=True)
    school_a.principal = board
    school_a.status = School.Status.ARCHIVED
    school_a.save()
    assert roles.roles_for(board).principal_school_ids == frozenset()
    assert roles.roles_for(board).board_school_ids == {school_a.pk}


def test_district_admins_and_superusers_are_not_limited(school_a, django_assert_num_queries):
    district = UserFactory(username="district")
    district.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    root = UserFactory(username="root", is_superuser=True)
    for user in (district, root):
        answer = roles.roles_for(user)
        assert answer.is_district_admin and not answer.is_limited
        assert admin_scoping.school_root_paths(user) is None
        assert is_district_admin(user)


def test_inactive_and_anonymous_users_have_no_role(school_a):
    from django.contrib.auth.models import AnonymousUser

    gone = make_member(school_a, "gone", board=True, is_active=False)
    assert roles.roles_for(gone).school_ids == frozenset()
    assert not is_district_admin(gone)
    anonymous = roles.roles_for(AnonymousUser())
    assert anonymous.is_limited and not anonymous.is_authenticated
    assert roles.roles_for(None) is roles.ANONYMOUS


def test_group_leadership_is_a_second_lazy_query(school_a, django_assert_num_queries):
    leader = make_member(school_a, "leader_a")
    group = ContributorGroup.objects.create(school=school_a, name="Tổ Toán", leader=leader)
    with django_assert_num_queries(2):
        assert roles.led_group_ids(leader) == {group.pk}
        assert roles.led_group_ids(leader) == {group.pk}


def test_forget_roles_after_changing_groups(school_a, school_b):
    user = make_member(school_a, "editor_a")
    assert roles.roles_for(user).school_ids == {school_a.pk}
    user.groups.add(school_b.editors_group)
    assert roles.roles_for(user).school_ids == {school_a.pk}  # remembered for the request
    roles.forget_roles(user)
    assert roles.roles_for(user).school_ids == {school_a.pk, school_b.pk}
