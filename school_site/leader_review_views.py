"""The principal's switch for the group leader's first step ("Quy trình duyệt bài").

Only the principal of an active school gets in (`district_site.roles`); they see and switch
their own school(s) only. The change is `leader_review.set_leader_review` (one transaction).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from wagtail.admin.menu import MenuItem

from district_site.models import School
from district_site.roles import roles_for
from school_site import leader_review

MENU_LABEL = "Quy trình duyệt bài"
URL_NAME = "school_review_steps"
SAVED_ON = "Đã bật bước trưởng nhóm duyệt cho {school}."
SAVED_OFF = "Đã tắt bước trưởng nhóm duyệt cho {school}."
MOVED_ON = " {count} bài đang chờ trưởng nhóm đã được chuyển sang Ban quản trị."


def _schools(user) -> list[School]:
    ids = roles_for(user).principal_school_ids
    return list(
        School.objects.filter(pk__in=ids).select_related("site__root_page").order_by("name")
    )


def review_steps(request):
    schools = _schools(request.user)
    if not schools:
        raise PermissionDenied
    if request.method == "POST":
        for school in schools:
            enabled = request.POST.get(f"leader_review_{school.pk}") == "on"
            if enabled == school.leader_review:
                continue
            moved = leader_review.set_leader_review(school=school, enabled=enabled)
            text = (SAVED_ON if enabled else SAVED_OFF).format(school=school.name)
            messages.success(request, text + (MOVED_ON.format(count=moved) if moved else ""))
        return redirect(f"{URL_NAME}:index")
    return TemplateResponse(
        request,
        "school_site/review/steps.html",
        {"page_title": MENU_LABEL, "schools": schools},
    )


urlpatterns = [path("", review_steps, name="index")]


class ReviewStepsMenuItem(MenuItem):
    """Shown only to the principal of an active school (the roles query, shared per request)."""

    def is_shown(self, request) -> bool:
        return bool(roles_for(request.user).principal_school_ids)
