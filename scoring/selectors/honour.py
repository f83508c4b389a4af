"""The honour board's reads: the leading groups and authors of a school (or the district) this
school year, named for the public."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from home.text import display_name
from scoring.models import SchoolYear
from scoring.selectors.sheets import SheetRow, score_sheet


@dataclass
class HonourBoard:
    groups: list[SheetRow] = field(default_factory=list)
    # (row, public name)
    authors: list[tuple[SheetRow, str]] = field(default_factory=list)


def _leading(rows: list[SheetRow]) -> list[SheetRow]:
    return sorted(
        (r for r in rows if r.pages or r.total),
        key=lambda r: (-r.total, -r.pages, r.school_name, r.author_id or 0, r.group_id or 0),
    )


def honour_board(*, school_year: SchoolYear, school_id: int | None, limit: int) -> HonourBoard:
    """The `limit` leading groups and authors of `school_id` (every school: None) for the year,
    by total points. People who asked not to be named at that school are left out. Queries:
    the two sheets (3 each), the opt-outs and the names shown: 8, whatever the size."""
    from school_site.models import StaffProfile

    groups = _leading(score_sheet(school_year=school_year, by="group", school_id=school_id))
    authors = _leading(score_sheet(school_year=school_year, by="author", school_id=school_id))
    hidden = set(
        StaffProfile.objects.filter(
            hide_on_honour_board=True, user_id__in={r.author_id for r in authors}
        ).values_list("user_id", "school_id")
    )
    authors = [r for r in authors if (r.author_id, r.school_id) not in hidden][:limit]
    users = get_user_model().objects.in_bulk({r.author_id for r in authors})
    return HonourBoard(
        groups=groups[:limit],
        authors=[(r, display_name(users[r.author_id])) for r in authors if r.author_id in users],
    )
