"""The score sheet report, its downloads and print view, and the contributor's own panel on
the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from district_site import admin_scoping
from district_site.models import School
from scoring import charts, exports, forms, selectors
from scoring.models import SchoolYear
from scoring.views.access import (
    BY_FILE_NAMES,
    BY_TITLES,
    CHART_ROWS,
    KIND_LABELS,
    TEMPLATE_DIR,
    ReportScope,
    _default_year,
    report_scope,
)

# --- the score sheet report --------------------------------------------------------------------

# Rows of the sheet per screen page. The district's sheet by author names every teacher who
# earned anything (thousands at district scale); the page shows 50 at a time, while the totals,
# the ranks, the chart and the downloads still cover the whole sheet.
PER_PAGE = 50


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
        # The page number travels as "p" (as on the people screens), so that it never clashes
        # with the form's fields; the page links keep every filter of the request.
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("p"))
        context |= {
            "title": title or "Bảng điểm của trường",
            "rows": [
                (
                    row,
                    [row.counts[kind] for kind in selectors.KINDS],
                    _row_label(row, report.by, with_school=False),
                )
                for row in page.object_list
            ],
            "page": page,
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
