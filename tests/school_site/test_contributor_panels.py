"""A contributor's dashboard: "Bản nháp của tôi" and "Bài đã gửi duyệt", own school only, the
state of each submission as the board decides, and a cost that does not grow with pages."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from district_site.factories import make_member
from school_site.models import NewsPage
from school_site.panels import (
    APPROVED,
    CHANGES_REQUESTED,
    IN_REVIEW,
    my_drafts,
    my_submissions,
)
from tests.school_site.test_review_workflow import (
    action_url,
    current_task_state,
    draft_news,
    submit,
)

pytestmark = pytest.mark.django_db


def _dashboard(client, user) -> tuple[int, str]:
    """The user's dashboard HTML and its query count, caches warm."""
    client.force_login(user)
    client.get("/admin/", HTTP_HOST="localhost")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/admin/", HTTP_HOST="localhost")
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _section(body: str, panel_id: str) -> str:
    return body.split(f'id="{panel_id}-section"', 1)[1].split("</section>", 1)[0]


def _titles(section: str) -> list[str]:
    return re.findall(
        r'<td class="title">\s*<div class="title-wrapper">\s*<a [^>]*>([^<]+)</a>', section
    )


def _states(section: str) -> list[str]:
    return re.findall(r'data-state="([a-z_]+)"', section)


def test_drafts_are_own_unpublished_pages_of_own_school_newest_first(
    client, school_a, school_b, editor_a, board_a
):
    editor_b = make_member(school_b, "editor_b")
    other_writer = make_member(school_a, "editor_a2")
    first = draft_news(school_a, editor_a, "Kế hoạch tháng 9")
    second = draft_news(school_a, editor_a, "Kế hoạch tháng 10")
    draft_news(school_a, other_writer, "Bài của đồng nghiệp")
    draft_news(school_b, editor_b, "Bản nháp trường B")
    # Written by a colleague but credited to editor_a: theirs as the author.
    credited = draft_news(school_a, other_writer, "Bài ghi công cho tôi")
    credited.author = editor_a
    credited.save_revision(user=other_writer)
    NewsPage.objects.filter(pk=credited.pk).update(author=editor_a)
    in_review = draft_news(school_a, editor_a, "Bài đang chờ duyệt")
    submit(in_review, editor_a)
    published = draft_news(school_a, editor_a, "Bài đã đăng")
    published.save_revision(user=editor_a).publish(user=board_a)

    assert [p.pk for p in my_drafts(editor_a)] == [credited.pk, second.pk, first.pk]
    assert [p.title for p in my_drafts(editor_b)] == ["Bản nháp trường B"]

    _, body = _dashboard(client, editor_a)
    drafts = _section(body, "my-drafts")
    assert _titles(drafts) == ["Bài ghi công cho tôi", "Kế hoạch tháng 10", "Kế hoạch tháng 9"]
    assert f"/admin/pages/{first.pk}/edit/" in drafts
    assert "trường B" not in body
    assert "Bài của đồng nghiệp" not in body


def test_submission_states_follow_the_boards_decisions(
    client, school_a, school_b, editor_a, board_a
):
    editor_b = make_member(school_b, "editor_b")
    board_b = make_member(school_b, "board_b", board=True)
    waiting = draft_news(school_a, editor_a, "Hội khỏe Phù Đổng")
    returned = draft_news(school_a, editor_a, "Lễ khai giảng")
    accepted = draft_news(school_a, editor_a, "Tết Trung thu")
    for page in (waiting, returned, accepted):
        submit(page, editor_a)
    other_school = draft_news(school_b, editor_b, "Bé vui đến trường")
    submit(other_school, editor_b)

    client.force_login(board_a)
    client.post(
        action_url(returned, "reject", current_task_state(returned)),
        {"comment": "Bổ sung ảnh và nguồn tin."},
    )
    client.post(action_url(accepted, "approve", current_task_state(accepted)), {"comment": ""})
    client.force_login(board_b)
    client.post(action_url(other_school, "approve", current_task_state(other_school)))

    states = {s.title: s for s in my_submissions(editor_a)}
    assert set(states) == {"Hội khỏe Phù Đổng", "Lễ khai giảng", "Tết Trung thu"}
    assert states["Hội khỏe Phù Đổng"].state == IN_REVIEW
    assert states["Hội khỏe Phù Đổng"].reviewer is None
    assert states["Lễ khai giảng"].state == CHANGES_REQUESTED
    assert states["Lễ khai giảng"].comment == "Bổ sung ảnh và nguồn tin."
    assert states["Lễ khai giảng"].reviewer == board_a
    assert states["Tết Trung thu"].state == APPROVED
    assert NewsPage.objects.get(pk=accepted.pk).live
    assert [s.title for s in my_submissions(editor_b)] == ["Bé vui đến trường"]

    _, body = _dashboard(client, editor_a)
    section = _section(body, "my-submissions")
    assert sorted(_states(section)) == sorted([IN_REVIEW, CHANGES_REQUESTED, APPROVED])
    assert "Ban quản trị yêu cầu chỉnh sửa" in section
    assert "Bổ sung ảnh và nguồn tin." in section
    assert "Đang chờ Ban quản trị duyệt" in section
    assert "Đã duyệt và xuất bản" in section
    assert "Bé vui đến trường" not in body
    # The page sent back is a draft again; the waiting one is not.
    drafts = _titles(_section(body, "my-drafts"))
    assert "Lễ khai giảng" in drafts
    assert "Hội khỏe Phù Đổng" not in drafts

    # Resubmitted (the editor's "Gửi duyệt" resumes the review): in progress again.
    returned = NewsPage.objects.get(pk=returned.pk)
    returned.save_revision(user=editor_a)
    returned.current_workflow_state.resume(editor_a)
    states = {s.title: s for s in my_submissions(editor_a)}
    assert len(my_submissions(editor_a)) == 3
    assert states["Lễ khai giảng"].state == IN_REVIEW
    assert states["Lễ khai giảng"].comment == ""


def test_board_members_and_other_schools_users_get_no_contributor_panels(
    client, school_a, school_b, editor_a, board_a
):
    draft_news(school_a, editor_a, "Kế hoạch tháng 9")
    _, body = _dashboard(client, board_a)
    assert 'id="my-drafts-section"' not in body
    assert 'id="my-submissions-section"' not in body
    _, body = _dashboard(client, make_member(school_b, "editor_b"))
    assert "Bạn không có bản nháp nào" in body
    assert "Kế hoạch tháng 9" not in body


def test_dashboard_queries_equal_with_2_and_10_drafts_and_submissions(
    client, school_a, school_b, editor_a, board_a
):
    editor_b = make_member(school_b, "editor_b")

    def add(n_from: int, n_to: int) -> None:
        for i in range(n_from, n_to):
            draft_news(school_a, editor_a, f"Bản nháp {i}")
            page = draft_news(school_a, editor_a, f"Bài gửi duyệt {i}")
            submit(page, editor_a)
            draft_news(school_b, editor_b, f"Bài trường B {i}")
        returned = draft_news(school_a, editor_a, f"Bài bị trả {n_from}")
        submit(returned, editor_a)
        client.force_login(board_a)
        client.post(
            action_url(returned, "reject", current_task_state(returned)),
            {"comment": "Sửa lại tiêu đề."},
        )

    add(0, 2)
    with_two, body = _dashboard(client, editor_a)
    assert len(_titles(_section(body, "my-drafts"))) == 3
    assert len(_titles(_section(body, "my-submissions"))) == 3

    add(2, 10)
    with_ten, body = _dashboard(client, editor_a)
    assert len(_titles(_section(body, "my-drafts"))) == 10  # the newest ten
    assert len(_titles(_section(body, "my-submissions"))) == 10
    assert with_two == with_ten


def test_each_panel_is_one_query(school_a, editor_a, django_assert_num_queries):
    for i in range(3):
        draft_news(school_a, editor_a, f"Bản nháp {i}")
        submit(draft_news(school_a, editor_a, f"Bài gửi duyệt {i}"), editor_a)
    my_drafts(editor_a)  # the user's groups, once per request
    with django_assert_num_queries(1):
        assert len(my_drafts(editor_a)) == 3
    with django_assert_num_queries(1):
        assert len(my_submissions(editor_a)) == 3


def test_the_guide_is_in_every_school_users_menu_and_in_vietnamese(
    client, school_a, school_b, editor_a, board_a
):
    for user in (editor_a, board_a, make_member(school_b, "editor_b")):
        client.force_login(user)
        body = client.get("/admin/", HTTP_HOST="localhost").content.decode()
        assert '"/admin/guide/"' in body  # the sidebar menu (its labels are JSON-escaped)
        response = client.get("/admin/guide/", HTTP_HOST="localhost")
        assert response.status_code == 200
        guide = response.content.decode()
        assert "<title>Hướng dẫn viết bài" in guide
        for heading in (
            "Gửi duyệt",
            "Yêu cầu chỉnh sửa",
            "Điểm thi đua",
            "Tổ chức / tổ chuyên môn",
        ):
            assert heading.lower() in guide.lower()
        assert "một thành viên khác" in guide
    client.logout()
    assert client.get("/admin/guide/", HTTP_HOST="localhost").status_code == 302
