"""What one publication costs in SQL, and that it does not grow with schools or pages.

Counted with the caches warm (content types, the first revision of the school), for a news
page written by a teacher:
- approve: another board member approves the teacher's submission through
  `school_site.review.perform_action` (what the admin's "Duyệt" button calls); this publishes;
- direct: a board member creates a page and publishes it at once (no review).
Where the queries go and what is left to cut is in docs/upstream.md ("Queries per publish").
"""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from district_site.factories import make_member, make_school
from school_site.models import NewsPage, SchoolBoardReviewTask
from school_site.review import perform_action
from tests.bulk_pages import bulk_news
from tests.school_site.test_review_workflow import (
    current_task_state,
    draft_news,
    news_index,
    submit,
)

pytestmark = pytest.mark.django_db

# Measured with the two-person rule, the scoring rules (restored credit included), the page
# cache's invalidation and the review mail in place, on PostgreSQL: approve ≤ 111 and a board
# member's direct publish of a teacher's post ≤ 119; on SQLite 113 and 120 (its search backend
# updates index entries one statement at a time). The same at 2 and 20 schools and with 3 or
# 1,000 news pages. The target (≤ 40) is not met: see docs/upstream.md for where the
# queries go (most are inside Wagtail's publish and workflow).
ON_SQLITE = connection.vendor == "sqlite"
APPROVE_QUERIES = 113 if ON_SQLITE else 111
DIRECT_PUBLISH_QUERIES = 120 if ON_SQLITE else 119


def approve_queries(school, teacher, reviewer, title: str) -> int:
    task = SchoolBoardReviewTask.objects.get()
    page = draft_news(school, teacher, title)
    submit(page, teacher)
    state = current_task_state(page)
    with CaptureQueriesContext(connection) as captured:
        perform_action(task=task, task_state=state, user=reviewer, action_name="approve")
    assert NewsPage.objects.get(pk=page.pk).live
    return len(captured)


def direct_publish_queries(school, board, title: str) -> int:
    # A teacher's post that a board member publishes directly (their own they may not: the
    # two-person rule in school_site.permissions).
    teacher = make_member(school, f"gv-{uuid.uuid4().hex[:8]}")
    with CaptureQueriesContext(connection) as captured:
        page = NewsPage(
            title=title, author=teacher, credit_set_by=teacher, owner=teacher, live=False
        )
        news_index(school).add_child(instance=page)
        page.save_revision(user=teacher).publish(user=board)
    assert NewsPage.objects.get(pk=page.pk).live
    return len(captured)


@pytest.fixture
def people(school_a, editor_a, board_a):
    return editor_a, board_a


def test_approving_costs_the_same_with_2_or_20_schools(two_schools, people):
    teacher, reviewer = people
    approve_queries(two_schools[0], teacher, reviewer, "Khởi động")  # warm the caches
    with_two = approve_queries(two_schools[0], teacher, reviewer, "Lễ khai giảng")
    for n in range(18):
        make_school(f"them-{n}")
    # Adding schools or pages resets Wagtail's cached site root paths: warm them again.
    approve_queries(two_schools[0], teacher, reviewer, "Khởi động lại")
    with_twenty = approve_queries(two_schools[0], teacher, reviewer, "Hội khỏe Phù Đổng")
    assert with_two <= APPROVE_QUERIES
    assert with_twenty == with_two


def test_approving_costs_the_same_with_few_or_many_pages(two_schools, people):
    teacher, reviewer = people
    approve_queries(two_schools[0], teacher, reviewer, "Khởi động")
    few = approve_queries(two_schools[0], teacher, reviewer, "Lễ khai giảng")
    for school in two_schools:
        bulk_news(news_index(school), 500)
    # Adding schools or pages resets Wagtail's cached site root paths: warm them again.
    approve_queries(two_schools[0], teacher, reviewer, "Khởi động lại")
    many = approve_queries(two_schools[0], teacher, reviewer, "Hội khỏe Phù Đổng")
    assert few <= APPROVE_QUERIES
    assert many == few


def test_a_direct_publish_costs_the_same_with_few_or_many_pages(two_schools, board_a):
    direct_publish_queries(two_schools[0], board_a, "Khởi động")
    few = direct_publish_queries(two_schools[0], board_a, "Thông báo lịch họp")
    for school in two_schools:
        bulk_news(news_index(school), 500)
    make_school("them-1")
    # Adding schools or pages resets Wagtail's cached site root paths: warm them again.
    direct_publish_queries(two_schools[0], board_a, "Khởi động lại")
    many = direct_publish_queries(two_schools[0], board_a, "Thông báo nghỉ lễ")
    assert few <= DIRECT_PUBLISH_QUERIES
    assert many == few


def test_the_approved_post_is_found_by_the_admin_search_at_once(school_a, people):
    teacher, reviewer = people
    approve_queries(school_a, teacher, reviewer, "Lễ tri ân nhà giáo Việt Nam")
    assert [p.title for p in NewsPage.objects.live().search("tri ân nhà giáo")] == [
        "Lễ tri ân nhà giáo Việt Nam"
    ]


def test_a_second_board_member_is_needed(school_a, board_a):
    """The counted path is the real one: the author cannot approve their own post."""
    other = make_member(school_a, "board_a2", board=True)
    approve_queries(school_a, board_a, other, "Bài của thành viên Ban quản trị")
