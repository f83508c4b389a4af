"""The district's wait screen: how long each school's posts wait for review this school year.

For district admins only (the seal refuses it to school users: it is not on the allowlist, and
the view checks the role). Per active school:
- decided reviews this school year: their median and longest wait, from submission to the
  decision. A decision is the board's approval, or a request for changes at either step; a post
  that first waited for its group leader (the two-step review) is counted from when it reached
  the leader, since that is when its author submitted it. A resubmission after changes is a
  new wait, from the resubmission;
- posts waiting now: how many, and since when the oldest.

Three queries whatever the number of schools (decisions, waiting reviews, schools); the median
is computed in Python from the decisions' two timestamps, so SQLite and PostgreSQL give the
same answer (`statistics.median`: the mean of the two middle values for an even count). The
rows read are the year's decisions, three small columns each.

The school year is 1 September to 31 August (the district's default); the scoring app owns the
adjusted years, and nothing below it may import it.

The same screen holds the district's reminder threshold (`DistrictReviewSettings`).
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.models import Page, Task, TaskState

from district_site.models import DistrictReviewSettings, School
from district_site.selectors import SITE_ROOT_PATH_LENGTH, is_district_admin

MENU_LABEL = "Thời gian chờ duyệt"
SAVED = "Đã lưu số ngày nhắc Ban quản trị."


def school_year_start(today: datetime.date) -> datetime.date:
    """1 September of the school year `today` is in."""
    year = today.year if today.month >= 9 else today.year - 1
    return datetime.date(year, 9, 1)


@dataclass(frozen=True)
class SchoolWaits:
    school: School
    decided: int
    median: datetime.timedelta | None
    longest: datetime.timedelta | None
    waiting: int
    oldest_since: datetime.datetime | None


def _review_task_ids() -> tuple[set[int], set[int]]:
    """(the board's task ids, the leader step's task ids), in one query."""
    from school_site.models import GroupLeaderReviewTask, SchoolBoardReviewTask

    types = ContentType.objects.get_for_models(SchoolBoardReviewTask, GroupLeaderReviewTask)
    board_type, leader_type = types[SchoolBoardReviewTask].pk, types[GroupLeaderReviewTask].pk
    board, leader = set(), set()
    for pk, type_id in Task.objects.filter(content_type__in=[board_type, leader_type]).values_list(
        "pk", "content_type_id"
    ):
        (board if type_id == board_type else leader).add(pk)
    return board, leader


def _page_path():
    """The path of the task state's page (the workflow state names it by a text id)."""
    return Subquery(
        Page.objects.filter(pk=Cast(OuterRef("workflow_state__object_id"), IntegerField())).values(
            "path"
        )[:1]
    )


def school_waits(*, now: datetime.datetime | None = None) -> list[SchoolWaits]:
    """Every active school's waits this school year, by school name (three queries)."""
    now = now or timezone.now()
    since = timezone.make_aware(
        datetime.datetime.combine(school_year_start(timezone.localdate(now)), datetime.time())
    )
    board_ids, leader_ids = _review_task_ids()
    page_type = ContentType.objects.get_for_model(Page)
    states = TaskState.objects.filter(
        task_id__in=board_ids | leader_ids, workflow_state__base_content_type=page_type
    )
    # The state just before this one in the same review: when it is the leader's step that
    # approved the post, the wait began there (a skipped step took no time).
    before = (
        TaskState.objects.filter(workflow_state=OuterRef("workflow_state"), pk__lt=OuterRef("pk"))
        .order_by("-pk")
        .values("pk")[:1]
    )
    first_step_start = TaskState.objects.filter(
        pk=OuterRef("before_pk"),
        task_id__in=leader_ids,
        status=TaskState.STATUS_APPROVED,
    ).values("started_at")[:1]
    decisions = (
        states.filter(finished_at__gte=since, finished_at__lte=now)
        # the board's decision, or the leader asking for changes
        .filter(_decision_q(board_ids, leader_ids))
        .annotate(before_pk=Subquery(before))
        .annotate(
            submitted_at=Coalesce(Subquery(first_step_start), "started_at"),
            page_path=_page_path(),
        )
        .values_list("page_path", "submitted_at", "finished_at")
    )
    waits: dict[str, list[datetime.timedelta]] = defaultdict(list)
    for path, submitted_at, finished_at in decisions:
        if path:
            waits[path[:SITE_ROOT_PATH_LENGTH]].append(finished_at - submitted_at)

    waiting: dict[str, list[datetime.datetime]] = defaultdict(list)
    for path, started_at in (
        states.filter(status=TaskState.STATUS_IN_PROGRESS)
        .annotate(page_path=_page_path())
        .values_list("page_path", "started_at")
    ):
        if path:
            waiting[path[:SITE_ROOT_PATH_LENGTH]].append(started_at)

    result = []
    for school in (
        School.objects.filter(status=School.Status.ACTIVE)
        .annotate(root_path=F("site__root_page__path"))
        .order_by("name")
    ):
        durations = waits.get(school.root_path, [])
        starts = waiting.get(school.root_path, [])
        result.append(
            SchoolWaits(
                school=school,
                decided=len(durations),
                median=statistics.median(durations) if durations else None,
                longest=max(durations) if durations else None,
                waiting=len(starts),
                oldest_since=min(starts) if starts else None,
            )
        )
    return result


def _decision_q(board_ids: set[int], leader_ids: set[int]) -> Q:
    return Q(
        task_id__in=board_ids,
        status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED],
    ) | Q(task_id__in=leader_ids, status=TaskState.STATUS_REJECTED)


def duration_text(value: datetime.timedelta | None) -> str:
    """A wait in Vietnamese: "2 ngày 3 giờ", "5 giờ", "40 phút"; "—" for none."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} ngày {hours} giờ" if hours else f"{days} ngày"
    if hours:
        return f"{hours} giờ"
    return f"{minutes} phút"


# --- the screen ----------------------------------------------------------------------------


class ReminderDaysForm(forms.ModelForm):
    class Meta:
        model = DistrictReviewSettings
        fields = ["review_reminder_days"]
        widgets = {"review_reminder_days": forms.NumberInput(attrs={"min": 0, "max": 60})}

    def clean_review_reminder_days(self):
        value = self.cleaned_data["review_reminder_days"]
        if value is not None and value > 60:
            raise forms.ValidationError("Số ngày nhắc tối đa là 60.")
        return value


def review_waits_view(request):
    if not is_district_admin(request.user):
        raise PermissionDenied
    from school_site.reminders import default_reminder_days

    settings_row = DistrictReviewSettings.load()
    form = ReminderDaysForm(request.POST or None, instance=settings_row)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, SAVED)
        return redirect("district_review_waits")
    rows = [
        {
            "school": item.school,
            "decided": item.decided,
            "median": duration_text(item.median),
            "longest": duration_text(item.longest),
            "waiting": item.waiting,
            "oldest_since": item.oldest_since,
        }
        for item in school_waits()
    ]
    return TemplateResponse(
        request,
        "district_site/admin/review_waits.html",
        {
            "page_title": MENU_LABEL,
            "rows": rows,
            "year_start": school_year_start(timezone.localdate()),
            "form": form,
            "default_days": default_reminder_days(),
        },
    )
