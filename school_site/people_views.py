"""Admin screens of the principal's "Cán bộ, giáo viên, nhân viên": listing, CSV import,
adding one person, one person's groups and board membership, invitations, deactivation.

Only the principal of an active school gets in (`principal_school_ids`); everyone else is
refused (Wagtail turns PermissionDenied into a message on the dashboard). A principal who asks
for another school, or for a user who is not in their school, gets a 404 before anything is
read or changed. The work is done by `school_site.people`; these views only translate between
HTTP and those functions.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views import View
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from district_site.models import School
from home.csv_upload import csv_template_response, decode_csv_upload
from home.text import display_name
from school_site import people
from school_site.admin_views import principal_school_ids

TEMPLATE_DIR = "school_site/people"
MENU_LABEL = "Cán bộ, giáo viên, nhân viên"
PER_PAGE = 50


class PeopleMenuItem(MenuItem):
    """Shown only to the principal of an active school (one query, cached on the user)."""

    def is_shown(self, request) -> bool:
        return bool(principal_school_ids(request.user))


# --- forms -------------------------------------------------------------------------------------


class GroupChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class GroupSingleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class PeopleFilterForm(forms.Form):
    """The listing's search box and filters (GET); an invalid value is ignored, not an error."""

    BOARD_CHOICES = [("", "Tất cả vai trò"), ("1", people.ROLE_BOARD), ("0", people.ROLE_STAFF)]

    q = forms.CharField(label="Tìm theo tên, tên đăng nhập, email", required=False, max_length=100)
    to_chuc = GroupSingleChoiceField(
        label="Tổ chức", queryset=None, required=False, empty_label="Tất cả tổ chức"
    )
    ban = forms.ChoiceField(label="Vai trò", choices=BOARD_CHOICES, required=False)

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_chuc"].queryset = people.school_contributor_groups(school=school)

    def filters(self) -> dict:
        self.is_valid()  # an invalid field is left out of cleaned_data, the others still apply
        group = self.cleaned_data.get("to_chuc")
        return {
            "query": self.cleaned_data.get("q", ""),
            "group_id": group.pk if group else None,
            "on_board": {"1": True, "0": False}.get(self.cleaned_data.get("ban")),
        }


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp CSV",
        help_text="Bảng mã UTF-8. Dòng đầu là tên cột: ho_ten,email,chuc_vu,to_chuc "
        "(hoặc full_name,email,position,groups). Nhiều tổ chức cách nhau bằng dấu “;”.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> str:
        return decode_csv_upload(self.cleaned_data["file"], max_bytes=people.CSV_MAX_BYTES)


class ImportConfirmForm(forms.Form):
    """The checked file's text travels back with the confirmation; it is checked again."""

    csv_text = forms.CharField(widget=forms.HiddenInput, strip=False)


class MembershipForm(forms.Form):
    position = forms.CharField(
        label="Chức vụ", max_length=people.POSITION_MAX_LENGTH, required=False
    )
    on_board = forms.BooleanField(
        label="Thành viên Ban quản trị",
        required=False,
        help_text="Ban quản trị duyệt và xuất bản bài của trường.",
    )
    contributor_groups = GroupChoiceField(
        label="Tổ chức, tổ chuyên môn",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Chỉ liệt kê tổ chức của trường này.",
    )
    hide_on_honour_board = forms.BooleanField(
        label="Không hiện tên trên bảng vinh danh",
        required=False,
        help_text="Tên người này không hiện trên trang vinh danh công khai của trường và Phòng "
        "GD&ĐT; điểm thi đua vẫn được tính.",
    )

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contributor_groups"].queryset = people.school_contributor_groups(school=school)


class AddPersonForm(MembershipForm):
    """One new person: full name as written, e-mail for the invitation, then as MembershipForm."""

    full_name = forms.CharField(
        label="Họ và tên",
        max_length=300,
        help_text="Viết đầy đủ như trên giấy tờ, ví dụ: Nguyễn Thị Mai.",
    )
    email = forms.EmailField(label="Email", help_text="Thư mời được gửi tới địa chỉ này.")

    # Fields not listed (the honour-board opt-out) follow in MembershipForm's order.
    field_order = ["full_name", "email", "position", "on_board", "contributor_groups"]


# --- views -------------------------------------------------------------------------------------


def import_template(request):
    """The staff CSV template: the Vietnamese header and one example row (UTF-8 with BOM)."""
    if not principal_school_ids(request.user):
        raise PermissionDenied
    return csv_template_response(
        "mau-danh-sach-can-bo.csv",
        people.TEMPLATE_HEADER,
        [people.TEMPLATE_ROW],
    )


def index(request):
    """The menu's link: the principal's school (the first by name if they lead several)."""
    school_ids = principal_school_ids(request.user)
    if not school_ids:
        raise PermissionDenied
    school = School.objects.filter(pk__in=school_ids).order_by("name").first()
    return redirect("school_people:list", school_id=school.pk)


class SchoolPeopleView(View):
    """Resolves and checks the school (and the person) of the URL before any handler runs."""

    template_name = ""
    page_title = MENU_LABEL

    def dispatch(self, request, school_id: int, user_id: int | None = None, **kwargs):
        school_ids = principal_school_ids(request.user)
        if not school_ids:
            raise PermissionDenied
        if school_id not in school_ids:
            raise Http404
        self.school = School.objects.get(pk=school_id)
        self.person = None
        if user_id is not None:
            try:
                self.person = people.get_school_person(school=self.school, user_id=user_id)
            except people.User.DoesNotExist as exc:
                raise Http404 from exc
        return super().dispatch(request, **kwargs)

    def list_url(self) -> str:
        return reverse("school_people:list", args=[self.school.pk])

    def person_url(self, name: str = "edit") -> str:
        return reverse(f"school_people:{name}", args=[self.school.pk, self.person.pk])

    def render(self, **context):
        context.setdefault("page_title", self.page_title)
        context |= {"school": self.school, "person": self.person, "list_url": self.list_url()}
        if self.person is not None:
            context |= {
                "person_name": display_name(self.person),
                "edit_url": self.person_url("edit"),
                "invite_url": self.person_url("invite"),
                "deactivate_url": self.person_url("deactivate"),
                "reactivate_url": self.person_url("reactivate"),
            }
        return TemplateResponse(self.request, f"{TEMPLATE_DIR}/{self.template_name}", context)


class PeopleListView(SchoolPeopleView):
    template_name = "list.html"

    def get(self, request):
        filter_form = PeopleFilterForm(request.GET, school=self.school)
        filters = filter_form.filters()
        page = Paginator(
            people.filter_school_people(school=self.school, **filters), PER_PAGE
        ).get_page(request.GET.get("p"))
        persons = list(page.object_list)
        for person in persons:
            person.display_name = display_name(person)
            person.role_label = people.ROLE_BOARD if person.on_board else people.ROLE_STAFF
            person.is_principal = person.pk == self.school.principal_id
        other_schools = (
            School.objects.filter(pk__in=principal_school_ids(request.user))
            .exclude(pk=self.school.pk)
            .order_by("name")
            if len(principal_school_ids(request.user)) > 1
            else []
        )
        return self.render(
            persons=persons,
            page=page,
            filter_form=filter_form,
            filtered=any(v not in (None, "") for v in filters.values()),
            import_url=reverse("school_people:import", args=[self.school.pk]),
            add_url=reverse("school_people:add", args=[self.school.pk]),
            other_schools=other_schools,
        )


class PeopleImportView(SchoolPeopleView):
    """Upload -> preview (nothing written) -> confirm (everything in one transaction)."""

    template_name = "import.html"
    page_title = "Nhập cán bộ, giáo viên, nhân viên từ tệp CSV"

    def get(self, request):
        return self.render(form=ImportUploadForm())

    def post(self, request):
        if "csv_text" in request.POST:
            return self.confirm(request)
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form=form)
        text = form.cleaned_data["file"]
        plan = people.plan_people_import(school=self.school, text=text)
        if plan.errors:
            messages.error(request, f"Tệp có {len(plan.errors)} lỗi; chưa nhập ai.")
        return self.render(
            form=ImportUploadForm(),
            plan=plan,
            confirm_form=ImportConfirmForm(initial={"csv_text": text}) if plan.ok else None,
        )

    def confirm(self, request):
        form = ImportConfirmForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Không đọc được tệp đã kiểm tra; hãy tải tệp lên lại.")
            return self.render(form=ImportUploadForm())
        try:
            plan = people.import_people(
                school=self.school, text=form.cleaned_data["csv_text"], by_user=request.user
            )
        except people.PeopleError as exc:
            raise PermissionDenied from exc
        if not plan.imported:
            messages.error(request, f"Tệp có {len(plan.errors)} lỗi; chưa nhập ai.")
            return self.render(form=ImportUploadForm(), plan=plan)
        messages.success(
            request,
            f"Đã nhập tệp: {plan.count('create')} người mới, {plan.count('update')} người "
            f"được cập nhật, {plan.count('unchanged')} người không thay đổi.",
        )
        return redirect(self.list_url())


class PersonEditView(SchoolPeopleView):
    """Position, board membership and contributor groups of one person, at this school."""

    template_name = "edit.html"

    @property
    def page_title(self) -> str:
        return display_name(self.person)

    def get(self, request):
        form = MembershipForm(
            school=self.school,
            initial={
                "position": self.person.position or "",
                "on_board": self.person.on_board,
                "contributor_groups": self.person.school_contributor_groups,
                "hide_on_honour_board": self.person.hide_on_honour_board,
            },
        )
        return self.render_form(form)

    def post(self, request):
        form = MembershipForm(request.POST, school=self.school)
        if form.is_valid():
            try:
                people.update_membership(
                    school=self.school,
                    user=self.person,
                    by_user=request.user,
                    contributor_group_ids=[g.pk for g in form.cleaned_data["contributor_groups"]],
                    on_board=form.cleaned_data["on_board"],
                    position=form.cleaned_data["position"],
                    hide_on_honour_board=form.cleaned_data["hide_on_honour_board"],
                )
            except people.PeopleError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"Đã lưu thông tin của {display_name(self.person)}.")
                return redirect(self.list_url())
        else:
            messages.error(request, "Chưa lưu được; xem lỗi bên dưới.")
        return self.render_form(form)

    def render_form(self, form):
        return self.render(
            form=form,
            is_protected=people.is_protected_account(self.person),
            in_other_school=people.belongs_to_other_school(user=self.person, school=self.school),
            is_self=self.person.pk == self.request.user.pk,
            role_label=people.ROLE_BOARD if self.person.on_board else people.ROLE_STAFF,
        )


class PersonAddView(SchoolPeopleView):
    """Add one person to the school; they get an invitation, never a password from anyone."""

    template_name = "add.html"
    page_title = "Thêm một người"

    def get(self, request):
        return self.render_form(AddPersonForm(school=self.school))

    def post(self, request):
        form = AddPersonForm(request.POST, school=self.school)
        if form.is_valid():
            try:
                user = people.add_person(
                    school=self.school,
                    by_user=request.user,
                    full_name=form.cleaned_data["full_name"],
                    email=form.cleaned_data["email"],
                    position=form.cleaned_data["position"],
                    contributor_group_ids=[g.pk for g in form.cleaned_data["contributor_groups"]],
                    on_board=form.cleaned_data["on_board"],
                    hide_on_honour_board=form.cleaned_data["hide_on_honour_board"],
                )
            except people.PeopleError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, f"Đã thêm {display_name(user)} và gửi thư mời tới {user.email}."
                )
                return redirect(self.list_url())
        messages.error(request, "Chưa thêm được; xem lỗi bên dưới.")
        return self.render_form(form)

    def render_form(self, form):
        return self.render(form=form, add_url=reverse("school_people:add", args=[self.school.pk]))


class PersonInviteView(SchoolPeopleView):
    """Confirm, then send the invitation again, or a reset link to someone who has a password."""

    template_name = "invite.html"
    page_title = "Gửi thư mời, liên kết đặt mật khẩu"

    def get(self, request):
        return self.render()

    def post(self, request):
        try:
            message = people.invite_person(
                school=self.school, user=self.person, by_user=request.user
            )
        except people.PeopleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, message)
        return redirect(self.person_url())


class PersonStatusView(SchoolPeopleView):
    """Confirm, then deactivate (someone who has left) or reactivate an account."""

    template_name = "status.html"
    deactivate = True

    @property
    def page_title(self) -> str:
        return "Khoá tài khoản" if self.deactivate else "Mở lại tài khoản"

    def get(self, request):
        return self.render(deactivate=self.deactivate)

    def post(self, request):
        service = people.deactivate_user if self.deactivate else people.reactivate_user
        name = display_name(self.person)
        try:
            service(school=self.school, user=self.person, by_user=request.user)
        except people.PeopleError as exc:
            messages.error(request, str(exc))
            return redirect(self.person_url())
        if self.deactivate:
            messages.success(
                request, f"Đã khoá tài khoản của {name}; bài viết và điểm ghi công vẫn giữ."
            )
        else:
            messages.success(request, f"Đã mở lại tài khoản của {name}.")
        return redirect(self.list_url())


urlpatterns = [
    path("", index, name="index"),
    path("mau-tep-csv/", import_template, name="import_template"),
    path("<int:school_id>/", PeopleListView.as_view(), name="list"),
    path("<int:school_id>/import/", PeopleImportView.as_view(), name="import"),
    path("<int:school_id>/add/", PersonAddView.as_view(), name="add"),
    path("<int:school_id>/<int:user_id>/", PersonEditView.as_view(), name="edit"),
    path("<int:school_id>/<int:user_id>/invite/", PersonInviteView.as_view(), name="invite"),
    path(
        "<int:school_id>/<int:user_id>/deactivate/",
        PersonStatusView.as_view(deactivate=True),
        name="deactivate",
    ),
    path(
        "<int:school_id>/<int:user_id>/reactivate/",
        PersonStatusView.as_view(deactivate=False),
        name="reactivate",
    ),
]
