"""Views, permission and button helpers of the district admins' school registry screens.

`wagtail_hooks.SchoolAdmin` only names these classes; everything that decides or does
something lives here or in `district_site.provisioning`.

Who may see these screens is decided by `user_is_district_admin` (members of the district
admins' group and superusers), never by model permissions alone: a school board member must
not reach them even if someone granted their group `view_school` by mistake.
"""

from __future__ import annotations

from django.contrib.admin.utils import quote
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.shortcuts import redirect
from django.urls import re_path
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.views.generic.edit import FormView
from wagtail.admin import messages
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.views import (
    EditView,
    IndexView,
    InspectView,
    InstanceSpecificView,
    WMABaseView,
)

from district_site.forms import SchoolCreateForm
from district_site.models import School
from district_site.principals import replace_principal
from district_site.provisioning import (
    ProvisioningError,
    archive_school,
    provision_school,
    restore_school,
)
from district_site.school_names import sync_school_name
from district_site.selectors import is_district_admin
from home.modeladmin import VietnameseButtonHelper

TEMPLATE_DIR = "district_site/admin"


# --- who may use the screens -------------------------------------------------------------


# The screens' name for the one district-admin check (cached per request in the selector).
user_is_district_admin = is_district_admin


class DistrictAdminPermissionHelper(PermissionHelper):
    """District admins (and superusers) may list, inspect, create, edit, archive, restore.

    Nobody deletes a school here: its pages, groups and collection are protected, and
    archiving keeps every page for the records.
    """

    def user_can_list(self, user) -> bool:
        return user_is_district_admin(user)

    def user_can_create(self, user) -> bool:
        return user_is_district_admin(user) and user.has_perm("district_site.add_school")

    def user_can_inspect_obj(self, user, obj) -> bool:
        return self.inspect_view_enabled and user_is_district_admin(user)

    def user_can_edit_obj(self, user, obj) -> bool:
        return user_is_district_admin(user) and user.has_perm("district_site.change_school")

    def user_can_delete_obj(self, user, obj) -> bool:
        return False

    def user_can_archive_obj(self, user, obj: School) -> bool:
        return obj.status == School.Status.ACTIVE and self.user_can_edit_obj(user, obj)

    def user_can_restore_obj(self, user, obj: School) -> bool:
        return obj.status == School.Status.ARCHIVED and self.user_can_edit_obj(user, obj)

    def user_can_replace_obj(self, user, obj: School) -> bool:
        return obj.status == School.Status.ACTIVE and self.user_can_edit_obj(user, obj)

    def user_can_invite_obj(self, user, obj: School) -> bool:
        return (
            obj.status == School.Status.ACTIVE
            and obj.principal_id is not None
            and self.user_can_edit_obj(user, obj)
        )


class SchoolButtonHelper(VietnameseButtonHelper):
    """Vietnamese buttons, plus archive or restore depending on the school's status."""

    labels = {
        "add": ("Thêm trường", "Tạo trang web cho một trường mới"),
        "inspect": ("Xem", "Xem thông tin trường"),
        "edit": ("Sửa", "Sửa thông tin trường"),
    }

    def action_button(self, action: str, pk, label: str, title: str, classnames_add=None):
        return {
            "url": self.url_helper.get_action_url(action, quote(pk)),
            "label": label,
            "classname": self.finalise_classname(["button-secondary"] + list(classnames_add or [])),
            "title": title,
        }

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        exclude = exclude or []
        user = self.request.user
        if "archive" not in exclude and self.permission_helper.user_can_archive_obj(user, obj):
            buttons.append(
                self.action_button(
                    "archive", obj.pk, "Lưu trữ", "Ngừng phục vụ trang web", classnames_add
                )
            )
        if "restore" not in exclude and self.permission_helper.user_can_restore_obj(user, obj):
            buttons.append(
                self.action_button(
                    "restore", obj.pk, "Khôi phục", "Phục vụ lại trang web", classnames_add
                )
            )
        return buttons


# --- listing -------------------------------------------------------------------------------


def school_queryset() -> QuerySet[School]:
    """Every school, with its site joined: the listing shows each school's hostname."""
    return School.objects.select_related("site")


def school_counts() -> dict:
    """Total, per kind and per status, in one aggregate query."""
    aggregates = {"total": Count("pk")}
    for value in School.Kind.values:
        aggregates[f"kind_{value}"] = Count("pk", filter=Q(kind=value))
    for value in School.Status.values:
        aggregates[f"status_{value}"] = Count("pk", filter=Q(status=value))
    row = School.objects.aggregate(**aggregates)
    return {
        "total": row["total"],
        "by_kind": [(label, row[f"kind_{value}"]) for value, label in School.Kind.choices],
        "by_status": [(label, row[f"status_{value}"]) for value, label in School.Status.choices],
    }


def hostname_link(school: School) -> SafeString:
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a>', school.url, school.site.hostname
    )


def created_date(school: School) -> str:
    return format_date(localtime(school.created_at), "d/m/Y")


class SchoolIndexView(IndexView):
    page_title = "Trường học"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            counts=school_counts(), csv_url=self.url_helper.get_action_url("csv"), **kwargs
        )


# --- create --------------------------------------------------------------------------------


class SchoolCreateView(WMABaseView, FormView):
    """Create a school by calling `provision_school`; its Vietnamese errors go on the form."""

    form_class = SchoolCreateForm
    template_name = f"{TEMPLATE_DIR}/school_create.html"
    page_title = "Thêm trường"

    def check_action_permitted(self, user) -> bool:
        return self.permission_helper.user_can_create(user)

    def form_valid(self, form):
        try:
            result = provision_school(**form.cleaned_data)
        except ProvisioningError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        if not result.created:
            # The same name and hostname again: provisioning is idempotent and says so.
            messages.warning(self.request, result.message)
            return redirect(self.index_url)
        message = result.message
        if result.school.principal_id:
            message += f" — đã gửi thư mời tới hiệu trưởng ({result.school.principal.email})."
        messages.success(
            self.request,
            message,
            buttons=[
                messages.button(result.school.url, "Mở trang web", new_window=True),
                messages.button(
                    self.url_helper.get_action_url("inspect", quote(result.school.pk)),
                    "Xem thông tin",
                ),
            ],
        )
        return redirect(self.index_url)

    def form_invalid(self, form):
        messages.error(self.request, "Chưa tạo được trường; xem lỗi bên dưới.")
        return super().form_invalid(form)


# --- edit and inspect ----------------------------------------------------------------------


class SchoolEditView(EditView):
    """Name, code, address and principal only (see `SchoolAdmin.edit_handler`).

    A new principal goes through `principals.replace_principal` (see `SchoolEditForm`).

    The hostname, site, groups and collection are made by provisioning and not changed here;
    a new name is carried to them in the same transaction (`school_names.sync_school_name`).
    """

    page_title = "Sửa thông tin trường"

    def form_valid(self, form):
        # The form has already put the new name on the instance: the old one is read back.
        old_name = School.objects.values_list("name", flat=True).get(pk=self.instance.pk)
        new_principal = form.principal_change()
        try:
            with transaction.atomic():
                change = None
                if new_principal is not None:
                    # First, so that a refusal leaves nothing saved and no success message;
                    # the form's save below then writes the same principal again.
                    change = replace_principal(
                        school=self.instance,
                        by_user=self.request.user,
                        member=new_principal,
                        keep_old_on_board=form.cleaned_data.get("keep_old_on_board", False),
                    )
                response = super().form_valid(form)
                sync_school_name(school=form.instance, old_name=old_name)
        except ProvisioningError as exc:
            form.add_error("principal", str(exc))
            return self.form_invalid(form)
        if change is not None:
            messages.success(self.request, change.message)
        return response

    def get_success_message(self, instance) -> str:
        return f"Đã lưu thông tin trường “{instance}”."

    def get_error_message(self) -> str:
        return "Chưa lưu được; xem lỗi bên dưới."

    def get_success_message_buttons(self, instance):
        return [messages.button(self.url_helper.get_action_url("edit", quote(instance.pk)), "Sửa")]


class SchoolInspectView(InspectView):
    page_title = "Thông tin trường"
    labels = {"hostname": "Tên miền", "url": "Địa chỉ trang web"}

    def get_field_label(self, field_name, field=None):
        return self.labels.get(field_name) or super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field=None):
        if field_name == "url":
            return hostname_link(self.instance)
        if field_name in ("created_at", "archived_at"):
            value = getattr(self.instance, field_name)
            if value is None:
                return self.model_admin.get_empty_value_display(field_name)
            return format_date(localtime(value), "d/m/Y H:i")
        return super().get_field_display_value(field_name, field)


# --- archive and restore -------------------------------------------------------------------


class SchoolStatusActionView(InstanceSpecificView):
    """GET shows a confirmation page; POST calls the provisioning function."""

    template_name = f"{TEMPLATE_DIR}/school_confirm_action.html"
    action = ""
    heading = ""
    question = ""
    consequence = ""
    submit_label = ""

    def check_action_permitted(self, user) -> bool:
        return self.permission_helper.user_can_edit_obj(user, self.instance)

    def get_page_title(self) -> str:
        return self.heading

    def run(self, hostname: str):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.url_helper.get_action_url(self.action, self.pk_quoted),
            question=self.question.format(name=self.instance.name),
            consequence=self.consequence,
            submit_label=self.submit_label,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            result = self.run(self.instance.site.hostname)
        except ProvisioningError as exc:
            messages.error(request, str(exc))
            return redirect(self.index_url)
        if result.created:
            messages.success(request, result.message)
        else:
            messages.warning(request, result.message)
        return redirect(self.index_url)


class SchoolArchiveView(SchoolStatusActionView):
    action = "archive"
    heading = "Lưu trữ trường"
    question = "Lưu trữ trường “{name}”?"
    consequence = (
        "Trang web của trường sẽ ngừng phục vụ và người dùng của trường mất quyền sửa nội dung. "
        "Mọi trang, ảnh và tệp vẫn được giữ nguyên; có thể khôi phục lại bất cứ lúc nào."
    )
    submit_label = "Lưu trữ"

    def run(self, hostname: str):
        return archive_school(hostname=hostname)


class SchoolRestoreView(SchoolStatusActionView):
    action = "restore"
    heading = "Khôi phục trường"
    question = "Khôi phục trường “{name}”?"
    consequence = (
        "Trang web của trường được phục vụ lại và Ban quản trị, giáo viên, nhân viên của trường "
        "có lại quyền như trước khi lưu trữ."
    )
    submit_label = "Khôi phục"

    def run(self, hostname: str):
        return restore_school(hostname=hostname)


def school_extra_urls(model_admin) -> tuple:
    """URLs of the screens that modeladmin does not have: archive, restore (the CSV upload's
    are in `school_csv_views`, the principal's screens in `principal_views`)."""
    url_helper = model_admin.url_helper

    def archive_view(request, instance_pk):
        return SchoolArchiveView.as_view(model_admin=model_admin, instance_pk=instance_pk)(request)

    def restore_view(request, instance_pk):
        return SchoolRestoreView.as_view(model_admin=model_admin, instance_pk=instance_pk)(request)

    return (
        re_path(
            url_helper.get_action_url_pattern("archive"),
            archive_view,
            name=url_helper.get_action_url_name("archive"),
        ),
        re_path(
            url_helper.get_action_url_pattern("restore"),
            restore_view,
            name=url_helper.get_action_url_name("restore"),
        ),
    )
