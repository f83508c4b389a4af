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
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, PageLogEntry

from district_site.models import School
from district_site.selectors import is_district_admin, school_for_page
from scoring import selectors
from scoring.models import (
    BonusAward,
    CreditEvent,
    FrozenSheetRow,
    GoodPostMark,
    PublicationCheck,
    Rubric,
    SchoolYear,
    default_label_for,
    default_year_bounds,
    parse_year_label,
)

# What Wagtail 8.0.1 logs when a page goes live: "wagtail.publish" (by the user who published or
# approved), or "wagtail.publish.scheduled" with no user when the publish_scheduled command
# makes an approved scheduled revision live.
PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")
# Logged, with the user, when a revision is published with a future go-live time: the user who
# scheduled it (through the workflow, the approving board member) is its approver.
SCHEDULE_ACTION = "wagtail.publish.schedule"
WITHDRAW_ACTIONS = {"wagtail.unpublish": "Gỡ bài", "wagtail.delete": "Xoá bài"}


# ---------------------------------------------------------------------------------------------
# School years and rubric
# ---------------------------------------------------------------------------------------------


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
    rubric, _ = Rubric.objects.get_or_create(school_year=school_year)
    return rubric


# ---------------------------------------------------------------------------------------------
# The ledger
# ---------------------------------------------------------------------------------------------


def _year_is_frozen(school_year_id: int) -> bool:
    # Read from the database, not from an instance that may predate the freeze.
    return SchoolYear.objects.filter(pk=school_year_id, frozen=True).exists()


def _append(
    *, school_year_id: int, moment: datetime.datetime | None = None, **fields
) -> CreditEvent:
    return CreditEvent.objects.create(
        school_year_id=school_year_id,
        created_at=moment or timezone.now(),
        after_freeze=_year_is_frozen(school_year_id),
        **fields,
    )


# ---------------------------------------------------------------------------------------------
# What happens to pages
# ---------------------------------------------------------------------------------------------


def record_page_log_entry(*, log_entry: PageLogEntry) -> None:
    """Apply the counting rules to one entry of Wagtail's page history.

    Publication is read from the "wagtail.publish" log entry rather than the `page_published`
    signal: the signal is sent before Wagtail knows it is logging and carries only the revision,
    whose user is the revision's author, while the log entry names the user who published,
    which is the approving board member when the workflow publishes.
    """
    if log_entry.action in PUBLISH_ACTIONS:
        record_publication(
            page_id=log_entry.page_id,
            publisher=_publisher_of(log_entry),
            moment=log_entry.timestamp,
            log_entry_id=log_entry.pk,
            revision_id=log_entry.revision_id,
        )
    elif log_entry.action == "wagtail.create_alias":
        record_alias(page_id=log_entry.page_id, user=log_entry.user, moment=log_entry.timestamp)
    elif log_entry.action in WITHDRAW_ACTIONS:
        withdraw_page_credit(
            page_id=log_entry.page_id,
            actor=log_entry.user,
            reason=WITHDRAW_ACTIONS[log_entry.action],
        )


def _publisher_of(log_entry: PageLogEntry):
    """The approver of a publication: the log entry's user, or for a scheduled revision that
    went live (logged without a user) whoever last scheduled that revision, which is the
    approving board member when the review workflow scheduled it."""
    if log_entry.user_id or log_entry.action != "wagtail.publish.scheduled":
        return log_entry.user
    scheduled = (
        PageLogEntry.objects.filter(
            page_id=log_entry.page_id,
            revision_id=log_entry.revision_id,
            action=SCHEDULE_ACTION,
            user__isnull=False,
        )
        .select_related("user")
        .order_by("-timestamp", "-pk")
        .first()
    )
    return scheduled.user if scheduled else None


@transaction.atomic
def record_publication(
    *,
    page_id: int,
    publisher,
    moment: datetime.datetime,
    log_entry_id: int | None = None,
    revision_id: int | None = None,
) -> PublicationCheck | None:
    """A page went live (revision `revision_id`) approved by `publisher`: earn at the first
    publication, or follow a changed author/group on a later one. Returns the page's
    PublicationCheck (None if not scored)."""
    from school_site.models import ContentPage

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return None
    page = page.specific
    if not isinstance(page, ContentPage) or not page.live:
        return None

    check = PublicationCheck.objects.filter(page_id=page_id).first()
    if check is not None:
        if check.outcome == PublicationCheck.Outcome.EARNED:
            _refresh_fingerprint(check=check, page=page)
            restore_credit(
                page=page, publisher=publisher, moment=moment, revision_id=revision_id, check=check
            )
        follow_credit_fields(
            page=page, publisher=publisher, moment=moment, revision_id=revision_id, check=check
        )
        return check

    school = school_for_page(page)
    fields = {
        "page_id": page_id,
        "page_title": page.title[:255],
        "school": school,
        "publisher": publisher,
        "author_id": page.author_id,
        "checked_at": moment,
    }
    Outcome = PublicationCheck.Outcome
    earlier = PageLogEntry.objects.filter(page_id=page_id, action__in=PUBLISH_ACTIONS)
    if log_entry_id is not None:
        earlier = earlier.exclude(pk=log_entry_id)
    if earlier.filter(timestamp__lte=moment).exists():
        # Published before scoring was installed: its first publication is long gone.
        return PublicationCheck.objects.create(outcome=Outcome.PUBLISHED_BEFORE, **fields)
    if page.alias_of_id:
        return PublicationCheck.objects.create(outcome=Outcome.ALIAS, **fields)
    if school is None:
        return PublicationCheck.objects.create(outcome=Outcome.NO_SCHOOL, **fields)
    refusal = selectors.two_person_refusal(
        approver=publisher, page=page, revision_id=revision_id, schools=[school]
    )
    if refusal is not None:
        return PublicationCheck.objects.create(outcome=refusal, **fields)
    year = school_year_for(moment=moment)
    rubric = rubric_for(school_year=year)
    if selectors.body_is_empty(page, min_chars=rubric.min_body_chars):
        return PublicationCheck.objects.create(outcome=Outcome.TOO_SHORT, **fields)
    text_hash = selectors.text_fingerprint(selectors.credit_text(page))
    duplicate_of = selectors.credited_duplicate_of(text_hash=text_hash, exclude_page_id=page_id)
    if duplicate_of is not None:
        return PublicationCheck.objects.create(
            outcome=Outcome.DUPLICATE,
            text_hash=text_hash,
            duplicate_of_page_id=duplicate_of,
            **fields,
        )

    check = PublicationCheck.objects.create(outcome=Outcome.EARNED, text_hash=text_hash, **fields)
    good_post = GoodPostMark.objects.filter(page_id=page_id).exists()
    _append(
        school_year_id=year.pk,
        moment=moment,
        kind=CreditEvent.Kind.EARNED,
        page_id=page_id,
        page_title=page.title[:255],
        content_kind=page.content_kind,
        school_id=school.pk,
        author_id=page.author_id,
        contributor_group_id=page.contributor_group_id,
        pages=1,
        points=rubric.points_for(page.content_kind),
        bonus_points=rubric.good_post_points if good_post else Decimal(0),
        actor=publisher,
        reason="Ban quản trị duyệt đăng lần đầu" + (" (bài hay)" if good_post else ""),
    )
    return check


def _refresh_fingerprint(*, check: PublicationCheck, page) -> None:
    """A credited page's text is compared as it is now, not as it was when it earned: an
    edited credited page must not leave its new text free to be copied for credit."""
    text_hash = selectors.text_fingerprint(selectors.credit_text(page))
    if text_hash != check.text_hash:
        check.text_hash = text_hash
        check.save(update_fields=["text_hash"])


def refresh_credit_fingerprints() -> int:
    """Recompute the stored fingerprint of every page whose first publication earned, from its
    live text, with the current normalisation. Run once after the normalisation changes (the
    `refresh_fingerprints` command): a fingerprint stored by an older version would not match
    a disguised copy. Returns how many changed."""
    checks = {
        c.page_id: c
        for c in PublicationCheck.objects.filter(outcome=PublicationCheck.Outcome.EARNED)
    }
    changed = 0
    for page in Page.objects.filter(pk__in=checks, live=True).specific().iterator():
        check = checks[page.pk]
        before = check.text_hash
        _refresh_fingerprint(check=check, page=page)
        changed += check.text_hash != before
    return changed


def record_alias(*, page_id: int, user, moment: datetime.datetime) -> PublicationCheck:
    """An alias never earns, not even after Wagtail turns it into an ordinary page (which it
    does when the original is deleted): its check is written when it is created."""
    check, _ = PublicationCheck.objects.get_or_create(
        page_id=page_id,
        defaults={
            "page_title": (
                Page.objects.filter(pk=page_id).values_list("title", flat=True).first() or ""
            )[:255],
            "publisher": user,
            "checked_at": moment,
            "outcome": PublicationCheck.Outcome.ALIAS,
        },
    )
    return check


def restore_credit(
    *,
    page,
    publisher,
    moment: datetime.datetime | None = None,
    revision_id: int | None = None,
    check: PublicationCheck,
) -> bool:
    """A page that earned at its first publication, then was unpublished, is live again: give
    back what it held when it was withdrawn, if this publication passes the two-person rule
    for the school(s) that earned it and its text is no duplicate of a page holding credit.
    Returns whether anything was restored.

    Why a `restored` event rather than `earned` again: "earned" stays what happened once, at
    the first publication (the first-publication year and the fingerprint check hang on it),
    and a restoration is the exact negation of the last withdrawal, in that withdrawal's year
    and school, so the ledger reads as earned → withdrawn → restored → withdrawn … and a page
    never holds more than one credit. A refused republication restores nothing; a later one
    approved by a second board member still can."""
    if selectors.outstanding_credit(page_id=page.pk):
        return False  # live and holding already: republishing never adds to it
    held = selectors.credit_while_live(page_id=page.pk)
    if not held:
        return False
    schools = list(School.objects.filter(pk__in={r["school_id"] for r in held}))
    refusal = selectors.two_person_refusal(
        approver=publisher, page=page, revision_id=revision_id, schools=schools
    )
    if refusal is not None:
        return False
    if selectors.credited_duplicate_of(text_hash=check.text_hash, exclude_page_id=page.pk):
        return False
    for row in held:
        _append(
            school_year_id=row["school_year_id"],
            moment=moment,
            kind=CreditEvent.Kind.RESTORED,
            page_id=page.pk,
            page_title=page.title[:255],
            content_kind=row["content_kind"],
            school_id=row["school_id"],
            author_id=row["author_id"],
            contributor_group_id=row["contributor_group_id"],
            pages=row["n_pages"],
            points=row["n_points"],
            bonus_points=row["n_bonus"],
            actor=publisher,
            reason="Xuất bản lại sau khi gỡ",
        )
    return True


def follow_credit_fields(
    *,
    page,
    publisher,
    moment: datetime.datetime | None = None,
    revision_id: int | None = None,
    check: PublicationCheck | None = None,
) -> bool:
    """A credited page was published again: if its author or group changed and the two-person
    rule holds for every credited school (see selectors.two_person_refusal), move the credit.
    Otherwise the credit stays with the names in the ledger and the page's check records why
    (`pending_change`), until a second board member publishes the change. Returns whether the
    credit moved."""
    held = selectors.outstanding_credit(page_id=page.pk)
    target = (page.author_id, page.contributor_group_id)
    if not held or all((r["author_id"], r["contributor_group_id"]) == target for r in held):
        # Nothing to move (or changed back): no change is waiting for approval any more.
        _set_pending_change(check=check, reason="", user=None, moment=None)
        return False
    schools = list(School.objects.filter(pk__in={r["school_id"] for r in held}))
    refusal = selectors.two_person_refusal(
        approver=publisher, page=page, revision_id=revision_id, schools=schools
    )
    if refusal is not None:
        # The page shows the new names; the credit stays with the old ones.
        _set_pending_change(check=check, reason=refusal, user=publisher, moment=moment)
        return False
    _move(page=page, held=held, actor=publisher, moment=moment, reason="Đổi tác giả / tổ chức")
    _set_pending_change(check=check, reason="", user=None, moment=None)
    return True


def _set_pending_change(*, check: PublicationCheck | None, reason: str, user, moment) -> None:
    if check is None or (check.pending_change == reason and not reason):
        return
    check.pending_change = reason
    check.pending_change_by = user
    check.pending_change_at = (moment or timezone.now()) if reason else None
    check.save(update_fields=["pending_change", "pending_change_by", "pending_change_at"])


def _move(*, page, held: list[dict], actor, moment, reason: str) -> None:
    for row in held:
        common = {
            "school_year_id": row["school_year_id"],
            "moment": moment,
            "kind": CreditEvent.Kind.MOVED,
            "page_id": page.pk,
            "page_title": page.title[:255],
            "content_kind": row["content_kind"],
            "school_id": row["school_id"],
            "actor": actor,
            "reason": reason,
        }
        _append(
            **common,
            author_id=row["author_id"],
            contributor_group_id=row["contributor_group_id"],
            pages=-row["n_pages"],
            points=-row["n_points"],
            bonus_points=-row["n_bonus"],
        )
        _append(
            **common,
            author_id=page.author_id,
            contributor_group_id=page.contributor_group_id,
            pages=row["n_pages"],
            points=row["n_points"],
            bonus_points=row["n_bonus"],
        )


@transaction.atomic
def withdraw_page_credit(*, page_id: int, actor=None, reason: str = "Gỡ bài") -> int:
    """Unpublishing or deleting a page withdraws what it holds. Returns rows appended.

    Called more than once for one removal (the log entry, the unpublish signal, the delete
    signal); only the first finds anything left to withdraw."""
    held = selectors.outstanding_credit(page_id=page_id)
    if not held:
        return 0
    title = Page.objects.filter(pk=page_id).values_list("title", flat=True).first() or ""
    for row in held:
        _append(
            school_year_id=row["school_year_id"],
            kind=CreditEvent.Kind.WITHDRAWN,
            page_id=page_id,
            page_title=title[:255],
            content_kind=row["content_kind"],
            school_id=row["school_id"],
            author_id=row["author_id"],
            contributor_group_id=row["contributor_group_id"],
            pages=-row["n_pages"],
            points=-row["n_points"],
            bonus_points=-row["n_bonus"],
            actor=actor,
            reason=reason,
        )
    return len(held)


@transaction.atomic
def change_credit(*, page, author, contributor_group, user, reason: str) -> None:
    """A board member re-attributes a page: new author/group, saved as a new revision by
    `user`, with the reason in its log. The user is then the one who set the credit, so the
    page's permission layer refuses them publishing it (DESIGN decision 9): the change goes
    live, and any credit the page holds moves, when a second board member publishes it (see
    follow_credit_fields)."""
    school = school_for_page(page)
    if school is None or not selectors.is_board_member(user=user, school=school):
        raise PermissionDenied("Chỉ Ban quản trị của trường được đổi tác giả, tổ chức.")
    if not reason.strip():
        raise ValidationError("Cần ghi lý do đổi tác giả, tổ chức.")
    draft = page.get_latest_revision_as_object()
    draft.author, draft.contributor_group = author, contributor_group
    draft.credit_set_by = user
    draft.save_revision(user=user, log_action=True)


@transaction.atomic
def mark_good_post(*, page, user) -> GoodPostMark:
    """The board's "bài hay" mark, given at approval: worth the rubric's good-post points.

    Given before the first publication, the points come with the earning; given after, they
    are added to the page's current credit at once."""
    school = school_for_page(page)
    if school is None or not selectors.is_board_member(user=user, school=school):
        raise PermissionDenied("Chỉ Ban quản trị của trường được đánh dấu bài hay.")
    if user.pk == page.author_id:
        raise PermissionDenied("Không tự đánh dấu bài hay cho bài của mình.")
    held = [r for r in selectors.outstanding_credit(page_id=page.pk) if r["n_pages"] > 0]
    if any(_year_is_frozen(r["school_year_id"]) for r in held):
        # A frozen sheet is final: a mark now would only be an adjustment nobody asked for.
        raise ValidationError("Năm học đã chốt bảng điểm, không đánh dấu bài hay được nữa.")
    mark, created = GoodPostMark.objects.get_or_create(
        page_id=page.pk, defaults={"marked_by": user, "marked_at": timezone.now()}
    )
    if not created:
        return mark
    for row in held[:1]:
        points = rubric_for(school_year=SchoolYear.objects.get(pk=row["school_year_id"]))
        _append(
            school_year_id=row["school_year_id"],
            kind=CreditEvent.Kind.BONUS,
            page_id=page.pk,
            page_title=page.title[:255],
            content_kind=row["content_kind"],
            school_id=row["school_id"],
            author_id=row["author_id"],
            contributor_group_id=row["contributor_group_id"],
            bonus_points=points.good_post_points,
            actor=user,
            reason="Bài hay",
        )
    return mark


# ---------------------------------------------------------------------------------------------
# The district's bonuses, adjustments and year-end freeze
# ---------------------------------------------------------------------------------------------


def _require_district_admin(user) -> None:
    if user is None or not is_district_admin(user):
        raise PermissionDenied("Chỉ quản trị Phòng GD&ĐT được làm việc này.")


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
    """District bonus points for a school, recorded in the ledger with its reason."""
    _require_district_admin(user)
    if not reason.strip():
        raise ValidationError("Cần ghi lý do cộng điểm.")
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
