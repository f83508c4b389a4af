"""Public views that know no app: robots.txt, and the site lookup other public views share."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from wagtail.models import Site


def site_or_404(request: HttpRequest) -> Site:
    # SchoolSiteMiddleware has already answered 404 for unknown hosts and archived schools and
    # resolved the Site (Site.find_for_request reads what it stored); this guards the views
    # when they are reached without it.
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("Không có trang web nào ở địa chỉ này.")
    return site


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Allow crawling of the public pages, not the admin; point to this site's own sitemap."""
    site = site_or_404(request)
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /admin/",
        f"Sitemap: {site.root_url}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
