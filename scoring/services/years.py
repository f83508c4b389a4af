"""School years and their rubric."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from scoring import selectors
from scoring.models import (
    Rubric,
    SchoolYear,
    default_label_for,
    default_year_bounds,
    parse_year_label,
)
from scoring.services.ledger import _require_district_admin


def get_or_create_school_year(*, label: str) -> SchoolYear:
    """The year labelled `label`, created with the default dates (1/9 – 31/8) if missing."""
    start, end = default_year_bounds(parse_year_label(label))
    year, _ = SchoolYear.objects.get_or_create(
        label=label, defaults={"start_date": start, "end_date": end}
    )
    return year


def school_year_for(*, moment: datetime.datetime) -> SchoolYear:
    """The school year containing `moment` (local date); created with default dates if none.

    If the district moved a year's dates so that no year contains the day, the day goes to the
    year its default label names rather than to a new overlapping one."""
    day = timezone.localdate(moment)
    return selectors.school_year_containing(day=day) or get_or_create_school_year(
        label=default_label_for(day)
    )


def set_school_year_dates(
    *, school_year: SchoolYear, start_date: datetime.date, end_date: datetime.date, user
) -> SchoolYear:
    """District admins adjust a year's dates; a frozen year keeps its dates."""
    _require_district_admin(user)
    if school_year.frozen:
        raise ValidationError("Năm học đã chốt, không đổi được thời gian.")
    school_year.start_date, school_year.end_date = start_date, end_date
    school_year.full_clean()
    school_year.save(update_fields=["start_date", "end_date"])
    return school_year


def rubric_for(*, school_year: SchoolYear) -> Rubric:
    # A year read by selectors.school_year_containing holds its rubric already (or knows it
    # has none): no query unless the year came without it.
    if SchoolYear.rubric.is_cached(school_year):
        try:
            return school_year.rubric
        except Rubric.DoesNotExist:
            pass
    rubric, _ = Rubric.objects.get_or_create(school_year=school_year)
    return rubric
