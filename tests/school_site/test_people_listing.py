"""The principal's people listing at scale (school_site/people/selectors.py, people_views.py):
50 to a page, an accent-insensitive search kept by `PersonSearchName`, filters by contributor
group and board, and queries that do not grow with the number of people. Two schools."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from district_site.factories import make_member
from district_site.models import School
from school_site.models import ContributorGroup, PersonSearchName
from school_site.people_views import PER_PAGE

pytestmark = pytest.mark.django_db

HOST = "localhost"


def make_principal(school: School, username: str, **fields):
    user = make_member(school, username, board=True, **fields)
    school.principal = user
    school.save(update_fields=["principal"])
    return user


@pytest.fixture
def principal_a(school_a):
    return make_principal(school_a, "ht_a", first_name="Lan", last_name="Trần Thị")


@pytest.fixture
def people_ab(school_a, school_b):
    """Namesakes in both schools: only school A's may ever show on A's listing."""
    dao = make_member(school_a, "dao_a", first_name="Đào", last_name="Nguyễn Thị")
    hung = make_member(school_a, "hung_a", board=True, first_name="Hùng", last_name="Lê Văn")
    dao_b = make_member(school_b, "dao_b", first_name="Đào", last_name="Nguyễn Thị")
    toan = ContributorGroup.objects.create(school=school_a, name="Tổ Toán")
    toan.members.add(dao)
    van_b = ContributorGroup.objects.create(school=school_b, name="Tổ Văn")
    van_b.members.add(dao_b)
    return {"dao": dao, "hung": hung, "dao_b": dao_b, "toan": toan, "van_b": van_b}


def listing(client, school: School, **params):
    return client.get(reverse("school_people:list", args=[school.pk]), params, HTTP_HOST=HOST)


def usernames(response) -> set[str]:
    return {p.username for p in response.context["persons"]}


def test_search_is_accent_and_case_insensitive_and_stays_in_the_school(
    client, principal_a, people_ab, school_a
):
    client.force_login(principal_a)
    for query in ("nguyen", "NGUYỄN", "dao", "Đào", "DAO", "thi dao", "dao_a", "dao_a@example"):
        with_query = listing(client, school_a, q=query)
        assert usernames(with_query) == {"dao_a"}, query
        assert "dao_b" not in with_query.content.decode()
    # "d" matches "Đ" (and every "d" of an e-mail domain), never school B's people.
    assert "dao_a" in usernames(listing(client, school_a, q="d"))
    assert "dao_b" not in listing(client, school_a, q="d").content.decode()
    assert usernames(listing(client, school_a, q="không có ai")) == set()
    assert "Không có ai khớp" in listing(client, school_a, q="zzz").content.decode()


def test_search_name_follows_a_rename(client, principal_a, people_ab, school_a):
    dao = people_ab["dao"]
    dao.last_name = "Phạm Thị"
    dao.save()
    assert PersonSearchName.objects.get(user=dao).folded.startswith("pham thi dao")
    client.force_login(principal_a)
    assert usernames(listing(client, school_a, q="pham")) == {"dao_a"}
    assert usernames(listing(client, school_a, q="nguyen")) == set()


def test_filters_by_group_and_board(client, principal_a, people_ab, school_a):
    client.force_login(principal_a)
    assert usernames(listing(client, school_a, to_chuc=people_ab["toan"].pk)) == {"dao_a"}
    assert usernames(listing(client, school_a, ban="1")) == {"ht_a", "hung_a"}
    assert usernames(listing(client, school_a, ban="0")) == {"dao_a"}
    assert usernames(listing(client, school_a, ban="1", q="hung")) == {"hung_a"}
    # Another school's group is not a choice: the filter is dropped, never widened to school B.
    forged = listing(client, school_a, to_chuc=people_ab["van_b"].pk)
    assert forged.status_code == 200 and "dao_b" not in forged.content.decode()
    assert usernames(listing(client, school_a, to_chuc=people_ab["van_b"].pk, q="hung")) == {
        "hung_a"
    }  # the other filters still apply
    group_choices = forged.context["filter_form"].fields["to_chuc"].queryset
    assert list(group_choices) == [people_ab["toan"]]


def test_paginated_with_flat_queries(client, principal_a, school_a, school_b, people_ab):
    client.force_login(principal_a)
    listing(client, school_a)  # warm the caches every admin page shares
    with CaptureQueriesContext(connection) as few:
        response = listing(client, school_a)
    assert response.context["page"].paginator.count == 3
    for n in range(PER_PAGE + 5):
        make_member(school_a, f"gv{n:03}", first_name=f"Mai{n:03}", last_name="Đỗ Thị")
        make_member(school_b, f"b_gv{n:03}")
    with CaptureQueriesContext(connection) as many:
        first = listing(client, school_a)
        second = listing(client, school_a, p=2)
    assert len(first.context["persons"]) == PER_PAGE
    assert len(second.context["persons"]) == 3 + PER_PAGE + 5 - PER_PAGE
    assert first.context["page"].paginator.count == 3 + PER_PAGE + 5
    assert not usernames(first) & usernames(second)
    assert not any(name.startswith("b_gv") for name in usernames(first) | usernames(second))
    assert "Trang 1 / 2" in first.content.decode()
    # The same queries for 3 people and for 58 (each page asked once).
    assert len(many) == 2 * len(few)
