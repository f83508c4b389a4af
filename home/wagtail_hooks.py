"""Admin wiring of the board's review and of each school's sealed admin. Wiring only: the rules
live in `school_site.review` and `home.admin_scoping`."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from wagtail import hooks

from home import admin_panels, admin_scoping
from school_site import review

SELF_PUBLISH_REFUSED = (
    "Bạn là tác giả của bài này nên không thể tự đăng; hãy gửi duyệt để một thành viên khác "
    "của Ban quản trị duyệt."
)


@hooks.register("register_admin_urls")
def review_urls():
    return [
        path(
            "review/finished/<int:page_id>/",
            review.review_finished_view,
            name="school_review_finished",
        )
    ]


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


@hooks.register("construct_page_action_menu")
def hide_self_publish(menu_items, request, context):
    page = context.get("page")
    if page is not None and page.pk and not review.may_publish_directly(page, request.user):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_edit_page")
def refuse_self_publish(request, page):
    if (
        request.method == "POST"
        and "action-publish" in request.POST
        and not review.may_publish_directly(page, request.user)
    ):
        messages.error(request, SELF_PUBLISH_REFUSED)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_create_page")
def refuse_publish_on_create(request, parent_page, page_class):
    # A new page's author is its creator: publishing it at once would skip the board entirely.
    if (
        request.method == "POST"
        and "action-publish" in request.POST
        and not request.user.is_superuser
    ):
        messages.error(request, SELF_PUBLISH_REFUSED)
        return redirect("wagtailadmin_pages:add_subpage", parent_page.pk)
    return None
