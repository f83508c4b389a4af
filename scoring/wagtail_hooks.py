"""Admin wiring of "Thi đua": the menu, the URLs and the contributor's dashboard panel.

Wiring only: who may see what and what each screen does live in `scoring/views/`, the rules
in `scoring/services/` and `scoring/selectors/`.
"""

from django.urls import include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from scoring import forms, services, views
from scoring.account_panel import HonourOptOutPanel


@hooks.register("register_admin_urls")
def register_scoring_urls():
    # Wagtail wraps these in require_admin_access; the views check the role and the school.
    return [path("scoring/", include((views.urlpatterns, "scoring_admin")))]


@hooks.register("register_admin_menu_item")
def register_scoring_menu():
    return SubmenuMenuItem(
        views.MENU_LABEL,
        Menu(
            items=[
                views.ReportMenuItem(
                    "Bảng điểm thi đua", reverse_lazy("scoring_admin:report"), icon_name="table"
                ),
                views.BoardMenuItem(
                    "Bài cần xem lại",
                    reverse_lazy("scoring_admin:board_flags"),
                    icon_name="warning",
                ),
                views.BoardMenuItem(
                    "Bài được tính điểm",
                    reverse_lazy("scoring_admin:board_credited"),
                    icon_name="tick",
                ),
                views.DistrictMenuItem(
                    "Năm học, thang điểm", reverse_lazy("scoring_admin:years"), icon_name="date"
                ),
                views.DistrictMenuItem(
                    "Điều chỉnh, cộng điểm", reverse_lazy("scoring_admin:bonus"), icon_name="plus"
                ),
            ]
        ),
        name="thi-dua",
        icon_name="pick",
        order=170,
    )


@hooks.register("construct_homepage_panels")
def my_score_panel(request, panels):
    # A separate hook from home's review panel: both run, each adds its own panel.
    views.add_my_score_panel(request, panels)


@hooks.register("school_review_approve_form")
def good_post_approve_form():
    # The board's approve dialog gets the "Đánh dấu bài hay" box (school_site.review_dialog).
    return forms.GoodPostApproveForm


@hooks.register("register_log_actions")
def register_scoring_log_actions(actions):
    # A board member's change of author or group, with its reason, in the page's history.
    actions.register_action(
        services.CHANGE_CREDIT_ACTION, "Đổi tác giả, tổ chức", "Đổi tác giả, tổ chức được ghi công"
    )


@hooks.register("register_account_settings_panel")
def register_honour_opt_out_panel(request, user, profile):
    return HonourOptOutPanel(request, user, profile)
