"""Admin wiring of the school app: the contributor-groups screen (wagtail-modeladmin) and the
principal's people screens.

Wiring only: who may see which groups, the form and the views live in `admin_views.py`; the
people screens in `people_views.py`, their logic in the `people` package.
"""

from django.urls import include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from district_site.roles import roles_for
from school_site import (
    admin_panels,
    admin_views,
    guide_views,
    leader_review_views,
    people_views,
    review_feedback,
)
from school_site import panels as panels_module
from school_site.models import ContributorGroup


@modeladmin_register
class ContributorGroupAdmin(ModelAdmin):
    model = ContributorGroup
    menu_label = "Tổ chức, tổ chuyên môn"
    menu_icon = "group"
    menu_order = 160
    permission_helper_class = admin_views.ContributorGroupPermissionHelper
    button_helper_class = admin_views.ContributorGroupButtonHelper
    index_view_class = admin_views.ContributorGroupIndexView
    create_view_class = admin_views.ContributorGroupCreateView
    edit_view_class = admin_views.ContributorGroupEditView
    delete_view_class = admin_views.ContributorGroupDeleteView
    # modeladmin's history view checks no permission at all.
    history_view_enabled = False
    index_template_name = "school_site/admin/contributorgroup_index.html"
    edit_template_name = "school_site/admin/contributorgroup_edit.html"
    delete_template_name = "school_site/admin/contributorgroup_delete.html"
    list_display = ("name", "kind", "school", "leader_name", "member_count")
    search_fields = ("name", "school__name")
    list_per_page = 50
    edit_handler = ObjectList(
        [
            FieldPanel("school"),
            FieldPanel("name"),
            FieldPanel("kind"),
            FieldPanel("leader"),
            FieldPanel("members"),
        ],
        base_form_class=admin_views.ContributorGroupForm,
    )

    def get_queryset(self, request):
        return admin_views.contributor_groups_for(request.user)

    def get_list_filter(self, request):
        return admin_views.list_filter_for(request.user)

    def leader_name(self, obj):
        return admin_views.leader_label(obj)

    leader_name.short_description = "Trưởng nhóm"
    leader_name.admin_order_field = "leader__first_name"  # given name, as Vietnamese lists sort

    def member_count(self, obj):
        return obj.member_count

    member_count.short_description = "Số thành viên"
    member_count.admin_order_field = "member_count"


@hooks.register("register_admin_urls")
def register_people_urls():
    # Wagtail wraps these in require_admin_access; people_views checks the principal.
    return [path("people/", include((people_views.urlpatterns, "school_people")))]


@hooks.register("register_admin_menu_item")
def register_people_menu_item():
    return people_views.PeopleMenuItem(
        people_views.MENU_LABEL,
        reverse_lazy("school_people:index"),
        icon_name="user",
        order=150,
    )


@hooks.register("construct_homepage_panels")
def contributor_panels(request, panels):
    panels_module.add_contributor_panels(request, panels)


@hooks.register("construct_homepage_panels")
def new_post_panel(request, panels):
    panels_module.add_new_post_panel(request, panels)


@hooks.register("register_admin_urls")
def register_guide_urls():
    return [path("guide/", include((guide_views.urlpatterns, guide_views.URL_NAME)))]


@hooks.register("register_admin_menu_item")
def register_guide_menu_item():
    return guide_views.GuideMenuItem(
        guide_views.MENU_LABEL,
        reverse_lazy(f"{guide_views.URL_NAME}:index"),
        icon_name="help",
        order=900,
    )


# --- the board's review (rules: school_site/review.py). Who may publish is not decided here: the
# two-person rule is in the page permission tester (school_site/permissions.py), which every
# publishing route and button asks.


@hooks.register("register_admin_urls")
def review_urls():
    return [
        path(
            "review/finished/<int:page_id>/",
            review_feedback.review_finished_view,
            name="school_review_finished",
        )
    ]


@hooks.register("register_admin_urls")
def review_steps_urls():
    # Wagtail wraps these in require_admin_access; the view checks the principal.
    return [
        path(
            "review/steps/",
            include((leader_review_views.urlpatterns, leader_review_views.URL_NAME)),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_review_steps_menu_item():
    return leader_review_views.ReviewStepsMenuItem(
        leader_review_views.MENU_LABEL,
        reverse_lazy(f"{leader_review_views.URL_NAME}:index"),
        icon_name="tasks",
        order=155,
    )


@hooks.register("after_edit_page")
def confirm_review_action_in_editor(request, page):
    review_feedback.confirm_editor_action(request, page)


@hooks.register("before_edit_page")
def changes_requested_banner(request, page):
    review_feedback.show_changes_requested(request, page)


@hooks.register("construct_homepage_panels")
def own_awaiting_review_panel(request, panels):
    # School users get the board's panel that costs the same whatever the number of reviews.
    if roles_for(request.user).is_limited:
        panels[:] = [
            admin_panels.AwaitingReviewPanel()
            if panel.name == admin_panels.STOCK_PANEL_NAME
            else panel
            for panel in panels
        ]


@hooks.register("construct_homepage_panels")
def no_wagtail_release_notes_panel(request, panels):
    # Wagtail's "what's new" panel links to its English editor guide; ours is in the menu.
    panels[:] = [p for p in panels if getattr(p, "name", "") != guide_views.WAGTAIL_WHATS_NEW_PANEL]


@hooks.register("construct_help_menu")
def help_menu_points_to_the_project_guide(request, menu_items):
    guide_views.replace_wagtail_guides(menu_items)
