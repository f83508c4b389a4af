"""The school registry: each school of the district with its site, groups and collection.

The portal's own page type lives in `district_site.portal.models` (the layer above)."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from wagtail.contrib.settings.models import BaseGenericSetting
from wagtail.models import Collection, Site

# Name of the district admins' group, created by migration 0002.
DISTRICT_ADMINS_GROUP = "Phòng GD&ĐT – Quản trị"


class School(models.Model):
    """One school of the district, with its own Site, page tree, collection and groups."""

    class Kind(models.TextChoices):
        PRESCHOOL = "preschool", "Mầm non – Mẫu giáo"
        PRIMARY = "primary", "Tiểu học"
        LOWER_SECONDARY = "lower_secondary", "Trung học cơ sở"
        COMBINED = "combined", "Tiểu học và Trung học cơ sở"

    class Status(models.TextChoices):
        ACTIVE = "active", "Đang hoạt động"
        ARCHIVED = "archived", "Đã lưu trữ"

    name = models.CharField("Tên trường", max_length=120, unique=True)
    short_code = models.CharField("Mã trường", max_length=30, blank=True)
    kind = models.CharField("Cấp học", max_length=20, choices=Kind.choices)
    address = models.CharField("Địa chỉ", max_length=255, blank=True)
    site = models.OneToOneField(
        Site, verbose_name="Trang web", on_delete=models.PROTECT, related_name="school"
    )
    board_group = models.OneToOneField(
        Group,
        verbose_name="Nhóm Ban quản trị",
        on_delete=models.PROTECT,
        related_name="board_of",
    )
    editors_group = models.OneToOneField(
        Group,
        verbose_name="Nhóm giáo viên, nhân viên",
        on_delete=models.PROTECT,
        related_name="editors_of",
    )
    collection = models.OneToOneField(
        Collection,
        verbose_name="Thư mục ảnh, tệp",
        on_delete=models.PROTECT,
        related_name="school",
    )
    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Hiệu trưởng",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="principal_of",
        help_text="Thành viên Ban quản trị quản lý người dùng, tổ chức và bảng điểm của trường.",
    )
    leader_review = models.BooleanField(
        "Tổ trưởng duyệt trước",
        default=False,
        help_text="Bật: bài ghi công cho một tổ chức có trưởng nhóm được trưởng nhóm duyệt trước, "
        "rồi mới đến Ban quản trị. Bài không ghi công tổ chức, hoặc do chính trưởng nhóm viết, "
        "gửi thẳng Ban quản trị.",
    )
    status = models.CharField(
        "Trạng thái",
        max_length=10,
        choices=Status.choices,
        default=Status.ACTIVE,
        db_index=True,
    )
    created_at = models.DateTimeField("Ngày tạo", auto_now_add=True)
    updated_at = models.DateTimeField("Cập nhật", auto_now=True)
    archived_at = models.DateTimeField("Ngày lưu trữ", null=True, blank=True)

    class Meta:
        verbose_name = "Trường học"
        verbose_name_plural = "Trường học"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def hostname(self) -> str:
        return self.site.hostname

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def url(self) -> str:
        return self.site.root_url + "/"


class DistrictReviewSettings(BaseGenericSetting):
    """The district's one set of review settings, edited by district admins on the wait screen
    (`district_site/review_waits.py`). Not registered with Wagtail's settings menu: that screen
    is on the district admins' own page and checks their role, not a model permission."""

    review_reminder_days = models.PositiveSmallIntegerField(
        "Nhắc người duyệt sau (ngày)",
        null=True,
        blank=True,
        help_text="Bài chờ duyệt quá số ngày này thì người đang phải duyệt nhận thư nhắc mỗi "
        "ngày: trưởng nhóm ở bước 1 (nếu trường bật bước này), Ban quản trị của trường ở bước "
        "duyệt đăng. Để trống: dùng mặc định của hệ thống (REVIEW_REMINDER_DAYS, thường là 3).",
    )

    class Meta:
        verbose_name = "Cài đặt duyệt bài của Phòng"
        verbose_name_plural = "Cài đặt duyệt bài của Phòng"
