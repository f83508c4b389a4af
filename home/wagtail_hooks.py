"""Admin wiring of the board's review and of each school's sealed admin. Wiring only: the rules
live in `school_site.review` and `home.admin_scoping`.

Who may publish is not decided here: the two-person rule is in the page permission tester
(`school_site.permissions`), which every publishing route and button asks."""

from django.urls import path
from wagtail import hooks

from home import admin_panels, admin_scoping
from school_site import review


@hooks.register("register_admin_urls")
def review_urls():
    return [
        path(
            "review/finished/<int:page_id>/",
            review.review_finished_view,
            name="school_review_finished",
        )
    ]


@hooks.register("after_edit_page")
def confirm_review_action_in_editor(request, page):
    review.confirm_editor_action(request, page)


@hooks.register("before_edit_page")
def changes_requested_banner(request, page):
    review.show_changes_requested(request, page)


@hooks.register("construct_homepage_panels")
def own_awaiting_review_panel(request, panels):
    # School users get the board's panel that costs the same whatever the number of reviews.
    if admin_scoping.school_root_paths(request.user) is not None:
        panels[:] = [
            admin_panels.AwaitingReviewPanel()
            if panel.name == admin_panels.STOCK_PANEL_NAME
            else panel
            for panel in panels
        ]


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    return admin_scoping.scope_pages(pages, request.user)


@hooks.register("construct_explorer_page_queryset")
def scope_explorer(parent_page, pages, request):
    return admin_scoping.scope_pages(pages, request.user)


@hooks.register("construct_reports_menu")
def hide_unscoped_reports(request, menu_items):
    if admin_scoping.school_root_paths(request.user) is not None:
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]
