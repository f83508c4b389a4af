"""Reviews that never stall: the daily reminder to each school's board, and to each group
leader of the posts waiting at their first step, only about their own school's posts waiting
more than N days, in a number of queries that does not grow with schools."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import TaskState

from district_site.factories import make_member, make_school
from district_site.provisioning import archive_school
from school_site import leader_review
from school_site.models import GroupLeaderReviewTask, SchoolBoardReviewTask
from school_site.reminders import reminder_days, send_leader_reminders, send_review_reminders
from tests.school_site.test_leader_review import _credited_draft, _group, _switch_on
from tests.school_site.test_review_workflow import current_task_state, draft_news, submit

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


# --- the group leader's first step ---------------------------------------------------------


def _age(page, days: float) -> None:
    """Backdate every step of `page`'s review (in progress or not) to `days` days ago."""
    TaskState.objects.filter(workflow_state__object_id=str(page.pk)).update(
        started_at=timezone.now() - datetime.timedelta(days=days)
    )


def _at_leader_step(school, writer, group, title: str, days: float):
    """A post credited to `group`, submitted, waiting at its leader's step for `days` days."""
    page = _credited_draft(school, writer, group, title)
    page.get_workflow().start(page, writer)
    assert current_task_state(page).task.specific.__class__ is GroupLeaderReviewTask
    _age(page, days)
    return page


@pytest.fixture
def leaders(school_a, school_b):
    """Per school, with the leader step on: a writer, two groups with their leaders, a board."""
    result = {}
    for school, tag in ((school_a, "a"), (school_b, "b")):
        writer = make_member(school, f"writer_{tag}", email=f"writer_{tag}@example.vn")
        leader = make_member(school, f"leader_{tag}", email=f"leader_{tag}@example.vn")
        other = make_member(school, f"other_{tag}", email=f"other_{tag}@example.vn")
        board = make_member(school, f"board_{tag}", board=True, email=f"board_{tag}@example.vn")
        _switch_on(school)
        result[tag] = {
            "school": school,
            "writer": writer,
            "leader": leader,
            "board": board,
            "group": _group(school, f"Tổ Toán {tag}", leader, writer),
            "other_leader": other,
            "other_group": _group(school, f"Công đoàn {tag}", other, writer),
        }
    return result


def _to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def test_a_leader_is_reminded_of_their_groups_overdue_posts_only(leaders):
    a, b = leaders["a"], leaders["b"]
    _at_leader_step(a["school"], a["writer"], a["group"], "Tin tổ Toán chờ lâu", days=4)
    oldest = _at_leader_step(a["school"], a["writer"], a["group"], "Tin tổ Toán cũ nhất", days=6)
    _at_leader_step(a["school"], a["writer"], a["group"], "Tin tổ Toán mới gửi", days=1)
    _at_leader_step(a["school"], a["writer"], a["other_group"], "Tin Công đoàn A", days=5)
    _at_leader_step(b["school"], b["writer"], b["group"], "Tin tổ Toán trường B", days=5)

    mail.outbox.clear()
    sent = send_leader_reminders()
    # School A: its two leaders, one mail each; school B: its one leader with an overdue post.
    assert {school.pk: n for school, n in sent.items()} == {a["school"].pk: 2, b["school"].pk: 1}
    assert sorted(r for m in mail.outbox for r in m.to) == sorted(
        ["leader_a@example.vn", "other_a@example.vn", "leader_b@example.vn"]
    )
    (to_leader_a,) = _to("leader_a@example.vn")
    body = to_leader_a.body
    # Oldest first, with how long each waited; not the fresh post, not another group's.
    assert body.index("Tin tổ Toán cũ nhất") < body.index("Tin tổ Toán chờ lâu")
    assert "“Tin tổ Toán cũ nhất” của tổ chức “Tổ Toán a” (đã chờ 6 ngày" in body
    assert f"/admin/pages/{oldest.pk}/edit/" in body
    assert "bước 1 (trưởng nhóm duyệt)" in body
    assert "Ban quản trị chỉ nhận các bài này sau khi anh/chị duyệt" in body
    assert "Tin tổ Toán mới gửi" not in body and "Công đoàn" not in body
    assert "trường B" not in body
    assert to_leader_a.subject == "[Trường Tiểu học A] 2 bài chờ trưởng nhóm duyệt quá 3 ngày"
    (to_other_a,) = _to("other_a@example.vn")
    assert "Tin Công đoàn A" in to_other_a.body and "Tổ Toán" not in to_other_a.body
    # The seal, the other way round: school B's leader hears only of school B's post.
    (to_leader_b,) = _to("leader_b@example.vn")
    assert "Tin tổ Toán trường B" in to_leader_b.body
    assert "Tin tổ Toán cũ nhất" not in to_leader_b.body and "Trường Tiểu học A" not in (
        to_leader_b.body + to_leader_b.subject
    )
    # The board does not see these posts yet: no board reminder about them.
    mail.outbox.clear()
    assert send_review_reminders() == {}
    assert mail.outbox == []


def test_no_leader_is_mailed_about_another_schools_posts(leaders):
    a, b = leaders["a"], leaders["b"]
    _at_leader_step(b["school"], b["writer"], b["group"], "Chỉ trường B", days=5)
    mail.outbox.clear()
    assert {s.pk: n for s, n in send_leader_reminders().items()} == {b["school"].pk: 1}
    assert [m.to for m in mail.outbox] == [["leader_b@example.vn"]]

    _at_leader_step(a["school"], a["writer"], a["group"], "Chỉ trường A", days=5)
    mail.outbox.clear()
    send_leader_reminders()
    (to_a,) = _to("leader_a@example.vn")
    (to_b,) = _to("leader_b@example.vn")
    assert len(mail.outbox) == 2
    assert "Chỉ trường A" in to_a.body and "Chỉ trường B" not in to_a.body
    assert "Chỉ trường B" in to_b.body and "Chỉ trường A" not in to_b.body


def test_a_post_at_the_boards_step_is_not_mailed_to_the_leader(leaders):
    a = leaders["a"]
    page = _credited_draft(a["school"], a["writer"], a["group"], "Tổ Toán đã duyệt bước 1")
    page.get_workflow().start(page, a["writer"])
    current_task_state(page).approve(user=a["leader"])
    assert current_task_state(page).task.specific.__class__ is SchoolBoardReviewTask
    _age(page, 5)

    mail.outbox.clear()
    assert send_leader_reminders() == {}
    assert mail.outbox == []
    # The board's reminder is unchanged and still names the post.
    assert {s.pk: n for s, n in send_review_reminders().items()} == {a["school"].pk: 1}
    assert [m.to for m in mail.outbox] == [["board_a@example.vn"]]
    assert "Tổ Toán đã duyệt bước 1" in mail.outbox[0].body


def test_skipped_steps_archived_schools_and_unreachable_leaders_are_not_reminded(leaders):
    a, b = leaders["a"], leaders["b"]
    # Skipped: the leader wrote the post (two-person rule), so the step was skipped.
    own = _credited_draft(a["school"], a["leader"], a["group"], "Bài của trưởng nhóm")
    own.get_workflow().start(own, a["leader"])
    # Skipped: school B switched the step off.
    leader_review.set_leader_review(school=b["school"], enabled=False)
    off = _credited_draft(b["school"], b["writer"], b["group"], "Trường B tắt bước 1")
    off.get_workflow().start(off, b["writer"])
    for page in (own, off):
        assert TaskState.objects.filter(
            workflow_state__object_id=str(page.pk), status=TaskState.STATUS_SKIPPED
        ).exists()
        _age(page, 10)
    # A leader gone inactive, and a leader with no e-mail: nobody the mail could reach.
    _at_leader_step(a["school"], a["writer"], a["other_group"], "Trưởng nhóm nghỉ", days=5)
    a["other_leader"].is_active = False
    a["other_leader"].save()
    _at_leader_step(a["school"], a["writer"], a["group"], "Trưởng nhóm không có thư", days=5)
    a["leader"].email = ""
    a["leader"].save()
    mail.outbox.clear()
    assert send_leader_reminders() == {}
    assert mail.outbox == []

    # An archived school's waiting posts are not reminded either.
    _switch_on(b["school"])
    _at_leader_step(b["school"], b["writer"], b["group"], "Trường B đã lưu trữ", days=5)
    assert list(send_leader_reminders()) == [b["school"]]
    archive_school(hostname=b["school"].site.hostname)
    mail.outbox.clear()
    assert send_leader_reminders() == {}
    assert mail.outbox == []


def test_leader_reminders_cost_the_same_queries_for_two_or_ten_schools(leaders):
    def queries() -> int:
        mail.outbox.clear()
        with CaptureQueriesContext(connection) as captured:
            send_leader_reminders()
        return len(captured)

    for tag in ("a", "b"):
        p = leaders[tag]
        _at_leader_step(p["school"], p["writer"], p["group"], f"Bài {tag}", days=5)
    with_two = queries()
    assert len(mail.outbox) == 2
    for n in range(8):
        school = make_school(f"th-l{n}")
        _switch_on(school)
        writer = make_member(school, f"gv_l{n}")
        group = _group(school, f"Tổ {n}", make_member(school, f"tt_l{n}"), writer)
        _at_leader_step(school, writer, group, f"Bài {n}", days=4)
    with_ten = queries()
    assert len(mail.outbox) == 10
    # The threshold, the overdue steps with their groups, their pages, their schools, the
    # groups with their leaders: five, however many schools.
    assert with_two == with_ten == 5


def test_the_command_reports_both_kinds_of_reminder(leaders):
    a, b = leaders["a"], leaders["b"]
    _at_leader_step(a["school"], a["writer"], a["group"], "Chờ trưởng nhóm", days=5)
    _waiting(b["school"], b["board"], "Chờ Ban quản trị", days=5)  # no group: board's step
    out = io.StringIO()
    call_command("remind_reviews", stdout=out)
    lines = out.getvalue().splitlines()
    assert "Trường Mầm non B: 1 thư nhắc Ban quản trị, 0 thư nhắc trưởng nhóm" in lines
    assert "Trường Tiểu học A: 0 thư nhắc Ban quản trị, 1 thư nhắc trưởng nhóm" in lines
    assert lines[-1] == (
        "Đã nhắc Ban quản trị ở 1 trường và gửi 1 thư nhắc trưởng nhóm ở 1 trường "
        "(bài chờ quá 3 ngày)."
    )
