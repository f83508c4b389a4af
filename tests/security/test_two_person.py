"""The two-person rule, route by route (DESIGN decision 9).

Nobody makes a content post go live that they wrote (its author), submitted for review, or whose
credit fields (author, group) they last set, unless another board member approves it in the
board's review. Each test below drives one Wagtail route the way a browser or script would;
the rule itself is `school_site.review.may_publish`, asked by the page permission tester.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, Revision, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from district_site.factories import make_member
from school_site import review
from school_site.models import ContributorGroup, NewsPage, SchoolBoardReviewTask
from tests.school_site.test_review_workflow import (
    action_url,
    current_task_state,
    draft_news,
    news_index,
    submit,
)

pytestmark = pytest.mark.django_db


# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture
def board_a2(school_a):
    """A second member of school A's board: the one who may approve board_a's posts."""
    return make_member(school_a, "board_a2", board=True)


def published_by(page, user, *, approver) -> NewsPage:
    """Make `page` live the legitimate way: `user` submits, `approver` approves in the review."""
    submit(page, user)
    task = SchoolBoardReviewTask.objects.get()
    task.on_action(current_task_state(page), approver, "approve")
    page = NewsPage.objects.get(pk=page.pk)
    assert page.live
    return page


def editor_post(page, action: str | None, **overrides) -> dict:
    """The news editor's form as the browser posts it, with one action button pressed."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "category": page.category,
        "date": page.date.isoformat(),
        "intro": page.intro,
        "body": streamfield([]),
        "author": page.author_id or "",
        "contributor_group": page.contributor_group_id or "",
        "comments": inline_formset([]),
    }
    data.update(overrides)
    if action:
        data[action] = "1"
    return nested_form_data(data)


def publish_log_count(page) -> int:
    return PageLogEntry.objects.filter(page=page, action__startswith="wagtail.publish").count()


def review_in_progress(page) -> bool:
    return WorkflowState.objects.filter(
        object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS
    ).exists()


# --- publishing your own post without a second board member ------------------------------------


def test_bulk_publish_of_own_post_is_refused_and_keeps_the_review(client, school_a, board_a):
    own = draft_news(school_a, board_a, "Bài của Ban quản trị gửi duyệt")
    submit(own, board_a)
    client.force_login(board_a)

    url = f"/admin/bulk/wagtailcore/page/publish/?id={own.pk}"
    client.post(url, {"include_descendants": ""})
    # The index page with "include draft subpages" reaches the same post as a descendant.
    index = news_index(school_a)
    client.post(
        f"/admin/bulk/wagtailcore/page/publish/?id={index.pk}", {"include_descendants": "on"}
    )

    own = NewsPage.objects.get(pk=own.pk)
    assert not own.live
    assert publish_log_count(own) == 0
    assert review_in_progress(own)  # bulk publish used to cancel the review too
    assert current_task_state(own).status == TaskState.STATUS_IN_PROGRESS


def test_admin_api_publish_of_own_post_is_refused(client, school_a, board_a):
    own = draft_news(school_a, board_a, "Bài tự đăng qua API")
    submit(own, board_a)
    client.force_login(board_a)

    response = client.post(
        f"/admin/api/main/pages/{own.pk}/action/publish/",
        data=json.dumps({}),
        content_type="application/json",
    )

    assert response.status_code in (302, 403, 404)
    own = NewsPage.objects.get(pk=own.pk)
    assert not own.live
    assert review_in_progress(own)


def test_copy_with_publish_copies_of_own_post_makes_no_live_copy(
    client, school_a, board_a, board_a2
):
    own = published_by(
        draft_news(school_a, board_a, "Bài đã duyệt của Ban quản trị"), board_a, approver=board_a2
    )
    client.force_login(board_a)

    client.post(
        f"/admin/pages/{own.pk}/copy/",
        {
            "new_title": "Bản sao tự đăng",
            "new_slug": "ban-sao-tu-dang",
            "new_parent_page": news_index(school_a).pk,
            "copy_subpages": "",
            "publish_copies": "on",
            "alias": "",
        },
    )
    # The admin API's copy action publishes copies unless told otherwise (keep_live=True).
    client.post(
        f"/admin/api/main/pages/{own.pk}/action/copy/",
        data=json.dumps({"slug": "ban-sao-qua-api", "title": "Bản sao qua API"}),
        content_type="application/json",
    )

    assert not NewsPage.objects.filter(author=board_a, live=True).exclude(pk=own.pk).exists()


def test_create_and_publish_in_one_step_is_refused(client, school_a, board_a):
    client.force_login(board_a)
    index = news_index(school_a)
    draft = NewsPage(title="Tin mới", slug="tin-moi", date=timezone.localdate())

    client.post(
        f"/admin/pages/add/school_site/newspage/{index.pk}/",
        editor_post(draft, "action-publish", author=board_a.pk),
    )

    assert not NewsPage.objects.filter(slug="tin-moi", live=True).exists()


def test_edit_and_publish_after_setting_yourself_as_author_of_a_colleagues_post(
    client, school_a, editor_a, board_a, board_a2
):
    colleague = published_by(
        draft_news(school_a, editor_a, "Bài của giáo viên đã đăng"), editor_a, approver=board_a2
    )
    client.force_login(board_a)

    client.post(
        f"/admin/pages/{colleague.pk}/edit/",
        editor_post(colleague, "action-publish", author=board_a.pk),
    )

    colleague = NewsPage.objects.get(pk=colleague.pk)
    assert colleague.author_id == editor_a.pk  # the live version still credits the teacher
    assert colleague.live_revision.as_object().author_id == editor_a.pk
    assert publish_log_count(colleague) == 1


def test_a_colleague_set_as_author_of_your_own_text_cannot_be_published_by_you(
    client, school_a, editor_a, board_a
):
    own = draft_news(school_a, board_a, "Bài do Ban quản trị viết")
    client.force_login(board_a)
    # Save the draft with the teacher as author (this makes board_a the credit setter) ...
    client.post(f"/admin/pages/{own.pk}/edit/", editor_post(own, None, author=editor_a.pk))
    own = NewsPage.objects.get(pk=own.pk)
    assert own.author_id == editor_a.pk and own.credit_set_by_id == board_a.pk
    # ... then press "Publish".
    client.post(f"/admin/pages/{own.pk}/edit/", editor_post(own, "action-publish"))

    own = NewsPage.objects.get(pk=own.pk)
    assert not own.live
    assert publish_log_count(own) == 0


def test_scheduled_publication_of_own_post_is_refused(client, school_a, board_a):
    own = draft_news(school_a, board_a, "Bài hẹn giờ đăng")
    own.go_live_at = timezone.now() + datetime.timedelta(hours=2)
    own.save_revision(user=board_a)
    client.force_login(board_a)

    # From the editor, with a go-live date ...
    client.post(
        f"/admin/pages/{own.pk}/edit/",
        editor_post(own, "action-publish", go_live_at="2099-01-01 07:00"),
    )
    # ... and by the bulk action on the draft that carries a go-live date.
    client.post(f"/admin/bulk/wagtailcore/page/publish/?id={own.pk}", {"include_descendants": ""})

    assert not Revision.page_revisions.filter(
        object_id=str(own.pk), approved_go_live_at__isnull=False
    ).exists()
    assert not PageLogEntry.objects.filter(page=own, action="wagtail.publish.schedule").exists()
    # The scheduler publishes only revisions approved for publication: none here.
    call_command("publish_scheduled")
    own = NewsPage.objects.get(pk=own.pk)
    assert not own.live


def test_revert_and_publish_a_version_whose_credit_you_set_is_refused(
    client, school_a, editor_a, board_a, board_a2
):
    # board_a wrote the text and credited the teacher; board_a2 approved it: two people.
    page = NewsPage(
        title="Bài ghi công cho giáo viên",
        author=editor_a,
        credit_set_by=board_a,
        owner=board_a,
        live=False,
    )
    news_index(school_a).add_child(instance=page)
    page.save_revision(user=board_a)
    page = published_by(NewsPage.objects.get(pk=page.pk), board_a, approver=board_a2)
    approved = page.live_revision
    # Later the teacher edits the draft.
    page.title = "Bài ghi công cho giáo viên (sửa)"
    page.save_revision(user=editor_a)
    client.force_login(board_a)

    client.post(
        f"/admin/pages/{page.pk}/revisions/{approved.pk}/revert/",
        editor_post(approved.as_object(), "action-publish"),
    )

    page = NewsPage.objects.get(pk=page.pk)
    assert page.live_revision_id == approved.pk
    assert publish_log_count(page) == 1


# --- the same decisions, asked of the permission tester directly -------------------------------


def test_the_tester_refuses_publish_for_author_submitter_and_credit_setter(
    school_a, editor_a, board_a, board_a2
):
    writer_post = draft_news(school_a, editor_a, "Bài của giáo viên")
    assert writer_post.permissions_for_user(board_a).can_publish()
    assert not writer_post.permissions_for_user(editor_a).can_publish()

    submit(writer_post, board_a)  # board_a submitted it
    fresh = Page.objects.get(pk=writer_post.pk)  # a plain Page, as listings hold it
    assert not fresh.permissions_for_user(board_a).can_publish()
    assert Page.objects.get(pk=writer_post.pk).permissions_for_user(board_a2).can_publish()

    own = draft_news(school_a, board_a, "Bài của Ban quản trị")
    assert not own.permissions_for_user(board_a).can_publish()
    assert own.permissions_for_user(board_a2).can_publish()
    # Creating and publishing at once in a content section: never without the review.
    assert not news_index(school_a).permissions_for_user(board_a).can_publish_subpage()
    # Non-content pages keep Wagtail's permissions.
    assert news_index(school_a).permissions_for_user(board_a).can_publish()
    # Withdrawing a schedule publishes nothing: the author may still do it.
    assert own.permissions_for_user(board_a).can_unschedule()


def test_credit_set_in_a_draft_revision_blocks_its_setter(school_a, editor_a, board_a, board_a2):
    """What counts is the revision that would go live, not the live row."""
    page = published_by(
        draft_news(school_a, editor_a, "Bài của giáo viên"), editor_a, approver=board_a2
    )
    draft = page.get_latest_revision_as_object()
    draft.author = board_a
    draft.credit_set_by = board_a
    draft.save_revision(user=board_a)

    row = Page.objects.get(pk=page.pk)
    assert not row.permissions_for_user(board_a).can_publish()
    assert row.permissions_for_user(board_a2).can_publish()


# --- who may approve ---------------------------------------------------------------------------


def test_another_board_member_approves_a_board_members_post(client, school_a, board_a, board_a2):
    own = draft_news(school_a, board_a, "Bài của Ban quản trị chờ duyệt")
    submit(own, board_a)
    client.force_login(board_a2)
    response = client.post(action_url(own, "approve", current_task_state(own)), {"comment": ""})
    assert response.status_code == 302
    own = NewsPage.objects.get(pk=own.pk)
    assert own.live
    assert PageLogEntry.objects.get(page=own, action="wagtail.publish").user_id == board_a2.pk


def test_the_principal_approves_a_teachers_post(client, school_a, editor_a):
    principal = make_member(school_a, "principal_a", board=True)
    school_a.principal = principal
    school_a.save()
    post = draft_news(school_a, editor_a, "Bài của giáo viên chờ Hiệu trưởng duyệt")
    submit(post, editor_a)
    client.force_login(principal)
    response = client.post(action_url(post, "approve", current_task_state(post)), {"comment": ""})
    assert response.status_code == 302
    assert NewsPage.objects.get(pk=post.pk).live


def test_whoever_set_the_credit_during_the_review_cannot_approve_it(
    client, school_a, editor_a, board_a, board_a2
):
    group = ContributorGroup.objects.create(school=school_a, name="Tổ Toán")
    group.members.add(editor_a)
    post = draft_news(school_a, editor_a, "Bài của giáo viên, Ban quản trị gắn tổ")
    submit(post, editor_a)
    client.force_login(board_a)
    # board_a adds the group while reviewing (saving a revision makes them the credit setter).
    client.post(
        f"/admin/pages/{post.pk}/edit/", editor_post(post, None, contributor_group=group.pk)
    )
    latest = NewsPage.objects.get(pk=post.pk).get_latest_revision_as_object()
    assert latest.contributor_group_id == group.pk and latest.credit_set_by_id == board_a.pk

    task = SchoolBoardReviewTask.objects.get()
    assert [a[0] for a in task.get_actions(Page.objects.get(pk=post.pk), board_a)] == ["reject"]
    response = client.post(action_url(post, "approve", current_task_state(post)), {"comment": ""})
    assert response.status_code in (302, 403)
    assert not NewsPage.objects.get(pk=post.pk).live

    client.force_login(board_a2)
    client.post(action_url(post, "approve", current_task_state(post)), {"comment": ""})
    # WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT: that approved the submitted revision, and
    # Wagtail restarted the review for board_a's edited one, which board_a2 approves as well.
    assert not NewsPage.objects.get(pk=post.pk).live
    assert [a[0] for a in task.get_actions(Page.objects.get(pk=post.pk), board_a)] == ["reject"]
    client.post(action_url(post, "approve", current_task_state(post)), {"comment": ""})
    post = NewsPage.objects.get(pk=post.pk)
    assert post.live
    assert post.contributor_group_id == group.pk


def test_a_board_member_publishes_a_colleagues_post_directly(client, school_a, editor_a, board_a):
    post = draft_news(school_a, editor_a, "Bài của giáo viên đăng thẳng")
    client.force_login(board_a)
    client.post(f"/admin/pages/{post.pk}/edit/", editor_post(post, "action-publish"))
    assert NewsPage.objects.get(pk=post.pk).live


def test_the_editor_offers_no_publish_button_where_it_would_be_refused(
    client, school_a, editor_a, board_a
):
    own = draft_news(school_a, board_a, "Bài của Ban quản trị")
    colleague = draft_news(school_a, editor_a, "Bài của giáo viên")
    client.force_login(board_a)
    own_form = client.get(f"/admin/pages/{own.pk}/edit/").content.decode()
    colleague_form = client.get(f"/admin/pages/{colleague.pk}/edit/").content.decode()
    assert 'name="action-publish"' not in own_form
    assert 'name="action-publish"' in colleague_form
    add_form = client.get(
        f"/admin/pages/add/school_site/newspage/{news_index(school_a).pk}/"
    ).content.decode()
    assert 'name="action-publish"' not in add_form


def test_setting_yourself_as_author_and_publishing_in_one_step_explains_why(
    client, school_a, editor_a, board_a
):
    post = draft_news(school_a, editor_a, "Bài của giáo viên")
    client.force_login(board_a)
    response = client.post(
        f"/admin/pages/{post.pk}/edit/", editor_post(post, "action-publish", author=board_a.pk)
    )
    assert response.status_code == 200
    assert review.CREDIT_CHANGE_NEEDS_REVIEW in response.content.decode()
    post = NewsPage.objects.get(pk=post.pk)
    assert not post.live and post.author_id == editor_a.pk


# --- superusers keep their rights --------------------------------------------------------------


def test_a_superuser_still_publishes_their_own_post(client, school_a):
    # A superuser on the school's board, so the editor form accepts them as the post's author.
    admin = make_member(school_a, "quantri", board=True, is_superuser=True, is_staff=True)
    own = draft_news(school_a, admin, "Bài của quản trị hệ thống")
    client.force_login(admin)
    client.post(f"/admin/pages/{own.pk}/edit/", editor_post(own, "action-publish"))
    assert NewsPage.objects.get(pk=own.pk).live
    assert news_index(school_a).permissions_for_user(admin).can_publish_subpage()


# --- the explorer asks the tester for every row: its cost must not grow with the rows --------


def _explorer_queries(client, index) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(f"/admin/pages/{index.pk}/")  # warm caches (content types, site root paths)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/admin/pages/{index.pk}/")
    assert response.status_code == 200
    return len(captured)


def _add_posts(school, writers, n: int) -> None:
    for i in range(n):
        writer = writers[i % len(writers)]
        post = draft_news(school, writer, f"Bài số {i} của {writer.username}")
        if i % 2:
            submit(post, writer)


def test_the_explorer_costs_the_same_with_2_or_10_posts(client, school_a, editor_a, board_a):
    index = news_index(school_a)
    client.force_login(board_a)
    _add_posts(school_a, [editor_a, board_a], 2)
    with_two = _explorer_queries(client, index)
    _add_posts(school_a, [editor_a, board_a], 8)
    with_ten = _explorer_queries(client, index)
    assert with_two == with_ten
