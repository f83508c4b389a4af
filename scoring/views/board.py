"""The board's screens: flagged posts (a duplicate side by side with what it copies), credited
posts with their "bài hay" mark, and changing who a credited post credits."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin import messages
from wagtail.models import Page

from district_site.models import School
from district_site.selectors import school_for_page
from scoring import forms, selectors, services
from scoring.views.access import (
    KIND_LABELS,
    _add_errors,
    _default_year,
    _posted,
    _render,
    board_school,
)


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


def _school_page(request, page_id: int) -> tuple[School, Page]:
    """The board's school and one of its pages (specific). Another school's page is a 404 for
    this board, exactly like a page that does not exist."""
    school = board_school(request)
    page = Page.objects.filter(pk=page_id).first()
    found = school_for_page(page) if page is not None else None
    if found is None or found.pk != school.pk:
        raise Http404
    return school, page.specific


def _credited_url(school: School) -> str:
    return f"{reverse('scoring_admin:board_credited')}?school={school.pk}"


def mark_good_view(request, page_id: int):
    """POST only: the board marks one of its school's credited posts "bài hay"."""
    if request.method != "POST":
        raise Http404
    school, page = _school_page(request, page_id)
    try:
        services.mark_good_post(page=page, user=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "Bạn không được đánh dấu bài này.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã đánh dấu “bài hay”: {page.title}.")
    return redirect(_credited_url(school))


def duplicate_view(request, page_id: int):
    """A flagged duplicate beside the credited post it matched, with what the board can do
    about each (edit, unpublish). A matched post of another school is named, never shown."""
    school = board_school(request)
    pair = selectors.duplicate_pair(page_id=page_id, school_id=school.pk)
    if pair is None or pair.flagged is None:
        raise Http404
    return _render(
        request,
        "duplicate.html",
        page_title=f"Bài trùng nội dung – {pair.flagged.title}",
        school=school,
        pair=pair,
    )


def change_credit_view(request, page_id: int):
    """The board changes who a post credits, with a reason. The change is saved as a revision
    by this board member, who therefore may not publish it: it takes effect (and any credit
    moves) when another board member publishes it. The screen says which state the post is in."""
    school, page = _school_page(request, page_id)
    if not hasattr(page, "contributor_group"):
        raise Http404
    state = selectors.credit_change(page=page)
    initial = {"author": state.author, "contributor_group": state.contributor_group}
    form = forms.ChangeCreditForm(_posted(request), school=school, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_credit(
                page=page,
                author=data["author"],
                contributor_group=data["contributor_group"],
                user=request.user,
                reason=data["reason"],
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc) or "Bạn không được đổi tác giả, tổ chức của bài này.")
            return redirect(_credited_url(school))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                f"Đã lưu bản sửa tác giả, tổ chức của “{page.title}”. Cần một thành viên khác "
                "của Ban quản trị xuất bản bản sửa này thì thay đổi mới có hiệu lực.",
            )
            return redirect(
                reverse("scoring_admin:board_change_credit", args=[page.pk])
                + f"?school={school.pk}"
            )
    return _render(
        request,
        "change_credit.html",
        page_title=f"Đổi tác giả, tổ chức – {page.title}",
        school=school,
        page=page,
        state=state,
        form=form,
    )
