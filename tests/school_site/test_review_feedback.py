"""Review feedback: a Vietnamese confirmation after every review action (dashboard and editor),
the reviewer's comment as a banner on the author's edit form until resubmitted, e-mails linking
to the public page or the edit form, and a board member's own posts shown as waiting for another
board member. Two schools throughout: nothing crosses from one to the other."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core import mail

from district_site.factories import make_member
from school_site.models import NewsPage
from tests.school_site.test_review_workflow import (
    action_url,
    current_task_state,
    draft_news,
    submit,
)

pytestmark = pytest.mark.django_db

HOST = {"HTTP_HOST": "localhost"}


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("approve", "Đã duyệt bài “Hội khỏe Phù Đổng”. Tác giả sẽ nhận được thư báo."),
        ("reject", "Đã gửi yêu cầu chỉnh sửa bài “Hội khỏe Phù Đổng” cho tác giả."),
    ],
)
def test_a_dashboard_review_action_is_confirmed_in_vietnamese(
    client, school_a, school_b, editor_a, board_a, board_b, action, expected
):
    page = draft_news(school_a, editor_a, "Hội khỏe Phù Đổng")
    submit(page, editor_a)
    client.force_login(board_a)
    response = client.post(
        action_url(page, action, current_task_state(page)), {"comment": "Ổn"}, follow=True, **HOST
    )
    assert response.redirect_chain[-1][0] == "/admin/"
    assert expected in _messages(response)

    # The other school's board member cannot act on it, and a crafted "done" confirms nothing.
    client.force_login(board_b)
    response = client.get(f"/admin/review/finished/{page.pk}/?done={action}", follow=True, **HOST)
    assert expected not in _messages(response)


def test_an_editor_review_action_is_confirmed_in_vietnamese(client, school_a, editor_a, board_a):
    from tests.security.test_two_person import editor_post

    page = draft_news(school_a, editor_a, "Hội khỏe Phù Đổng")
    submit(page, editor_a)
    client.force_login(board_a)
    page = NewsPage.objects.get(pk=page.pk)
    data = editor_post(page, "action-workflow-action")
    data["workflow-action-name"] = "approve"
    response = client.post(f"/admin/pages/{page.pk}/edit/", data, follow=True, **HOST)
    page.refresh_from_db()
    assert page.live
    assert "Đã duyệt bài “Hội khỏe Phù Đổng”. Tác giả sẽ nhận được thư báo." in _messages(response)


def test_the_reviewers_comment_is_a_banner_on_the_edit_form_until_resubmitted(
    client, school_a, school_b, editor_a, board_a, board_b
):
    editor_b = make_member(school_b, "editor_b")
    page = draft_news(school_a, editor_a)
    other = draft_news(school_b, editor_b)
    submit(page, editor_a)
    submit(other, editor_b)
    client.force_login(board_a)
    client.post(
        action_url(page, "reject", current_task_state(page)),
        {"comment": "Bổ sung ảnh và nguồn tin."},
        **HOST,
    )

    client.force_login(editor_a)
    body = client.get(f"/admin/pages/{page.pk}/edit/", **HOST).content.decode()
    assert "yêu cầu chỉnh sửa: “Bổ sung ảnh và nguồn tin.”" in body
    assert "board_a" in body or board_a.get_full_name() in body

    # School B's post, still in review, shows no banner to its writer.
    client.force_login(editor_b)
    body = client.get(f"/admin/pages/{other.pk}/edit/", **HOST).content.decode()
    assert "yêu cầu chỉnh sửa:" not in body

    # Resubmitted: the request is answered, the banner goes.
    page = NewsPage.objects.get(pk=page.pk)
    page.save_revision(user=editor_a)
    page.current_workflow_state.resume(editor_a)  # what the editor's "Gửi duyệt lại" does
    client.force_login(editor_a)
    body = client.get(f"/admin/pages/{page.pk}/edit/", **HOST).content.decode()
    assert "Bổ sung ảnh và nguồn tin." not in body


def test_emails_link_to_the_public_page_on_approval_and_the_edit_form_on_changes(
    client, school_a, school_b, editor_a, board_a, django_capture_on_commit_callbacks
):
    approved = draft_news(school_a, editor_a, "Lễ khai giảng")
    changes = draft_news(school_a, editor_a, "Hội thi vẽ tranh")
    submit(approved, editor_a)
    submit(changes, editor_a)
    client.force_login(board_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(action_url(approved, "approve", current_task_state(approved)), **HOST)
    approved.refresh_from_db()
    public = approved.get_full_url()
    assert public.startswith("http://th-a.localhost")
    assert f"Xem bài tại: {public}" in mail.outbox[0].body
    assert "/admin/" not in mail.outbox[0].body
    # The link works: the school's site serves the page.
    host = public.split("/")[2]
    path = "/" + public.split("/", 3)[3]
    assert client.get(path, HTTP_HOST=host.split(":")[0]).status_code == 200

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            action_url(changes, "reject", current_task_state(changes)), {"comment": "Sửa"}, **HOST
        )
    assert f"/admin/pages/{changes.pk}/edit/" in mail.outbox[0].body


def test_a_board_members_own_post_waits_for_another_member_not_for_them(
    client, school_a, school_b, editor_a, board_a, board_b
):
    colleague = make_member(school_a, "board_a2", board=True)
    own = draft_news(school_a, board_a, "Bài của tôi")
    teacher = draft_news(school_a, editor_a, "Bài của giáo viên")
    submit(own, board_a)
    submit(teacher, editor_a)

    client.force_login(board_a)
    body = client.get("/admin/", **HOST).content.decode()
    panel = body.split('id="awaiting-review-section"', 1)[1].split("</section>", 1)[0]
    to_review, own_part = panel.split("data-own-waiting", 1)
    assert "Bài của giáo viên" in to_review and "Bài của tôi" not in to_review
    assert "Bài của tôi" in own_part
    assert "Chờ thành viên khác của Ban quản trị duyệt" in own_part

    # The colleague has both to review; school B's board sees neither.
    client.force_login(colleague)
    body = client.get("/admin/", **HOST).content.decode()
    assert "Bài của tôi" in body and "Bài của giáo viên" in body
    assert "data-own-waiting" not in body
    client.force_login(board_b)
    body = client.get("/admin/", **HOST).content.decode()
    assert "Bài của tôi" not in body and "Bài của giáo viên" not in body
