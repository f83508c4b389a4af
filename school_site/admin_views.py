"""The contributor-groups screen: a school's principal manages their own school's groups.

Who sees what:
- district admins and superusers: every school's groups;
- a school's principal (`School.principal`, still a member of that school's board, school
  active): only that school's groups; new groups go to that school;
- everyone else, board members who are not the principal and contributors included: no menu
  item, and every URL of the screen is refused. Contributors see the groups they belong to
  where they are credited (the page editor), not here.

`wagtail_hooks.ContributorGroupAdmin` only names the classes and functions of this module.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.filters import SimpleListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import redirect
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.log_actions import log
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.views import CreateView, DeleteView, EditView, IndexView

from district_site.models import School
from district_site.roles import roles_for
from district_site.selectors import is_district_admin as user_is_district_admin
from home.modeladmin import ChoicesFilter, VietnameseButtonHelper
from home.text import NAME_ORDERING, user_label
from school_site.models import ContributorGroup

TEMPLATE_DIR = "school_site/admin"


# --- who may use the screen ------------------------------------------------------------------


def principal_school_ids(user: AbstractBaseUser) -> frozenset[int]:
    """Active schools the user is principal of and still a board member of.

    Asked of `district_site.roles`: one query per request, shared with every other check.
    """
    return roles_for(user).principal_school_ids


def manageable_schools(user: AbstractBaseUser) -> QuerySet[School]:
    if user_is_district_admin(user):
        return School.objects.all()
    return School.objects.filter(pk__in=principal_school_ids(user))


def can_manage_groups(user: AbstractBaseUser) -> bool:
    return user_is_district_admin(user) or bool(principal_school_ids(user))


def can_manage_group(user: AbstractBaseUser, group: ContributorGroup) -> bool:
    return user_is_district_admin(user) or group.school_id in principal_school_ids(user)


def contributor_groups_for(user: AbstractBaseUser) -> QuerySet[ContributorGroup]:
    """The groups the user may manage, with what the listing shows, in one query."""
    queryset = ContributorGroup.objects.select_related("school", "leader").annotate(
        member_count=Count("members", distinct=True)
    )
    if user_is_district_admin(user):
        return queryset
    return queryset.filter(school_id__in=principal_school_ids(user))


def school_users(school_ids) -> QuerySet:
    """Active users of the given schools: members of their board or editors group."""
    school_ids = list(school_ids)
    return (
        get_user_model()
        .objects.filter(
            Q(groups__board_of__in=school_ids) | Q(groups__editors_of__in=school_ids),
            is_active=True,
        )
        .distinct()
        .order_by(*NAME_ORDERING)
    )


class SchoolFilter(SimpleListFilter):
    """Filter by school, for district admins (Django's related-field filter needs contrib.admin)."""

    title = "Trường"
    parameter_name = "school"
    template = ChoicesFilter.template

    def lookups(self, request, model_admin):
        return [
            (str(pk), name)
            for pk, name in School.objects.order_by("name").values_list("pk", "name")
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(school_id=int(value))
        return queryset


def list_filter_for(user: AbstractBaseUser) -> tuple:
    # Only district admins filter by school: the filter lists every school's name.
    if user_is_district_admin(user):
        return (("kind", ChoicesFilter), SchoolFilter)
    return (("kind", ChoicesFilter),)


class ContributorGroupPermissionHelper(PermissionHelper):
    def user_can_list(self, user) -> bool:
        return can_manage_groups(user)

    def user_can_create(self, user) -> bool:
        return can_manage_groups(user)

    def user_can_inspect_obj(self, user, obj) -> bool:
        return self.inspect_view_enabled and can_manage_group(user, obj)

    def user_can_edit_obj(self, user, obj) -> bool:
        return can_manage_group(user, obj)

    def user_can_delete_obj(self, user, obj) -> bool:
        return can_manage_group(user, obj)


class ContributorGroupButtonHelper(VietnameseButtonHelper):
    labels = {
        "add": ("Thêm tổ chức", "Thêm một tổ chức, tổ chuyên môn"),
        "edit": ("Sửa", "Sửa tổ chức này"),
        "delete": ("Xoá", "Xoá tổ chức này"),
    }


# --- form ------------------------------------------------------------------------------------


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return user_label(obj)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return user_label(obj)


class ContributorGroupForm(WagtailAdminModelForm):
    """Members and leader come only from the group's school; the school is never changed.

    A principal of one school does not see the school field at all: new groups are theirs.
    On edit nobody can move a group to another school, since its members and the pages
    crediting it belong to this one.
    """

    class Meta:
        model = ContributorGroup
        fields = ["school", "name", "kind", "leader", "members"]
        field_classes = {"leader": UserChoiceField, "members": UserMultipleChoiceField}
        widgets = {"members": forms.CheckboxSelectMultiple}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        school_id = self.instance.school_id if self.instance.pk else None
        if school_id is None and for_user is not None and not user_is_district_admin(for_user):
            own = sorted(principal_school_ids(for_user))
            if len(own) == 1:
                school_id = own[0]
                self.instance.school_id = school_id
        if school_id is not None:
            del self.fields["school"]
            candidates = school_users([school_id])
            self.fields["members"].queryset = candidates
            self.fields["leader"].queryset = candidates
            self.fields[
                "members"
            ].help_text = "Chỉ liệt kê Ban quản trị, giáo viên, nhân viên của trường."
        else:
            # Several schools to choose from (a district admin): listing every school's users
            # would not scale, so members and leader are chosen after the group is saved.
            schools = manageable_schools(for_user) if for_user is not None else School.objects
            self.fields["school"].queryset = schools.order_by("name")
            self.fields["school"].help_text = "Chọn thành viên, trưởng nhóm sau khi lưu."
            del self.fields["members"]
            del self.fields["leader"]

    def group_school_id(self) -> int | None:
        if "school" in self.fields:
            school = self.cleaned_data.get("school")
            return school.pk if school else None
        return self.instance.school_id

    def clean(self):
        cleaned = super().clean()
        school_id = self.group_school_id()
        if school_id is None:
            return cleaned
        if "members" in self.fields:
            allowed = set(school_users([school_id]).values_list("pk", flat=True))
            members = list(cleaned.get("members") or [])
            if any(m.pk not in allowed for m in members):
                self.add_error("members", "Chỉ chọn được người dùng của trường này.")
            leader = cleaned.get("leader")
            if leader is not None:
                if leader.pk not in allowed:
                    self.add_error("leader", "Trưởng nhóm phải là người dùng của trường này.")
                elif leader not in members:
                    # The leader is a member: a group is credited only for its members' posts.
                    cleaned["members"] = members + [leader]
        name = cleaned.get("name")
        # With the school field removed, the model's unique (school, name) check is skipped.
        if (
            name
            and ContributorGroup.objects.filter(school_id=school_id, name=name)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("name", "Trường đã có một tổ chức tên này.")
        return cleaned


# --- views -----------------------------------------------------------------------------------


class ScopedInstanceMixin:
    """Answer 404 for an object outside the user's listing, before anything else runs.

    modeladmin loads the object of an edit/delete URL by id from the whole table; without this
    another school's group id would at least be confirmed to exist.
    """

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and not self.model_admin.get_queryset(request).filter(pk=self.instance.pk).exists()
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ContributorGroupIndexView(IndexView):
    page_title = "Tổ chức, tổ chuyên môn"

    def dispatch(self, request, *args, **kwargs):
        # wagtail-modeladmin turns an unknown query parameter into a field lookup and crashes
        # (500); answer as Django's admin does, with the plain listing.
        try:
            return super().dispatch(request, *args, **kwargs)
        except IncorrectLookupParameters:
            return redirect(request.path)


class GroupFormMessagesMixin:
    """The create and edit screens' Vietnamese title and messages; `saved` names the group."""

    saved = ""

    def get_meta_title(self) -> str:
        return self.page_title

    def get_success_message(self, instance) -> str:
        return self.saved.format(instance)

    def get_success_message_buttons(self, instance):
        return [messages.button(self.url_helper.get_action_url("edit", quote(instance.pk)), "Sửa")]

    def get_error_message(self) -> str:
        return "Chưa lưu được; xem lỗi bên dưới."


class ContributorGroupCreateView(GroupFormMessagesMixin, CreateView):
    page_title = "Thêm tổ chức"
    saved = "Đã thêm tổ chức “{}”."

    def get_page_subtitle(self) -> str:
        return ""


class ContributorGroupEditView(GroupFormMessagesMixin, ScopedInstanceMixin, EditView):
    page_title = "Sửa tổ chức"
    saved = "Đã lưu tổ chức “{}”."


class ContributorGroupDeleteView(ScopedInstanceMixin, DeleteView):
    page_title = "Xoá tổ chức"

    def get_meta_title(self) -> str:
        return self.page_title

    def confirmation_message(self) -> str:
        return (
            f"Xoá tổ chức “{self.instance}”? Các bài đã ghi công cho tổ chức này sẽ không còn "
            "được ghi công cho tổ chức nào."
        )

    def post(self, request, *args, **kwargs):
        # modeladmin's own post says it in English; this one is the same steps in Vietnamese.
        name = str(self.instance)
        with transaction.atomic():
            log(instance=self.instance, action="wagtail.delete")
            self.instance.delete()
        messages.success(request, f"Đã xoá tổ chức “{name}”.")
        return redirect(self.index_url)


def leader_label(group: ContributorGroup) -> str:
    return user_label(group.leader) if group.leader_id else ""
