"""The project's URLs plus a trivial view: the ceiling the benchmarks compare pages with.

It lives under "/__", which SchoolSiteMiddleware and the page cache leave alone, so it measures
the full production middleware stack and gunicorn with no site lookup, query or template.
"""

from django.http import HttpResponse
from django.urls import path

from district_site.urls import urlpatterns as project_urlpatterns

MAX_BYTES = 1_000_000


def ceiling(request):
    # ?bytes=N: HTML of the same size as the page it is compared with (the benchmark sets it).
    size = min(int(request.GET.get("bytes", "20000")), MAX_BYTES)
    head = "<!DOCTYPE html><html lang='vi'><title>ceiling</title><p>"
    return HttpResponse(head + "x" * max(size - len(head), 0))


urlpatterns = [path("__bench__/", ceiling), *project_urlpatterns]
