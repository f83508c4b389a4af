"""The contributor-groups screen (school_site/wagtail_hooks.py): a principal manages only their
own school's groups; district admins manage every school's; nobody else gets in."""

import pytest
from django.contrib.auth.models import Group

from district_site.factories import UserFactory, make_member
from district_site.models import DISTRICT_ADMINS_GROUP, School
from district_site.provisioning import archive_school
from school_site.admin_views import principal_school_ids
from school_site.models import ContributorGroup

pytestmark = pytest.mark.django_db

HOST = "localhost"
INDEX = "/admin/school_site/contributorgroup/"
CREATE = INDEX + "create/"


def edit_url(group):
    return f"{INDEX}edit/{group.pk}/"


def delete_url(group):
    return f"{INDEX}delete/{group.pk}/"


def get(client, url, **params):
    return client.get(url, params, HTTP_HOST=HOST)


def post(client, url, data=None):
    return client.post(url, data or {}, HTTP_HOST=HOST)


def make_principal(school: School, username: str):
    user = make_member(school, username, board=True)
    school.principal = user
    school.save(update_fields=["principal"])
    return user


def make_group(school: School, name: str, *members, leader=None) -> ContributorGroup:
    group = ContributorGroup.objects.create(
        school=school, name=name, kind=ContributorGroup.Kind.PROFESSIONAL, leader=leader
    )
    group.members.set(members)
    return group


@pytest.fixture
def principal_a(school_a):
    return make_principal(school_a, "hieutruong_a")


@pytest.fixture
def principal_b(school_b):
    return make_principal(school_b, "hieutruong_b")


@pytest.fixture
def groups(school_a, school_b, board_a, editor_a, board_b):
    return {
        "toan_a": make_group(school_a, "Tổ Toán", editor_a, leader=editor_a),
        "congdoan_a": make_group(school_a, "Công đoàn", board_a, editor_a),
        "congdoan_b": make_group(school_b, "Công đoàn", board_b, leader=board_b),
    }


@pytest.fixture
def district_admin(db):
    user = UserFactory(username="pgd_admin")
    user.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    return user


def refused(response) -> bool:
    """403/404, Wagtail's answer to PermissionDenied (back to the dashboard with a message),
    or the login page for a user without admin access."""
    if response.status_code == 302:
        return response["Location"] == "/admin/" or response["Location"].startswith("/admin/login/")
    return response.status_code in (403, 404)


def fresh(user):
    """The user as a new request would load it (the screen's answers are cached per object)."""
    return type(user).objects.get(pk=user.pk)


def listed(response) -> set[tuple[str, str]]:
    return {(g.school.name, g.name) for g in response.context["object_list"]}


def test_principal_sees_only_their_schools_groups(client, principal_a, groups, school_a):
    client.force_login(principal_a)

    response = get(client, INDEX)

    assert response.status_code == 200
    assert listed(response) == {(school_a.name, "Tổ Toán"), (school_a.name, "Công đoàn")}
    assert edit_url(groups["congdoan_b"]) not in response.content.decode()
    assert "Trường Mầm non B" not in response.content.decode()
    assert INDEX in get(client, "/admin/").content.decode()


def test_principal_cannot_open_edit_or_delete_another_schools_group(
    client, principal_a, principal_b, groups, board_a
):
    group_b = groups["congdoan_b"]
    client.force_login(principal_a)

    for url in (edit_url(group_b), delete_url(group_b)):
        response = get(client, url)
        assert response.status_code == 404
        assert "Công đoàn" not in response.content.decode()

    response = post(
        client,
        edit_url(group_b),
        {"name": "Đã bị sửa", "kind": "other", "members": [board_a.pk]},
    )
    assert response.status_code == 404
    response = post(client, delete_url(group_b))
    assert response.status_code == 404

    group_b.refresh_from_db()
    assert group_b.name == "Công đoàn"
    assert group_b.kind == ContributorGroup.Kind.PROFESSIONAL
    assert list(group_b.members.values_list("username", flat=True)) == ["board_b"]


def test_principal_creates_a_group_for_their_school_from_their_users_only(
    client, principal_a, school_a, school_b, board_a, editor_a, board_b, groups
):
    client.force_login(principal_a)

    form = get(client, CREATE).context["form"]
    assert "school" not in form.fields
    assert set(form.fields["members"].queryset) == {principal_a, board_a, editor_a}
    assert set(form.fields["leader"].queryset) == {principal_a, board_a, editor_a}

    # A user of school B is not a valid member, nor a valid leader: nothing is created.
    for data in (
        {"name": "Tổ Văn", "kind": "professional", "members": [editor_a.pk, board_b.pk]},
        {"name": "Tổ Văn", "kind": "professional", "leader": board_b.pk},
    ):
        response = post(client, CREATE, data)
        assert response.status_code == 200
        assert response.context["form"].errors
        assert not ContributorGroup.objects.filter(name="Tổ Văn").exists()

    # Another school's id in the POST is ignored: the school field is not in the form.
    response = post(
        client,
        CREATE,
        {
            "name": "Tổ Văn",
            "kind": "professional",
            "school": school_b.pk,
            "leader": board_a.pk,
            "members": [editor_a.pk],
        },
    )
    assert response.status_code == 302
    group = ContributorGroup.objects.get(name="Tổ Văn")
    assert group.school == school_a
    assert group.leader == board_a
    # The leader is made a member.
    assert set(group.members.all()) == {editor_a, board_a}


def test_principal_edits_their_group_and_names_stay_unique_per_school(
    client, principal_a, groups, board_a, editor_a
):
    client.force_login(principal_a)
    toan = groups["toan_a"]

    response = post(
        client, edit_url(toan), {"name": "Công đoàn", "kind": "professional", "members": []}
    )
    assert response.status_code == 200
    assert "Trường đã có một tổ chức tên này." in response.context["form"].errors["name"]

    response = post(
        client,
        edit_url(toan),
        {"name": "Tổ Toán – Tin", "kind": "professional", "members": [board_a.pk, editor_a.pk]},
    )
    assert response.status_code == 302
    toan.refresh_from_db()
    assert toan.name == "Tổ Toán – Tin"
    assert set(toan.members.all()) == {board_a, editor_a}
    # School B's group of the same name is untouched.
    assert groups["congdoan_b"].name == "Công đoàn"


def test_principal_deletes_their_own_group(client, principal_a, groups):
    client.force_login(principal_a)
    toan = groups["toan_a"]

    assert get(client, delete_url(toan)).status_code == 200
    response = post(client, delete_url(toan))

    assert response.status_code == 302
    assert not ContributorGroup.objects.filter(pk=toan.pk).exists()
    assert ContributorGroup.objects.count() == 2


def test_district_admin_sees_and_manages_every_schools_groups(
    client, district_admin, groups, school_a, school_b, editor_a, board_b
):
    client.force_login(district_admin)

    response = get(client, INDEX)
    assert listed(response) == {
        (school_a.name, "Tổ Toán"),
        (school_a.name, "Công đoàn"),
        (school_b.name, "Công đoàn"),
    }
    assert listed(get(client, INDEX, school=school_b.pk)) == {(school_b.name, "Công đoàn")}

    # Choosing among every school: members are picked once the group has its school.
    form = get(client, CREATE).context["form"]
    assert set(form.fields["school"].queryset) == {school_a, school_b}
    assert "members" not in form.fields and "leader" not in form.fields
    response = post(
        client,
        CREATE,
        {"school": school_b.pk, "name": "Đoàn – Đội", "kind": "youth_union"},
    )
    assert response.status_code == 302
    group = ContributorGroup.objects.get(name="Đoàn – Đội")
    assert group.school == school_b

    form = get(client, edit_url(group)).context["form"]
    assert "school" not in form.fields
    assert set(form.fields["members"].queryset) == {board_b}
    # A member must belong to the group's school.
    data = {"name": "Đoàn – Đội", "kind": "youth_union", "members": [editor_a.pk]}
    response = post(client, edit_url(group), data)
    assert response.status_code == 200
    assert "members" in response.context["form"].errors
    assert not group.members.exists()
    data["members"] = [board_b.pk]
    assert post(client, edit_url(group), data).status_code == 302
    assert list(group.members.all()) == [board_b]


@pytest.mark.parametrize("role", ["board_b", "board_a", "editor_a"])
def test_other_school_users_get_nothing(client, principal_a, groups, role, request):
    """Board members who are not the principal, and contributors: no access at all."""
    user = request.getfixturevalue(role)
    client.force_login(user)
    before = sorted(ContributorGroup.objects.values_list("pk", "name", "kind"))

    dashboard = get(client, "/admin/")
    assert dashboard.status_code == 200
    assert INDEX not in dashboard.content.decode()

    assert refused(get(client, INDEX))
    assert refused(get(client, CREATE))
    assert refused(post(client, CREATE, {"name": "X", "kind": "other"}))
    for group in groups.values():
        for response in (
            get(client, edit_url(group)),
            post(client, edit_url(group), {"name": "X", "kind": "other"}),
            get(client, delete_url(group)),
            post(client, delete_url(group)),
        ):
            assert refused(response)
            assert group.name not in response.content.decode()
    assert sorted(ContributorGroup.objects.values_list("pk", "name", "kind")) == before


def test_principal_of_an_archived_school_loses_the_screen(client, principal_a, groups, school_a):
    assert principal_school_ids(fresh(principal_a)) == {school_a.pk}
    archive_school(hostname=school_a.site.hostname)
    # Even with admin access from elsewhere, an archived school's principal manages nothing.
    assert principal_school_ids(fresh(principal_a)) == frozenset()
    client.force_login(principal_a)
    assert refused(get(client, INDEX))
    assert refused(get(client, edit_url(groups["toan_a"])))


def test_listing_query_count_does_not_grow_with_groups(
    client,
    principal_a,
    groups,
    school_a,
    editor_a,
    board_a,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    client.force_login(principal_a)
    get(client, INDEX)  # warm per-process caches
    with django_assert_max_num_queries(20) as captured:
        response = get(client, INDEX)
    with_two = len(captured)  # read now: the captured list is a window on the live log
    assert len(response.context["object_list"]) == 2

    for n in range(10):
        make_group(school_a, f"Tổ {n}", editor_a, board_a, leader=board_a)
    with django_assert_num_queries(with_two):
        response = get(client, INDEX)
    assert len(response.context["object_list"]) == 12
    assert {g.member_count for g in response.context["object_list"]} == {1, 2}
