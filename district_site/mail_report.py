""" "Thư chưa gửi được": the district admins' list of e-mails the background worker could not send.

Reads django-tasks' database backend (`django_tasks_db.DBTaskResult`) for `send_mail_task`
results that failed. Only district admins (and superusers) may see it: the rows hold every
school's recipients and subjects. When tasks are not stored (the immediate backend of dev and
tests), the list is simply empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django_tasks_db.models import DBTaskResult
from wagtail.admin.menu import MenuItem

from district_site.selectors import is_district_admin
from home.tasks import MAIL_MAX_ATTEMPTS, send_mail_task

MENU_LABEL = "Thư chưa gửi được"
SHOWN = 200


@dataclass
class FailedMail:
    failed_at: object
    recipients: str
    subject: str
    attempt: int
    final: bool
    error: str


def failed_mails(limit: int = SHOWN) -> list[FailedMail]:
    rows = (
        DBTaskResult.objects.failed()
        .filter(task_path=send_mail_task.module_path)
        .order_by("-finished_at")[:limit]
    )
    result = []
    for row in rows:
        kwargs = (row.args_kwargs or {}).get("kwargs", {})
        attempt = int(kwargs.get("attempt", 1))
        result.append(
            FailedMail(
                failed_at=row.finished_at,
                recipients=", ".join(kwargs.get("recipient_list", [])),
                subject=kwargs.get("subject", ""),
                attempt=attempt,
                final=attempt >= MAIL_MAX_ATTEMPTS,
                # The exception's class only: tracebacks are for the server log, not the page.
                error=row.exception_class_path.rsplit(".", 1)[-1],
            )
        )
    return result


def failed_mail_view(request):
    if not is_district_admin(request.user):
        raise PermissionDenied
    return render(
        request,
        "district_site/admin/failed_mail.html",
        {
            "mails": failed_mails(),
            "max_attempts": MAIL_MAX_ATTEMPTS,
            "shown": SHOWN,
            "page_title": MENU_LABEL,
        },
    )


class DistrictAdminMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return is_district_admin(request.user)
