"""School years, the rubric, and the append-only ledger the emulation score sheet is built from.

The sheet is never stored as counters that get incremented: every change to anyone's credit is a
new `CreditEvent` row, and a sheet is a `GROUP BY` over those rows. That makes it reproducible
(the ledger is the whole story: who, when, why) and hard to game (nothing can be edited away).
"""

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


class CreditEventQuerySet(models.QuerySet):
    """Bulk update and delete would bypass the model's guards; the ledger refuses both."""

    def update(self, **kwargs):
        raise PermissionError("Sổ ghi điểm chỉ được ghi thêm, không được sửa.")

    def delete(self):
        raise PermissionError("Sổ ghi điểm chỉ được ghi thêm, không được xoá.")


class CreditEvent(models.Model):
    """One append-only line of the credit ledger.

    `pages`, `points` and `bonus_points` are deltas: an earning row is +1 page and the rubric's
    points, a withdrawal the exact negation of what the page still holds, a move a negation for
    the old author/group plus the same amounts for the new one. Any sheet is their sum.

    The people, the group and the school are plain ids without database constraints (the same
    choice Wagtail makes for its audit log): deleting a user or a group must neither cascade into
    nor rewrite the ledger, which a trigger forbids anyway.
    """

    class Kind(models.TextChoices):
        EARNED = "earned", "Được tính điểm"
        WITHDRAWN = "withdrawn", "Rút điểm"
        # A withdrawn page live again (approved by a second person): what it held when it was
        # withdrawn comes back, in the year and school that earned it (services.restore_credit).
        RESTORED = "restored", "Khôi phục điểm"
        MOVED = "moved", "Chuyển điểm"
        ADJUSTED = "adjusted", "Điều chỉnh"
        BONUS = "bonus", "Điểm cộng"

    kind = models.CharField("Loại", max_length=12, choices=Kind.choices)
    school_year = models.ForeignKey(
        SchoolYear, verbose_name="Năm học", on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        "district_site.School",
        verbose_name="Trường",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    page_id = models.IntegerField("Mã trang", null=True, blank=True, db_index=True)
    page_title = models.CharField("Tiêu đề", max_length=255, blank=True)
    content_kind = models.CharField(
        "Loại bài", max_length=12, choices=ContentKind.choices, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Tác giả",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    contributor_group = models.ForeignKey(
        "school_site.ContributorGroup",
        verbose_name="Tổ chức",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    pages = models.SmallIntegerField("Số bài (±)", default=0)
    points = models.DecimalField("Điểm (±)", max_digits=8, decimal_places=2, default=0)
    bonus_points = models.DecimalField("Điểm cộng (±)", max_digits=8, decimal_places=2, default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người thực hiện",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    created_at = models.DateTimeField("Thời điểm", db_index=True)
    reason = models.TextField("Lý do", blank=True)
    # Events for a year that is already frozen form its adjustments list: they are kept in the
    # ledger but left out of that year's sheet, which stays as it was when frozen.
    after_freeze = models.BooleanField("Sau khi chốt", default=False)

    objects = CreditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "Sự kiện tính điểm"
        verbose_name_plural = "Sổ ghi điểm"
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["school_year", "school"], name="scoring_event_year_school"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.page_title or self.reason[:40]}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Sổ ghi điểm chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Sổ ghi điểm chỉ được ghi thêm, không được xoá.")

    @property
    def total(self) -> Decimal:
        return self.points + self.bonus_points


class PublicationCheck(models.Model):
    """What scoring decided at a page's first publication; one row per page.

    It makes "earns once" hold even when the ledger for the page nets to zero again (after a
    withdrawal), and it is where duplicates and self-approvals are flagged for the board. Its
    outcome is written once; two things are kept current afterwards: `text_hash`, the
    fingerprint of the page's live text (refreshed at every publication of a credited page, so
    a copy of its current text is caught), and the `pending_change_*` fields, set while a
    changed author or group was published without a second person and the credit stays put.
    """

    class Outcome(models.TextChoices):
        EARNED = "earned", "Được tính điểm"
        SELF_APPROVED = "self_approved", "Tự duyệt bài của mình"
        SUBMITTER = "submitter", "Người duyệt cũng là người gửi duyệt bài"
        CREDIT_SETTER = "credit_setter", "Người duyệt cũng là người đặt tác giả, tổ chức của bài"
        NOT_BOARD = "not_board", "Người xuất bản không thuộc Ban quản trị của trường"
        ALIAS = "alias", "Trang bí danh (alias)"
        DUPLICATE = "duplicate", "Trùng nội dung với bài đã được tính điểm"
        TOO_SHORT = "too_short", "Bài không có nội dung (ngắn hơn mức tối thiểu của thang điểm)"
        NO_SCHOOL = "no_school", "Không thuộc trường nào"
        PUBLISHED_BEFORE = "published_before", "Đã xuất bản trước khi có bảng điểm"

    page_id = models.IntegerField("Mã trang", unique=True)
    page_title = models.CharField("Tiêu đề", max_length=255, blank=True)
    school = models.ForeignKey(
        "district_site.School",
        verbose_name="Trường",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    publisher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người xuất bản",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Tác giả",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    checked_at = models.DateTimeField("Thời điểm")
    outcome = models.CharField("Kết quả", max_length=20, choices=Outcome.choices)
    text_hash = models.CharField("Dấu vân nội dung", max_length=64, blank=True, db_index=True)
    duplicate_of_page_id = models.IntegerField("Trùng với trang", null=True, blank=True)
    # A changed author or group that went live without a second person: the credit stays with
    # the names in the ledger, and the board sees why until another board member publishes it.
    pending_change = models.CharField(
        "Đổi ghi công chưa được duyệt",
        max_length=20,
        choices=Outcome.choices,
        blank=True,
        help_text="Lý do việc đổi tác giả, tổ chức chưa được tính: điểm vẫn giữ nguyên cho "
        "tác giả, tổ chức cũ đến khi một thành viên khác của Ban quản trị xuất bản.",
    )
    pending_change_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người xuất bản thay đổi",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    pending_change_at = models.DateTimeField("Thời điểm thay đổi", null=True, blank=True)

    class Meta:
        verbose_name = "Kiểm tra lần xuất bản đầu"
        verbose_name_plural = "Kiểm tra lần xuất bản đầu"

    def __str__(self) -> str:
        return f"{self.page_title}: {self.get_outcome_display()}"

    @property
    def flagged(self) -> bool:
        return self.outcome == self.Outcome.DUPLICATE or bool(self.pending_change)


class GoodPostMark(models.Model):
    """A board member's "bài hay" mark, given at approval; worth the rubric's extra points."""

    page_id = models.IntegerField("Mã trang", unique=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người đánh dấu",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField("Thời điểm")

    class Meta:
        verbose_name = "Bài hay"
        verbose_name_plural = "Bài hay"

    def __str__(self) -> str:
        return f"Bài hay #{self.page_id}"


class BonusAward(models.Model):
    """District bonus points for a school; its points live in the ledger (`event`)."""

    class Criterion(models.TextChoices):
        MANY_POSTS = "many_posts", "Đăng nhiều tin, bài"
        GOOD_CONTENT = "good_content", "Nội dung hay, phong phú"
        REGULAR = "regular", "Cập nhật thường xuyên"
        OTHER = "other", "Khác"

    school_year = models.ForeignKey(
        SchoolYear, verbose_name="Năm học", on_delete=models.PROTECT, related_name="bonuses"
    )
    school = models.ForeignKey(
        "district_site.School",
        verbose_name="Trường",
        on_delete=models.PROTECT,
        related_name="scoring_bonuses",
    )
    points = models.DecimalField("Điểm cộng", max_digits=6, decimal_places=2)
    criterion = models.CharField(
        "Tiêu chí", max_length=20, choices=Criterion.choices, default=Criterion.MANY_POSTS
    )
    reason = models.TextField("Lý do")
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người cộng điểm",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    awarded_at = models.DateTimeField("Thời điểm")
    event = models.OneToOneField(
        CreditEvent, verbose_name="Dòng sổ ghi điểm", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "Điểm cộng của Phòng"
        verbose_name_plural = "Điểm cộng của Phòng"
        ordering = ["-awarded_at"]

    def __str__(self) -> str:
        return f"+{self.points} – {self.school}"


class FrozenSheetRow(models.Model):
    """One row of a year's sheet as it stood when the district froze it."""

    class By(models.TextChoices):
        SCHOOL = "school", "Theo trường"
        AUTHOR = "author", "Theo tác giả"
        GROUP = "group", "Theo tổ chức"

    school_year = models.ForeignKey(
        SchoolYear, verbose_name="Năm học", on_delete=models.CASCADE, related_name="frozen_rows"
    )
    by = models.CharField("Bảng", max_length=10, choices=By.choices)
    school = models.ForeignKey(
        "district_site.School",
        verbose_name="Trường",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    school_name = models.CharField("Tên trường", max_length=120)
    hostname = models.CharField("Tên miền", max_length=255)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    author_username = models.CharField("Tài khoản", max_length=150, blank=True)
    author_name = models.CharField("Họ tên", max_length=300, blank=True)
    contributor_group = models.ForeignKey(
        "school_site.ContributorGroup",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    group_name = models.CharField("Tổ chức", max_length=150, blank=True)
    news = models.IntegerField(default=0)
    article = models.IntegerField(default=0)
    document = models.IntegerField(default=0)
    lecture = models.IntegerField(default=0)
    gallery = models.IntegerField(default=0)
    pages = models.IntegerField(default=0)
    points = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    bonus = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    total = models.DecimalField(max_digits=10, decimal_places=2, default=0)

    class Meta:
        verbose_name = "Dòng bảng điểm đã chốt"
        verbose_name_plural = "Bảng điểm đã chốt"
        ordering = ["school_year", "by", "pk"]

    def __str__(self) -> str:
        who = self.author_name or self.group_name or self.school_name
        return f"{self.school_year_id}/{self.by}: {who} – {self.total}"


# The honour board page type lives in its own module; importing it here registers the model.
from scoring.honour import HonourBoardPage  # noqa: E402, F401
