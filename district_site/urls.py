from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from district_site import invitations, public_views
from district_site.feeds import LatestNewsFeed
from district_site.sitemaps import sitemap
from home import icons
from home import views as home_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Per-site public services; each reads the site of the request's hostname.
    path("search/", public_views.search, name="search"),
    path("rss.xml", LatestNewsFeed(), name="rss"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    # The one-time set-password link of an invitation or a reset, on whichever host it names.
    path(
        "tai-khoan/dat-mat-khau/<uidb64>/<token>/",
        invitations.set_password_view,
        name=invitations.URL_NAME,
    ),
    path("favicon.ico", icons.favicon, name="favicon"),
    # Everything else is a page of the site the hostname names (see SchoolSiteMiddleware).
    path("", include(wagtail_urls)),
]
