"""School years, the rubric, and the append-only ledger the emulation score sheet is built from.

The sheet is never stored as counters that get incremented: every change to anyone's credit is a
new `CreditEvent` row, and a sheet is a `GROUP BY` over those rows. That makes it reproducible
(the ledger is the whole story: who, when, why) and hard to game (nothing can be edited away).
"""

# The honour board page type lives in its own module; importing it here registers the model.
from scoring.honour import HonourBoardPage
from scoring.models.board import BonusAward, FrozenSheetRow, GoodPostMark
from scoring.models.ledger import CreditEvent, CreditEventQuerySet, PublicationCheck
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
    "PublicationCheck",
    "Rubric",
    "SchoolYear",
    "default_label_for",
    "default_year_bounds",
    "parse_year_label",
]
