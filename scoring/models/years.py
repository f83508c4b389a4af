"""School years and the rubric: the calendar and the points the ledger counts against."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

YEAR_LABEL_RE = re.compile(r"^(\d{4})-(\d{4})$")


class ContentKind(models.TextChoices):
    """The rubric lines: what `ContentPage.content_kind` returns."""

    NEWS = "news", "Tin"
    ARTICLE = "article", "Bài viết"
    DOCUMENT = "document", "Văn bản"
    LECTURE = "lecture", "Bài giảng"
    GALLERY = "gallery", "Album ảnh"


def parse_year_label(label: str) -> int:
    """The starting calendar year of a label like "2026-2027"; ValueError (Vietnamese) if not."""
    match = YEAR_LABEL_RE.match((label or "").strip())
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise ValueError(
            f"Năm học “{label}” không hợp lệ: cần dạng NNNN-NNNN, hai năm liền nhau, "
            "ví dụ 2026-2027."
        )
    return int(match.group(1))


def default_year_bounds(start_year: int) -> tuple[datetime.date, datetime.date]:
    """A school year runs 1 September to 31 August unless the district adjusts it."""
    return datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 8, 31)


def default_label_for(day: datetime.date) -> str:
    start_year = day.year if day.month >= 9 else day.year - 1
    return f"{start_year}-{start_year + 1}"


class SchoolYear(models.Model):
    label = models.CharField("Năm học", max_length=9, unique=True, help_text="Dạng 2026-2027.")
    start_date = models.DateField("Ngày bắt đầu", help_text="Mặc định 01/9.")
    end_date = models.DateField("Ngày kết thúc", help_text="Mặc định 31/8 năm sau.")
    frozen = models.BooleanField(
        "Đã chốt",
        default=False,
        help_text="Bảng điểm đã chốt không thay đổi nữa; thay đổi sau đó vào danh sách điều chỉnh.",
    )
    frozen_at = models.DateTimeField("Thời điểm chốt", null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người chốt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "Năm học"
        verbose_name_plural = "Năm học"
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")),
                name="school_year_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Năm học {self.label}"

    def clean(self):
        super().clean()
        try:
            parse_year_label(self.label)
        except ValueError as exc:
            raise ValidationError({"label": str(exc)}) from exc
        if self.start_date and self.end_date:
            if self.end_date <= self.start_date:
                raise ValidationError({"end_date": "Ngày kết thúc phải sau ngày bắt đầu."})
            overlapping = SchoolYear.objects.filter(
                start_date__lte=self.end_date, end_date__gte=self.start_date
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(f"Thời gian trùng với năm học {overlapping.first().label}.")

    def contains(self, day: datetime.date) -> bool:
        return self.start_date <= day <= self.end_date


class Rubric(models.Model):
    """Points per content kind for one school year, set by the district."""

    school_year = models.OneToOneField(
        SchoolYear, verbose_name="Năm học", on_delete=models.CASCADE, related_name="rubric"
    )
    news_points = models.DecimalField("Điểm mỗi tin", max_digits=6, decimal_places=2, default=1)
    article_points = models.DecimalField(
        "Điểm mỗi bài viết", max_digits=6, decimal_places=2, default=2
    )
    document_points = models.DecimalField(
        "Điểm mỗi văn bản", max_digits=6, decimal_places=2, default=1
    )
    lecture_points = models.DecimalField(
        "Điểm mỗi bài giảng", max_digits=6, decimal_places=2, default=2
    )
    gallery_points = models.DecimalField(
        "Điểm mỗi album ảnh", max_digits=6, decimal_places=2, default=1
    )
    good_post_points = models.DecimalField(
        "Điểm cộng “bài hay”",
        max_digits=6,
        decimal_places=2,
        default=1,
        help_text="Ban quản trị đánh dấu “bài hay” khi duyệt; 0 để không dùng.",
    )
    # An empty post (or one with a word or two) must not earn: that was a way to inflate the
    # sheet by publishing shells. Albums, documents and lectures with images or files attached
    # are not empty whatever their text.
    min_body_chars = models.PositiveSmallIntegerField(
        "Số ký tự nội dung tối thiểu",
        default=50,
        help_text="Bài có nội dung ngắn hơn số ký tự này (không tính định dạng, khoảng trắng) "
        "không được tính điểm; album ảnh, văn bản, bài giảng có ảnh hoặc tệp đính kèm thì "
        "không xét. 0 để không kiểm tra.",
    )

    class Meta:
        verbose_name = "Thang điểm"
        verbose_name_plural = "Thang điểm"

    def __str__(self) -> str:
        return f"Thang điểm {self.school_year.label}"

    def points_for(self, content_kind: str) -> Decimal:
        return getattr(self, f"{content_kind}_points", Decimal(0))
