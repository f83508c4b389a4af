"""The contributors' guide "Hướng dẫn viết bài": one admin page of plain Vietnamese text.

It holds no data and checks nothing beyond Wagtail's admin access (register_admin_urls wraps
it), so its menu item is shown to every admin user without a query.
"""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.urls import path, reverse_lazy
from wagtail.admin.menu import MenuItem

MENU_LABEL = "Hướng dẫn viết bài"
URL_NAME = "school_guide"


def guide(request):
    return TemplateResponse(request, "school_site/guide.html", {"page_title": MENU_LABEL})


urlpatterns = [path("", guide, name="index")]


# Wagtail's help menu items that open its own English guide and release notes.
WAGTAIL_GUIDE_ITEMS = ("editor-guide",)
WAGTAIL_RELEASE_NOTES_PREFIX = "whats-new-in-wagtail"
WAGTAIL_WHATS_NEW_PANEL = "whats_new_in_wagtail_version"


def replace_wagtail_guides(menu_items: list) -> None:
    """The help menu points to this guide, in Vietnamese, instead of Wagtail's English ones."""
    menu_items[:] = [
        item
        for item in menu_items
        if item.name not in WAGTAIL_GUIDE_ITEMS
        and not item.name.startswith(WAGTAIL_RELEASE_NOTES_PREFIX)
    ]
    menu_items.insert(
        0,
        MenuItem(
            MENU_LABEL,
            reverse_lazy(f"{URL_NAME}:index"),
            name="school-guide",
            icon_name="help",
            order=1000,
        ),
    )


class GuideMenuItem(MenuItem):
    """Shown to everyone who can use the admin: a school's contributors and board first."""

    def is_shown(self, request) -> bool:
        return request.user.is_authenticated
