"""Admin wiring of the district app: the school registry screens (wagtail-modeladmin), the seal of
each school's admin (choosers, explorer, reports menu), files and failed mail.

Wiring only: the views, helpers and forms named here live in `admin_views.py`,
`school_csv_views.py`, `principal_views.py` and `forms.py`; creating, archiving and restoring a
school is `district_site.provisioning`.
"""

from django.urls import path, reverse_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from district_site import (
    admin_scoping,
    admin_views,
    files,
    mail_report,
    people_admin,
    principal_views,
    principals,
    review_waits,
    school_csv_views,
)
from district_site.forms import SchoolEditForm
from district_site.models import School
from home.admin_listing import chooser_rows
from home.files import REFUSE_FILES_HOOK
from home.modeladmin import ChoicesFilter


@modeladmin_register
class SchoolAdmin(ModelAdmin):
    model = School
    menu_label = "Trường học"
    menu_icon = "home"
    menu_order = 150
    permission_helper_class = admin_views.DistrictAdminPermissionHelper
    button_helper_class = principal_views.SchoolPrincipalButtonHelper
    index_view_class = admin_views.SchoolIndexView
    create_view_class = admin_views.SchoolCreateView
    edit_view_class = admin_views.SchoolEditView
    inspect_view_class = admin_views.SchoolInspectView
    inspect_view_enabled = True
    # modeladmin's history view checks no permission at all; the registry does not need it.
    history_view_enabled = False
    index_template_name = "district_site/admin/school_index.html"
    inspect_template_name = "district_site/admin/modeladmin_inspect_vi.html"
    list_display = ("name", "kind", "hostname_link", "status", "created_date")
    list_filter = (("kind", ChoicesFilter), ("status", ChoicesFilter))
    search_fields = ("name", "site__hostname")
    list_per_page = 50
    inspect_view_fields = [
        "name",
        "short_code",
        "kind",
        "address",
        "url",
        "status",
        "principal",
        "created_at",
        "archived_at",
    ]
    edit_handler = ObjectList(
        [
            HelpPanel(
                "Tên miền, trang web, nhóm người dùng và thư mục ảnh của trường do hệ thống "
                "tạo khi thêm trường và không sửa ở đây."
            ),
            FieldPanel("name"),
            FieldPanel("short_code"),
            FieldPanel("address"),
            FieldPanel("principal"),
            FieldPanel("keep_old_on_board"),
        ],
        base_form_class=SchoolEditForm,
    )

    def get_queryset(self, request):
        return admin_views.school_queryset()

    def hostname_link(self, obj):
        return admin_views.hostname_link(obj)

    hostname_link.short_description = "Tên miền"
    hostname_link.admin_order_field = "site__hostname"

    def created_date(self, obj):
        return admin_views.created_date(obj)

    created_date.short_description = "Ngày tạo"
    created_date.admin_order_field = "created_at"

    def get_admin_urls_for_registration(self):
        return (
            super().get_admin_urls_for_registration()
            + school_csv_views.school_csv_urls(self)
            + admin_views.school_extra_urls(self)
            + principal_views.principal_urls(self)
        )


# Files stay in their school: the rules live in district_site.files.
hooks.register(REFUSE_FILES_HOOK, files.refuse_foreign_files)


@hooks.register("before_serve_document")
def serve_only_where_published(document, request):
    files.document_refusal(document, request)


# --- failed background e-mails (district admins only; district_site/mail_report.py) -------------


@hooks.register("register_admin_urls")
def register_failed_mail_url():
    return [path("failed-mail/", mail_report.failed_mail_view, name="district_failed_mail")]


@hooks.register("register_admin_urls")
def register_review_waits_url():
    return [path("review-waits/", review_waits.review_waits_view, name="district_review_waits")]


@hooks.register("register_admin_menu_item")
def register_review_waits_menu_item():
    return mail_report.DistrictAdminMenuItem(
        review_waits.MENU_LABEL,
        reverse_lazy("district_review_waits"),
        icon_name="time",
        order=170,
    )


@hooks.register("register_reports_menu_item")
def register_failed_mail_menu_item():
    return mail_report.DistrictAdminMenuItem(
        mail_report.MENU_LABEL,
        reverse_lazy("district_failed_mail"),
        icon_name="mail",
        order=900,
    )


@hooks.register("register_log_actions")
def register_principal_log_action(actions):
    actions.register_action(principals.LOG_ACTION, "Thay hiệu trưởng", "Đã thay hiệu trưởng")


# --- people across schools (district admins only; district_site/people_admin.py) -------------


@hooks.register("register_admin_urls")
def register_district_people_url():
    return [path("district-people/", people_admin.district_people_view, name="district_people")]


@hooks.register("register_admin_menu_item")
def register_district_people_menu_item():
    return people_admin.DistrictPeopleMenuItem(
        people_admin.MENU_LABEL, reverse_lazy("district_people"), icon_name="group", order=160
    )


# --- each school's sealed admin (the rules: district_site/admin_scoping.py) ---------------------


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    return chooser_rows(admin_scoping.scope_pages(pages, request.user))


@hooks.register("construct_explorer_page_queryset")
def scope_explorer(parent_page, pages, request):
    return admin_scoping.scope_pages(pages, request.user)


@hooks.register("construct_reports_menu")
def hide_unscoped_reports(request, menu_items):
    if admin_scoping.school_root_paths(request.user) is not None:
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]
