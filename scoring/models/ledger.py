"""The append-only credit ledger and the first-publication check that guards it.

See the package docstring (`scoring.models`) for why the sheet is a GROUP BY over these rows.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from scoring.models.years import ContentKind, SchoolYear


class CreditEventQuerySet(models.QuerySet):
    """Bulk update and delete would bypass the model's guards; the ledger refuses both."""

    def update(self, **kwargs):
        raise PermissionError("Sổ ghi điểm chỉ được ghi thêm, không được sửa.")

    def delete(self):
        raise PermissionError("Sổ ghi điểm chỉ được ghi thêm, không được xoá.")

    def bulk_create(self, objs, *args, **kwargs):
        """Conflict handling is refused: the ledger has no key to conflict on, and the rows are
        never rewritten. (The sheet totals follow every insert through the ledger's trigger,
        scoring.models.totals.)"""
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise PermissionError("Sổ ghi điểm chỉ được ghi thêm, không được sửa.")
        return super().bulk_create(objs, *args, **kwargs)


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
        # No index of its own: every read by school also names the year, and is served by
        # `scoring_event_school_sheet`. A school-only index let the planner fetch a school's
        # rows from the heap, one page each, instead of reading them from the covering index.
        db_index=False,
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
    # No index of its own: every read of the ledger names the year, and a range of time is
    # served by `scoring_event_dated_sheet` (year, after_freeze, created_at, ...). With both,
    # PostgreSQL took this smaller index for the dated sheet's edges and fetched every row
    # from the heap instead of reading them from the covering index.
    created_at = models.DateTimeField("Thời điểm")
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
            # One school's sheet, its monthly chart and its date-bounded sheets: the year and
            # the school first, then every column they filter, group or add up, so PostgreSQL
            # answers them from the index alone (an index-only scan of the school's rows; the
            # ledger is append-only, so autovacuum keeps the visibility map set). Without the
            # extra columns each of the school's rows cost one heap page, the rows of a school
            # being spread over the whole table between every other school's, and the planner
            # read the whole ledger instead. It replaces `scoring_event_year_school`, its prefix.
            models.Index(
                fields=[
                    "school_year",
                    "school",
                    "after_freeze",
                    "created_at",
                    "author",
                    "contributor_group",
                    "content_kind",
                    "pages",
                    "points",
                    "bonus_points",
                ],
                name="scoring_event_school_sheet",
            ),
            # The district's sheet between two dates reads the whole months from the totals
            # and only the partial months at either end from here: a range of `created_at`
            # over every school. The year and `after_freeze` first (equalities), then the
            # time (the range), then what the sheet groups and adds up, so each edge is one
            # index-only range scan of the days it covers, whatever the rest of the year holds.
            models.Index(
                fields=[
                    "school_year",
                    "after_freeze",
                    "created_at",
                    "school",
                    "author",
                    "contributor_group",
                    "content_kind",
                    "pages",
                    "points",
                    "bonus_points",
                ],
                name="scoring_event_dated_sheet",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.page_title or self.reason[:40]}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Sổ ghi điểm chỉ được ghi thêm, không được sửa.")
        # The district's sheet totals follow in the INSERT itself (the ledger's trigger).
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
