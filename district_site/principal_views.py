"""The district admin's screens about a school's principal: invite again, and replace.

The work is done by `district_site.provisioning.invite_principal` and
`district_site.principals.replace_principal`; these views translate between HTTP and them.
"""

from __future__ import annotations

from django import forms
from django.shortcuts import redirect
from django.urls import re_path
from wagtail.admin import messages

from district_site.admin_views import SchoolButtonHelper, SchoolStatusActionView
from district_site.forms import UserChoiceField, keep_old_on_board_field
from district_site.principals import replace_principal, school_candidates
from district_site.provisioning import ProvisioningError, invite_principal
from home.text import NAME_ORDERING, display_name

TEMPLATE_DIR = "district_site/admin"


class SchoolPrincipalButtonHelper(SchoolButtonHelper):
    """The registry's buttons, plus "invite again" and "replace the principal"."""

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        exclude = exclude or []
        user = self.request.user
        if "invite" not in exclude and self.permission_helper.user_can_invite_obj(user, obj):
            buttons.append(
                self.action_button(
                    "invite",
                    obj.pk,
                    "Mời lại hiệu trưởng",
                    "Gửi lại thư mời kèm liên kết đặt mật khẩu cho hiệu trưởng",
                    classnames_add,
                )
            )
        if "principal" not in exclude and self.permission_helper.user_can_replace_obj(user, obj):
            buttons.append(
                self.action_button(
                    "principal",
                    obj.pk,
                    "Thay hiệu trưởng",
                    "Chọn hoặc mời hiệu trưởng mới",
                    classnames_add,
                )
            )
        return buttons


class SchoolInviteView(SchoolStatusActionView):
    """Send the principal a new set-password link (the old one may have expired)."""

    action = "invite"
    heading = "Mời lại hiệu trưởng"
    question = "Gửi lại thư mời cho hiệu trưởng của “{name}”?"
    consequence = (
        "Hiệu trưởng nhận thư có liên kết mới để tự đặt mật khẩu. Liên kết chỉ dùng được một "
        "lần; mật khẩu hiện tại (nếu có) vẫn dùng được cho tới khi đặt mật khẩu mới."
    )
    submit_label = "Gửi thư mời"

    def check_action_permitted(self, user) -> bool:
        return self.permission_helper.user_can_invite_obj(user, self.instance)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        principal = self.instance.principal
        context["consequence"] = f"{self.consequence} Email: {principal.email}."
        return context

    def post(self, request, *args, **kwargs):
        try:
            invite_principal(school=self.instance)
        except ProvisioningError as exc:
            messages.error(request, str(exc))
            return redirect(self.index_url)
        messages.success(
            request,
            f"Đã gửi thư mời tới hiệu trưởng {display_name(self.instance.principal)} "
            f"({self.instance.principal.email}).",
        )
        return redirect(self.index_url)


class ReplacePrincipalForm(forms.Form):
    member = UserChoiceField(
        label="Chọn một người của trường",
        queryset=None,
        required=False,
        empty_label="— Không chọn; mời người mới bên dưới —",
    )
    full_name = forms.CharField(
        label="Hoặc: họ tên hiệu trưởng mới",
        max_length=300,
        required=False,
        help_text="Viết đầy đủ như trên giấy tờ, ví dụ: Nguyễn Thị Mai.",
    )
    email = forms.EmailField(
        label="Email hiệu trưởng mới",
        required=False,
        help_text="Người mới nhận thư mời kèm liên kết để tự đặt mật khẩu.",
    )
    keep_old_on_board = keep_old_on_board_field()

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = school_candidates(school).order_by(*NAME_ORDERING)


class SchoolReplacePrincipalView(SchoolStatusActionView):
    action = "principal"
    heading = "Thay hiệu trưởng"
    template_name = f"{TEMPLATE_DIR}/school_principal.html"

    def check_action_permitted(self, user) -> bool:
        return self.permission_helper.user_can_replace_obj(user, self.instance)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ReplacePrincipalForm(school=self.instance))
        principal = self.instance.principal
        return super().get_context_data(
            current=display_name(principal) if principal else "", **kwargs
        )

    def post(self, request, *args, **kwargs):
        form = ReplacePrincipalForm(request.POST, school=self.instance)
        if form.is_valid():
            try:
                change = replace_principal(
                    school=self.instance, by_user=request.user, **form.cleaned_data
                )
            except ProvisioningError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, change.message)
                return redirect(self.index_url)
        messages.error(request, "Chưa thay được hiệu trưởng; xem lỗi bên dưới.")
        return self.render_to_response(self.get_context_data(form=form))


def principal_urls(model_admin) -> tuple:
    """The invite and replace screens, as modeladmin action URLs of a school."""
    url_helper = model_admin.url_helper

    def invite_view(request, instance_pk):
        return SchoolInviteView.as_view(model_admin=model_admin, instance_pk=instance_pk)(request)

    def replace_view(request, instance_pk):
        return SchoolReplacePrincipalView.as_view(model_admin=model_admin, instance_pk=instance_pk)(
            request
        )

    return (
        re_path(
            url_helper.get_action_url_pattern("invite"),
            invite_view,
            name=url_helper.get_action_url_name("invite"),
        ),
        re_path(
            url_helper.get_action_url_pattern("principal"),
            replace_view,
            name=url_helper.get_action_url_name("principal"),
        ),
    )
