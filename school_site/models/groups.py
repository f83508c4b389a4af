from django.conf import settings
from django.db import models


class ContributorGroup(models.Model):
    """An organisation inside one school that is credited for posts (Công đoàn, Đoàn – Đội, Tổ…)."""

    class Kind(models.TextChoices):
        TRADE_UNION = "trade_union", "Công đoàn"
        YOUTH_UNION = "youth_union", "Đoàn – Đội"
        PROFESSIONAL = "professional", "Tổ chuyên môn"
        OTHER = "other", "Khác"

    school = models.ForeignKey(
        "district_site.School",
        verbose_name="Trường",
        on_delete=models.CASCADE,
        related_name="contributor_groups",
    )
    name = models.CharField("Tên", max_length=150, help_text="Ví dụ: Tổ Toán, Công đoàn trường.")
    kind = models.CharField("Loại", max_length=20, choices=Kind.choices, default=Kind.PROFESSIONAL)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="Thành viên",
        blank=True,
        related_name="contributor_groups",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Trưởng nhóm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_contributor_groups",
    )

    class Meta:
        verbose_name = "Tổ chức, tổ chuyên môn"
        verbose_name_plural = "Tổ chức, tổ chuyên môn"
        ordering = ["school", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_group_name_per_school")
        ]

    def __str__(self) -> str:
        return self.name
