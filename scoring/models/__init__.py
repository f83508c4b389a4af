"""School years, the rubric, and the append-only ledger the emulation score sheet is built from.

Every change to anyone's credit is a new `CreditEvent` row, never an edited counter, and a sheet
is a `GROUP BY` over those rows. That makes it reproducible (the ledger is the whole story: who,
when, why) and hard to game (nothing can be edited away). The district's sheets across all
schools read `SheetTotal` / `SchoolMonthTotal` instead: the same sums, added to in the
transaction of every append and derivable from the ledger again at any time (`totals`).
"""

# The honour board page type lives in its own module; importing it here registers the model.
from scoring.honour import HonourBoardPage
from scoring.models.board import BonusAward, FrozenSheetRow, GoodPostMark
from scoring.models.ledger import CreditEvent, CreditEventQuerySet, PublicationCheck
from scoring.models.totals import (
    SchoolMonthTotal,
    SheetTotal,
    rebuild_sheet_totals,
    sheet_totals_drift,
)
from scoring.models.years import (
    YEAR_LABEL_RE,
    ContentKind,
    Rubric,
    SchoolYear,
    default_label_for,
    default_year_bounds,
    parse_year_label,
)

__all__ = [
    "YEAR_LABEL_RE",
    "BonusAward",
    "ContentKind",
    "CreditEvent",
    "CreditEventQuerySet",
    "FrozenSheetRow",
    "GoodPostMark",
    "HonourBoardPage",
    "SchoolMonthTotal",
    "PublicationCheck",
    "Rubric",
    "SchoolYear",
    "SheetTotal",
    "default_label_for",
    "default_year_bounds",
    "parse_year_label",
    "rebuild_sheet_totals",
    "sheet_totals_drift",
]
