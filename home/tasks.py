"""Background jobs shared by every app: for now, sending one e-mail.

`send_mail_task.enqueue(...)` instead of `send_mail(...)` so that a slow or dead SMTP server
never slows a request (an approval, an invitation): in production the task is a row in the
database (django-tasks' database backend, `django_tasks_db`) that `manage.py db_worker` picks
up; in dev and tests the immediate backend runs it at once.

django-tasks has no retries of its own. A failed attempt records itself as a FAILED task (with
its traceback, shown to district admins in "Thư chưa gửi được") and, while attempts remain,
queues the next one after a growing delay. Arguments are plain strings: a task's arguments are
stored as JSON.
"""

from __future__ import annotations

import datetime
import logging

from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task, task_backends

logger = logging.getLogger(__name__)

# Seconds to wait before attempts 2, 3 and 4: a mail server restarting, then one down for a
# while. After the last, the mail stays in the failed list for a person to look at.
MAIL_RETRY_DELAYS = (60, 10 * 60, 60 * 60)
MAIL_MAX_ATTEMPTS = len(MAIL_RETRY_DELAYS) + 1
# Ahead of Wagtail's own background tasks (search and reference index updates, default
# priority 0): a bulk import or `seed_demo` queues thousands of those, and a person waiting for
# a review mail should not wait behind them.
MAIL_PRIORITY = 50


@task(priority=MAIL_PRIORITY)
def send_mail_task(
    *,
    subject: str,
    message: str,
    recipient_list: list[str],
    from_email: str | None = None,
    html_message: str | None = None,
    attempt: int = 1,
) -> int:
    """Send one message; on failure queue the next attempt, then fail this one visibly."""
    try:
        return send_mail(
            subject,
            message,
            from_email,
            recipient_list,
            html_message=html_message,
            fail_silently=False,
        )
    except Exception:
        if attempt < MAIL_MAX_ATTEMPTS:
            delay = MAIL_RETRY_DELAYS[attempt - 1]
            retry = send_mail_task
            # The immediate backend (dev, tests) cannot defer: it retries at once.
            if task_backends[retry.backend].supports_defer:
                retry = retry.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
            logger.warning(
                "Mail %r to %s failed (attempt %d of %d); retrying in %d s",
                subject,
                recipient_list,
                attempt,
                MAIL_MAX_ATTEMPTS,
                delay,
            )
            retry.enqueue(
                subject=subject,
                message=message,
                recipient_list=recipient_list,
                from_email=from_email,
                html_message=html_message,
                attempt=attempt + 1,
            )
        raise


# Behind mail and Wagtail's own index updates: pictures not yet rendered are still made on
# the first request that needs them, so a backlog here slows nobody's work.
RENDITIONS_PRIORITY = -10


@task(priority=RENDITIONS_PRIORITY)
def generate_renditions_task(*, image_id: int) -> int:
    """Create the renditions the public templates will ask for (home/images.UPLOAD_SPECS).

    Queued when an image is saved (home/signals.py), so the first visitor of a page with a
    new picture does not wait for Pillow. Returns how many of the renditions exist.
    """
    from wagtail.images import get_image_model

    from home.images import generate_upload_renditions

    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:  # deleted before the worker got to it
        return 0
    return generate_upload_renditions(image)
