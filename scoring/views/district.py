"""The district's screens: school years, rubric, freeze, bonus points and the frozen sheets."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from wagtail.admin import messages

from scoring import charts, forms, selectors, services
from scoring.models import BonusAward, SchoolYear
from scoring.views.access import (
    BY_TITLES,
    KIND_LABELS,
    SUGGESTED_BONUS_THRESHOLDS,
    _add_errors,
    _default_year,
    _posted,
    _render,
    require_district_admin,
)
from scoring.views.reports import _row_label, _totals

# --- the district's screens --------------------------------------------------------------------


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


def _bonus_year(request) -> SchoolYear | None:
    raw = request.POST.get("school_year") or request.GET.get("year") or ""
    if raw.isdigit():
        return SchoolYear.objects.filter(pk=int(raw)).first() or _default_year()
    return _default_year()


def bonus_view(request):
    """The district's adjustments and bonuses: every school of the chosen year with its pages,
    the bonus it has and the bonus its pages suggest (100/200 posts), the awards with their
    reasons (one school's with `?school=`), and the form to add one. A frozen year takes no
    more bonuses (services.award_bonus refuses; the form says so)."""
    require_district_admin(request)
    year = _bonus_year(request)
    school_id = request.GET.get("school", "")
    school_id = int(school_id) if school_id.isdigit() else None
    initial = {"school_year": year, "school": school_id}
    form = forms.BonusForm(_posted(request), initial=initial)
    if year is not None and year.frozen:
        for field in form.fields.values():
            field.disabled = True
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
            messages.success(
                request,
                f"Đã cộng {charts._number(award.points)} điểm cho {award.school.name}.",
            )
            query = urlencode({"year": award.school_year_id, "school": award.school_id})
            return redirect(f"{reverse('scoring_admin:bonus')}?{query}")
    awards = BonusAward.objects.select_related("school", "school_year", "awarded_by")
    if year is not None:
        awards = awards.filter(school_year=year)
    if school_id is not None:
        awards = awards.filter(school_id=school_id)
    overview = (
        selectors.bonus_overview(school_year=year, thresholds=SUGGESTED_BONUS_THRESHOLDS)
        if year is not None
        else []
    )
    return _render(
        request,
        "bonus.html",
        page_title="Điều chỉnh, cộng điểm cho trường",
        form=form,
        awards=awards.order_by("-awarded_at")[:100],
        year=year,
        years=SchoolYear.objects.order_by("-start_date"),
        school_id=school_id,
        overview=overview,
        suggestions=[(row, points) for row, points in overview if points is not None],
        thresholds=SUGGESTED_BONUS_THRESHOLDS,
    )


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
