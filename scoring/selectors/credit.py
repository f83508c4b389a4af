"""Facts about one page's credit the counting rules need: what it holds, what it held while
live, and whether an approver passes the two-person rule (DESIGN decision 9).
"""

from __future__ import annotations

from django.db.models import Sum

from district_site.models import School
from district_site.roles import ROLES_ATTR
from scoring.models import (
    CreditEvent,
    PublicationCheck,
)


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
    # The user's groups as `district_site.roles` already read them for this user object (the
    # review read them to let the approver act, moments ago in the same request): no query.
    roles = getattr(user, ROLES_ATTR, None)
    if roles is not None and roles.user_id == user.pk:
        return school.board_group_id in roles.group_ids
    return user.groups.filter(pk=school.board_group_id).exists()


def credit_setter_ids(
    *, page, revision_id: int | None, revision_content: dict | None = None
) -> set[int]:
    """Who last set the page's author or group (`credit_set_by`), as the revision that went
    live says and as the live page row says. The two agree after an ordinary publication; a
    copy goes live with the original's row but a copy of the original's latest revision, so
    both count. Pages saved before the field existed, or outside the editor, fall back to
    their owner (their creator). At most one query; none if the caller passes the revision's
    `revision_content`."""
    from wagtail.models import Revision

    setters = {page.credit_set_by_id}
    if revision_id is not None:
        content = (
            revision_content
            if revision_content is not None
            else Revision.objects.filter(pk=revision_id).values_list("content", flat=True).first()
        )
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
    *,
    approver,
    page,
    revision_id: int | None,
    schools: list[School],
    revision_content: dict | None = None,
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
    setters = credit_setter_ids(
        page=page, revision_id=revision_id, revision_content=revision_content
    )
    if approver.pk in setters:
        return Outcome.CREDIT_SETTER
    if approver.pk in submitter_ids(page=page, revision_id=revision_id):
        return Outcome.SUBMITTER
    return None
