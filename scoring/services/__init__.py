"""Writes for scoring: the counting rules applied to what happens to pages, bonuses, freezing.

The counting rules (README "Cách tính điểm thi đua"):

- Two people for every credit (DESIGN decision 9): a page's credit counts, at its first
  publication, or moves, when its author or group changes, only if the approver (the user
  Wagtail's publish log entry names: the approving board member when the review workflow
  publishes; for a scheduled publication, whoever approved or scheduled it) is a board member
  of the school concerned and is neither the page's author, nor whoever last set its author or
  group (`credit_set_by` of the revision that went live), nor the submitter of its review.
- A content page earns credit once, at its first publication, if that rule holds and its body
  is not empty (the rubric's `min_body_chars`).
- The credit goes to the page's author, its contributor group and its school at that moment, in
  the school year containing that moment, at the points of that year's rubric.
- The live-page rule: a page holds at most one credit, and only while it is live.
  Unpublishing or deleting withdraws what it holds; republishing never earns again, but, when
  its publication passes the two-person rule for the school that earned it and its text is not
  a duplicate of a page holding credit, restores what it held (a "restored" ledger event in the
  year and school that earned it). Moving a page to another school leaves its credit where it
  was earned.
- Aliases earn nothing; a page whose body fingerprint (NFKC, invisible characters removed,
  look-alike letters folded, markup, whitespace and case ignored) equals the current one of a
  page holding credit earns nothing and is flagged.
- Publishing a changed author or group after credit moves the credit if the two-person rule
  holds for the credited school; otherwise the credit stays, and the change is flagged as not
  approved until a second board member publishes it. The move is a logged ledger event.
- Events for a frozen year are kept in the ledger as its adjustments list and never change the
  frozen sheet.

The writes live in focused modules; this package names them all, so callers keep writing
`services.record_publication(...)`:

- `years`: school years and their rubric;
- `ledger`: appending to the ledger (events of a frozen year become its adjustments);
- `pages`: what happens to pages (publication, aliases, restoration, moves, withdrawal);
- `board`: the board's changes of author or group and its "bài hay" mark;
- `district`: bonus points and the year-end freeze.
"""

from scoring.services.board import (
    CHANGE_CREDIT_ACTION,
    change_credit,
    mark_good_post,
    mark_good_post_at_approval,
)
from scoring.services.district import (
    award_bonus,
    freeze_school_year,
)
from scoring.services.pages import (
    PUBLISH_ACTIONS,
    SCHEDULE_ACTION,
    WITHDRAW_ACTIONS,
    follow_credit_fields,
    record_alias,
    record_page_log_entry,
    record_publication,
    refresh_credit_fingerprints,
    restore_credit,
    withdraw_page_credit,
)
from scoring.services.years import (
    get_or_create_school_year,
    rubric_for,
    school_year_for,
    set_school_year_dates,
)

__all__ = [
    "CHANGE_CREDIT_ACTION",
    "get_or_create_school_year",
    "school_year_for",
    "set_school_year_dates",
    "rubric_for",
    "PUBLISH_ACTIONS",
    "SCHEDULE_ACTION",
    "WITHDRAW_ACTIONS",
    "record_page_log_entry",
    "record_publication",
    "refresh_credit_fingerprints",
    "record_alias",
    "restore_credit",
    "follow_credit_fields",
    "withdraw_page_credit",
    "change_credit",
    "mark_good_post",
    "mark_good_post_at_approval",
    "award_bonus",
    "freeze_school_year",
]
