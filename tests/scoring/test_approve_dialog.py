"""The "Đánh dấu bài hay" box of the board's approve dialog, on two schools: ticked by the
approving board member it records the same mark (and bonus) as the credited-posts screen; never
for another school's board, never in a frozen year, and the approval stands either way."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState

from district_site.factories import UserFactory, make_member
from district_site.models import DISTRICT_ADMINS_GROUP
from scoring import services
from scoring.models import CreditEvent, GoodPostMark
from tests.school_site.test_review_workflow import current_task_state, submit
from tests.scoring.helpers import draft_news

HOST = "localhost"


@pytest.fixture
def year(db):
    year = services.school_year_for(moment=timezone.now())
    services.rubric_for(school_year=year)
    return year


def approve_url(page, state) -> str:
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])


def bonus_of(page) -> Decimal:
    total = CreditEvent.objects.filter(page_id=page.pk).aggregate(n=Sum("bonus_points"))["n"]
    return Decimal(total or 0)


def approve(client, user, page, **data):
    client.force_login(user)
    return client.post(approve_url(page, current_task_state(page)), data, HTTP_HOST=HOST)


def test_the_approve_dialog_offers_the_box(client, year, school_a, editor_a, board_a):
    page = draft_news(school_a, editor_a)
    submit(page, editor_a)
    client.force_login(board_a)
    response = client.get(approve_url(page, current_task_state(page)), HTTP_HOST=HOST)
    assert response.status_code == 200
    html = response.json()["html"]
    assert "Đánh dấu bài hay" in html
    assert 'name="good_post"' in html


def test_ticked_box_marks_the_post_and_adds_the_rubric_bonus(
    client, year, school_a, editor_a, board_a
):
    ticked = draft_news(school_a, editor_a)
    plain = draft_news(school_a, editor_a)
    submit(ticked, editor_a)
    submit(plain, editor_a)

    assert approve(client, board_a, ticked, comment="Bài tốt", good_post="on").status_code == 302
    assert approve(client, board_a, plain, comment="").status_code == 302

    ticked.refresh_from_db()
    plain.refresh_from_db()
    assert ticked.live and plain.live
    mark = GoodPostMark.objects.get()
    assert (mark.page_id, mark.marked_by_id) == (ticked.pk, board_a.pk)
    assert bonus_of(ticked) == year.rubric.good_post_points > 0
    assert bonus_of(plain) == 0
    # The comment still reaches Wagtail's task state; the box does not.
    # (The board's step; the group leader's first step before it was skipped: no group.)
    state = TaskState.objects.get(
        workflow_state__object_id=str(ticked.pk), status=TaskState.STATUS_APPROVED
    )
    assert state.comment == "Bài tốt"


def test_another_schools_board_cannot_approve_nor_mark(
    client, year, school_a, school_b, editor_a, board_b
):
    page = draft_news(school_a, editor_a)
    submit(page, editor_a)
    response = approve(client, board_b, page, good_post="on")
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert not page.live
    assert not GoodPostMark.objects.exists()
    assert not CreditEvent.objects.filter(page_id=page.pk).exists()


def test_in_a_frozen_year_the_approval_stands_and_no_mark_is_made(
    client, year, school_a, editor_a, board_a
):
    board_a2 = make_member(school_a, "board_a2", board=True)
    page = draft_news(school_a, editor_a)
    submit(page, editor_a)
    approve(client, board_a, page)
    district = UserFactory(username="pgd")
    district.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    services.freeze_school_year(school_year=year, user=district)

    # An edit of the credited post goes through the review again.
    page.refresh_from_db()
    page.title = "Tin đã sửa"
    submit(page, editor_a)
    assert approve(client, board_a2, page, good_post="on").status_code == 302
    page.refresh_from_db()
    assert page.title == "Tin đã sửa" and not page.has_unpublished_changes
    assert not GoodPostMark.objects.exists()
    assert bonus_of(page) == 0
