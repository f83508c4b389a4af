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


class PersonSearchName(models.Model):
    """A person's name, user name and e-mail folded to lower-case ASCII, for the people screens'
    accent-insensitive search ("nguyen" finds "Nguyễn", "d" finds "Đ").

    A stored column rather than a fold at query time: SQLite has no `unaccent`, and folding in
    Python would read every person of every school for the district's screen. One row per
    user, kept by a `post_save` receiver on the user model (`school_site.signals`); the
    migration that adds the table fills it for the existing users. `NULL`-free: a user with no
    row is simply not found by a search (the listing without a search still shows them).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_name",
        verbose_name="Người dùng",
    )
    folded = models.CharField("Tên không dấu", max_length=800)

    class Meta:
        verbose_name = "Tên tìm kiếm"
        verbose_name_plural = "Tên tìm kiếm"

    def __str__(self) -> str:
        return self.folded
