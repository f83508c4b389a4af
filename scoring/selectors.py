"""Reads for scoring: the score sheets (GROUP BY over the ledger) and the facts rules need.

Every sheet is a constant number of queries whatever the number of schools, people or pages:
one aggregate over the ledger grouped by ids, then one query each for the names it mentions.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import html
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.db.models import Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.html import strip_tags

from district_site.models import School
from district_site.roles import roles_for
from scoring.models import (
    ContentKind,
    CreditEvent,
    FrozenSheetRow,
    PublicationCheck,
    SchoolYear,
    parse_year_label,
)

SheetBy = Literal["school", "author", "group"]
SHEET_KINDS = ("school", "author", "group")
KINDS: tuple[str, ...] = tuple(ContentKind.values)
ZERO = Decimal("0.00")


@dataclass
class SheetRow:
    school_id: int
    school_name: str = ""
    hostname: str = ""
    author_id: int | None = None
    username: str = ""
    author_name: str = ""
    group_id: int | None = None
    group_name: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    pages: int = 0
    points: Decimal = ZERO
    bonus: Decimal = ZERO
    rank: int = 0

    @property
    def total(self) -> Decimal:
        return self.points + self.bonus

    def key(self) -> tuple:
        return (self.school_id, self.author_id, self.group_id)

    def as_tuple(self) -> tuple:
        """Everything a sheet row says, for comparing sheets."""
        return (
            self.school_id,
            self.author_id,
            self.group_id,
            tuple(self.counts[k] for k in KINDS),
            self.pages,
            Decimal(self.points).quantize(ZERO),
            Decimal(self.bonus).quantize(ZERO),
        )


# ---------------------------------------------------------------------------------------------
# School years
# ---------------------------------------------------------------------------------------------


def school_year_by_label(*, label: str) -> SchoolYear | None:
    """The year labelled `label`; ValueError with a Vietnamese message if malformed."""
    parse_year_label(label)
    return SchoolYear.objects.filter(label=label.strip()).first()


def school_year_containing(*, day: datetime.date) -> SchoolYear | None:
    return SchoolYear.objects.filter(start_date__lte=day, end_date__gte=day).first()


# ---------------------------------------------------------------------------------------------
# Facts the counting rules need
# ---------------------------------------------------------------------------------------------


def _strings(value: Any) -> list[str]:
    """Every text inside a StreamField's raw JSON, without block types and ids."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        out: list[str] = []
        for key, item in value.items():
            if key not in ("type", "id"):
                out.extend(_strings(item))
        return out
    if isinstance(value, list | tuple):
        out = []
        for item in value:
            out.extend(_strings(item))
        return out
    return []


# Characters that render as nothing (Unicode "format" characters: zero-width space, joiner and
# non-joiner, word joiner, byte-order mark, soft hyphen, bidi controls...) plus variation
# selectors and the combining grapheme joiner: inserting them changes the bytes, not the text.
_INVISIBLE_EXTRA = {0x034F, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)}
# Scripts left as they are: Vietnamese is Latin (its diacritics are kept: "Trường" and
# "Truong" are different texts); digits and punctuation are Common; combining marks Inherited.
_KEPT_SCRIPTS = {"LATIN", "COMMON", "INHERITED"}
_SMALL_CAPITAL = "LATIN LETTER SMALL CAPITAL "


@functools.cache
def _lookalike_table() -> dict[int, str]:
    """Letters of other scripts that look like a Latin letter, mapped to that letter.

    Built once from the Unicode confusables data shipped in `confusable_homoglyphs` (no
    download): Cyrillic "а" (U+0430) becomes "a", Greek "ο" becomes "o". Only letters of other
    scripts are folded, so Latin letters, with or without diacritics, are never changed."""
    from confusable_homoglyphs.categories import alias
    from confusable_homoglyphs.confusables import confusables_data

    table: dict[int, str] = {}
    for char, homoglyphs in confusables_data.items():
        if len(char) != 1 or not char.isalpha() or alias(char) in _KEPT_SCRIPTS:
            continue
        latin = sorted(h["c"] for h in homoglyphs if len(h["c"]) == 1 and alias(h["c"]) == "LATIN")
        if not latin:
            continue
        target = next((c for c in latin if c.isascii()), latin[0])
        name = unicodedata.name(target, "")
        if name.startswith(_SMALL_CAPITAL) and len(name) == len(_SMALL_CAPITAL) + 1:
            # Cyrillic "н" looks like a small capital H: fold it to "h", as "Н" folds to "H",
            # so that case folding afterwards treats both cases alike.
            target = name[-1].lower()
        elif target == "l" and char.isupper():
            # Unicode's prototype for "I"-like capitals (Greek Iota, Cyrillic "І") is "l";
            # Latin "I" is not folded here, so these must become "I" to match it.
            target = "I"
        table[ord(char)] = target
    return table


def normalise_text(text: str) -> str:
    """Text as duplicate detection compares it: markup already removed by the caller; NFKC
    (full-width and styled letters become plain ones), invisible characters removed, look-alike
    letters of other scripts folded to Latin, case folded, whitespace removed."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        c for c in text if unicodedata.category(c) != "Cf" and ord(c) not in _INVISIBLE_EXTRA
    )
    # Decomposed, so that a look-alike base letter with a combining accent folds too.
    text = unicodedata.normalize("NFD", text).translate(_lookalike_table())
    text = unicodedata.normalize("NFC", text).casefold()
    return "".join(text.split())


def _text_parts(page) -> tuple[list[str], list[str]]:
    """The page's own words, and tokens for the images that are part of its body."""
    parts: list[str] = []
    media: list[str] = []
    body = getattr(page, "body", None)
    if body is not None:
        parts.extend(_strings(list(body.raw_data)))
    if hasattr(page, "summary"):
        parts.extend([page.number or "", page.summary or ""])
    if page.content_kind == ContentKind.GALLERY:
        parts.append(page.intro or "")
        for caption, image_id in page.images.values_list("caption", "image_id"):
            parts.append(caption)
            media.append(f"#{image_id}")
    return parts, media


def _plain(parts: list[str]) -> str:
    # Markup first, then entities: "&shy;" and "&#8203;" become the characters removed later.
    return normalise_text(html.unescape(strip_tags(" ".join(parts))))


def credit_text(page) -> str:
    """The page's body text as duplicate detection compares it (see normalise_text). News and
    lectures: the body; documents: number and summary; galleries: the intro, captions and the
    images themselves (a copied album has the same image ids)."""
    parts, media = _text_parts(page)
    return _plain(parts) + "".join(media)


def body_is_empty(page, *, min_chars: int) -> bool:
    """Whether the page has (next to) no body: fewer than `min_chars` characters of text once
    markup and whitespace are removed, and no image or attached file that would be its body."""
    if min_chars <= 0:
        return False
    parts, media = _text_parts(page)
    if media:
        return False
    if len(_plain(parts)) >= min_chars:
        return False
    attachments = getattr(page, "attachments", None)
    return not (attachments is not None and attachments.exists())


def text_fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest() if text else ""


def credited_duplicate_of(*, text_hash: str, exclude_page_id: int) -> int | None:
    """Id of a page that holds credit now and has the same normalised body text, if any."""
    if not text_hash:
        return None
    same_text = PublicationCheck.objects.filter(
        text_hash=text_hash, outcome=PublicationCheck.Outcome.EARNED
    ).exclude(page_id=exclude_page_id)
    holding = (
        CreditEvent.objects.filter(page_id__in=same_text.values("page_id"))
        .values("page_id")
        .annotate(n=Sum("pages"))
        .filter(n__gt=0)
        .order_by("page_id")
        .first()
    )
    return holding["page_id"] if holding else None


def outstanding_credit(*, page_id: int) -> list[dict]:
    """What `page_id` still holds: its ledger rows netted per year, school, author, group and
    kind, the zero nets left out. One query."""
    rows = (
        CreditEvent.objects.filter(page_id=page_id)
        .values("school_year_id", "school_id", "author_id", "contributor_group_id", "content_kind")
        .annotate(n_pages=Sum("pages"), n_points=Sum("points"), n_bonus=Sum("bonus_points"))
        .order_by("school_year_id", "school_id", "author_id", "contributor_group_id")
    )
    return [r for r in rows if r["n_pages"] or r["n_points"] or r["n_bonus"]]


def credit_while_live(*, page_id: int) -> list[dict]:
    """What `page_id` held the last time it was live: its ledger rows other than withdrawals
    and restorations, netted as in `outstanding_credit`. While the page is live this equals
    what it holds; once it is withdrawn, it is what a restoration brings back. It holds because
    credit only moves, or gets a "bài hay" bonus, while the page holds it (nothing is moved
    away from a withdrawn page), so earnings, moves and bonuses net to the withdrawn amounts.
    One query."""
    excluded = (CreditEvent.Kind.WITHDRAWN, CreditEvent.Kind.RESTORED)
    rows = (
        CreditEvent.objects.filter(page_id=page_id)
        .exclude(kind__in=excluded)
        .values("school_year_id", "school_id", "author_id", "contributor_group_id", "content_kind")
        .annotate(n_pages=Sum("pages"), n_points=Sum("points"), n_bonus=Sum("bonus_points"))
        .order_by("school_year_id", "school_id", "author_id", "contributor_group_id")
    )
    return [r for r in rows if r["n_pages"] or r["n_points"] or r["n_bonus"]]


def is_board_member(*, user, school: School) -> bool:
    if user is None or not user.is_active:
        return False
    return user.groups.filter(pk=school.board_group_id).exists()


def credit_setter_ids(*, page, revision_id: int | None) -> set[int]:
    """Who last set the page's author or group (`credit_set_by`), as the revision that went
    live says and as the live page row says. The two agree after an ordinary publication; a
    copy goes live with the original's row but a copy of the original's latest revision, so
    both count. Pages saved before the field existed, or outside the editor, fall back to
    their owner (their creator). At most one query."""
    from wagtail.models import Revision

    setters = {page.credit_set_by_id}
    if revision_id is not None:
        content = Revision.objects.filter(pk=revision_id).values_list("content", flat=True).first()
        if content and "credit_set_by" in content:
            setters.add(content["credit_set_by"])
    setters.discard(None)
    if not setters and page.owner_id is not None:
        setters.add(page.owner_id)
    return setters


def submitter_ids(*, page, revision_id: int | None) -> set[int]:
    """Who submitted a review of the revision that went live (any review of it, finished or
    not). The review task approves a page only once a task state exists on its latest
    revision (WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT), so a publication by the workflow
    always finds its review here. One query."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, WorkflowState

    if revision_id is None:
        return set()
    return set(
        WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id=str(page.pk),
            task_states__revision_id=revision_id,
            requested_by__isnull=False,
        ).values_list("requested_by_id", flat=True)
    )


def two_person_refusal(
    *, approver, page, revision_id: int | None, schools: list[School]
) -> str | None:
    """Why `approver` may not make `page`'s credit count (earn or move), or None if they may.

    The approver must be a board member of every school concerned and neither the page's
    author, nor whoever last set its author or group, nor the submitter of its review: a
    second person has to agree before a credit counts. Superusers are no exception (they
    count only as board members, and never for a post of their own). Returns a
    PublicationCheck.Outcome value. At most 2 + len(schools) queries, stopping at the first
    reason found."""
    Outcome = PublicationCheck.Outcome
    if approver is None or not schools:
        return Outcome.NOT_BOARD
    if not all(is_board_member(user=approver, school=school) for school in schools):
        return Outcome.NOT_BOARD
    if approver.pk == page.author_id:
        return Outcome.SELF_APPROVED
    if approver.pk in credit_setter_ids(page=page, revision_id=revision_id):
        return Outcome.CREDIT_SETTER
    if approver.pk in submitter_ids(page=page, revision_id=revision_id):
        return Outcome.SUBMITTER
    return None


# ---------------------------------------------------------------------------------------------
# Sheets
# ---------------------------------------------------------------------------------------------


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def sheet_events(
    *,
    school_year: SchoolYear,
    school_id: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[CreditEvent]:
    """The ledger rows a sheet adds up: the year's, minus its post-freeze adjustments."""
    events = CreditEvent.objects.filter(school_year=school_year, after_freeze=False)
    if school_id is not None:
        events = events.filter(school_id=school_id)
    if start is not None:
        events = events.filter(created_at__gte=_day_start(start))
    if end is not None:
        events = events.filter(created_at__lt=_day_start(end + datetime.timedelta(days=1)))
    return events


def score_sheet(
    *,
    school_year: SchoolYear,
    by: SheetBy,
    school_id: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[SheetRow]:
    """The emulation score sheet per school, author or contributor group.

    Queries: one aggregate over the ledger, one for the schools, and for `by="author"` /
    `by="group"` one for the people or groups named, so 2 or 3 whatever the size. Per-school
    sheets list every active school (zeros included) and rank them by total.
    """
    if by not in SHEET_KINDS:
        raise ValueError(f"Không có bảng điểm theo “{by}”.")
    keys = {"school": ["school_id"], "author": ["school_id", "author_id"]}.get(
        by, ["school_id", "contributor_group_id"]
    )
    events = sheet_events(school_year=school_year, school_id=school_id, start=start, end=end)
    if by == "author":
        events = events.exclude(author_id=None)
    elif by == "group":
        events = events.exclude(contributor_group_id=None)
    # Sum(filter=...) is SUM(...) FILTER (WHERE ...) on PostgreSQL, a CASE elsewhere.
    per_kind = {kind: Sum("pages", filter=Q(content_kind=kind)) for kind in KINDS}
    aggregates = (
        events.values(*keys)
        .annotate(
            **{f"n_{k}": v for k, v in per_kind.items()},
            n_pages=Sum("pages"),
            n_points=Sum("points"),
            n_bonus=Sum("bonus_points"),
        )
        .order_by()
    )
    rows: dict[tuple, SheetRow] = {}
    for agg in aggregates:
        if not (agg["n_pages"] or agg["n_points"] or agg["n_bonus"]):
            continue  # everything it earned was withdrawn or moved away
        row = SheetRow(
            school_id=agg["school_id"],
            author_id=agg.get("author_id"),
            group_id=agg.get("contributor_group_id"),
            counts={k: int(agg[f"n_{k}"] or 0) for k in KINDS},
            pages=int(agg["n_pages"] or 0),
            points=Decimal(agg["n_points"] or 0).quantize(ZERO),
            bonus=Decimal(agg["n_bonus"] or 0).quantize(ZERO),
        )
        rows[row.key()] = row

    schools_wanted = Q(pk__in={r.school_id for r in rows.values()})
    if by == "school":
        # The district's ranking shows every active school, those with nothing included.
        schools_wanted |= Q(status=School.Status.ACTIVE)
        if school_id is not None:
            schools_wanted = Q(pk=school_id)
    schools = {
        s["pk"]: s
        for s in School.objects.filter(schools_wanted).values("pk", "name", "site__hostname")
    }
    if by == "school":
        for pk in schools:
            rows.setdefault((pk, None, None), SheetRow(school_id=pk))
    for row in rows.values():
        school = schools.get(row.school_id) or {}
        row.school_name = school.get("name", "")
        row.hostname = school.get("site__hostname", "")

    if by == "author":
        users = get_user_model().objects.filter(pk__in={r.author_id for r in rows.values()})
        names = {u["pk"]: u for u in users.values("pk", "username", "first_name", "last_name")}
        for row in rows.values():
            user = names.get(row.author_id) or {}
            row.username = user.get("username", "")
            # Vietnamese names read family name first: "Nguyễn Văn An".
            row.author_name = (
                " ".join(n for n in (user.get("last_name"), user.get("first_name")) if n)
                or row.username
            )
    elif by == "group":
        from school_site.models import ContributorGroup

        groups = dict(
            ContributorGroup.objects.filter(pk__in={r.group_id for r in rows.values()}).values_list(
                "pk", "name"
            )
        )
        for row in rows.values():
            row.group_name = groups.get(row.group_id, "")

    if by == "school":
        ordered = sorted(rows.values(), key=lambda r: (-r.total, -r.pages, r.school_name))
    else:
        ordered = sorted(
            rows.values(),
            key=lambda r: (r.school_name, -r.total, r.author_name or r.group_name),
        )
    _rank(ordered, per_school=by != "school")
    return ordered


def _rank(rows: list[SheetRow], *, per_school: bool) -> None:
    """Competition ranking ("1, 2, 2, 4"): equal totals share a rank; per school for people."""
    previous: tuple | None = None
    position = 0
    rank = 0
    for row in rows:
        scope = row.school_id if per_school else None
        if previous is None or previous[0] != scope:
            position, rank, previous = 0, 0, (scope, None)
        position += 1
        if previous[1] != row.total:
            rank = position
        row.rank = rank
        previous = (scope, row.total)


def frozen_sheet(*, school_year: SchoolYear, by: SheetBy) -> list[SheetRow]:
    """The snapshot stored when the year was frozen. One query."""
    rows = []
    for r in FrozenSheetRow.objects.filter(school_year=school_year, by=by).order_by("pk"):
        rows.append(
            SheetRow(
                school_id=r.school_id,
                school_name=r.school_name,
                hostname=r.hostname,
                author_id=r.author_id,
                username=r.author_username,
                author_name=r.author_name,
                group_id=r.contributor_group_id,
                group_name=r.group_name,
                counts={k: getattr(r, k) for k in KINDS},
                pages=r.pages,
                points=r.points,
                bonus=r.bonus,
            )
        )
    _rank(rows, per_school=by != "school")
    return rows


def adjustments_after_freeze(*, school_year: SchoolYear) -> QuerySet[CreditEvent]:
    """The year's adjustments list: what happened after it was frozen, left out of its sheet."""
    return (
        CreditEvent.objects.filter(school_year=school_year, after_freeze=True)
        .select_related("school", "author", "actor")
        .order_by("created_at", "pk")
    )


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


def suggested_bonuses(
    *, school_year: SchoolYear, thresholds: list[tuple[int, Decimal]]
) -> list[tuple[SheetRow, Decimal]]:
    """Schools whose credited pages reach a threshold, with the highest bonus reached.

    `thresholds` is [(pages, bonus points)], e.g. [(100, 1), (200, 2)]; a suggestion only: the
    district awards bonuses itself, with a reason."""
    suggestions = []
    for row in score_sheet(school_year=school_year, by="school"):
        reached = [points for pages, points in thresholds if row.pages >= pages]
        if reached:
            suggestions.append((row, max(reached)))
    return suggestions


# ---------------------------------------------------------------------------------------------
# Admin reports: the monthly trend and one person's own sheet (added for scoring/views.py)
# ---------------------------------------------------------------------------------------------


@dataclass
class MonthTotal:
    month: datetime.date  # the first day of the month, local time
    pages: int = 0
    points: Decimal = ZERO
    bonus: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.points + self.bonus


def _months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def monthly_totals(
    *,
    school_year: SchoolYear,
    school_id: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[MonthTotal]:
    """Pages, points and bonus per calendar month of the year (or of start..end), every month
    listed, the empty ones as zeros. One query: a GROUP BY over the month in local time."""
    from django.db.models.functions import TruncMonth

    events = sheet_events(school_year=school_year, school_id=school_id, start=start, end=end)
    aggregates = (
        events.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n_pages=Sum("pages"), n_points=Sum("points"), n_bonus=Sum("bonus_points"))
        .order_by("month")
    )
    by_month: dict[datetime.date, MonthTotal] = {
        month: MonthTotal(month=month)
        for month in _months_between(start or school_year.start_date, end or school_year.end_date)
    }
    for agg in aggregates:
        month = agg["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        row = by_month.setdefault(month, MonthTotal(month=month))
        row.pages += int(agg["n_pages"] or 0)
        row.points += Decimal(agg["n_points"] or 0).quantize(ZERO)
        row.bonus += Decimal(agg["n_bonus"] or 0).quantize(ZERO)
    return [by_month[m] for m in sorted(by_month)]


def author_sheet(*, school_year: SchoolYear, author_id: int) -> list[SheetRow]:
    """One person's rows of the per-author sheet (one per school they are credited in), for
    their own dashboard panel. One query, reading the person's ledger rows only; the school's
    name comes through a join (schools are archived, never deleted)."""
    per_kind = {f"n_{k}": Sum("pages", filter=Q(content_kind=k)) for k in KINDS}
    aggregates = (
        sheet_events(school_year=school_year)
        .filter(author_id=author_id)
        .values("school_id", "school__name")
        .annotate(
            **per_kind, n_pages=Sum("pages"), n_points=Sum("points"), n_bonus=Sum("bonus_points")
        )
        .order_by("school__name")
    )
    return [
        SheetRow(
            school_id=agg["school_id"],
            school_name=agg["school__name"],
            author_id=author_id,
            counts={k: int(agg[f"n_{k}"] or 0) for k in KINDS},
            pages=int(agg["n_pages"] or 0),
            points=Decimal(agg["n_points"] or 0).quantize(ZERO),
            bonus=Decimal(agg["n_bonus"] or 0).quantize(ZERO),
        )
        for agg in aggregates
        if agg["n_pages"] or agg["n_points"] or agg["n_bonus"]
    ]
