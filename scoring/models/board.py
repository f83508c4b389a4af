"""What the board and the district add on top of the ledger: good-post marks, bonuses, and
the frozen sheet."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from scoring.models.ledger import CreditEvent
from scoring.models.years import SchoolYear


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
