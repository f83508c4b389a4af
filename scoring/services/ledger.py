"""Appending to the ledger: every scoring write goes through `_append`, which marks events of
a frozen year as its adjustments (`after_freeze`).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from district_site.selectors import is_district_admin
from scoring.models import (
    CreditEvent,
    SchoolYear,
)


def _year_is_frozen(school_year_id: int) -> bool:
    # Read from the database, not from an instance that may predate the freeze.
    return SchoolYear.objects.filter(pk=school_year_id, frozen=True).exists()


def _append(
    *,
    school_year_id: int,
    moment: datetime.datetime | None = None,
    year_frozen: bool | None = None,
    **fields,
) -> CreditEvent:
    """One ledger row. `year_frozen`: the year's `frozen` as the caller has just read it in this
    transaction (saves reading it again); None reads it here."""
    return CreditEvent.objects.create(
        school_year_id=school_year_id,
        created_at=moment or timezone.now(),
        after_freeze=_year_is_frozen(school_year_id) if year_frozen is None else year_frozen,
        **fields,
    )


def _require_district_admin(user) -> None:
    if user is None or not is_district_admin(user):
        raise PermissionDenied("Chỉ quản trị Phòng GD&ĐT được làm việc này.")
