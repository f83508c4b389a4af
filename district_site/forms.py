"""Forms of the district admins' school registry screens.

The create form does not save a model: the view hands its cleaned data to
`district_site.provisioning.provision_school`, the one function that builds a school's site.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail.admin.forms import WagtailAdminModelForm

from district_site.models import School
from home.csv_upload import decode_csv_upload
from home.text import NAME_ORDERING, user_label

# A district has a few hundred schools at most; a bigger file is a mistake, not a list.
CSV_MAX_BYTES = 1024 * 1024


class SchoolCreateForm(forms.Form):
    """Input for `provision_school`; the service itself validates and reports in Vietnamese."""

    name = forms.CharField(label="Tên trường", max_length=120)
    kind = forms.ChoiceField(label="Cấp học", choices=School.Kind.choices)
    hostname = forms.CharField(
        label="Tên miền",
        max_length=253,
        help_text=f"Tên miền con của {settings.DISTRICT_BASE_DOMAIN}, "
        f"ví dụ: mn-hoasen.{settings.DISTRICT_BASE_DOMAIN}.",
    )
    address = forms.CharField(label="Địa chỉ", max_length=255, required=False)
    short_code = forms.CharField(label="Mã trường", max_length=30, required=False)
    # A school without an account cannot start: the principal is required here.
    principal_name = forms.CharField(
        label="Họ tên hiệu trưởng",
        max_length=300,
        help_text="Viết đầy đủ như trên giấy tờ, ví dụ: Nguyễn Thị Mai.",
    )
    principal_email = forms.EmailField(
        label="Email hiệu trưởng",
        help_text="Hiệu trưởng nhận thư mời kèm liên kết để tự đặt mật khẩu.",
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return user_label(obj)


def keep_old_on_board_field() -> forms.BooleanField:
    """The "keep the former principal on the board" choice of `principals.replace_principal`."""
    return forms.BooleanField(
        label="Giữ hiệu trưởng cũ trong Ban quản trị",
        required=False,
        help_text="Không chọn: hiệu trưởng cũ rời Ban quản trị, ở lại trường như giáo viên; "
        "bài viết và điểm ghi công của họ giữ nguyên.",
    )


class SchoolEditForm(WagtailAdminModelForm):
    """Edit a school's own details. The site, groups and collection stay as provisioned.

    The principal is chosen among this school's board. A district admin who picks another
    person here means "this person is now the principal", exactly as on the "Thay hiệu trưởng"
    screen, so the view hands the change to `principals.replace_principal` (the old principal
    leaves the board unless kept, the change is logged, the new one is e-mailed) instead of
    writing the column: the two screens cannot disagree about what replacing a principal does.
    """

    keep_old_on_board = keep_old_on_board_field()

    class Meta:
        model = School
        fields = ["name", "short_code", "address", "principal", "keep_old_on_board"]
        field_classes = {"principal": UserChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "principal" in self.fields:
            board_group_id = self.instance.board_group_id
            self.fields["principal"].queryset = (
                get_user_model()
                .objects.filter(groups=board_group_id, is_active=True)
                .order_by(*NAME_ORDERING)
                if board_group_id
                else get_user_model().objects.none()
            )
            self.fields["principal"].help_text = (
                "Chọn người khác là thay hiệu trưởng: người mới nhận thư, hiệu trưởng cũ rời "
                "Ban quản trị (trừ khi chọn giữ lại bên dưới). Để mời người ngoài trường, dùng "
                "nút “Thay hiệu trưởng” trong danh sách trường."
            )
            # The replace flow always names a successor; emptying the field would drop the
            # principal without one (and without the old one leaving the board).
            if self.instance.principal_id is not None:
                self.fields["principal"].required = True
                self.fields["principal"].error_messages["required"] = (
                    "Trường cần có hiệu trưởng; chọn người thay thế."
                )

    def principal_change(self):
        """The newly chosen principal, or None if the principal stays as it was."""
        new = self.cleaned_data.get("principal")
        if new is None or new.pk == self.initial.get("principal"):
            return None
        return new


class SchoolCsvForm(forms.Form):
    file = forms.FileField(
        label="Tệp CSV",
        help_text="Dòng đầu là tên cột: ten_truong,cap_hoc,ten_mien (có thể thêm dia_chi, "
        "ma_truong, và hiệu trưởng: hieu_truong,email_hieu_truong — mỗi hiệu trưởng nhận thư "
        "mời). Cấp học là một trong: mam_non, tieu_hoc, thcs, lien_cap.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label="Chỉ kiểm tra",
        required=False,
        help_text="Kiểm tra từng dòng của tệp, không tạo trường nào.",
    )

    def clean_file(self) -> str:
        """Return the file's text; reject files too big or not saved as UTF-8."""
        return decode_csv_upload(self.cleaned_data["file"], max_bytes=CSV_MAX_BYTES)
