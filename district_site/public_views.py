"""The public search page of every site (on the district portal: every active school's)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from district_site.public_reads import scope_for_site
from district_site.public_search import SearchForm, search_pages
from home.views import site_or_404


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Accent-insensitive search of the current site, with kind and school-year filters."""
    site = site_or_404(request)
    scope = scope_for_site(site)
    form = SearchForm(request.GET)
    query, kind, school_year = "", "", ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        kind = form.cleaned_data["loai"]
        school_year = form.cleaned_data["nam_hoc"]
    # An invalid filter shows its message and no results: nothing is searched half-filtered.
    found = search_pages(
        query=query,
        scope=scope,
        kind=kind,
        school_year=school_year,
        page_number=request.GET.get("page"),
    )
    # The pagination links keep the query and the filters (see components/pagination.html).
    kept = {"q": query, "loai": kind, "nam_hoc": school_year}
    return render(
        request,
        "pages/search_results.html",
        {
            "form": form,
            "search_query": query if form.is_valid() else request.GET.get("q", "").strip(),
            "search": found,
            "results": found.results,
            "page_obj": found.page,
            "is_district": scope.is_district,
            "querystring": urlencode({key: value for key, value in kept.items() if value}),
        },
    )
