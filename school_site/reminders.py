"""Reviews that never stall: a daily reminder to whoever a post has waited for too long.

A post waits at one of two steps (school_site/leader_review.py): the group leader's optional
first step (`GroupLeaderReviewTask`), then the board's (`SchoolBoardReviewTask`). Each step has
its own reminder, so a post cannot stall at either:
- the board's step: `send_review_reminders` mails each school's board;
- the leader's step: `send_leader_reminders` mails the leader that step names (the leader of
  the group credited in the revision the step started on, the rule of `step_leader`), only if
  active and with an e-mail. The board does not see such a post until the leader approves it,
  so nobody else could move it on. A skipped first step (status "skipped") is done, never
  reminded.

How many days a post may wait at a step before it is reminded is the district's one
number for every school and both steps: district admins set it on their wait screen
(`DistrictReviewSettings.review_reminder_days`); left empty, the Django setting
`REVIEW_REMINDER_DAYS` (from the environment; default 3) applies. `remind_reviews --days N`
overrides both for one run.

One mail per board member per school, listing that school's waiting posts oldest first with how
long each has waited; nothing to a school with nothing overdue. The cost is the same three
queries for 2 or 500 schools (the overdue reviews with their pages, their schools, the board
members of those schools), plus the mails.

One mail per leader (per school, in the rare case a user leads groups in two schools), listing
only their groups' waiting posts of that school, oldest first. The cost is the same four queries
for 2 or 500 schools (the overdue first steps with their groups, their pages, their schools,
the groups with their leaders), plus the mails. Archived schools and the district portal's own
pages are skipped by both reminders.
"""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, IntegerField
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import Page, TaskState

from district_site.models import DistrictReviewSettings, School
from district_site.selectors import SITE_ROOT_PATH_LENGTH
from school_site import notifications
from school_site.admin_panels import waited_text
from school_site.leader_review import STATE_GROUP

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
    # The credited group, named in the leader's mail (the board's mail does not show it).
    group_name: str = ""


def _overdue_post(page: dict, state: dict, now: datetime.datetime, **extra) -> OverduePost:
    """One line of a reminder: the post's draft title, how long its step has waited, its editor."""
    return OverduePost(
        page_id=page["pk"],
        title=page["draft_title"],
        started_at=state["started_at"],
        waited=waited_text(state["started_at"], now),
        url=notifications.edit_url(Page(pk=page["pk"])),
        **extra,
    )


def _overdue_states(task_model, *, days: int, now: datetime.datetime, **annotations) -> list[dict]:
    """In-progress steps of `task_model` on pages started more than `days` ago, oldest first.

    Skipped or finished steps are not in progress, so they are never reminded.
    """
    cutoff = now - datetime.timedelta(days=days)
    page_ct = ContentType.objects.get_for_model(Page)
    return list(
        TaskState.objects.filter(
            task__in=task_model.objects.values("pk"),
            status=TaskState.STATUS_IN_PROGRESS,
            started_at__lte=cutoff,
            workflow_state__base_content_type=page_ct,
        )
        .annotate(page_id=Cast("workflow_state__object_id", IntegerField()), **annotations)
        .order_by("started_at", "pk")
        .values("page_id", "started_at", *annotations)
    )


def _pages_and_schools(states: list[dict]) -> tuple[dict[int, dict], dict[str, School]]:
    """The states' pages (pk, title, path) and the active schools owning them, by root path."""
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
    return pages, schools


def overdue_by_school(*, days: int, now: datetime.datetime) -> dict[School, list[OverduePost]]:
    """Posts waiting for their board's review since more than `days` days, per active school."""
    from school_site.models import SchoolBoardReviewTask

    states = _overdue_states(SchoolBoardReviewTask, days=days, now=now)
    if not states:
        return {}
    pages, schools = _pages_and_schools(states)
    overdue: dict[School, list[OverduePost]] = defaultdict(list)
    for state in states:
        page = pages.get(state["page_id"])
        school = page and schools.get(page["path"][:SITE_ROOT_PATH_LENGTH])
        if school is None:
            continue  # the district portal's own pages, or an archived school
        overdue[school].append(_overdue_post(page, state, now))
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


def overdue_by_leader(
    *, days: int, now: datetime.datetime
) -> dict[tuple[School, AbstractBaseUser], list[OverduePost]]:
    """Posts waiting at the group leader's first step for more than `days` days.

    Keyed by (school, leader): the leader `leader_review.step_leader` names for the step (the
    group in the revision the step started on, its leader if active), kept only with an e-mail.
    """
    from school_site.models import ContributorGroup, GroupLeaderReviewTask

    states = _overdue_states(GroupLeaderReviewTask, days=days, now=now, group_id=STATE_GROUP)
    if not states:
        return {}
    pages, schools = _pages_and_schools(states)
    groups = {
        group.pk: group
        for group in ContributorGroup.objects.filter(
            pk__in={s["group_id"] for s in states if s["group_id"]},
            leader__is_active=True,
        )
        .exclude(leader__email="")
        .select_related("leader")
    }
    overdue: dict[tuple[School, AbstractBaseUser], list[OverduePost]] = defaultdict(list)
    for state in states:
        page = pages.get(state["page_id"])
        school = page and schools.get(page["path"][:SITE_ROOT_PATH_LENGTH])
        group = groups.get(state["group_id"])
        if school is None or group is None:
            continue  # the portal's pages, an archived school, or no active leader to ask
        if group.school_id != school.pk:
            # The step only ever starts for a group of the page's own school (`skip_reason`);
            # checked again so a stray row can never mail one school's post to another's leader.
            continue
        overdue[(school, group.leader)].append(
            _overdue_post(page, state, now, group_name=group.name)
        )
    return dict(overdue)


def send_leader_reminders(*, days: int | None = None, now: datetime.datetime | None = None):
    """Mail each leader their groups' posts overdue at the first step. Returns {school: mails}."""
    days = reminder_days() if days is None else days
    now = now or timezone.now()
    sent: dict[School, int] = defaultdict(int)
    for (school, leader), posts in overdue_by_leader(days=days, now=now).items():
        sent[school] += notifications.deliver(
            template="school_site/review/email_leader_reminder",
            context={"school": school, "posts": posts, "days": days},
            recipients=[leader],
        )
    return dict(sent)
