"""Reviews that never stall: a daily reminder to each school's board of posts waiting too long.

How many days a post may wait for the board before its board is reminded is the district's one
number for every school: district admins set it on their wait screen
(`DistrictReviewSettings.review_reminder_days`); left empty, the Django setting
`REVIEW_REMINDER_DAYS` (from the environment; default 3) applies. `remind_reviews --days N`
overrides both for one run.

One mail per board member per school, listing that school's waiting posts oldest first with how
long each has waited; nothing to a school with nothing overdue. The cost is the same three
queries for 2 or 500 schools (the overdue reviews with their pages, their schools, the board
members of those schools), plus the mails.
"""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, IntegerField
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import Page, TaskState

from district_site.models import DistrictReviewSettings, School
from district_site.selectors import SITE_ROOT_PATH_LENGTH
from school_site import notifications
from school_site.admin_panels import waited_text

DEFAULT_REMINDER_DAYS = 3


def default_reminder_days() -> int:
    """The system default: settings.REVIEW_REMINDER_DAYS, else the environment, else 3."""
    value = getattr(settings, "REVIEW_REMINDER_DAYS", None)
    if value is None:
        value = os.environ.get("REVIEW_REMINDER_DAYS", DEFAULT_REMINDER_DAYS)
    return max(int(value), 0)


def reminder_days() -> int:
    """The district's threshold: what district admins set on their screen, else the default."""
    # One read, never a write: the row exists only once a district admin saved the screen.
    chosen = (
        DistrictReviewSettings.objects.order_by("pk")
        .values_list("review_reminder_days", flat=True)
        .first()
    )
    return default_reminder_days() if chosen is None else chosen


@dataclass(frozen=True)
class OverduePost:
    page_id: int
    title: str
    started_at: datetime.datetime
    waited: str
    url: str


def overdue_by_school(*, days: int, now: datetime.datetime) -> dict[School, list[OverduePost]]:
    """Posts waiting for their board's review since more than `days` days, per active school."""
    from school_site.models import SchoolBoardReviewTask

    cutoff = now - datetime.timedelta(days=days)
    page_ct = ContentType.objects.get_for_model(Page)
    states = list(
        TaskState.objects.filter(
            task__in=SchoolBoardReviewTask.objects.values("pk"),
            status=TaskState.STATUS_IN_PROGRESS,
            started_at__lte=cutoff,
            workflow_state__base_content_type=page_ct,
        )
        .annotate(page_id=Cast("workflow_state__object_id", IntegerField()))
        .order_by("started_at", "pk")
        .values("page_id", "started_at")
    )
    if not states:
        return {}
    pages = {
        page["pk"]: page
        for page in Page.objects.filter(pk__in=[s["page_id"] for s in states]).values(
            "pk", "draft_title", "path"
        )
    }
    roots = {page["path"][:SITE_ROOT_PATH_LENGTH] for page in pages.values()}
    schools = {
        school.root_path: school
        for school in School.objects.filter(
            site__root_page__path__in=roots, status=School.Status.ACTIVE
        ).annotate(root_path=F("site__root_page__path"))
    }
    overdue: dict[School, list[OverduePost]] = defaultdict(list)
    for state in states:
        page = pages.get(state["page_id"])
        school = page and schools.get(page["path"][:SITE_ROOT_PATH_LENGTH])
        if school is None:
            continue  # the district portal's own pages, or an archived school
        overdue[school].append(
            OverduePost(
                page_id=page["pk"],
                title=page["draft_title"],
                started_at=state["started_at"],
                waited=waited_text(state["started_at"], now),
                url=notifications.edit_url(Page(pk=page["pk"])),
            )
        )
    return dict(overdue)


def send_review_reminders(*, days: int | None = None, now: datetime.datetime | None = None):
    """Mail each school's board its overdue reviews. Returns {school: mails sent}."""
    days = reminder_days() if days is None else days
    now = now or timezone.now()
    overdue = overdue_by_school(days=days, now=now)
    if not overdue:
        return {}
    board_groups = {school.board_group_id: school for school in overdue}
    memberships = (
        get_user_model()
        .groups.through.objects.filter(group_id__in=list(board_groups), user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )
    members = defaultdict(list)
    for membership in memberships:
        members[board_groups[membership.group_id]].append(membership.user)
    sent = {}
    for school, posts in overdue.items():
        sent[school] = notifications.deliver(
            template="school_site/review/email_reminder",
            context={"school": school, "posts": posts, "days": days},
            recipients=members.get(school, []),
        )
    return sent
