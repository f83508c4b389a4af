"""A URLconf with one view that fails, for the 500 page test (under "/__", which
SchoolSiteMiddleware leaves alone, so the failure is this view's and not a site lookup)."""

from django.urls import path


def broken(request):
    raise RuntimeError("secret-internal-detail: password=hunter2")


urlpatterns = [path("__broken/", broken)]
