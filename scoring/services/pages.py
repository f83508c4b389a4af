"""The counting rules applied to what happens to pages: publication, aliases, restoration,
changes of author or group, withdrawal (see `scoring.services` for the rules).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from wagtail.models import Page, PageLogEntry

from district_site.models import School
from scoring import selectors
from scoring.models import (
    CreditEvent,
    GoodPostMark,
    PublicationCheck,
)
from scoring.services.ledger import _append
from scoring.services.years import rubric_for, school_year_for

# What Wagtail 8.0.1 logs when a page goes live: "wagtail.publish" (by the user who published or
# approved), or "wagtail.publish.scheduled" with no user when the publish_scheduled command
# makes an approved scheduled revision live.
PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")
# Logged, with the user, when a revision is published with a future go-live time: the user who
# scheduled it (through the workflow, the approving board member) is its approver.
SCHEDULE_ACTION = "wagtail.publish.schedule"
WITHDRAW_ACTIONS = {"wagtail.unpublish": "Gỡ bài", "wagtail.delete": "Xoá bài"}


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
            page=_logged_page(log_entry),
            revision_content=_logged_revision_content(log_entry),
        )
    elif log_entry.action == "wagtail.create_alias":
        record_alias(page_id=log_entry.page_id, user=log_entry.user, moment=log_entry.timestamp)
    elif log_entry.action in WITHDRAW_ACTIONS:
        withdraw_page_credit(
            page_id=log_entry.page_id,
            actor=log_entry.user,
            reason=WITHDRAW_ACTIONS[log_entry.action],
        )


def _logged_page(log_entry: PageLogEntry):
    """The page object Wagtail logged, if the entry still holds it (no query).

    Wagtail logs a publication with the very object it has just saved live (`log(instance=
    object)` in its publish action), so a freshly created entry carries the specific, live page;
    re-reading it would cost two queries (the page, then its specific row). An entry read back
    from the database (or one logged with a plain `Page`) holds no specific page: None, and
    record_publication reads it.
    """
    from school_site.models import ContentPage

    if not PageLogEntry.page.is_cached(log_entry):
        return None
    page = log_entry.page
    return page if isinstance(page, ContentPage) and page.pk == log_entry.page_id else None


def _logged_revision_content(log_entry: PageLogEntry) -> dict | None:
    """The content of the revision Wagtail logged, if the entry still holds it (no query)."""
    if log_entry.revision_id is None or not PageLogEntry.revision.is_cached(log_entry):
        return None
    revision = log_entry.revision
    if revision is None or revision.pk != log_entry.revision_id:
        return None
    return revision.content if "content" in revision.__dict__ else None


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


# No savepoint when nested: the caller (Wagtail's publish, inside the request's transaction) is
# already atomic, and nothing between here and it catches an error to carry on, so a savepoint
# would only cost two queries per publication. Called on its own, this is still one transaction.
@transaction.atomic(savepoint=False)
def record_publication(
    *,
    page_id: int,
    publisher,
    moment: datetime.datetime,
    log_entry_id: int | None = None,
    revision_id: int | None = None,
    page=None,
    revision_content: dict | None = None,
) -> PublicationCheck | None:
    """A page went live (revision `revision_id`) approved by `publisher`: earn at the first
    publication, or follow a changed author/group on a later one. Returns the page's
    PublicationCheck (None if not scored).

    `page`: the specific page object that was just published, if the caller holds it (saves
    reading it again); `revision_content`: the content of revision `revision_id`, likewise."""
    from school_site import review
    from school_site.models import ContentPage

    # A held object that does not say it is live is not the one that was published (a caller
    # may log a publication with an older copy of the page): read the row instead.
    if page is None or page.pk != page_id or not page.live:
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

    # The review remembers the page's school on the object it publishes (no query then).
    school = review.page_school(page)
    fields = {
        "page_id": page_id,
        "page_title": page.title[:255],
        "school": school,
        "publisher": publisher,
        "author_id": page.author_id,
        "checked_at": moment,
    }
    Outcome = PublicationCheck.Outcome
    published_before, good_post = _first_publication_facts(
        page_id=page_id, log_entry_id=log_entry_id, moment=moment
    )
    if published_before:
        # Published before scoring was installed: its first publication is long gone.
        return PublicationCheck.objects.create(outcome=Outcome.PUBLISHED_BEFORE, **fields)
    if page.alias_of_id:
        return PublicationCheck.objects.create(outcome=Outcome.ALIAS, **fields)
    if school is None:
        return PublicationCheck.objects.create(outcome=Outcome.NO_SCHOOL, **fields)
    refusal = selectors.two_person_refusal(
        approver=publisher,
        page=page,
        revision_id=revision_id,
        schools=[school],
        revision_content=revision_content,
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
    _append(
        school_year_id=year.pk,
        # Just read by school_year_for, in this transaction.
        year_frozen=year.frozen,
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


def _first_publication_facts(
    *, page_id: int, log_entry_id: int | None, moment: datetime.datetime
) -> tuple[bool, bool]:
    """(whether the page was published before this log entry, whether a board member marked it
    "bài hay") in one query: both are read for every first publication."""
    earlier = PageLogEntry.objects.filter(
        page_id=OuterRef("pk"), action__in=PUBLISH_ACTIONS, timestamp__lte=moment
    )
    if log_entry_id is not None:
        earlier = earlier.exclude(pk=log_entry_id)
    facts = (
        Page.objects.filter(pk=page_id)
        .annotate(
            published_before=Exists(earlier),
            good_post=Exists(GoodPostMark.objects.filter(page_id=OuterRef("pk"))),
        )
        .values_list("published_before", "good_post")
        .first()
    )
    return facts if facts is not None else (False, False)


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
