"""Two board screens on two schools: a flagged duplicate side by side with the credited post it
matched, and changing who a credited post credits (reason required, logged, and effective only
once a second board member publishes it)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from district_site.factories import make_member
from scoring import services
from scoring.models import CreditEvent, PublicationCheck
from tests.scoring.helpers import draft_news, publish

HOST = "localhost"
TEXT = "Hội thi giáo viên dạy giỏi cấp trường năm nay có mười hai thầy cô tham gia."


@pytest.fixture
def year(db):
    return services.school_year_for(moment=timezone.now())


@pytest.fixture
def board_a2(school_a):
    return make_member(school_a, "board_a2", board=True)


@pytest.fixture
def editor_b(school_b):
    return make_member(school_b, "editor_b")


def duplicate_url(page) -> str:
    return reverse("scoring_admin:board_duplicate", args=[page.pk])


def credit_url(page) -> str:
    return reverse("scoring_admin:board_change_credit", args=[page.pk])


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params, HTTP_HOST=HOST)


def post(client, user, url, **data):
    client.force_login(user)
    return client.post(url, data, HTTP_HOST=HOST)


def refused(response) -> bool:
    """The allowlist's refusal: a GET goes back to the dashboard with a message, a POST is 403."""
    dashboard = reverse("wagtailadmin_home")
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == dashboard
    )


def pages_of(author) -> int:
    return CreditEvent.objects.filter(author=author).aggregate(n=Sum("pages"))["n"] or 0


@pytest.fixture
def duplicates(year, school_a, school_b, editor_a, editor_b, board_a, board_b):
    """School A: a credited post and a copy of it; school B: a copy of school A's post."""
    original = draft_news(school_a, editor_a, body=TEXT)
    publish(original, board_a)
    copy_a = draft_news(school_a, editor_a, body=TEXT.upper())
    publish(copy_a, board_a)
    copy_b = draft_news(school_b, editor_b, body=f"<b>{TEXT}</b>")
    publish(copy_b, board_b)
    outcomes = dict(PublicationCheck.objects.values_list("page_id", "outcome"))
    assert outcomes[copy_a.pk] == outcomes[copy_b.pk] == PublicationCheck.Outcome.DUPLICATE
    return original, copy_a, copy_b


def test_a_duplicate_is_shown_beside_the_post_it_copies(client, duplicates, board_a):
    original, copy_a, _copy_b = duplicates
    flags = get(client, board_a, reverse("scoring_admin:board_flags")).content.decode()
    assert duplicate_url(copy_a) in flags

    response = get(client, board_a, duplicate_url(copy_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert copy_a.title in html and original.title in html
    assert TEXT.upper() in html and TEXT in html
    # The decisions that exist: Wagtail's edit and unpublish screens for either post.
    for page in (copy_a, original):
        assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in html
        assert reverse("wagtailadmin_pages:unpublish", args=[page.pk]) in html
    # A post that is no flagged duplicate has no such screen.
    assert get(client, board_a, duplicate_url(original)).status_code == 404


def test_another_schools_text_is_never_shown(client, duplicates, school_b, board_a, board_b):
    original, copy_a, copy_b = duplicates
    # School B's board sees its own copy, and only that a post of another school matched.
    html = get(client, board_b, duplicate_url(copy_b)).content.decode()
    assert "data-other-school" in html
    assert original.title not in html
    assert reverse("wagtailadmin_pages:edit", args=[original.pk]) not in html
    # Neither board opens the other school's duplicate (the allowlist refuses the page id).
    assert refused(get(client, board_a, duplicate_url(copy_b)))
    assert refused(get(client, board_b, duplicate_url(copy_a)))
    # Naming the other school explicitly does not help either.
    assert refused(get(client, board_a, duplicate_url(copy_b), school=school_b.pk))


def test_changing_the_author_needs_a_reason_and_a_second_board_member(
    client, year, school_a, editor_a, board_a, board_a2
):
    new_author = make_member(school_a, "gv_dung")
    page = draft_news(school_a, editor_a)
    publish(page, board_a)
    assert pages_of(editor_a) == 1
    html = get(client, board_a, credit_url(page)).content.decode()
    assert "Đổi tác giả, tổ chức" in html and "data-credit-pending" not in html

    # No reason: a Vietnamese error, nothing saved.
    revisions = page.revisions.count()
    response = post(client, board_a, credit_url(page), author=new_author.pk, reason="  ")
    assert response.status_code == 200
    assert "Cần ghi lý do đổi tác giả, tổ chức." in response.content.decode()
    assert page.revisions.count() == revisions

    response = post(client, board_a, credit_url(page), author=new_author.pk, reason="Nhầm tác giả")
    assert response.status_code == 302
    entry = PageLogEntry.objects.get(page_id=page.pk, action=services.CHANGE_CREDIT_ACTION)
    assert entry.user_id == board_a.pk and entry.data["reason"] == "Nhầm tác giả"
    # Saved but not live: the screen says it waits for another board member.
    html = get(client, board_a, credit_url(page)).content.decode()
    assert "data-credit-pending" in html and "Bản sửa đang chờ duyệt" in html
    assert pages_of(editor_a) == 1 and pages_of(new_author) == 0

    # The board member who set the names may not publish it; another one may.
    with pytest.raises(PermissionDenied):
        publish(page, board_a)
    publish(page, board_a2)
    assert pages_of(editor_a) == 0 and pages_of(new_author) == 1
    html = get(client, board_a, credit_url(page)).content.decode()
    assert "data-credit-pending" not in html


def test_credit_can_only_go_to_the_schools_people_and_only_by_its_board(
    client, year, school_a, editor_a, editor_b, board_a, board_b
):
    page = draft_news(school_a, editor_a)
    publish(page, board_a)
    revisions = page.revisions.count()
    # Another school's person is not offered, and refused when posted anyway.
    html = get(client, board_a, credit_url(page)).content.decode()
    assert f'value="{editor_b.pk}"' not in html
    response = post(client, board_a, credit_url(page), author=editor_b.pk, reason="Thử")
    assert response.status_code == 200
    assert page.revisions.count() == revisions
    # Another school's board: refused before the view (the page id is not theirs).
    assert refused(get(client, board_b, credit_url(page)))
    assert refused(post(client, board_b, credit_url(page), author=editor_b.pk, reason="Thử"))
    assert page.revisions.count() == revisions
    assert not PageLogEntry.objects.filter(action=services.CHANGE_CREDIT_ACTION).exists()
    # A contributor of the school: refused too.
    assert refused(get(client, editor_a, credit_url(page)))
