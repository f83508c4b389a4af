"""Reads for scoring: the score sheets (GROUP BY over the ledger) and the facts rules need.

Every sheet is a constant number of queries whatever the number of schools, people or pages:
one aggregate over the ledger grouped by ids, then one query each for the names it mentions.

The reads live in focused modules; this package names them all, so callers keep writing
`selectors.score_sheet(...)`:

- `sheets`: the score sheets, frozen sheets, the monthly trend, one person's rows, bonuses;
- `text`: a page's plain text and fingerprint, and the credited page it duplicates;
- `credit`: what a page holds, and the two-person rule;
- `board`: what the board's screens list.
"""

from scoring.selectors.board import (
    CreditChange,
    CreditedPost,
    DuplicatePair,
    DuplicateSide,
    board_school_ids,
    credit_change,
    credit_flags,
    credited_posts,
    duplicate_pair,
    flagged_duplicates,
    page_titles_in_school,
)
from scoring.selectors.credit import (
    credit_setter_ids,
    credit_while_live,
    is_board_member,
    outstanding_credit,
    submitter_ids,
    two_person_refusal,
)
from scoring.selectors.honour import HonourBoard, honour_board
from scoring.selectors.sheets import (
    KINDS,
    SHEET_KINDS,
    ZERO,
    DatedParts,
    MonthTotal,
    SheetBy,
    SheetRow,
    adjustments_after_freeze,
    author_sheet,
    bonus_overview,
    dated_parts,
    frozen_sheet,
    monthly_totals,
    school_year_by_label,
    school_year_containing,
    score_sheet,
    sheet_events,
    suggested_bonuses,
)
from scoring.selectors.text import (
    body_is_empty,
    credit_text,
    credited_duplicate_of,
    normalise_text,
    readable_text,
    text_fingerprint,
)

__all__ = [
    "HonourBoard",
    "honour_board",
    "bonus_overview",
    "CreditChange",
    "DuplicatePair",
    "DuplicateSide",
    "credit_change",
    "duplicate_pair",
    "readable_text",
    "SheetBy",
    "SHEET_KINDS",
    "KINDS",
    "ZERO",
    "SheetRow",
    "school_year_by_label",
    "school_year_containing",
    "sheet_events",
    "score_sheet",
    "dated_parts",
    "frozen_sheet",
    "adjustments_after_freeze",
    "suggested_bonuses",
    "DatedParts",
    "MonthTotal",
    "monthly_totals",
    "author_sheet",
    "normalise_text",
    "credit_text",
    "body_is_empty",
    "text_fingerprint",
    "credited_duplicate_of",
    "outstanding_credit",
    "credit_while_live",
    "is_board_member",
    "credit_setter_ids",
    "submitter_ids",
    "two_person_refusal",
    "board_school_ids",
    "CreditedPost",
    "credited_posts",
    "credit_flags",
    "page_titles_in_school",
    "flagged_duplicates",
]
