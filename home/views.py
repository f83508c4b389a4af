"""Public views shared by every site: search and robots.txt. They only call `home.search`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Site

from home.search import scope_for_site, search_pages, site_of_request


def _site_or_404(request: HttpRequest) -> Site:
    # SchoolSiteMiddleware has already answered 404 for unknown hosts and archived schools;
    # this guards the views when they are reached without it.
    site = site_of_request(request)
    if site is None:
        raise Http404("Không có trang web nào ở địa chỉ này.")
    return site


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Accent-insensitive search of the current site (on the district portal: every school)."""
    site = _site_or_404(request)
    query = request.GET.get("q", "").strip()
    scope = scope_for_site(site)
    found = search_pages(query=query, scope=scope, page_number=request.GET.get("page"))
    return render(
        request,
        "pages/search_results.html",
        {
            "search_query": query,
            "search": found,
            "results": found.results,
            "page_obj": found.page,
            "is_district": scope.is_district,
            # The pagination links keep the query (see components/pagination.html).
            "querystring": urlencode({"q": query}),
        },
    )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Allow crawling of the public pages, not the admin; point to this site's own sitemap."""
    site = _site_or_404(request)
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /admin/",
        f"Sitemap: {site.root_url}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
