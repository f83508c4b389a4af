"""Reviews that never stall: the daily reminder to each school's board, only about its own
posts waiting more than N days, in a number of queries that does not grow with schools."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import TaskState

from district_site.factories import make_member, make_school
from school_site.reminders import reminder_days, send_review_reminders
from tests.school_site.test_review_workflow import draft_news, submit

pytestmark = pytest.mark.django_db


def _waiting(school, author, title: str, days: float):
    page = draft_news(school, author, title)
    submit(page, author)
    TaskState.objects.filter(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    ).update(started_at=timezone.now() - datetime.timedelta(days=days))
    return page


def test_each_board_is_reminded_of_its_own_overdue_posts_only(
    school_a, school_b, editor_a, board_a, board_b
):
    editor_b = make_member(school_b, "editor_b")
    board_a2 = make_member(school_a, "board_a2", board=True)
    old = _waiting(school_a, editor_a, "Bài chờ lâu", days=5)
    _waiting(school_a, editor_a, "Bài mới gửi", days=1)
    _waiting(school_b, editor_b, "Bài trường B chờ lâu", days=4)

    mail.outbox.clear()
    sent = send_review_reminders()
    assert {school.pk: n for school, n in sent.items()} == {school_a.pk: 2, school_b.pk: 1}
    to_a = [m for m in mail.outbox if m.to[0] in (board_a.email, board_a2.email)]
    assert sorted(m.to[0] for m in to_a) == sorted([board_a.email, board_a2.email])
    body = to_a[0].body
    assert "“Bài chờ lâu” (đã chờ 5 ngày" in body
    assert f"/admin/pages/{old.pk}/edit/" in body
    assert "Bài mới gửi" not in body and "trường B" not in body
    assert "quá 3 ngày" in to_a[0].subject and "Trường Tiểu học A" in to_a[0].subject
    to_b = [m for m in mail.outbox if m.to == [board_b.email]]
    assert len(to_b) == 1 and "Bài trường B chờ lâu" in to_b[0].body
    assert "Bài chờ lâu" not in to_b[0].body


def test_the_threshold_is_the_districts_setting(settings, school_a, school_b, editor_a, board_a):
    assert reminder_days() == 3
    _waiting(school_a, editor_a, "Bài chờ 5 ngày", days=5)
    settings.REVIEW_REMINDER_DAYS = 7
    mail.outbox.clear()
    assert send_review_reminders() == {}
    assert mail.outbox == []
    call_command("remind_reviews", "--days", "4", stdout=open("/dev/null", "w"))
    assert [m.to for m in mail.outbox] == [[board_a.email]]


def test_reminders_cost_the_same_queries_for_two_or_ten_schools(school_a, school_b, editor_a):
    def queries() -> int:
        mail.outbox.clear()
        with CaptureQueriesContext(connection) as captured:
            send_review_reminders()
        return len(captured)

    make_member(school_a, "board_a", board=True)
    _waiting(school_a, editor_a, "Bài A", days=5)
    with_one = queries()
    for n in range(8):
        school = make_school(f"th-r{n}")
        make_member(school, f"board_r{n}", board=True)
        _waiting(school, make_member(school, f"gv_r{n}"), f"Bài {n}", days=4)
    with_nine = queries()
    assert with_one == with_nine
    assert len(mail.outbox) == 9


def test_the_writers_submissions_say_how_long_they_have_waited(
    client, school_a, school_b, editor_a
):
    editor_b = make_member(school_b, "editor_b")
    _waiting(school_a, editor_a, "Bài chờ lâu", days=4)
    from wagtail.models import WorkflowState

    WorkflowState.objects.update(created_at=timezone.now() - datetime.timedelta(days=4))
    _waiting(school_b, editor_b, "Bài trường B", days=2)
    client.force_login(editor_a)
    body = client.get("/admin/", HTTP_HOST="localhost").content.decode()
    panel = body.split('id="my-submissions-section"', 1)[1].split("</section>", 1)[0]
    assert "Bài chờ lâu" in panel and "(đã chờ 4 ngày)" in panel
    assert "Bài trường B" not in panel


def test_the_number_set_by_district_admins_wins_over_the_default(
    client, settings, school_a, school_b, editor_a, board_a, board_b
):
    from django.contrib.auth.models import Group

    from district_site.models import DISTRICT_ADMINS_GROUP, DistrictReviewSettings

    settings.REVIEW_REMINDER_DAYS = 7
    _waiting(school_a, editor_a, "Bài chờ 5 ngày", days=5)
    assert reminder_days() == 7  # nothing set on the screen: the system default

    admin = make_member(school_b, "district_admin")
    admin.groups.set([Group.objects.get(name=DISTRICT_ADMINS_GROUP)])
    client.force_login(admin)
    response = client.post(
        "/admin/review-waits/", {"review_reminder_days": "4"}, HTTP_HOST="localhost"
    )
    assert response.status_code == 302
    assert DistrictReviewSettings.load().review_reminder_days == 4
    assert reminder_days() == 4
    mail.outbox.clear()
    call_command("remind_reviews", stdout=open("/dev/null", "w"))
    assert [m.to for m in mail.outbox] == [[board_a.email]]  # school A's board only

    # Bad input: a clear Vietnamese error, nothing changed.
    response = client.post(
        "/admin/review-waits/", {"review_reminder_days": "99"}, HTTP_HOST="localhost"
    )
    assert response.status_code == 200
    assert "Số ngày nhắc tối đa là 60." in response.content.decode()
    assert DistrictReviewSettings.load().review_reminder_days == 4

    # A school's board member (even a principal) cannot set it.
    school_b.principal = board_b
    school_b.save()
    client.force_login(board_b)
    client.post("/admin/review-waits/", {"review_reminder_days": "1"}, HTTP_HOST="localhost")
    assert DistrictReviewSettings.load().review_reminder_days == 4
