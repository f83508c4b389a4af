"""The board's screens: flagged posts, credited posts and their "bài hay" mark."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin import messages
from wagtail.models import Page

from district_site.selectors import school_for_page
from scoring import selectors, services
from scoring.views.access import KIND_LABELS, _default_year, _render, board_school


def flags_view(request):
    """The board's list of posts whose credit needs its attention: first publications that
    earned nothing, and why; changes of author or group waiting for a second board member."""
    school = board_school(request)
    checks = list(selectors.credit_flags(school_id=school.pk)[:200])
    duplicates = {c.duplicate_of_page_id for c in checks if c.duplicate_of_page_id}
    titles = (
        selectors.page_titles_in_school(page_ids=duplicates, school_id=school.pk)
        if duplicates
        else {}
    )
    return _render(
        request,
        "flags.html",
        page_title=f"Bài cần Ban quản trị xem – {school.name}",
        school=school,
        flags=[(check, titles.get(check.duplicate_of_page_id)) for check in checks],
    )


def credited_view(request):
    """The board's list of its school's posts holding credit this year, each with its "bài
    hay" mark or the button to give it (until the year is frozen; never on one's own post)."""
    school = board_school(request)
    year = _default_year()
    posts = selectors.credited_posts(school_year=year, school_id=school.pk) if year else []
    return _render(
        request,
        "credited.html",
        page_title=f"Bài được tính điểm – {school.name}",
        school=school,
        year=year,
        posts=[(post, dict(KIND_LABELS).get(post.content_kind, "")) for post in posts],
    )


def mark_good_view(request, page_id: int):
    """POST only: the board marks one of its school's credited posts "bài hay"."""
    if request.method != "POST":
        raise Http404
    school = board_school(request)
    page = Page.objects.filter(pk=page_id).first()
    # Another school's page is a 404 for this board, exactly like a page that does not exist.
    found = school_for_page(page) if page is not None else None
    if found is None or found.pk != school.pk:
        raise Http404
    try:
        services.mark_good_post(page=page.specific, user=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "Bạn không được đánh dấu bài này.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã đánh dấu “bài hay”: {page.title}.")
    return redirect(f"{reverse('scoring_admin:board_credited')}?school={school.pk}")
