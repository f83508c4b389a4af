"""The district's writes: bonus points for a school and the year-end freeze."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from district_site.models import School
from scoring import selectors
from scoring.models import (
    BonusAward,
    CreditEvent,
    FrozenSheetRow,
    SchoolYear,
)
from scoring.services.ledger import _append, _require_district_admin, _year_is_frozen


@transaction.atomic
def award_bonus(
    *,
    school_year: SchoolYear,
    school: School,
    points: Decimal,
    criterion: str,
    reason: str,
    user,
) -> BonusAward:
    """District bonus points for a school, recorded in the ledger with its reason; refused once
    the year is frozen."""
    _require_district_admin(user)
    if not reason.strip():
        raise ValidationError("Cần ghi lý do cộng điểm.")
    if _year_is_frozen(school_year.pk):
        # A frozen sheet is final: a bonus now would only be an adjustment nobody can see in it.
        raise ValidationError(
            {"school_year": f"Năm học {school_year.label} đã chốt bảng điểm: không cộng điểm được."}
        )
    now = timezone.now()
    event = _append(
        school_year_id=school_year.pk,
        moment=now,
        kind=CreditEvent.Kind.BONUS,
        school_id=school.pk,
        bonus_points=Decimal(points),
        actor=user,
        reason=f"{BonusAward.Criterion(criterion).label}: {reason}",
    )
    return BonusAward.objects.create(
        school_year=school_year,
        school=school,
        points=points,
        criterion=criterion,
        reason=reason,
        awarded_by=user,
        awarded_at=now,
        event=event,
    )


@transaction.atomic
def freeze_school_year(*, school_year: SchoolYear, user) -> int:
    """Freeze a year: store its three sheets as they stand. Returns the rows stored.

    From then on every event for the year is appended with after_freeze=True (its
    adjustments list), so the sheet computed from the ledger still equals the snapshot."""
    _require_district_admin(user)
    year = SchoolYear.objects.select_for_update().get(pk=school_year.pk)
    if year.frozen:
        raise ValidationError(f"Năm học {year.label} đã chốt.")
    stored = []
    for by in ("school", "author", "group"):
        for row in selectors.score_sheet(school_year=year, by=by):
            stored.append(
                FrozenSheetRow(
                    school_year=year,
                    by=by,
                    school_id=row.school_id,
                    school_name=row.school_name,
                    hostname=row.hostname,
                    author_id=row.author_id,
                    author_username=row.username,
                    author_name=row.author_name,
                    contributor_group_id=row.group_id,
                    group_name=row.group_name,
                    pages=row.pages,
                    points=row.points,
                    bonus=row.bonus,
                    total=row.total,
                    **row.counts,
                )
            )
    FrozenSheetRow.objects.bulk_create(stored)
    year.frozen, year.frozen_at, year.frozen_by = True, timezone.now(), user
    year.save(update_fields=["frozen", "frozen_at", "frozen_by"])
    school_year.frozen, school_year.frozen_at = year.frozen, year.frozen_at
    return len(stored)
