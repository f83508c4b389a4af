"""Review mail goes through a background task: queued in the database, sent by the worker,
retried when the mail server refuses, and listed for district admins when it keeps failing."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from district_site.factories import UserFactory, make_member, make_school
from district_site.models import DISTRICT_ADMINS_GROUP
from home.tasks import MAIL_MAX_ATTEMPTS, send_mail_task

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A real SMTP client against a loopback port where nothing listens: connection refused.
DEAD_SMTP = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 1,
    "EMAIL_TIMEOUT": 2,
}


def run_worker() -> None:
    """What the systemd unit runs, once over the queue instead of forever.

    The worker closes stale connections between tasks, as a long-running process must; that
    closes a test transaction too, so these tests commit (transaction=True).
    """
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_mail_is_queued_then_sent_by_the_worker(migrated_rows):
    result = send_mail_task.enqueue(
        subject="Bài viết đã được duyệt", message="Nội dung", recipient_list=["gv@example.vn"]
    )
    assert mail.outbox == []  # the request never talks to the mail server
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"

    run_worker()

    assert [m.to for m in mail.outbox] == [["gv@example.vn"]]
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS, **DEAD_SMTP)
def test_a_refused_send_fails_visibly_and_queues_a_later_retry(migrated_rows):
    send_mail_task.enqueue(subject="Thư thử", message="x", recipient_list=["gv@example.vn"])
    run_worker()

    failed = DBTaskResult.objects.failed().get()
    assert failed.args_kwargs["kwargs"].get("attempt", 1) == 1
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    # Deferred: the worker leaves it until the delay has passed.
    assert (retry.run_after - failed.finished_at).total_seconds() > 50
    run_worker()
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert not DBTaskResult.objects.ready().exists()  # not due yet


@pytest.mark.django_db
@override_settings(**DEAD_SMTP)
def test_immediate_backend_retries_at_once_and_never_raises_to_the_caller():
    # Dev and tests: the immediate backend runs every attempt inline and records the failure.
    result = send_mail_task.enqueue(subject="x", message="x", recipient_list=["gv@example.vn"])
    assert result.status == "FAILED"
    assert mail.outbox == []
    assert MAIL_MAX_ATTEMPTS == 4


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS, **DEAD_SMTP)
def test_failed_mail_report_is_for_district_admins_only(migrated_rows, client):
    for attempt in (1, MAIL_MAX_ATTEMPTS):
        send_mail_task.enqueue(
            subject=f"Thông báo duyệt bài {attempt}",
            message="x",
            recipient_list=["hieutruong@example.vn"],
            attempt=attempt,
        )
    run_worker()

    admin = UserFactory(username="phong_gd")
    group = Group.objects.get_or_create(name=DISTRICT_ADMINS_GROUP)[0]
    # The migration gives the group admin access; an earlier transactional test's flush may
    # have dropped that row, so say it again here.
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    admin.groups.add(group)
    client.force_login(admin)
    response = client.get("/admin/failed-mail/", HTTP_HOST="localhost")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thư chưa gửi được" in page
    assert "hieutruong@example.vn" in page
    assert "Thông báo duyệt bài 1" in page
    assert "Sẽ tự thử lại" in page
    assert "Đã hết lượt thử" in page
    assert "Traceback" not in page

    board = make_member(make_school("th-a"), "bgh_a", board=True)
    client.force_login(board)
    response = client.get("/admin/failed-mail/", HTTP_HOST="localhost")
    assert response.status_code in (302, 403)
    assert "hieutruong@example.vn" not in response.content.decode()


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS)
def test_mail_jumps_ahead_of_a_backlog_of_default_priority_tasks():
    # What a bulk import leaves behind: index updates at Wagtail's default priority, queued first.
    backlog = send_mail_task.using(priority=0).enqueue(
        subject="backlog", message="x", recipient_list=["a@example.vn"]
    )
    urgent = send_mail_task.enqueue(subject="duyệt", message="x", recipient_list=["b@example.vn"])
    assert backlog.task.priority == 0
    # The worker takes rows in the model's order (priority first).
    assert str(DBTaskResult.objects.ready().first().pk) == str(urgent.id)
