"""The board's review end to end, in a real Chromium against the live server.

School A has switched on the group leader's first step. A teacher of school A writes a news
item with an image, credits it to their group and submits it; a board member of school B cannot
find it anywhere; the group's leader approves the first step from the dashboard; A's board asks
for changes with a comment; the teacher edits and resubmits (back to the board, whose step asked
for the changes); A's board approves; the item is on A's public site and news list, not on B's.

Buttons are found by their name or data attributes, never by their labels: the admin follows
each user's language and the labels are translated.
"""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from django.core import mail
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from playwright.sync_api import expect
from wagtail.images.models import Image
from wagtail.models import TaskState

from district_site.factories import DEFAULT_PASSWORD, make_member
from school_site import leader_review
from school_site.models import (
    ContributorGroup,
    GroupLeaderReviewTask,
    NewsIndexPage,
    NewsPage,
    SchoolBoardReviewTask,
)

from .conftest import site_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Học sinh trường A đạt giải Hội khỏe Phù Đổng"
INTRO_FIRST = "Đội tuyển điền kinh của trường đạt ba huy chương."
INTRO_FIXED = "Đội tuyển điền kinh của trường đạt ba huy chương vàng cấp huyện."
COMMENT = "Ghi rõ cấp giải (cấp huyện hay cấp tỉnh) trong phần tóm tắt."
IMAGE_A = "Ảnh lễ trao giải trường A"
IMAGE_B = "Ảnh kín của trường B"


def make_image(collection, title: str, colour: tuple[int, int, int]) -> Image:
    """A real JPEG drawn with Pillow, in the school's own collection."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 400), colour).save(buffer, format="JPEG")
    return Image.objects.create(
        title=title,
        file=ImageFile(io.BytesIO(buffer.getvalue()), name="trao-giai.jpg"),
        collection=collection,
    )


def logged_in(browser, base: str, user):
    """A fresh browser context (own cookies) with `user` logged in to the admin."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return page


def open_action_menu(page) -> None:
    """Open the dropdown of the editor's footer action menu (submit, workflow actions)."""
    page.locator("footer .w-dropdown-button .w-dropdown__toggle").click()


def task_state_of(news: NewsPage) -> TaskState:
    return (
        TaskState.objects.filter(workflow_state__object_id=str(news.pk))
        .order_by("-pk")
        .select_related("workflow_state")
        .first()
    )


def test_news_item_reviewed_by_its_own_schools_board_end_to_end(
    migrated_rows, live_server, browser, screenshot, school_a, school_b, editor_a, board_a, board_b
):
    base = site_url(live_server, "localhost")
    news_index = NewsIndexPage.objects.child_of(school_a.site.root_page).get()
    image_a = make_image(school_a.collection, IMAGE_A, (200, 40, 40))
    make_image(school_b.collection, IMAGE_B, (40, 40, 200))
    leader_a = make_member(school_a, "leader_a", first_name="Hùng", last_name="Trần Văn")
    group = ContributorGroup.objects.create(school=school_a, name="Tổ Thể dục", leader=leader_a)
    group.members.add(editor_a, leader_a)
    leader_review.set_leader_review(school=school_a, enabled=True)

    # 0. The teacher starts from the dashboard's "Viết bài mới", saves a draft and abandons it.
    teacher = logged_in(browser, base, editor_a)
    new_news = teacher.locator("#new-post-section a[data-new-post]", has_text="Tin, bài")
    new_news.click()
    teacher.wait_for_url(f"**/admin/pages/add/school_site/newspage/{news_index.pk}/")
    teacher.locator("#id_title").fill(TITLE)
    teacher.locator("#id_title").press("Tab")  # the title -> slug sync runs on change
    # Saving before the sync has run would send an empty slug.
    expect(teacher.locator("#id_slug")).to_have_value(
        "hoc-sinh-truong-a-dat-giai-hoi-khoe-phu-dong"
    )
    teacher.locator("button.action-save").first.click()
    teacher.wait_for_url("**/edit/**")
    screenshot(teacher, "teacher-abandons-a-draft")
    teacher.goto(f"{base}/admin/")
    abandoned = NewsPage.objects.get(title=TITLE)

    # 1. The teacher starts again with the same title (no "slug in use": the next free slug),
    # chooses an image of the school and submits it.
    teacher.locator("#new-post-section a[data-new-post]", has_text="Tin, bài").click()
    teacher.wait_for_url(f"**/admin/pages/add/school_site/newspage/{news_index.pk}/")
    teacher.locator("#id_title").fill(TITLE)
    teacher.locator("#id_intro").fill(INTRO_FIRST)
    teacher.locator("#id_contributor_group").select_option(str(group.pk))
    teacher.locator("#id_feed_image-chooser .chooser__choose-button").click()
    modal = teacher.locator(".modal-dialog")
    choice = modal.locator("[data-chooser-modal-choice]", has_text=IMAGE_A)
    expect(choice.first).to_be_visible()
    expect(modal).not_to_contain_text(IMAGE_B)  # B's image is not offered to A's teacher
    screenshot(teacher, "teacher-chooses-an-image")
    choice.first.click()
    expect(teacher.locator("#id_feed_image-chooser [data-chooser-title]")).to_have_text(IMAGE_A)
    expect(teacher.locator("#id_slug")).to_have_value(
        "hoc-sinh-truong-a-dat-giai-hoi-khoe-phu-dong"
    )
    screenshot(teacher, "teacher-wrote-the-news-item")

    open_action_menu(teacher)
    teacher.locator("button[name=action-submit]").click()
    teacher.wait_for_url(lambda url: "/add/" not in url)
    expect(teacher.locator(".messages")).to_be_visible()
    screenshot(teacher, "teacher-submitted-for-review")
    teacher.goto(f"{base}/admin/")  # leave the editor before reading the database

    news = NewsPage.objects.exclude(pk=abandoned.pk).get(title=TITLE)
    assert news.slug == abandoned.slug + "-2"
    assert news.get_parent().pk == news_index.pk
    assert not news.live
    assert news.author_id == editor_a.pk
    first_step = task_state_of(news)
    assert first_step.status == TaskState.STATUS_IN_PROGRESS
    assert isinstance(first_step.task.specific, GroupLeaderReviewTask)
    assert first_step.workflow_state.requested_by_id == editor_a.pk
    assert news.get_latest_revision_as_object().feed_image_id == image_a.pk

    # 2. A board member of school B cannot find it: dashboard, explorer, search, direct URLs.
    outsider = logged_in(browser, base, board_b)
    expect(outsider.locator("main")).to_be_visible()
    expect(outsider.locator("body")).not_to_contain_text(TITLE)
    screenshot(outsider, "other-school-dashboard")
    outsider.goto(f"{base}/admin/pages/")
    expect(outsider.locator("body")).not_to_contain_text(TITLE)
    outsider.goto(f"{base}/admin/pages/{news_index.pk}/")
    expect(outsider.locator("body")).not_to_contain_text(TITLE)
    outsider.goto(f"{base}/admin/pages/search/?q={quote('Hội khỏe Phù Đổng')}")
    expect(outsider.locator("body")).not_to_contain_text(TITLE)
    screenshot(outsider, "other-school-search-finds-nothing")
    for url in (
        f"/admin/pages/{news.pk}/edit/",
        f"/admin/pages/{news.pk}/view_draft/",
        f"/admin/pages/{news.pk}/history/",
    ):
        outsider.goto(f"{base}{url}")
        expect(outsider).to_have_url(f"{base}/admin/")  # refused: back to the dashboard
        expect(outsider.locator("body")).not_to_contain_text(TITLE)
    screenshot(outsider, "other-school-direct-url-refused")
    outsider.context.close()

    # 3. The group's leader approves the first step from the dashboard; A's board had not been
    # asked before that.
    reviewer = logged_in(browser, base, board_a)
    expect(reviewer.locator("main")).not_to_contain_text(TITLE)
    leader = logged_in(browser, base, leader_a)
    row = leader.locator("#awaiting-review-section tr", has_text=TITLE)
    expect(row.locator("[data-leader-step]")).to_be_visible()
    screenshot(leader, "leader-dashboard-shows-the-first-step")
    row.locator(".w-dropdown__toggle").click()
    row.locator("button[data-workflow-action-url*='/approve/']:not([data-launch-modal])").click()
    expect(leader.locator("#awaiting-review-section tr", has_text=TITLE)).to_have_count(0)
    expect(leader.locator(".messages")).to_contain_text(f"Đã duyệt bài “{TITLE}”")
    screenshot(leader, "leader-approved-the-first-step")
    first_step.refresh_from_db()
    assert first_step.status == TaskState.STATUS_APPROVED
    assert first_step.finished_by_id == leader_a.pk
    state = task_state_of(news)
    assert isinstance(state.task.specific, SchoolBoardReviewTask)
    assert state.status == TaskState.STATUS_IN_PROGRESS
    news.refresh_from_db()
    assert not news.live

    # 4. A's board member finds it on the dashboard and requests changes with a comment.
    reviewer.goto(f"{base}/admin/")
    expect(reviewer.locator("main")).to_contain_text(TITLE)
    screenshot(reviewer, "board-dashboard-shows-the-review")
    reviewer.goto(f"{base}/admin/pages/{news.pk}/edit/")
    expect(reviewer.locator("#id_title")).to_have_value(TITLE)
    open_action_menu(reviewer)
    reviewer.locator("button[data-workflow-action-name=reject]").click()
    comment = reviewer.locator(".modal-dialog textarea[name=comment]")
    expect(comment).to_be_visible()
    comment.fill(COMMENT)
    screenshot(reviewer, "board-requests-changes-with-a-comment")
    reviewer.locator(".modal-dialog button[type=submit]").click()
    expect(reviewer.locator(".messages")).to_be_visible()
    screenshot(reviewer, "board-requested-changes")
    reviewer.goto(f"{base}/admin/")

    state.refresh_from_db()
    assert state.status == TaskState.STATUS_REJECTED
    assert state.comment == COMMENT
    assert state.finished_by_id == board_a.pk
    news.refresh_from_db()
    assert not news.live

    # 5. The teacher sees the comment, edits the summary and resubmits.
    teacher.goto(f"{base}/admin/pages/{news.pk}/edit/")
    expect(teacher.locator("body")).to_contain_text(COMMENT)
    teacher.locator("#id_intro").fill(INTRO_FIXED)
    screenshot(teacher, "teacher-edits-after-the-comment")
    open_action_menu(teacher)
    teacher.locator("button[name=action-submit]").click()
    expect(teacher.locator(".messages")).to_be_visible()
    screenshot(teacher, "teacher-resubmitted")
    teacher.goto(f"{base}/admin/")

    resubmitted = task_state_of(news)
    assert resubmitted.pk != state.pk
    assert resubmitted.status == TaskState.STATUS_IN_PROGRESS
    # Changes asked by the board go back to the board (Wagtail resumes the step that asked).
    assert isinstance(resubmitted.task.specific, SchoolBoardReviewTask)
    news.refresh_from_db()
    assert not news.live

    # 6. A's board member approves from the dashboard's "awaiting your review" panel: the item
    # is published. (The panel posts the action for the submitted revision as it is.)
    reviewer.goto(f"{base}/admin/")
    row = reviewer.locator("#awaiting-review-section tr", has_text=TITLE)
    expect(row).to_be_visible()
    screenshot(reviewer, "board-dashboard-shows-the-resubmitted-item")
    row.locator(".w-dropdown__toggle").click()
    row.locator("button[data-workflow-action-url*='/approve/']:not([data-launch-modal])").click()
    expect(reviewer.locator("#awaiting-review-section tr", has_text=TITLE)).to_have_count(0)
    expect(reviewer.locator(".messages")).to_contain_text(f"Đã duyệt bài “{TITLE}”")
    screenshot(reviewer, "board-approved")

    resubmitted.refresh_from_db()
    assert resubmitted.status == TaskState.STATUS_APPROVED
    assert resubmitted.finished_by_id == board_a.pk
    news.refresh_from_db()
    assert news.live
    assert news.intro == INTRO_FIXED
    assert news.feed_image_id == image_a.pk
    assert news.author_id == editor_a.pk

    # The author sees the approval on their dashboard; the mail links to the public page.
    teacher.goto(f"{base}/admin/")
    submission = teacher.locator("#my-submissions-section tr", has_text=TITLE)
    expect(submission).to_contain_text("Đã duyệt và xuất bản")
    screenshot(teacher, "teacher-sees-the-approval")
    approval = next(
        m for m in mail.outbox if m.to == [editor_a.email] and "đã được duyệt" in m.subject
    )
    public_url = next(w for w in approval.body.split() if w.startswith("http"))
    assert public_url == news.get_full_url() and "/admin/" not in public_url

    # 7. The item is on school A's home page and news list, with its image; not on school B's.
    visitor = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}).new_page()
    site_a = site_url(live_server, "th-a.localhost")
    site_b = site_url(live_server, "mn-b.localhost")
    visitor.goto(site_a + "/" + public_url.split("/", 3)[3])  # the mail's link, on the test server
    expect(visitor.locator("h1")).to_have_text(TITLE)
    visitor.goto(f"{site_a}/")
    card = visitor.locator(".card", has_text=TITLE)
    expect(card).to_be_visible()
    expect(card.locator("img")).to_have_count(1)
    screenshot(visitor, "school-a-home-shows-the-item")
    visitor.goto(f"{site_a}/tin-tuc/")
    expect(visitor.locator(".card", has_text=TITLE)).to_be_visible()
    screenshot(visitor, "school-a-news-list-shows-the-item")
    visitor.locator(".card a", has_text=TITLE).click()
    expect(visitor.locator("h1")).to_have_text(TITLE)
    expect(visitor.locator("body")).to_contain_text(INTRO_FIXED)
    screenshot(visitor, "school-a-news-item")
    for url in (f"{site_b}/", f"{site_b}/tin-tuc/"):
        visitor.goto(url)
        expect(visitor.locator("body")).not_to_contain_text(TITLE)
    screenshot(visitor, "school-b-news-list-without-the-item")
    visitor.context.close()
    teacher.context.close()
    leader.context.close()
    reviewer.context.close()
