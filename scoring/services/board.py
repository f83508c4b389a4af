"""The board's writes on a credited page: changing its author or group, marking it "bài hay"."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.models import PageLogEntry

from district_site.selectors import school_for_page
from school_site.forms import school_members
from school_site.services import validate_credit_fields
from scoring import selectors
from scoring.models import (
    CreditEvent,
    GoodPostMark,
    SchoolYear,
)
from scoring.services.ledger import _append, _year_is_frozen
from scoring.services.years import rubric_for

# The page history's entry for a change of author or group, with its reason (registered for
# the history screen in wagtail_hooks.py).
CHANGE_CREDIT_ACTION = "scoring.change_credit"


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
    if author is None or not school_members(school).filter(pk=author.pk).exists():
        raise ValidationError({"author": "Tác giả phải là người của trường."})
    draft = page.get_latest_revision_as_object()
    draft.author, draft.contributor_group = author, contributor_group
    # The group must be the school's and count the author (the editor form's own rule).
    validate_credit_fields(draft)
    draft.credit_set_by = user
    revision = draft.save_revision(user=user, log_action=True)
    PageLogEntry.objects.log_action(
        instance=page,
        action=CHANGE_CREDIT_ACTION,
        user=user,
        revision=revision,
        data={
            "reason": reason.strip(),
            "author": author.pk,
            "contributor_group": contributor_group.pk if contributor_group else None,
        },
    )


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


logger = logging.getLogger(__name__)


def mark_good_post_at_approval(*, page_id: int, user) -> GoodPostMark | None:
    """The "bài hay" box of the approve dialog, ticked by `user` who has just approved the
    page: the same mark, under the same rules, as the board's credited-posts screen. The
    approval itself stands whatever happens here; a refused mark (one's own post, a frozen
    year, not on the school's board: e.g. an earlier review step) is logged, not raised, so
    it cannot undo a publication that already happened."""
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return None
    try:
        return mark_good_post(page=page.specific, user=user)
    except (PermissionDenied, ValidationError) as exc:
        logger.warning("Good-post mark refused at approval of page %s: %s", page_id, exc)
        return None
