"""The contributors' guide "Hướng dẫn viết bài": one admin page of plain Vietnamese text.

It holds no data and checks nothing beyond Wagtail's admin access (register_admin_urls wraps
it), so its menu item is shown to every admin user without a query.
"""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.urls import path
from wagtail.admin.menu import MenuItem

MENU_LABEL = "Hướng dẫn viết bài"
URL_NAME = "school_guide"


def guide(request):
    return TemplateResponse(request, "school_site/guide.html", {"page_title": MENU_LABEL})


urlpatterns = [path("", guide, name="index")]


class GuideMenuItem(MenuItem):
    """Shown to everyone who can use the admin: a school's contributors and board first."""

    def is_shown(self, request) -> bool:
        return request.user.is_authenticated
