"""Reads for the board's screens: the schools whose board a user sits on, the posts holding
credit with their "bài hay" mark, and the posts whose credit needs the board's attention.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Max, Q, QuerySet, Sum
from wagtail.models import Page

from district_site.roles import roles_for
from district_site.selectors import school_for_page
from scoring.models import (
    CreditEvent,
    PublicationCheck,
    SchoolYear,
)
from scoring.selectors.sheets import ZERO
from scoring.selectors.text import readable_text

# First publications that earned nothing for a reason the board can act on.
_BOARD_REASONS = (
    PublicationCheck.Outcome.SELF_APPROVED,
    PublicationCheck.Outcome.SUBMITTER,
    PublicationCheck.Outcome.CREDIT_SETTER,
    PublicationCheck.Outcome.NOT_BOARD,
    PublicationCheck.Outcome.DUPLICATE,
    PublicationCheck.Outcome.TOO_SHORT,
)


def board_school_ids(*, user) -> frozenset[int]:
    """Active schools whose Ban quản trị the user belongs to: the schools whose board screens
    (flags, credited posts) the user may see and act on. From the request's one roles query."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    roles = roles_for(user)
    return frozenset(m.school_id for m in roles.memberships if m.is_board and m.active)


@dataclass
class CreditedPost:
    page_id: int
    page_title: str
    content_kind: str
    author_name: str
    pages: int
    points: Decimal
    bonus: Decimal
    author_id: int | None = None
    good_post: bool = False


def credited_posts(*, school_year: SchoolYear, school_id: int) -> list[CreditedPost]:
    """The pages holding credit in `school_id` for the year, newest first, with their author
    and whether the board marked them "bài hay". Three queries whatever their number: the
    ledger grouped by page, the authors, the marks."""
    from scoring.models import GoodPostMark

    aggregates = (
        CreditEvent.objects.filter(school_year=school_year, school_id=school_id)
        .exclude(page_id=None)
        .values("page_id", "author_id", "content_kind")
        .annotate(
            n_pages=Sum("pages"),
            n_points=Sum("points"),
            n_bonus=Sum("bonus_points"),
            last=Max("created_at"),
            title=Max("page_title"),
        )
        .filter(n_pages__gt=0)
        .order_by("-last", "-page_id")
    )
    rows = list(aggregates)
    users = get_user_model().objects.filter(pk__in={r["author_id"] for r in rows})
    names = {
        u["pk"]: " ".join(n for n in (u["last_name"], u["first_name"]) if n) or u["username"]
        for u in users.values("pk", "username", "first_name", "last_name")
    }
    marked = set(
        GoodPostMark.objects.filter(page_id__in={r["page_id"] for r in rows}).values_list(
            "page_id", flat=True
        )
    )
    return [
        CreditedPost(
            page_id=r["page_id"],
            page_title=r["title"] or "",
            content_kind=r["content_kind"],
            author_id=r["author_id"],
            author_name=names.get(r["author_id"], ""),
            pages=int(r["n_pages"]),
            points=Decimal(r["n_points"] or 0).quantize(ZERO),
            bonus=Decimal(r["n_bonus"] or 0).quantize(ZERO),
            good_post=r["page_id"] in marked,
        )
        for r in rows
    ]


def credit_flags(*, school_id: int | None = None) -> QuerySet[PublicationCheck]:
    """What a board screen lists with its reason (`get_outcome_display`, or
    `get_pending_change_display` for a change of author or group waiting for a second board
    member): pages whose first publication earned nothing, and changes not yet approved. One
    query."""
    checks = PublicationCheck.objects.filter(Q(outcome__in=_BOARD_REASONS) | ~Q(pending_change=""))
    if school_id is not None:
        checks = checks.filter(school_id=school_id)
    return checks.select_related("publisher", "author", "pending_change_by").order_by(
        "-checked_at", "-pk"
    )


def page_titles_in_school(*, page_ids: set[int], school_id: int) -> dict[int, str]:
    """Titles of the given pages that were checked in `school_id` (one query). A board sees
    what its duplicate copies, but only by title and only inside its own school: a copied
    page of another school is named as such, not shown."""
    return dict(
        PublicationCheck.objects.filter(page_id__in=page_ids, school_id=school_id).values_list(
            "page_id", "page_title"
        )
    )


def flagged_duplicates(*, school_id: int | None = None) -> QuerySet[PublicationCheck]:
    checks = PublicationCheck.objects.filter(outcome=PublicationCheck.Outcome.DUPLICATE)
    if school_id is not None:
        checks = checks.filter(school_id=school_id)
    return checks.order_by("-checked_at")


@dataclass
class DuplicateSide:
    page_id: int
    title: str
    text: str
    live: bool


@dataclass
class DuplicatePair:
    """A flagged duplicate and the credited post it matched, for the board's side-by-side view.
    `original` is None when that post is not (or no longer) in the board's school: another
    school's text is never shown."""

    check: PublicationCheck
    flagged: DuplicateSide | None
    original: DuplicateSide | None


def duplicate_pair(*, page_id: int, school_id: int) -> DuplicatePair | None:
    """The flagged duplicate `page_id` of `school_id` and the post it copies, each only while
    the page still lies in that school (a page moved away since is another school's now).
    None if `page_id` is no duplicate flagged in that school. At most 5 queries."""
    check = (
        PublicationCheck.objects.filter(
            page_id=page_id, school_id=school_id, outcome=PublicationCheck.Outcome.DUPLICATE
        )
        .select_related("author", "publisher")
        .first()
    )
    if check is None:
        return None
    ids = {page_id, check.duplicate_of_page_id} - {None}
    sides = {}
    for page in Page.objects.filter(pk__in=ids).specific():
        school = school_for_page(page)
        if school is not None and school.pk == school_id:
            sides[page.pk] = DuplicateSide(
                page_id=page.pk, title=page.title, text=readable_text(page), live=page.live
            )
    return DuplicatePair(
        check=check,
        flagged=sides.get(page_id),
        original=sides.get(check.duplicate_of_page_id),
    )


@dataclass
class CreditChange:
    """A page's credit as live, and the change of author or group saved after it, if any,
    waiting for a second board member to publish it (DESIGN decision 9)."""

    author: Any
    contributor_group: Any
    pending_author: Any = None
    pending_group: Any = None
    pending_by: Any = None
    pending: bool = False


def credit_change(*, page) -> CreditChange:
    """What `page` (specific) credits now, and its latest revision's different author or group
    if one waits to be published. Three queries at most."""
    live = CreditChange(author=page.author, contributor_group=page.contributor_group)
    draft = page.get_latest_revision_as_object() if page.has_unpublished_changes else page
    if (draft.author_id, draft.contributor_group_id) != (
        page.author_id,
        page.contributor_group_id,
    ):
        live.pending = True
        live.pending_author = draft.author
        live.pending_group = draft.contributor_group
        live.pending_by = draft.credit_set_by
    return live
