"""The board's scoring screens (flagged posts, credited posts and their "bài hay" mark) and the
district's frozen sheet, on two schools: nothing of school B is shown to, or can be acted on by,
school A's board, and nobody marks their own post as good."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from district_site.factories import UserFactory, make_member
from district_site.models import DISTRICT_ADMINS_GROUP
from scoring import services
from scoring.models import CreditEvent, GoodPostMark, PublicationCheck
from tests.scoring.helpers import draft_news, publish

HOST = "localhost"
FLAGS = reverse("scoring_admin:board_flags")
CREDITED = reverse("scoring_admin:board_credited")
DASHBOARD = reverse("wagtailadmin_home")


def mark_url(page) -> str:
    return reverse("scoring_admin:board_mark_good", args=[page.pk])


@pytest.fixture
def year(db):
    return services.school_year_for(moment=timezone.now())


@pytest.fixture
def board_a2(school_a):
    return make_member(school_a, "board_a2", board=True)


@pytest.fixture
def district(db):
    user = UserFactory(username="pgd")
    user.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    return user


@pytest.fixture
def posts(year, school_a, school_b, editor_a, board_a, board_a2, board_b) -> dict:
    """School A: a credited post by editor_a, one by board_a2, one self-approved (flagged);
    school B: a credited post and a self-approved one."""
    credited_a = draft_news(school_a, editor_a)
    publish(credited_a, board_a)
    by_board_a2 = draft_news(school_a, board_a2)
    publish(by_board_a2, board_a)
    self_a = draft_news(school_a, board_a)
    publish(self_a, board_a, skip_permission_checks=True)
    editor_b = make_member(school_b, "editor_b")
    credited_b = draft_news(school_b, editor_b)
    publish(credited_b, board_b)
    self_b = draft_news(school_b, board_b)
    publish(self_b, board_b, skip_permission_checks=True)
    return locals()


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params, HTTP_HOST=HOST)


def post(client, user, url, **data):
    client.force_login(user)
    return client.post(url, data, HTTP_HOST=HOST)


def refused(response) -> bool:
    return response.status_code == 302 and response["Location"] == DASHBOARD


def test_flags_list_shows_only_the_boards_own_school(client, posts, board_a, board_b, school_b):
    response = get(client, board_a, FLAGS)
    assert response.status_code == 200
    html = response.content.decode()
    assert posts["self_a"].title in html and posts["self_b"].title not in html
    assert "Tự duyệt bài của mình" in html
    # Another school named in the URL: a 404, not its list.
    assert get(client, board_a, FLAGS, school=school_b.pk).status_code == 404
    html = get(client, board_b, FLAGS).content.decode()
    assert posts["self_b"].title in html and posts["self_a"].title not in html


def test_flags_show_a_changed_author_waiting_for_a_second_board_member(
    client, posts, school_a, board_a, board_a2, editor_a
):
    page = posts["credited_a"]
    services.change_credit(
        page=page, author=board_a2, contributor_group=None, user=board_a, reason="Nhầm"
    )
    # Past the permission layer (which refuses it): published by the one who set the names.
    publish(page, board_a, skip_permission_checks=True)
    html = get(client, board_a2, FLAGS).content.decode()
    assert "Đổi tác giả, tổ chức chưa được duyệt" in html


def test_contributors_are_refused_the_board_screens(client, posts, editor_a):
    assert refused(get(client, editor_a, FLAGS))
    assert refused(get(client, editor_a, CREDITED))
    assert refused(post(client, editor_a, mark_url(posts["credited_a"])))
    assert not GoodPostMark.objects.exists()


def test_board_marks_a_credited_post_good_but_never_its_own(
    client, posts, board_a, board_a2, board_b
):
    html = get(client, board_a2, CREDITED).content.decode()
    assert posts["credited_a"].title in html and posts["credited_b"].title not in html
    # board_a2 sees no button on their own post.
    assert mark_url(posts["by_board_a2"]) not in html and mark_url(posts["credited_a"]) in html

    assert post(client, board_a2, mark_url(posts["credited_a"])).status_code == 302
    mark = GoodPostMark.objects.get(page_id=posts["credited_a"].pk)
    assert mark.marked_by == board_a2
    bonus = CreditEvent.objects.get(kind="bonus", page_id=posts["credited_a"].pk)
    assert bonus.bonus_points == Decimal("1.00")
    # Their own post, asked for anyway: refused with a message, nothing marked.
    post(client, board_a2, mark_url(posts["by_board_a2"]))
    assert not GoodPostMark.objects.filter(page_id=posts["by_board_a2"].pk).exists()
    # Another school's post: refused for school A's board before the view runs (the admin
    # allowlist refuses a POST naming another school's page: 403), nothing marked.
    assert post(client, board_a, mark_url(posts["credited_b"])).status_code == 403
    response = post(client, board_a, mark_url(posts["credited_b"]), school=posts["school_b"].pk)
    assert response.status_code == 403
    assert not GoodPostMark.objects.filter(page_id=posts["credited_b"].pk).exists()
    # A GET never marks.
    assert get(client, board_b, mark_url(posts["credited_b"])).status_code == 404


def test_no_good_post_mark_once_the_year_is_frozen(client, posts, year, board_a, district):
    services.freeze_school_year(school_year=year, user=district)
    html = get(client, board_a, CREDITED).content.decode()
    assert "Đánh dấu bài hay" not in html
    post(client, board_a, mark_url(posts["credited_a"]))
    assert not GoodPostMark.objects.exists()


def _queries(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, HTTP_HOST=HOST).status_code == 200
    return len(captured)


def test_board_screens_query_counts_do_not_grow(client, posts, school_a, editor_a, board_a2):
    flags_before = _queries(client, board_a2, FLAGS)
    credited_before = _queries(client, board_a2, CREDITED)
    for n in range(4):
        publish(draft_news(school_a, editor_a), board_a2)
        own = draft_news(school_a, make_member(school_a, f"gv_more_{n}"))
        publish(own, board_a2, skip_permission_checks=True)
    assert PublicationCheck.objects.filter(outcome="earned").count() >= 6
    assert _queries(client, board_a2, FLAGS) == flags_before
    assert _queries(client, board_a2, CREDITED) == credited_before


def test_frozen_sheet_is_the_districts(client, posts, year, board_a, district, school_a):
    url = reverse("scoring_admin:year_frozen_sheet", args=[year.pk])
    assert get(client, district, url).status_code == 404  # not frozen yet
    services.freeze_school_year(school_year=year, user=district)
    Page.objects.get(pk=posts["credited_a"].pk).specific.unpublish(user=board_a)
    for by in ("school", "author", "group"):
        response = get(client, district, url, by=by)
        assert response.status_code == 200, by
    html = get(client, district, url, by="school").content.decode()
    assert school_a.name in html and "Danh sách điều chỉnh" in html
    assert "Rút điểm" in html  # the withdrawal after the freeze is an adjustment
    assert refused(get(client, board_a, url))


def test_frozen_sheet_query_count_does_not_grow(client, posts, year, district, school_a):
    from district_site.factories import make_school

    url = reverse("scoring_admin:year_frozen_sheet", args=[year.pk])
    services.freeze_school_year(school_year=year, user=district)
    before = _queries(client, district, url)
    for n in range(4):
        make_school(f"th-f{n}", name=f"Trường Tiểu học F{n}")
    Page.objects.get(pk=posts["credited_a"].pk).specific.unpublish()
    assert _queries(client, district, url) == before
