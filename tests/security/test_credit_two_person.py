"""Issue 9, the ledger side: no single person can make a credit count or move, and a copy of a
credited text earns nothing however it is disguised.

Every case is run through Wagtail's real revision, workflow, publish and publish_scheduled
actions; the permission layer is not asked (skip_permission_checks where Wagtail would ask), so
the ledger is shown to hold even if some route still lets such a publish through. Where the
editor form would record who set the author or group (`credit_set_by`), the test sets it the
same way.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, PageLogEntry

from district_site.factories import UserFactory, make_member
from school_site.models import NewsPage
from scoring import selectors, services
from scoring.models import CreditEvent, PublicationCheck
from tests.scoring.helpers import draft_news, publish

LONG_TEXT = (
    "Trường tổ chức Hội thi giáo viên dạy giỏi cấp trường năm học 2026-2027 "
    "với sự tham gia của tất cả các tổ chuyên môn."
)


def credited_authors(page) -> dict[int | None, int]:
    """Who holds the page's credit now: author id -> pages."""
    return {
        r["author_id"]: r["n_pages"]
        for r in selectors.outstanding_credit(page_id=page.pk)
        if r["n_pages"]
    }


def outcome(page) -> str | None:
    return (
        PublicationCheck.objects.filter(page_id=page.pk).values_list("outcome", flat=True).first()
    )


def set_credit(page, *, author, user, group=None) -> NewsPage:
    """What the editor does when `user` changes the author: a new draft revision whose
    `credit_set_by` is `user` (ContentPageForm.save sets it)."""
    draft = Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()
    draft.author, draft.contributor_group, draft.credit_set_by = author, group, user
    draft.save_revision(user=user)
    return draft


def submit(page, user):
    page = Page.objects.get(pk=page.pk).specific
    page.get_workflow().start(page, user)


def approve(page, user):
    page = Page.objects.get(pk=page.pk).specific
    page.current_workflow_task_state.approve(user=user)


@pytest.fixture
def board_a2(school_a):
    return make_member(school_a, "board_a2", board=True)


@pytest.fixture
def teacher_a(school_a):
    return make_member(school_a, "teacher_a")


# --- credit that moves to whoever publishes ----------------------------------------------------


def test_board_member_setting_themselves_as_author_and_publishing_does_not_move_credit(
    school_a, editor_a, board_a, board_a2
):
    page = draft_news(school_a, editor_a)
    publish(page, board_a)
    assert credited_authors(page) == {editor_a.pk: 1}

    # board_a2 takes a colleague's credited post: sets themselves as author, presses Publish.
    set_credit(page, author=board_a2, user=board_a2)
    publish(page, board_a2, skip_permission_checks=True)

    assert Page.objects.get(pk=page.pk).specific.author_id == board_a2.pk
    assert credited_authors(page) == {editor_a.pk: 1}
    assert not CreditEvent.objects.filter(kind=CreditEvent.Kind.MOVED).exists()
    check = PublicationCheck.objects.get(page_id=page.pk)
    assert check.pending_change == PublicationCheck.Outcome.SELF_APPROVED
    assert check.pending_change_by == board_a2
    assert check.flagged

    # A second board member publishing the change is what moves it.
    publish(page, board_a)
    assert credited_authors(page) == {board_a2.pk: 1}
    check.refresh_from_db()
    assert check.pending_change == "" and not check.flagged


def test_colleague_set_as_author_of_your_own_text_and_published_directly_earns_nothing(
    school_a, board_a, teacher_a
):
    page = draft_news(school_a, teacher_a, credit_set_by=board_a)
    # Refused by the page permission tester (tests/security/test_two_person.py); the ledger
    # must refuse it too if some route let it through.
    publish(page, board_a, skip_permission_checks=True)

    assert credited_authors(page) == {}
    assert outcome(page) == PublicationCheck.Outcome.CREDIT_SETTER


def test_setting_the_author_back_to_yourself_later_earns_you_nothing(
    school_a, board_a, board_a2, teacher_a
):
    # board_a wrote it, credited a colleague and submitted it; board_a2 approved: that counts.
    page = draft_news(school_a, teacher_a, credit_set_by=board_a)
    submit(page, board_a)
    approve(page, board_a2)
    assert credited_authors(page) == {teacher_a.pk: 1}

    set_credit(page, author=board_a, user=board_a)
    publish(page, board_a, skip_permission_checks=True)

    assert credited_authors(page) == {teacher_a.pk: 1}
    check = PublicationCheck.objects.get(page_id=page.pk)
    assert check.pending_change == PublicationCheck.Outcome.SELF_APPROVED


def test_changing_only_the_credit_setter_still_needs_a_second_person(
    school_a, editor_a, board_a, board_a2, teacher_a
):
    """The person who set the author may not approve the move, even for someone else."""
    page = draft_news(school_a, editor_a)
    publish(page, board_a)
    set_credit(page, author=teacher_a, user=board_a2)
    publish(page, board_a2, skip_permission_checks=True)
    assert credited_authors(page) == {editor_a.pk: 1}
    assert (
        PublicationCheck.objects.get(page_id=page.pk).pending_change
        == PublicationCheck.Outcome.CREDIT_SETTER
    )
    publish(page, board_a)
    assert credited_authors(page) == {teacher_a.pk: 1}


def test_approving_a_review_you_submitted_earns_nothing(school_a, editor_a, board_a):
    page = draft_news(school_a, editor_a)
    submit(page, board_a)
    # review.py refuses this approve action; the ledger does not rely on that.
    approve(page, board_a)

    assert Page.objects.get(pk=page.pk).live
    assert credited_authors(page) == {}
    assert outcome(page) == PublicationCheck.Outcome.SUBMITTER


# --- scheduled publication ---------------------------------------------------------------------


def _go_live_soon(page, author, *, seconds: float = 3600) -> datetime.datetime:
    draft = Page.objects.get(pk=page.pk).specific
    draft.go_live_at = timezone.now() + datetime.timedelta(seconds=seconds)
    draft.save_revision(user=author)
    return draft.go_live_at


def _run_publish_scheduled_after(go_live_at: datetime.datetime, monkeypatch) -> None:
    # The clock moved past the go-live time for the command (Wagtail's publish_scheduled and
    # what it calls read django.utils.timezone.now), rather than a sleep: a go-live time a
    # second or two ahead could pass before a slow machine had even approved the post.
    moment = go_live_at + datetime.timedelta(seconds=1)
    with monkeypatch.context() as patched:
        patched.setattr(timezone, "now", lambda: moment)
        call_command("publish_scheduled")


def test_scheduled_publication_approved_by_another_board_member_earns(
    school_a, editor_a, board_a, monkeypatch
):
    page = draft_news(school_a, editor_a)
    go_live_at = _go_live_soon(page, editor_a)
    submit(page, editor_a)
    approve(page, board_a)
    assert not Page.objects.get(pk=page.pk).live
    # What Wagtail 8.0.1 writes: the approval schedules (with the user) ...
    assert PageLogEntry.objects.filter(
        page_id=page.pk, action="wagtail.publish.schedule", user=board_a
    ).exists()

    _run_publish_scheduled_after(go_live_at, monkeypatch)

    assert Page.objects.get(pk=page.pk).live
    # ... the command publishes without a user.
    assert (
        PageLogEntry.objects.get(page_id=page.pk, action="wagtail.publish.scheduled").user_id
        is None
    )
    assert credited_authors(page) == {editor_a.pk: 1}
    assert CreditEvent.objects.get(page_id=page.pk, kind="earned").actor == board_a


def test_scheduled_publication_of_your_own_post_earns_nothing(school_a, board_a, monkeypatch):
    page = draft_news(school_a, board_a)
    go_live_at = _go_live_soon(page, board_a)
    # Refused by the page permission tester (tests/security/test_two_person.py); the ledger
    # must refuse it too if some route let it through.
    publish(page, board_a, skip_permission_checks=True)
    assert not Page.objects.get(pk=page.pk).live
    _run_publish_scheduled_after(go_live_at, monkeypatch)

    assert Page.objects.get(pk=page.pk).live
    assert credited_authors(page) == {}
    assert outcome(page) == PublicationCheck.Outcome.SELF_APPROVED


# --- duplicates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "disguise",
    [
        pytest.param(lambda t: t.replace("giáo viên", "giáo\u200bviên\u200c"), id="zero-width"),
        pytest.param(
            lambda t: t.replace("chuyên", "chu\u00adyên").replace("Hội", "Hội\u2060"),
            id="soft-hyphen",
        ),
        pytest.param(
            lambda t: t.replace("2026-2027", "２０２６－２０２７").replace(
                "Trường", "\ufeffTrường"
            ),
            id="nfkc",
        ),
        pytest.param(lambda t: t.replace("a", "\u0430").replace("o", "\u043e"), id="cyrillic"),
        pytest.param(
            lambda t: "<p><b>" + t.upper().replace(" ", "&nbsp; ") + "</b></p>", id="markup-case"
        ),
    ],
)
def test_a_disguised_copy_of_a_credited_text_earns_nothing(
    disguise, school_a, school_b, editor_a, board_a, board_b
):
    original = draft_news(school_a, editor_a, body=LONG_TEXT)
    publish(original, board_a)
    editor_b = make_member(school_b, "editor_b")
    copy = draft_news(school_b, editor_b, body=disguise(LONG_TEXT))
    assert copy.body.raw_data[0]["value"] != f"<p>{LONG_TEXT}</p>"
    publish(copy, board_b)

    assert credited_authors(copy) == {}
    check = PublicationCheck.objects.get(page_id=copy.pk)
    assert check.outcome == PublicationCheck.Outcome.DUPLICATE
    assert check.duplicate_of_page_id == original.pk


def test_vietnamese_diacritics_are_not_folded(school_a, editor_a, board_a, teacher_a):
    with_marks = draft_news(school_a, editor_a, body=LONG_TEXT)
    publish(with_marks, board_a)
    without = draft_news(
        school_a,
        teacher_a,
        body="Truong to chuc Hoi thi giao vien day gioi cap truong nam hoc 2026-2027 "
        "voi su tham gia cua tat ca cac to chuyen mon.",
    )
    publish(without, board_a)
    assert credited_authors(without) == {teacher_a.pk: 1}
    assert selectors.normalise_text("Trường") != selectors.normalise_text("Truong")
    assert selectors.normalise_text("Tr\u0432\u043eng") != selectors.normalise_text("Trường")


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("", id="empty"),
        pytest.param("<b> </b>&nbsp;\u200b\u00ad \n", id="markup-and-invisible-only"),
        pytest.param("Ảnh hoạt động.", id="a-few-words"),
    ],
)
def test_a_post_with_no_body_earns_nothing_and_says_why(body, school_a, editor_a, board_a):
    page = draft_news(school_a, editor_a, body=body)
    publish(page, board_a)

    assert credited_authors(page) == {}
    check = PublicationCheck.objects.get(page_id=page.pk)
    assert check.outcome == PublicationCheck.Outcome.TOO_SHORT
    assert check.get_outcome_display().startswith("Bài không có nội dung")


def test_a_new_page_equal_to_a_credited_pages_current_text_earns_nothing(
    school_a, editor_a, board_a, teacher_a
):
    credited = draft_news(school_a, editor_a)
    publish(credited, board_a)
    # The credited page is edited afterwards; its new text is what a copy is compared with.
    draft = Page.objects.get(pk=credited.pk).specific
    draft.body = [("paragraph", f"<p>{LONG_TEXT}</p>")]
    draft.save_revision(user=editor_a)
    publish(credited, board_a)

    copy = draft_news(school_a, teacher_a, body=LONG_TEXT)
    publish(copy, board_a)

    assert credited_authors(copy) == {}
    assert outcome(copy) == PublicationCheck.Outcome.DUPLICATE
    assert PublicationCheck.objects.get(page_id=copy.pk).duplicate_of_page_id == credited.pk


def test_the_rubric_sets_the_minimum_body_length(school_a, editor_a, board_a):
    rubric = services.rubric_for(school_year=services.school_year_for(moment=timezone.now()))
    rubric.min_body_chars = 0
    rubric.save()
    page = draft_news(school_a, editor_a, body="")
    publish(page, board_a)
    assert credited_authors(page) == {editor_a.pk: 1}


def test_refresh_fingerprints_recomputes_stored_fingerprints(school_a, editor_a, board_a):
    page = draft_news(school_a, editor_a, body=LONG_TEXT)
    publish(page, board_a)
    check = PublicationCheck.objects.get(page_id=page.pk)
    expected = check.text_hash
    # A fingerprint stored by an older normalisation.
    PublicationCheck.objects.filter(pk=check.pk).update(text_hash="0" * 64)

    call_command("refresh_fingerprints")

    check.refresh_from_db()
    assert check.text_hash == expected


def test_a_superuser_earns_nothing_for_a_post_of_their_own(school_a, board_a, editor_a):
    admin = UserFactory(username="quantri", is_superuser=True)
    admin.groups.add(school_a.board_group)  # even as a board member of the school
    own = draft_news(school_a, admin)
    publish(own, admin)
    assert outcome(own) == PublicationCheck.Outcome.SELF_APPROVED
    # Approving someone else's post as a board member counts like any board member's.
    other = draft_news(school_a, editor_a)
    publish(other, admin)
    assert credited_authors(other) == {editor_a.pk: 1}


def test_a_scheduled_change_of_author_moves_credit_only_with_a_second_person(
    school_a, editor_a, board_a, board_a2, teacher_a, monkeypatch
):
    page = draft_news(school_a, editor_a)
    publish(page, board_a)
    draft = set_credit(page, author=teacher_a, user=board_a2)
    draft.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    draft.save_revision(user=board_a2)
    # board_a (not the one who set the new author) schedules it.
    publish(page, board_a)
    assert credited_authors(page) == {editor_a.pk: 1}
    _run_publish_scheduled_after(draft.go_live_at, monkeypatch)

    assert Page.objects.get(pk=page.pk).specific.author_id == teacher_a.pk
    assert credited_authors(page) == {teacher_a.pk: 1}
    assert CreditEvent.objects.filter(page_id=page.pk, kind="moved", actor=board_a).count() == 2


def test_the_board_screen_lists_why_a_credit_did_not_count(
    school_a, school_b, editor_a, board_a, board_a2, board_b
):
    empty = draft_news(school_a, editor_a, body="")
    publish(empty, board_a)
    credited = draft_news(school_a, editor_a)
    publish(credited, board_a)
    set_credit(credited, author=board_a2, user=board_a2)
    publish(credited, board_a2, skip_permission_checks=True)
    elsewhere = draft_news(school_b, board_b)
    # Refused by the page permission tester (tests/security/test_two_person.py); the ledger
    # must refuse it too if some route let it through.
    publish(elsewhere, board_b, skip_permission_checks=True)

    flags = {
        c.page_id: (c.get_outcome_display(), c.get_pending_change_display())
        for c in selectors.credit_flags(school_id=school_a.pk)
    }
    assert flags == {
        empty.pk: ("Bài không có nội dung (ngắn hơn mức tối thiểu của thang điểm)", ""),
        credited.pk: ("Được tính điểm", "Tự duyệt bài của mình"),
    }
    assert [c.page_id for c in selectors.credit_flags(school_id=school_b.pk)] == [elsewhere.pk]
