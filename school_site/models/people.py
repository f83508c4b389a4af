from django.conf import settings
from django.db import models


class StaffProfile(models.Model):
    """A person's position (chức vụ) at one school, as the principal recorded it.

    One row per (user, school) rather than one per user: a teacher who works at two schools
    can hold a different position at each, and each school's principal edits only their own.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người dùng",
        on_delete=models.CASCADE,
        related_name="staff_profiles",
    )
    school = models.ForeignKey(
        "district_site.School",
        verbose_name="Trường",
        on_delete=models.CASCADE,
        related_name="staff_profiles",
    )
    position = models.CharField(
        "Chức vụ", max_length=150, blank=True, help_text="Ví dụ: Giáo viên, Kế toán, Tổ trưởng."
    )
    # Read by scoring's honour board page (public): a person may ask not to be named there.
    hide_on_honour_board = models.BooleanField(
        "Không hiện tên trên bảng vinh danh",
        default=False,
        help_text="Tên người này không hiện trên trang vinh danh công khai của trường và Phòng.",
    )

    class Meta:
        verbose_name = "Hồ sơ cán bộ, giáo viên, nhân viên"
        verbose_name_plural = "Hồ sơ cán bộ, giáo viên, nhân viên"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school"], name="unique_staff_profile_per_school"
            )
        ]

    def __str__(self) -> str:
        return self.position
