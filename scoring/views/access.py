"""Who may see which "Thi đua" screen, the menu items that ask it, and the helpers every
screen shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.admin.menu import MenuItem

from district_site.admin_views import user_is_district_admin
from district_site.models import School
from school_site.admin_views import principal_school_ids
from scoring import selectors
from scoring.models import ContentKind, SchoolYear

TEMPLATE_DIR = "scoring/admin"
MENU_LABEL = "Thi đua"
CHART_ROWS = 30
BY_FILE_NAMES = {"school": "truong", "group": "to-chuc", "author": "tac-gia"}
BY_TITLES = {
    "school": "Bảng xếp hạng các trường",
    "group": "Bảng điểm theo tổ chức, tổ chuyên môn",
    "author": "Bảng điểm theo tác giả",
}
# Suggested district bonuses: (credited pages reached, bonus points). Only a hint shown on the
# bonus screen; the district still awards each bonus itself, with a reason.
SUGGESTED_BONUS_THRESHOLDS = [(100, Decimal(1)), (200, Decimal(2))]
KIND_LABELS = [(kind, ContentKind(kind).label) for kind in selectors.KINDS]


# --- who may see what ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportScope:
    """Every school (district) or the listed schools only (a principal)."""

    all_schools: bool
    school_ids: frozenset[int]

    def allows(self, school_id: int) -> bool:
        return self.all_schools or school_id in self.school_ids


def report_scope(user) -> ReportScope | None:
    """None when the user may see no school-wide sheet at all."""
    if user_is_district_admin(user):
        return ReportScope(all_schools=True, school_ids=frozenset())
    school_ids = principal_school_ids(user)
    if school_ids:
        return ReportScope(all_schools=False, school_ids=school_ids)
    return None


def require_district_admin(request) -> None:
    if not user_is_district_admin(request.user):
        raise PermissionDenied


class ReportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return report_scope(request.user) is not None


class DistrictMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return user_is_district_admin(request.user)


def _default_year() -> SchoolYear | None:
    return (
        selectors.school_year_containing(day=timezone.localdate())
        or SchoolYear.objects.order_by("-start_date").first()
    )


def _posted(request):
    # Not `request.POST or None`: an empty POST (a checkbox left unticked) must bind the form.
    return request.POST if request.method == "POST" else None


def _render(request, template: str, **context):
    return TemplateResponse(request, f"{TEMPLATE_DIR}/{template}", context)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _board_school_ids(user) -> frozenset[int]:
    # Remembered on the request's user: both board menu items ask on every admin page.
    cached = getattr(user, "_scoring_board_school_ids", None)
    if cached is None:
        cached = selectors.board_school_ids(user=user)
        user._scoring_board_school_ids = cached
    return cached


class BoardMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return bool(_board_school_ids(request.user))


def board_school(request) -> School:
    """The school whose board screen is asked for: `?school=` (or the form's `school`) if the
    user is on its board, else a 404 before anything of it is read; by default the user's own
    (lowest id if several). District admins may name any school. Anyone on no board: refused."""
    district = user_is_district_admin(request.user)
    own = _board_school_ids(request.user)
    if not district and not own:
        raise PermissionDenied
    raw = request.POST.get("school") or request.GET.get("school") or ""
    if raw:
        if not raw.isdigit() or not (district or int(raw) in own):
            raise Http404
        return get_object_or_404(School, pk=int(raw))
    if not own:
        raise Http404  # a district admin names the school
    return School.objects.get(pk=min(own))
