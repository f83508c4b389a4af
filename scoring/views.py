"""Admin screens of "Thi đua": the score sheet report and its downloads, the contributor's own
dashboard panel, and the district's school years, rubric and bonus points.

Who sees what:
- district admins and superusers: every school's sheet and the ranking, and the district
  screens (school years, rubric, freeze, bonus);
- a school's principal (`School.principal`, still on the board, school active): their own
  school's sheets only. Asking for another school (`?school=`) is a 404 before anything is read;
- everyone else (board members who are not the principal, contributors): refused; Wagtail turns
  the PermissionDenied into a message on the dashboard. Contributors see their own numbers in
  the dashboard panel instead.

The sheets come from `scoring.selectors`, the writes go through `scoring.services`; these views
only translate between HTTP and those functions. `wagtail_hooks.py` wires them in.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.models import Page

from district_site import admin_scoping
from district_site.admin_views import user_is_district_admin
from district_site.models import School
from district_site.selectors import school_for_page
from school_site.admin_views import principal_school_ids
from scoring import charts, exports, forms, selectors, services
from scoring.models import BonusAward, ContentKind, SchoolYear

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


# --- the score sheet report --------------------------------------------------------------------


@dataclass
class Report:
    form: forms.ReportFilterForm
    scope: ReportScope
    school_year: SchoolYear | None = None
    by: str = "school"
    school: School | None = None
    rows: list | None = None
    months: list | None = None

    @property
    def ready(self) -> bool:
        return self.rows is not None


def _default_year() -> SchoolYear | None:
    return (
        selectors.school_year_containing(day=timezone.localdate())
        or SchoolYear.objects.order_by("-start_date").first()
    )


def build_report(request) -> Report:
    """Check the user and the parameters, then read the sheet they ask for.

    The school of `?school=` is checked against the user's scope before the form or any sheet
    is read: a principal naming another school gets a 404, whatever else the URL says."""
    scope = report_scope(request.user)
    if scope is None:
        raise PermissionDenied
    data: QueryDict = request.GET.copy()
    raw_school = data.get("school", "")
    if raw_school and not scope.all_schools:
        if not raw_school.isdigit() or not scope.allows(int(raw_school)):
            raise Http404
    if not scope.all_schools and not raw_school:
        data["school"] = str(min(scope.school_ids))
    data.setdefault("by", "school")
    if not data.get("year"):
        year = _default_year()
        if year is not None:
            data["year"] = year.label
    schools = School.objects.order_by("name")
    if not scope.all_schools:
        schools = schools.filter(pk__in=scope.school_ids)
    form = forms.ReportFilterForm(data, schools=schools, all_schools=scope.all_schools)
    report = Report(form=form, scope=scope)
    if not data.get("year") or not form.is_valid():
        return report
    cleaned = form.cleaned_data
    report.school_year, report.by, report.school = cleaned["year"], cleaned["by"], cleaned["school"]
    school_id = report.school.pk if report.school else None
    dates = {"start": cleaned["start"], "end": cleaned["end"]}
    if report.by == "school" and scope.all_schools:
        # The district's ranking is over every school; one school picked keeps its true rank.
        rows = selectors.score_sheet(school_year=report.school_year, by="school", **dates)
        if school_id is not None:
            rows = [row for row in rows if row.school_id == school_id]
    else:
        rows = selectors.score_sheet(
            school_year=report.school_year, by=report.by, school_id=school_id, **dates
        )
    report.rows = rows
    report.months = selectors.monthly_totals(
        school_year=report.school_year, school_id=school_id, **dates
    )
    return report


def _query_string(report: Report) -> str:
    cleaned = report.form.cleaned_data
    params = {"year": report.school_year.label, "by": report.by}
    if report.school is not None:
        params["school"] = report.school.pk
    for name in ("start", "end"):
        if cleaned.get(name):
            params[name] = cleaned[name].isoformat()
    return urlencode(params)


def _totals(rows) -> dict:
    return {
        "counts": [sum(row.counts[kind] for row in rows) for kind in selectors.KINDS],
        "pages": sum(row.pages for row in rows),
        "points": sum((row.points for row in rows), Decimal(0)),
        "bonus": sum((row.bonus for row in rows), Decimal(0)),
        "total": sum((row.total for row in rows), Decimal(0)),
    }


def _row_label(row, by: str, *, with_school: bool) -> str:
    name = {"school": row.school_name, "group": row.group_name, "author": row.author_name}[by]
    return f"{name} – {row.school_name}" if with_school and by != "school" else name


def report_view(request):
    report = build_report(request)
    context = {
        "page_title": "Bảng điểm thi đua",
        "form": report.form,
        "report": report,
        "kind_labels": KIND_LABELS,
        "show_rank": report.scope.all_schools or report.by != "school",
        "district": report.scope.all_schools,
        # build_report fills in the current (or latest) year when there is one.
        "no_years": not report.form.data.get("year"),
    }
    if report.ready:
        rows = report.rows
        many_schools = report.scope.all_schools and report.school is None
        largest = sorted(rows, key=lambda row: (-row.total, -row.pages))[:CHART_ROWS]
        title = BY_TITLES[report.by] if report.scope.all_schools or report.by != "school" else ""
        year = report.school_year
        context |= {
            "title": title or "Bảng điểm của trường",
            "rows": [
                (
                    row,
                    [row.counts[kind] for kind in selectors.KINDS],
                    _row_label(row, report.by, with_school=False),
                )
                for row in rows
            ],
            "totals": _totals(rows),
            "bar_chart": charts.bar_chart(
                [
                    charts.Bar(
                        label=_row_label(row, report.by, with_school=many_schools),
                        points=row.points,
                        bonus=row.bonus,
                    )
                    for row in largest
                ],
                title=f"Tổng điểm – {year.label}",
            ),
            "chart_truncated": len(rows) > CHART_ROWS,
            "chart_rows": CHART_ROWS,
            "trend_chart": charts.trend_chart(
                [(m.month, m.pages, m.total) for m in report.months],
                title=f"Điểm theo tháng – {year.label}",
            ),
            "months": report.months,
            "query": _query_string(report),
        }
    return TemplateResponse(request, f"{TEMPLATE_DIR}/report.html", context)


def _heading(report: Report) -> exports.SheetHeading:
    """The sheet's heading: one school's sheet (signed by its principal) when a school is
    picked, the district's (signed by the head of the department) otherwise."""
    cleaned = report.form.cleaned_data
    return exports.sheet_heading(
        by=report.by,
        school_year=report.school_year,
        school_name=report.school.name if report.school is not None else None,
        start=cleaned.get("start"),
        end=cleaned.get("end"),
    )


def export_view(request, fmt: str):
    """The sheet on screen as XLSX (the signed sheet's layout) or CSV, with the same scope."""
    if fmt not in ("xlsx", "csv"):
        raise Http404
    report = build_report(request)
    if not report.ready:
        raise Http404
    name = f"bang-diem-{report.school_year.label}-{BY_FILE_NAMES[report.by]}"
    if report.school is not None:
        name += f"-truong-{report.school.pk}"
    if fmt == "xlsx":
        data = exports.sheet_xlsx(
            rows=report.rows,
            by=report.by,
            school_year=report.school_year,
            heading=_heading(report),
        )
        response = HttpResponse(
            data,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    # A byte-order mark, so that Excel reads the Vietnamese letters as UTF-8.
    text = "\ufeff" + exports.sheet_csv(rows=report.rows, by=report.by)
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def print_view(request):
    """The sheet on screen as a page to print and sign (A4 landscape), with the same scope and
    the same heading as the XLSX."""
    report = build_report(request)
    if not report.ready:
        raise Http404
    rows = report.rows
    return TemplateResponse(
        request,
        f"{TEMPLATE_DIR}/print.html",
        {
            "heading": _heading(report),
            "report": report,
            "kind_labels": KIND_LABELS,
            "who_headers": {
                "school": ["Trường"],
                "author": ["Trường", "Họ và tên"],
                "group": ["Trường", "Tổ chức, tổ chuyên môn"],
            }[report.by],
            "rows": [
                (
                    row,
                    {
                        "school": [row.school_name],
                        "author": [row.school_name, row.author_name],
                        "group": [row.school_name, row.group_name],
                    }[report.by],
                    [row.counts[kind] for kind in selectors.KINDS],
                )
                for row in rows
            ],
            "totals": _totals(rows),
        },
    )


# --- the contributor's own panel on the dashboard ----------------------------------------------


class MyScorePanel(Component):
    """ "Điểm thi đua của tôi năm học này": what the user's own pages earned this school year.

    Two queries (the year; the user's ledger rows grouped by school), one when no year contains
    today, whatever the size of the ledger."""

    name = "scoring_my_score"
    order = 150
    template_name = "scoring/admin/my_score_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        year = selectors.school_year_containing(day=timezone.localdate())
        rows = selectors.author_sheet(school_year=year, author_id=self.user.pk) if year else []
        context |= {
            "school_year": year,
            "rows": [(row, [row.counts[kind] for kind in selectors.KINDS]) for row in rows],
            "kind_labels": KIND_LABELS,
            "totals": _totals(rows),
        }
        return context


def add_my_score_panel(request, panels) -> None:
    """School users (contributors and board members) get the panel; the district does not."""
    if admin_scoping.school_root_paths(request.user):
        panels.append(MyScorePanel(request.user))


# --- the district's screens --------------------------------------------------------------------


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


def years_view(request):
    require_district_admin(request)
    years = SchoolYear.objects.select_related("rubric", "frozen_by").order_by("-start_date")
    return _render(request, "years.html", page_title="Năm học và thang điểm", years=years)


def year_create_view(request):
    require_district_admin(request)
    form = forms.SchoolYearCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        label = form.cleaned_data["label"]
        default_start, default_end = forms.default_year_bounds_for(label)
        try:
            with transaction.atomic():
                year = services.get_or_create_school_year(label=label)
                services.set_school_year_dates(
                    school_year=year,
                    start_date=form.cleaned_data["start_date"] or default_start,
                    end_date=form.cleaned_data["end_date"] or default_end,
                    user=request.user,
                )
                services.rubric_for(school_year=year)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Đã thêm năm học {year.label}.")
            return redirect("scoring_admin:years")
    return _render(request, "year_form.html", page_title="Thêm năm học", form=form)


def year_edit_view(request, pk: int):
    require_district_admin(request)
    year = get_object_or_404(SchoolYear, pk=pk)
    initial = {"start_date": year.start_date, "end_date": year.end_date}
    form = forms.SchoolYearDatesForm(_posted(request), initial=initial)
    if request.method == "POST" and not year.frozen and form.is_valid():
        try:
            services.set_school_year_dates(
                school_year=year,
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data["end_date"],
                user=request.user,
            )
        except ValidationError as exc:
            year.refresh_from_db()
            _add_errors(form, exc)
        else:
            messages.success(request, f"Đã lưu thời gian năm học {year.label}.")
            return redirect("scoring_admin:years")
    return _render(
        request,
        "year_form.html",
        page_title=f"Thời gian năm học {year.label}",
        form=form,
        year=year,
    )


def year_freeze_view(request, pk: int):
    require_district_admin(request)
    year = get_object_or_404(SchoolYear, pk=pk)
    form = forms.FreezeConfirmForm(_posted(request))
    if request.method == "POST" and not year.frozen and form.is_valid():
        try:
            stored = services.freeze_school_year(school_year=year, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"Đã chốt bảng điểm năm học {year.label} ({stored} dòng được lưu)."
            )
        return redirect("scoring_admin:years")
    ranking = selectors.score_sheet(school_year=year, by="school") if not year.frozen else []
    return _render(
        request,
        "year_freeze.html",
        page_title=f"Chốt bảng điểm năm học {year.label}",
        form=form,
        year=year,
        schools=len(ranking),
        pages=sum(row.pages for row in ranking),
        adjustments=selectors.adjustments_after_freeze(school_year=year)[:50]
        if year.frozen
        else [],
    )


def rubric_view(request, pk: int):
    require_district_admin(request)
    year = get_object_or_404(SchoolYear, pk=pk)
    rubric = services.rubric_for(school_year=year)
    form = forms.RubricForm(_posted(request), instance=rubric)
    if year.frozen:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and not year.frozen and form.is_valid():
        form.save()
        messages.success(request, f"Đã lưu thang điểm năm học {year.label}.")
        return redirect("scoring_admin:years")
    return _render(
        request,
        "rubric.html",
        page_title=f"Thang điểm năm học {year.label}",
        form=form,
        year=year,
    )


def bonus_view(request):
    require_district_admin(request)
    initial = {"school_year": _default_year()}
    form = forms.BonusForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            award = services.award_bonus(
                school_year=data["school_year"],
                school=data["school"],
                points=data["points"],
                criterion=data["criterion"],
                reason=data["reason"],
                user=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            note = " (vào danh sách điều chỉnh sau khi chốt)" if award.event.after_freeze else ""
            messages.success(
                request,
                f"Đã cộng {charts._number(award.points)} điểm cho {award.school.name}{note}.",
            )
            return redirect("scoring_admin:bonus")
    awards = BonusAward.objects.select_related("school", "school_year", "awarded_by").order_by(
        "-awarded_at"
    )[:50]
    year = _default_year()
    suggestions = (
        selectors.suggested_bonuses(school_year=year, thresholds=SUGGESTED_BONUS_THRESHOLDS)
        if year is not None and not year.frozen
        else []
    )
    return _render(
        request,
        "bonus.html",
        page_title="Cộng điểm cho trường",
        form=form,
        awards=awards,
        year=year,
        suggestions=suggestions,
        thresholds=SUGGESTED_BONUS_THRESHOLDS,
    )


# --- the board's screens: flagged posts, credited posts and their "bài hay" mark -------------


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


def flags_view(request):
    """The board's list of posts whose credit needs its attention: first publications that
    earned nothing, and why; changes of author or group waiting for a second board member."""
    school = board_school(request)
    checks = list(selectors.credit_flags(school_id=school.pk)[:200])
    duplicates = {c.duplicate_of_page_id for c in checks if c.duplicate_of_page_id}
    titles = (
        selectors.page_titles_in_school(page_ids=duplicates, school_id=school.pk)
        if duplicates
        else {}
    )
    return _render(
        request,
        "flags.html",
        page_title=f"Bài cần Ban quản trị xem – {school.name}",
        school=school,
        flags=[(check, titles.get(check.duplicate_of_page_id)) for check in checks],
    )


def credited_view(request):
    """The board's list of its school's posts holding credit this year, each with its "bài
    hay" mark or the button to give it (until the year is frozen; never on one's own post)."""
    school = board_school(request)
    year = _default_year()
    posts = selectors.credited_posts(school_year=year, school_id=school.pk) if year else []
    return _render(
        request,
        "credited.html",
        page_title=f"Bài được tính điểm – {school.name}",
        school=school,
        year=year,
        posts=[(post, dict(KIND_LABELS).get(post.content_kind, "")) for post in posts],
    )


def mark_good_view(request, page_id: int):
    """POST only: the board marks one of its school's credited posts "bài hay"."""
    if request.method != "POST":
        raise Http404
    school = board_school(request)
    page = Page.objects.filter(pk=page_id).first()
    # Another school's page is a 404 for this board, exactly like a page that does not exist.
    found = school_for_page(page) if page is not None else None
    if found is None or found.pk != school.pk:
        raise Http404
    try:
        services.mark_good_post(page=page.specific, user=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "Bạn không được đánh dấu bài này.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã đánh dấu “bài hay”: {page.title}.")
    return redirect(f"{reverse('scoring_admin:board_credited')}?school={school.pk}")


# --- the district's frozen sheets --------------------------------------------------------------


def frozen_sheet_view(request, pk: int):
    """A frozen year's three sheets as stored, and its adjustments list (what happened to the
    year afterwards, left out of the sheets)."""
    require_district_admin(request)
    year = get_object_or_404(SchoolYear, pk=pk, frozen=True)
    by = request.GET.get("by", "school")
    if by not in selectors.SHEET_KINDS:
        raise Http404
    rows = selectors.frozen_sheet(school_year=year, by=by)
    return _render(
        request,
        "frozen_sheet.html",
        page_title=f"Bảng điểm đã chốt năm học {year.label}",
        year=year,
        by=by,
        by_choices=[(key, BY_TITLES[key]) for key in selectors.SHEET_KINDS],
        rows=[
            (
                row,
                [row.counts[kind] for kind in selectors.KINDS],
                _row_label(row, by, with_school=False),
            )
            for row in rows
        ],
        kind_labels=KIND_LABELS,
        totals=_totals(rows),
        adjustments=selectors.adjustments_after_freeze(school_year=year)[:500],
    )


urlpatterns = [
    path("", report_view, name="report"),
    path("report/print/", print_view, name="print"),
    path("report/<str:fmt>/", export_view, name="export"),
    path("years/", years_view, name="years"),
    path("years/add/", year_create_view, name="year_add"),
    path("years/<int:pk>/", year_edit_view, name="year_edit"),
    path("years/<int:pk>/freeze/", year_freeze_view, name="year_freeze"),
    path("years/<int:pk>/rubric/", rubric_view, name="rubric"),
    path("bonus/", bonus_view, name="bonus"),
    path("years/<int:pk>/frozen/", frozen_sheet_view, name="year_frozen_sheet"),
    path("board/flags/", flags_view, name="board_flags"),
    path("board/credited/", credited_view, name="board_credited"),
    path("board/credited/<int:page_id>/good/", mark_good_view, name="board_mark_good"),
]
