"""Resolve the Site (and its School) of every public request in one query."""

from django.http import Http404
from wagtail.models import Site

# Paths that are not a site's public pages: the admin works from any district hostname.
NON_SITE_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/", "/__")


class SchoolSiteMiddleware:
    """Serve a public request only from a known, active site.

    Wagtail falls back to the "default site" for a hostname it does not know, which in a
    multi-school install would show some other school's pages. We never mark a default site,
    and here answer 404 for unknown hostnames and for archived schools. The lookup also
    fetches the School and sets `request._wagtail_site`, the attribute that
    `Site.find_for_request` caches on, so Wagtail does not query the site a second time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(NON_SITE_PREFIXES):
            site = find_site(request)
            # Wagtail's private cache (see the docstring): Wagtail 8.0.1 has no public way to
            # give a request its site, and without it every tag and view would query it again.
            request._wagtail_site = site
            if site is None:
                raise Http404("Không có trang web nào ở địa chỉ này.")
            school = getattr(site, "school", None)
            request.school = school
            if school is not None and not school.is_active:
                raise Http404("Trang web của trường này đã ngừng hoạt động.")
        return self.get_response(request)


def find_site(request) -> Site | None:
    hostname = request.get_host().split(":")[0].lower()
    port = int(request.get_port() or 80)
    candidates = list(Site.objects.select_related("school", "root_page").filter(hostname=hostname))
    if not candidates:
        return None
    for site in candidates:
        if site.port == port:
            return site
    return candidates[0]
