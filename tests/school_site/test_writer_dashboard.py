"""A writer's dashboard: "Viết bài mới" with each kind of post one click away in their own school,
only the kinds they may add, at a cost that does not grow with the number of schools."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import GroupPagePermission

from district_site.factories import make_member, make_school
from school_site.models import (
    DocumentIndexPage,
    GalleryIndexPage,
    LectureIndexPage,
    NewsIndexPage,
)
from school_site.panels import new_post_links

pytestmark = pytest.mark.django_db

KINDS = ["Tin, bài", "Văn bản", "Bài giảng", "Album ảnh"]


def _section(school, model):
    return model.objects.child_of(school.site.root_page).get()


def _expected_urls(school) -> list[str]:
    return [
        f"/admin/pages/add/school_site/{post}/{_section(school, section).pk}/"
        for section, post in [
            (NewsIndexPage, "newspage"),
            (DocumentIndexPage, "officialdocumentpage"),
            (LectureIndexPage, "lecturepage"),
            (GalleryIndexPage, "gallerypage"),
        ]
    ]


def _dashboard(client, user) -> tuple[int, str]:
    client.force_login(user)
    client.get("/admin/", HTTP_HOST="localhost")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/admin/", HTTP_HOST="localhost")
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _new_post_hrefs(body: str) -> list[str]:
    if 'id="new-post-section"' not in body:
        return []
    panel = body.split('id="new-post-section"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'href="([^"]+)"[^>]*data-new-post', panel)


def test_each_kind_of_post_is_one_click_away_in_the_users_own_school(
    client, school_a, school_b, editor_a, board_a, board_b
):
    editor_b = make_member(school_b, "editor_b")
    for user, school in [(editor_a, school_a), (board_a, school_a), (editor_b, school_b)]:
        links = new_post_links(user)
        assert [link.label for link in links] == KINDS
        assert [link.url for link in links] == _expected_urls(school)
        _, body = _dashboard(client, user)
        assert _new_post_hrefs(body) == _expected_urls(school)
        assert "Viết bài mới" in body

    # The link opens the editor of a new post in the right section.
    client.force_login(editor_a)
    response = client.get(_expected_urls(school_a)[0], HTTP_HOST="localhost")
    assert response.status_code == 200


def test_only_the_kinds_the_user_may_add(client, school_a, school_b, editor_a):
    editor_b = make_member(school_b, "editor_b")
    # School B's editors lose the "add" right: no panel for them; school A keeps it.
    GroupPagePermission.objects.filter(
        group=school_b.editors_group, permission__codename="add_page"
    ).delete()
    assert new_post_links(editor_b) == []
    _, body = _dashboard(client, editor_b)
    assert _new_post_hrefs(body) == []
    assert "Viết bài mới" not in body
    assert [link.label for link in new_post_links(editor_a)] == KINDS


def test_new_post_links_cost_the_same_for_one_or_many_schools(school_a, school_b, editor_a):
    def count() -> int:
        user = type(editor_a).objects.get(pk=editor_a.pk)  # fresh: no per-request caches
        with CaptureQueriesContext(connection) as captured:
            assert len(new_post_links(user)) == 4
        return len(captured)

    before = count()
    for n in range(3):
        make_school(f"th-extra-{n}")
    assert count() == before <= 4


def test_a_section_in_the_page_list_opens_its_posts_newest_first(
    client, school_a, school_b, editor_a
):
    from tests.school_site.test_review_workflow import draft_news, submit

    editor_b = make_member(school_b, "editor_b")
    for user, school in [(editor_a, school_a), (editor_b, school_b)]:
        client.force_login(user)
        root = school.site.root_page
        news = _section(school, NewsIndexPage)
        older = draft_news(school, user, "Bài cũ")
        newer = draft_news(school, user, "Bài mới")
        submit(newer, user)
        body = client.get(f"/admin/pages/{root.pk}/", HTTP_HOST="localhost").content.decode()
        # The section's title opens its posts, not the section's edit form.
        assert f'href="/admin/pages/{news.pk}/" title="Xem các bài trong chuyên mục này"' in body
        body = client.get(f"/admin/pages/{news.pk}/", HTTP_HOST="localhost").content.decode()
        # Posts still open their editor, newest first, each with its review state.
        edit_links = re.findall(r'href="/admin/pages/(\d+)/edit/" title=', body)
        assert edit_links[:2] == [str(newer.pk), str(older.pk)]
        assert body.count("data-opens-posts") == 0
        rows = body.split(f"/admin/pages/{newer.pk}/edit/", 1)[1].split("</tr>", 1)[0]
        assert "kiểm duyệt" in rows or "chờ duyệt" in rows, rows


def test_my_posts_filter_by_review_state(client, school_a, school_b, editor_a, board_a):
    from tests.school_site.test_review_workflow import (
        action_url,
        current_task_state,
        draft_news,
        submit,
    )

    editor_b = make_member(school_b, "editor_b")
    waiting = draft_news(school_a, editor_a, "Bài đang chờ")
    changes = draft_news(school_a, editor_a, "Bài cần sửa")
    approved = draft_news(school_a, editor_a, "Bài đã duyệt")
    for page in (waiting, changes, approved):
        submit(page, editor_a)
    submit(draft_news(school_b, editor_b, "Bài trường B"), editor_b)
    client.force_login(board_a)
    client.post(action_url(changes, "reject", current_task_state(changes)), {"comment": "Sửa"})
    client.post(action_url(approved, "approve", current_task_state(approved)))

    client.force_login(editor_a)

    def titles(query: str) -> list[str]:
        body = client.get(f"/admin/{query}", HTTP_HOST="localhost").content.decode()
        panel = body.split('id="my-submissions-section"', 1)[1].split("</section>", 1)[0]
        return re.findall(r'title="Sửa bài này">([^<]+)</a>', panel)

    assert sorted(titles("")) == ["Bài cần sửa", "Bài đang chờ", "Bài đã duyệt"]
    assert titles("?bai_cua_toi=in_review") == ["Bài đang chờ"]
    assert titles("?bai_cua_toi=changes_requested") == ["Bài cần sửa"]
    assert titles("?bai_cua_toi=approved") == ["Bài đã duyệt"]
    assert sorted(titles("?bai_cua_toi=khac")) == sorted(titles(""))
    client.force_login(editor_b)
    assert titles("?bai_cua_toi=in_review") == ["Bài trường B"]
