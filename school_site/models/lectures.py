"""Lectures and teaching materials (bài giảng) and their files."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.search import index

from home.blocks import BodyBlock
from home.models import BasePage
from school_site.models.content import AttachmentBase, ContentPage, WithAttachments


class LecturePage(WithAttachments, ContentPage):
    """Bài giảng: a lecture or teaching material."""

    class Subject(models.TextChoices):
        VIETNAMESE = "vietnamese", "Tiếng Việt"
        LITERATURE = "literature", "Ngữ văn"
        MATHS = "maths", "Toán"
        ENGLISH = "english", "Tiếng Anh"
        NATURAL_SCIENCE = "natural_science", "Khoa học tự nhiên"
        HISTORY_GEOGRAPHY = "history_geography", "Lịch sử và Địa lí"
        CIVICS = "civics", "Giáo dục công dân"
        INFORMATICS = "informatics", "Tin học"
        TECHNOLOGY = "technology", "Công nghệ"
        ARTS = "arts", "Nghệ thuật (Âm nhạc, Mĩ thuật)"
        PHYSICAL = "physical", "Giáo dục thể chất"
        EXPERIENCE = "experience", "Hoạt động trải nghiệm"
        PRESCHOOL = "preschool", "Hoạt động mầm non"
        OTHER = "other", "Khác"

    class Grade(models.IntegerChoices):
        PRESCHOOL = 0, "Mầm non"
        GRADE_1 = 1, "Lớp 1"
        GRADE_2 = 2, "Lớp 2"
        GRADE_3 = 3, "Lớp 3"
        GRADE_4 = 4, "Lớp 4"
        GRADE_5 = 5, "Lớp 5"
        GRADE_6 = 6, "Lớp 6"
        GRADE_7 = 7, "Lớp 7"
        GRADE_8 = 8, "Lớp 8"
        GRADE_9 = 9, "Lớp 9"

    subject = models.CharField(
        "Môn học",
        max_length=30,
        choices=Subject.choices,
        default=Subject.MATHS,
        help_text="Môn học hoặc hoạt động của bài giảng, dùng để lọc trên trang web.",
    )
    grade = models.PositiveSmallIntegerField(
        "Khối lớp",
        choices=Grade.choices,
        default=Grade.GRADE_1,
        help_text="Khối lớp dạy bài này.",
    )
    video_url = models.URLField(
        "Video",
        blank=True,
        help_text="Đường dẫn video (YouTube…) để nhúng vào bài giảng.",
    )
    body = StreamField(
        BodyBlock(),
        verbose_name="Nội dung",
        blank=True,
        help_text="Nội dung bài giảng: thêm đoạn văn, ảnh, video, bảng bằng nút “+”.",
    )

    content_panels = (
        BasePage.content_panels
        + [
            FieldRowPanel([FieldPanel("subject"), FieldPanel("grade"), FieldPanel("date")]),
            FieldPanel("intro"),
            FieldPanel("video_url"),
            FieldPanel("body"),
            InlinePanel("attachments", label="Tệp bài giảng"),
        ]
        + ContentPage.credit_panels
    )

    search_fields = ContentPage.search_fields + [
        index.SearchField("body"),
        index.FilterField("subject"),
        index.FilterField("grade"),
    ]

    parent_page_types = ["school_site.LectureIndexPage"]
    subpage_types: list[str] = []
    content_kind = "lecture"
    template = "pages/lecture_page.html"

    class Meta:
        verbose_name = "Bài giảng"
        verbose_name_plural = "Bài giảng"

    def get_search_text_parts(self) -> list[str]:
        return super().get_search_text_parts() + [
            self.get_subject_display(),
            str(self.body.render_as_block()) if self.body else "",
        ]


class LectureAttachment(AttachmentBase):
    page = ParentalKey(LecturePage, on_delete=models.CASCADE, related_name="attachments")
