"""The counting rules, one at a time, through Wagtail's real publish, unpublish, move, copy,
alias, delete and workflow actions, on two schools."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from wagtail.models import Page

from district_site.factories import UserFactory, make_member
from school_site.models import ContributorGroup, NewsPage
from scoring import selectors, services
from scoring.models import CreditEvent, PublicationCheck, SchoolYear
from tests.scoring.helpers import draft_news, news_index, publish


def year_now() -> SchoolYear:
    from django.utils import timezone

    return services.school_year_for(moment=timezone.now())


def sheet(by="school", **kwargs):
    return {
        row.key(): row
        for row in selectors.score_sheet(school_year=year_now(), by=by, **kwargs)
        if row.pages or row.total
    }


def held(page) -> int:
    return sum(r["n_pages"] for r in selectors.outstanding_credit(page_id=page.pk))


@pytest.fixture
def board_a2(school_a):
    return make_member(school_a, "board_a2", board=True)


def test_board_member_publishing_someone_elses_page_earns_once(
    school_a, school_b, editor_a, board_a, board_b
):
    page = draft_news(school_a, editor_a)
    publish(page, board_a)
    publish(page, board_a)  # republishing never earns again

    schools = sheet()
    assert list(schools) == [(school_a.pk, None, None)]
    assert schools[(school_a.pk, None, None)].pages == 1
    assert schools[(school_a.pk, None, None)].counts["news"] == 1
    assert schools[(school_a.pk, None, None)].points == Decimal("1.00")
    authors = sheet("author")
    assert list(authors) == [(school_a.pk, editor_a.pk, None)]
    # The other school's sheet shows nothing of school A's page.
    assert sheet(school_id=school_b.pk) == {}
    check = PublicationCheck.objects.get(page_id=page.pk)
    assert check.outcome == PublicationCheck.Outcome.EARNED
    assert check.publisher == board_a


def test_self_approved_and_non_board_publications_earn_nothing(
    school_a, school_b, board_a, board_b, editor_a
):
    own = draft_news(school_a, board_a)
    # Past the permission layer, which refuses it too: scoring must not count it either.
    publish(own, board_a, skip_permission_checks=True)
    foreign = draft_news(school_a, editor_a)
    # A board member of another school (only possible past Wagtail's permission check).
    publish(foreign, board_b, skip_permission_checks=True)
    admin = UserFactory(username="superadmin", is_superuser=True)
    by_admin = draft_news(school_a, editor_a)
    publish(by_admin, admin)

    assert sheet() == {}
    outcomes = dict(PublicationCheck.objects.values_list("page_id", "outcome"))
    assert outcomes == {
        own.pk: "self_approved",
        foreign.pk: "not_board",
        by_admin.pk: "not_board",
    }
    # A later publication by a proper board member does not earn: only the first one counts.
    publish(own, make_member(school_a, "board_a2", board=True))
    assert sheet() == {}


def test_unpublish_and_delete_withdraw_and_republishing_restores_one_credit(
    school_a, school_b, editor_a, board_a
):
    first, second = draft_news(school_a, editor_a), draft_news(school_a, editor_a)
    publish(first, board_a)
    publish(second, board_a)
    assert sheet()[(school_a.pk, None, None)].pages == 2

    first.unpublish(user=board_a)
    assert sheet()[(school_a.pk, None, None)].pages == 1
    # The live-page rule: live again (a second person approving), it holds its credit again,
    # and republishing it once more or unpublishing twice never makes it hold two.
    publish(first, board_a)
    assert sheet()[(school_a.pk, None, None)].pages == 2
    publish(first, board_a)
    assert held(first) == 1
    Page.objects.get(pk=first.pk).specific.unpublish(user=board_a)
    # Withdrawing is asked again by each signal of one removal: only the first finds anything.
    assert services.withdraw_page_credit(page_id=first.pk, actor=board_a) == 0
    publish(first, board_a)
    assert held(first) == 1
    kinds = list(
        CreditEvent.objects.filter(page_id=first.pk).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds == ["earned", "withdrawn", "restored", "withdrawn", "restored"]
    # The restoration is in the year and school that earned it, for the same author.
    restored = CreditEvent.objects.filter(page_id=first.pk, kind="restored").last()
    earned = CreditEvent.objects.get(page_id=first.pk, kind="earned")
    assert (restored.school_year_id, restored.school_id, restored.author_id) == (
        earned.school_year_id,
        earned.school_id,
        earned.author_id,
    )
    assert (restored.pages, restored.points, restored.actor) == (1, earned.points, board_a)

    Page.objects.get(pk=second.pk).delete()
    assert sheet()[(school_a.pk, None, None)].pages == 1
    withdrawn = CreditEvent.objects.filter(kind=CreditEvent.Kind.WITHDRAWN)
    assert withdrawn.count() == 3
    assert withdrawn.filter(page_id=first.pk).first().actor == board_a


def test_republishing_restores_only_under_the_two_person_rule(
    school_a, school_b, editor_a, board_a, board_a2, board_b
):
    page = draft_news(school_a, board_a2)
    publish(page, board_a)
    Page.objects.get(pk=page.pk).specific.unpublish(user=board_a)
    # Its own author republishing it (past the permission layer, which refuses it too), or a
    # board member of another school: nothing comes back.
    publish(page, board_a2, skip_permission_checks=True)
    assert held(page) == 0
    Page.objects.get(pk=page.pk).specific.unpublish(user=board_a)
    publish(page, board_b, skip_permission_checks=True)
    assert held(page) == 0
    # A second board member of the school that earned it: restored.
    Page.objects.get(pk=page.pk).specific.unpublish(user=board_a)
    publish(page, board_a)
    assert held(page) == 1
    assert sheet("author") == {
        (school_a.pk, board_a2.pk, None): sheet("author")[(school_a.pk, board_a2.pk, None)]
    }


def test_republishing_does_not_restore_a_duplicate_of_a_page_holding_credit(
    school_a, school_b, editor_a, board_a, board_b
):
    text = "Hội thi giáo viên dạy giỏi cấp trường thu hút tất cả các tổ chuyên môn tham gia."
    original = draft_news(school_a, editor_a, body=text)
    publish(original, board_a)
    Page.objects.get(pk=original.pk).specific.unpublish(user=board_a)
    # While it is withdrawn, the same text elsewhere earns (nothing live holds that text) ...
    editor_b = make_member(school_b, "editor_b")
    copy = draft_news(school_b, editor_b, body=text)
    publish(copy, board_b)
    assert held(copy) == 1
    # ... so the original, live again, does not hold a second credit for the same text.
    publish(original, board_a)
    assert held(original) == 0
    Page.objects.get(pk=copy.pk).specific.unpublish(user=board_b)
    publish(original, board_a)
    assert held(original) == 1


def test_moving_a_page_to_another_school_leaves_its_credit(
    school_a, school_b, editor_a, board_a, board_b
):
    page = draft_news(school_a, editor_a)
    publish(page, board_a)
    # Only the district can move pages between schools (no user: no permission check).
    Page.objects.get(pk=page.pk).move(news_index(school_b), pos="last-child")
    assert list(sheet()) == [(school_a.pk, None, None)]
    # Withdrawing later takes it from where it was earned.
    Page.objects.get(pk=page.pk).specific.unpublish(user=board_b)
    assert sheet() == {}


def test_aliases_and_duplicate_text_earn_nothing_and_duplicates_are_flagged(
    school_a, school_b, editor_a, board_a, board_b
):
    original = draft_news(
        school_a,
        editor_a,
        body="Lễ khai giảng   năm học mới được tổ chức trang trọng tại sân trường.",
    )
    publish(original, board_a)
    original = Page.objects.get(pk=original.pk)
    alias = original.create_alias(parent=news_index(school_b), update_slug="ban-alias")
    # Copying a live page keeps it live: the copy's first publication, by the copier.
    copy = original.copy(
        to=news_index(school_a),
        update_attrs={"slug": "ban-sao", "title": "Bản sao"},
        user=board_a,
    )
    other_editor = make_member(school_b, "editor_b")
    same_text = draft_news(
        school_b,
        other_editor,
        body="LỄ KHAI GIẢNG năm học\nmới được tổ chức trang trọng TẠI SÂN TRƯỜNG.",
    )
    publish(same_text, board_b)

    assert sheet()[(school_a.pk, None, None)].pages == 1
    assert (school_b.pk, None, None) not in sheet()
    outcomes = dict(PublicationCheck.objects.values_list("page_id", "outcome"))
    assert outcomes[same_text.pk] == "duplicate"
    assert outcomes[copy.pk] == "duplicate"
    # The alias is marked when created, so it never earns, not even once Wagtail turns it
    # into an ordinary page because its original was deleted.
    assert outcomes[alias.pk] == "alias"
    Page.objects.get(pk=original.pk).delete()
    converted = Page.objects.get(pk=alias.pk).specific
    assert converted.alias_of_id is None
    converted.save_revision(user=board_b)
    publish(converted, board_b)
    assert sheet() == {}
    flagged = {c.page_id: c.duplicate_of_page_id for c in selectors.flagged_duplicates()}
    assert flagged == {same_text.pk: original.pk, copy.pk: original.pk}
    # Only school B's board sees school B's flags.
    assert [c.page_id for c in selectors.flagged_duplicates(school_id=school_b.pk)] == [
        same_text.pk
    ]


def test_changing_author_or_group_after_credit_moves_it_with_a_second_board_member(
    school_a, school_b, editor_a, board_a, board_a2
):
    teacher = make_member(school_a, "teacher_a")
    maths = ContributorGroup.objects.create(school=school_a, name="Tổ Toán")
    maths.members.add(editor_a, teacher)
    page = draft_news(school_a, editor_a, group=maths)
    publish(page, board_a)
    assert list(sheet("author")) == [(school_a.pk, editor_a.pk, None)]
    assert list(sheet("group")) == [(school_a.pk, None, maths.pk)]

    with pytest.raises(PermissionDenied):
        services.change_credit(
            page=page, author=teacher, contributor_group=None, user=editor_a, reason="Nhầm"
        )
    services.change_credit(
        page=page, author=teacher, contributor_group=None, user=board_a2, reason="Ghi nhầm"
    )
    # board_a2 set the new names: saved as a draft that they may not publish themselves; the
    # credit waits for a second board member (two people for every credit).
    assert Page.objects.get(pk=page.pk).specific.author_id == editor_a.pk
    assert list(sheet("author")) == [(school_a.pk, editor_a.pk, None)]
    with pytest.raises(PermissionDenied):
        publish(page, board_a2)
    # Published past the permission layer anyway, the credit stays, and the board sees why.
    publish(page, board_a2, skip_permission_checks=True)
    assert Page.objects.get(pk=page.pk).specific.author_id == teacher.pk
    assert list(sheet("author")) == [(school_a.pk, editor_a.pk, None)]
    check = PublicationCheck.objects.get(page_id=page.pk)
    assert check.pending_change == PublicationCheck.Outcome.CREDIT_SETTER
    assert check.pending_change_by == board_a2

    publish(page, board_a)
    assert list(sheet("author")) == [(school_a.pk, teacher.pk, None)]
    assert sheet("group") == {}
    assert sheet()[(school_a.pk, None, None)].pages == 1
    moved = CreditEvent.objects.filter(kind=CreditEvent.Kind.MOVED)
    assert sorted(moved.values_list("pages", flat=True)) == [-1, 1]
    assert {e.actor for e in moved} == {board_a}
    check.refresh_from_db()
    assert check.pending_change == ""


def test_workflow_approval_by_a_board_member_earns(school_a, school_b, editor_a, board_a):
    page = draft_news(school_a, editor_a)
    page.get_workflow().start(page, editor_a)
    page = Page.objects.get(pk=page.pk).specific
    page.current_workflow_task_state.approve(user=board_a)
    assert Page.objects.get(pk=page.pk).live
    assert sheet()[(school_a.pk, None, None)].pages == 1
    assert CreditEvent.objects.get(kind="earned").actor == board_a


def test_good_post_mark_and_rubric_points(school_a, school_b, editor_a, board_a):
    year = year_now()
    rubric = services.rubric_for(school_year=year)
    rubric.article_points, rubric.good_post_points = Decimal("2.5"), Decimal("0.5")
    rubric.save()
    marked_before = draft_news(school_a, editor_a, category=NewsPage.Category.ARTICLE)
    services.mark_good_post(page=marked_before, user=board_a)
    publish(marked_before, board_a)
    marked_after = draft_news(school_a, editor_a)
    publish(marked_after, board_a)
    services.mark_good_post(page=marked_after, user=board_a)
    with pytest.raises(PermissionDenied):
        services.mark_good_post(page=marked_after, user=editor_a)

    row = sheet()[(school_a.pk, None, None)]
    assert row.counts["article"] == 1 and row.counts["news"] == 1
    assert row.points == Decimal("3.50")
    assert row.bonus == Decimal("1.00")
    assert row.total == Decimal("4.50")
    # Withdrawing takes the good-post points with it.
    Page.objects.get(pk=marked_after.pk).specific.unpublish(user=board_a)
    assert sheet()[(school_a.pk, None, None)].total == Decimal("3.00")


def test_ledger_is_append_only(school_a, school_b, editor_a, board_a):
    page = draft_news(school_a, editor_a)
    publish(page, board_a)
    event = CreditEvent.objects.get()
    event.points = Decimal(100)
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        CreditEvent.objects.filter(pk=event.pk).update(points=100)
    with pytest.raises(PermissionError):
        CreditEvent.objects.all().delete()
    # The database refuses too, whatever code gets around the ORM.
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE scoring_creditevent SET points = 100")
    assert CreditEvent.objects.get().points == Decimal("1.00")
