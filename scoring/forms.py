"""Forms of the scoring admin screens. They check input only; the views call the services."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from wagtail.forms import TaskStateCommentForm

from district_site.models import School
from home.text import display_name
from school_site.forms import school_members
from school_site.models import ContributorGroup
from scoring.models import BonusAward, Rubric, SchoolYear, parse_year_label

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _date_field(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    # A browser date picker sends yyyy-mm-dd; a typed dd/mm/yyyy is accepted as well.
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Ngày không hợp lệ (dạng ngày/tháng/năm)."},
    )


class YearChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SchoolYear) -> str:
        return f"{obj.label} (đã chốt)" if obj.frozen else obj.label


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: School) -> str:
        return obj.name


class ReportFilterForm(forms.Form):
    """Which sheet to show: the year, per school/group/author, a school, a date range."""

    BY_CHOICES = [("school", "Theo trường"), ("group", "Theo tổ chức"), ("author", "Theo tác giả")]

    year = YearChoiceField(
        label="Năm học",
        queryset=SchoolYear.objects.order_by("-start_date"),
        to_field_name="label",
        empty_label=None,
        error_messages={"invalid_choice": "Không có năm học này."},
    )
    by = forms.ChoiceField(label="Bảng điểm", choices=BY_CHOICES, initial="school")
    school = SchoolChoiceField(
        label="Trường",
        queryset=School.objects.none(),
        required=False,
        empty_label="Tất cả các trường",
        error_messages={"invalid_choice": "Không có trường này."},
    )
    start = _date_field("Từ ngày", help_text="Để trống: từ đầu năm học.")
    end = _date_field("Đến ngày", help_text="Để trống: đến cuối năm học.")

    def __init__(self, *args, schools, all_schools: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if not all_schools:
            # A principal's sheet is always one school: theirs.
            self.fields["school"].empty_label = None
            self.fields["school"].required = True
            self.fields["by"].choices = [
                ("school", "Của trường"),
                ("group", "Theo tổ chức"),
                ("author", "Theo tác giả"),
            ]

    def clean(self):
        cleaned = super().clean()
        year, start, end = cleaned.get("year"), cleaned.get("start"), cleaned.get("end")
        if year is None:
            return cleaned
        for name, day in (("start", start), ("end", end)):
            if day is not None and not year.contains(day):
                self.add_error(
                    name,
                    f"Ngày phải trong năm học {year.label} "
                    f"({year.start_date:%d/%m/%Y} – {year.end_date:%d/%m/%Y}).",
                )
        if start and end and end < start:
            self.add_error("end", "Ngày kết thúc phải sau ngày bắt đầu.")
        return cleaned


class SchoolYearCreateForm(forms.Form):
    label = forms.CharField(
        label="Năm học", max_length=9, help_text="Dạng 2026-2027: hai năm liền nhau."
    )
    start_date = _date_field("Ngày bắt đầu", help_text="Để trống: 01/9.")
    end_date = _date_field("Ngày kết thúc", help_text="Để trống: 31/8 năm sau.")

    def clean_label(self) -> str:
        label = self.cleaned_data["label"].strip()
        try:
            parse_year_label(label)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        if SchoolYear.objects.filter(label=label).exists():
            raise ValidationError(f"Năm học {label} đã có.")
        return label


class SchoolYearDatesForm(forms.Form):
    start_date = _date_field("Ngày bắt đầu", required=True)
    end_date = _date_field("Ngày kết thúc", required=True)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", "Ngày kết thúc phải sau ngày bắt đầu.")
        return cleaned


class FreezeConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label="Tôi hiểu rằng bảng điểm đã chốt sẽ không thay đổi nữa.",
        error_messages={"required": "Hãy đánh dấu để xác nhận chốt bảng điểm."},
    )


class RubricForm(forms.ModelForm):
    class Meta:
        model = Rubric
        fields = [
            "news_points",
            "article_points",
            "document_points",
            "lecture_points",
            "gallery_points",
            "good_post_points",
            "min_body_chars",
        ]

    def clean(self):
        cleaned = super().clean()
        for name in self.Meta.fields:
            value = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, "Điểm không được âm.")
        return cleaned


class BonusForm(forms.Form):
    school_year = YearChoiceField(
        label="Năm học",
        queryset=SchoolYear.objects.order_by("-start_date"),
        empty_label=None,
        help_text="Năm học đã chốt bảng điểm thì không cộng điểm được nữa.",
    )
    school = SchoolChoiceField(
        label="Trường",
        queryset=School.objects.filter(status=School.Status.ACTIVE).order_by("name"),
        empty_label="Chọn trường",
    )
    points = forms.DecimalField(
        label="Điểm cộng",
        max_digits=6,
        decimal_places=2,
        min_value=0.01,
        error_messages={
            "min_value": "Điểm cộng phải lớn hơn 0.",
            "invalid": "Hãy nhập một số.",
            "max_digits": "Số quá lớn.",
            "max_decimal_places": "Tối đa hai chữ số thập phân.",
        },
    )
    criterion = forms.ChoiceField(label="Tiêu chí", choices=BonusAward.Criterion.choices)
    reason = forms.CharField(
        label="Lý do",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ghi vào sổ điểm cùng với điểm cộng.",
    )


def default_year_bounds_for(label: str) -> tuple[datetime.date, datetime.date]:
    from scoring.models import default_year_bounds

    return default_year_bounds(parse_year_label(label))


class GoodPostApproveForm(TaskStateCommentForm):
    """The board's approve dialog (school_site.review_dialog): Wagtail's comment, and the
    "bài hay" box, recorded by services.mark_good_post_at_approval once the approval is done."""

    good_post = forms.BooleanField(
        label="Đánh dấu bài hay",
        required=False,
        help_text=(
            "Bài được cộng điểm “bài hay” theo thang điểm của năm học. Không áp dụng cho bài của "
            "chính mình hoặc bài đã tính điểm trong năm học đã chốt."
        ),
    )


class ChangeCreditForm(forms.Form):
    """The board's change of a credited post's author or group: only the school's people and
    groups are offered; the reason is required (it goes to the page's history)."""

    author = forms.ModelChoiceField(label="Tác giả", queryset=None)
    contributor_group = forms.ModelChoiceField(
        label="Tổ chức, tổ chuyên môn", queryset=None, required=False
    )
    reason = forms.CharField(
        label="Lý do",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Cần ghi lý do đổi tác giả, tổ chức."},
    )

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = school_members(school)
        self.fields["author"].label_from_instance = display_name
        self.fields["contributor_group"].queryset = ContributorGroup.objects.filter(
            school=school
        ).order_by("name")

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Cần ghi lý do đổi tác giả, tổ chức.")
        return reason
