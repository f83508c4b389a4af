"""Content pages: what teachers, staff and organisations write and the board reviews."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from home.blocks import BodyBlock
from home.images import LIGHTBOX_SPEC, prefetch_renditions, stream_images
from home.models import BasePage
from home.text import display_name, join_name
from school_site.forms import ContentPageForm


def today() -> datetime.date:
    return timezone.localdate()


class ContentPage(BasePage):
    """Abstract base of every page that earns emulation credit.

    `author` and `contributor_group` are the credit fields: scoring reads them, never the page
    owner or whoever pressed publish (DESIGN decision 3).
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Tác giả",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Người viết bài, được tính điểm thi đua. Mặc định là người tạo bài; "
        "chỉ Ban quản trị được đổi.",
    )
    contributor_group = models.ForeignKey(
        "school_site.ContributorGroup",
        verbose_name="Tổ chức / tổ chuyên môn",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Tổ chức được ghi công cho bài này (tác giả phải là thành viên).",
    )
    # Who last set `author` or `contributor_group` (the creator, at first). Not editable: the
    # editor form sets it whenever either field changes. It is part of the page's content, so
    # each revision remembers it, and the two-person rule reads it from the revision that goes
    # live: whoever chose the credit may not be the one who approves it.
    credit_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người đặt ghi công",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Người đã đặt tác giả hoặc tổ chức của bài lần gần nhất.",
    )
    date = models.DateField("Ngày đăng", default=today, help_text="Ngày hiển thị trên bài.")
    intro = models.TextField(
        "Tóm tắt",
        blank=True,
        help_text="Một hai câu giới thiệu, hiện trong danh sách bài.",
    )
    feed_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="Ảnh đại diện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Ảnh hiện trong danh sách bài và khi chia sẻ.",
    )

    credit_panels = [
        MultiFieldPanel(
            [FieldPanel("author"), FieldPanel("contributor_group")],
            heading="Ghi công (tính điểm thi đua)",
        )
    ]
    base_form_class = ContentPageForm
    # Which rubric line a page counts under in scoring; page types override.
    content_kind = "news"

    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.FilterField("date"),
    ]

    class Meta:
        abstract = True

    def get_search_text_parts(self) -> list[str]:
        return super().get_search_text_parts() + [self.intro or ""]

    def permissions_for_user(self, user):
        # Wagtail casts plain Page objects to this class before asking, so every route that
        # publishes (editor, bulk actions, admin API, copy, revert) gets the two-person rule.
        from school_site.permissions import ContentPagePermissionTester

        return ContentPagePermissionTester(user, self)

    def get_school(self):
        from district_site.selectors import school_for_page

        return school_for_page(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["credits"] = self.get_credits(preview=getattr(request, "is_preview", False))
        # The body's pictures (image blocks): their renditions in one query.
        prefetch_renditions(stream_images(getattr(self, "body", None)), "article")
        return context

    def get_credits(self, *, preview: bool = False) -> dict[str, str]:
        """Author's and group's names for the byline, both in one query (none if unset)."""
        if not (self.author_id or self.contributor_group_id):
            return {}
        if preview or not self.pk:
            # A preview shows the edited values, which the database does not hold yet.
            author = self.author
            return {
                "author": display_name(author) if author else "",
                "group": self.contributor_group.name if self.contributor_group else "",
            }
        row = (
            type(self)
            .objects.filter(pk=self.pk)
            .values(
                "author__first_name",
                "author__last_name",
                "author__username",
                "contributor_group__name",
            )
            .first()
        ) or {}
        # Vietnamese names read family name first: "Nguyễn Văn An".
        author = join_name(row.get("author__first_name"), row.get("author__last_name"))
        return {
            "author": author or (row.get("author__username") or ""),
            "group": row.get("contributor_group__name") or "",
        }

    def clean(self):
        super().clean()
        from school_site.services import validate_credit_fields

        validate_credit_fields(self)


class NewsPage(ContentPage):
    """Tin, bài: news items and articles."""

    class Category(models.TextChoices):
        SCHOOL_NEWS = "school_news", "Tin hoạt động nhà trường"
        SECTOR_NEWS = "sector_news", "Tin ngành giáo dục"
        ANNOUNCEMENT = "announcement", "Thông báo"
        CURRENT_AFFAIRS = "current_affairs", "Thời sự – Chính trị – Xã hội"
        ARTICLE = "article", "Bài viết, chuyên đề"

    category = models.CharField(
        "Chuyên mục",
        max_length=30,
        choices=Category.choices,
        default=Category.SCHOOL_NEWS,
        help_text="Chọn “Bài viết” cho bài viết, chuyên đề; các mục khác là tin.",
    )
    body = StreamField(
        BodyBlock(),
        verbose_name="Nội dung",
        blank=True,
        help_text="Nội dung bài: thêm đoạn văn, ảnh, video, bảng bằng nút “+”.",
    )

    content_panels = (
        BasePage.content_panels
        + [
            FieldRowPanel([FieldPanel("category"), FieldPanel("date")]),
            FieldPanel("intro"),
            FieldPanel("feed_image"),
            FieldPanel("body"),
        ]
        + ContentPage.credit_panels
    )

    search_fields = ContentPage.search_fields + [
        index.SearchField("body"),
        index.FilterField("category"),
    ]

    parent_page_types = ["school_site.NewsIndexPage"]
    subpage_types: list[str] = []
    template = "pages/news_page.html"

    class Meta:
        verbose_name = "Tin, bài"
        verbose_name_plural = "Tin, bài"
        indexes = [
            # The newest news first, across every school: the portal's home and RSS walk this
            # index and stop at their LIMIT instead of sorting every news page (see
            # district_site.selectors.UnderSiteRoot and docs/search-indexing.md).
            models.Index(fields=["-date", "-page_ptr"], name="news_newest_first_idx"),
        ]

    @property
    def content_kind(self) -> str:  # type: ignore[override]
        return "article" if self.category == self.Category.ARTICLE else "news"

    def get_search_text_parts(self) -> list[str]:
        return super().get_search_text_parts() + [
            str(self.body.render_as_block()) if self.body else ""
        ]


class OfficialDocumentPage(ContentPage):
    """Văn bản: an official document with its number, date, signer and files."""

    class Kind(models.TextChoices):
        DISPATCH = "dispatch", "Công văn"
        DECISION = "decision", "Quyết định"
        PLAN = "plan", "Kế hoạch"
        NOTICE = "notice", "Thông báo"
        REPORT = "report", "Báo cáo"
        REGULATION = "regulation", "Quy chế, quy định"
        OTHER = "other", "Văn bản khác"

    number = models.CharField(
        "Số hiệu", max_length=100, blank=True, help_text="Ví dụ: 531/PGDĐT-VP."
    )
    issue_date = models.DateField(
        "Ngày ban hành", default=today, help_text="Ngày ký ban hành ghi trên văn bản."
    )
    issuing_body = models.CharField(
        "Cơ quan ban hành",
        max_length=255,
        blank=True,
        help_text="Ví dụ: Phòng GD&ĐT Tam Nông.",
    )
    signer = models.CharField(
        "Người ký",
        max_length=255,
        blank=True,
        help_text="Họ tên và chức vụ người ký, ví dụ: Hiệu trưởng Nguyễn Văn An.",
    )
    document_kind = models.CharField(
        "Loại văn bản",
        max_length=20,
        choices=Kind.choices,
        default=Kind.DISPATCH,
        help_text="Dùng để lọc văn bản trên trang web.",
    )
    summary = RichTextField(
        "Trích yếu",
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="Nội dung tóm tắt của văn bản, chép theo phần trích yếu.",
    )

    content_panels = (
        BasePage.content_panels
        + [
            FieldRowPanel([FieldPanel("number"), FieldPanel("document_kind")]),
            FieldRowPanel([FieldPanel("issue_date"), FieldPanel("date")]),
            FieldRowPanel([FieldPanel("issuing_body"), FieldPanel("signer")]),
            FieldPanel("intro"),
            FieldPanel("summary"),
            InlinePanel("attachments", label="Tệp đính kèm", min_num=0),
        ]
        + ContentPage.credit_panels
    )

    search_fields = ContentPage.search_fields + [
        index.SearchField("number"),
        index.SearchField("summary"),
        index.SearchField("signer"),
        index.FilterField("document_kind"),
        index.FilterField("issue_date"),
    ]

    parent_page_types = ["school_site.DocumentIndexPage"]
    subpage_types: list[str] = []
    content_kind = "document"
    template = "pages/official_document_page.html"

    class Meta:
        verbose_name = "Văn bản"
        verbose_name_plural = "Văn bản"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["attachments"] = list(self.attachments.select_related("document"))
        return context

    def get_search_text_parts(self) -> list[str]:
        return super().get_search_text_parts() + [
            self.number,
            self.issuing_body,
            self.signer,
            self.summary,
        ]


class AttachmentBase(Orderable):
    """A file attached to a document or lecture page; subclasses add the page link."""

    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="Tệp",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Chọn tệp đã tải lên hoặc tải tệp mới (PDF, Word, Excel, PowerPoint…).",
    )
    title = models.CharField(
        "Tên hiển thị",
        max_length=255,
        blank=True,
        help_text="Tên tệp hiện cho người đọc; để trống để dùng tên của tệp.",
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        abstract = True


class OfficialDocumentAttachment(AttachmentBase):
    page = ParentalKey(OfficialDocumentPage, on_delete=models.CASCADE, related_name="attachments")


class LecturePage(ContentPage):
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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["attachments"] = list(self.attachments.select_related("document"))
        return context

    def get_search_text_parts(self) -> list[str]:
        return super().get_search_text_parts() + [
            self.get_subject_display(),
            str(self.body.render_as_block()) if self.body else "",
        ]


class LectureAttachment(AttachmentBase):
    page = ParentalKey(LecturePage, on_delete=models.CASCADE, related_name="attachments")


class GalleryPage(ContentPage):
    """Album ảnh."""

    content_panels = (
        BasePage.content_panels
        + [
            FieldPanel("date"),
            FieldPanel("intro"),
            FieldPanel("feed_image"),
            InlinePanel("images", label="Ảnh", min_num=1),
        ]
        + ContentPage.credit_panels
    )

    parent_page_types = ["school_site.GalleryIndexPage"]
    subpage_types: list[str] = []
    content_kind = "gallery"
    template = "pages/gallery_page.html"

    class Meta:
        verbose_name = "Album ảnh"
        verbose_name_plural = "Album ảnh"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["photos"] = list(self.images.select_related("image"))
        # Thumbnails and the lightbox's large pictures of every photo, in one query.
        prefetch_renditions(
            [photo.image for photo in context["photos"]], "thumb", extra=[LIGHTBOX_SPEC]
        )
        return context


class GalleryImage(Orderable):
    page = ParentalKey(GalleryPage, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="Ảnh",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Chọn ảnh đã tải lên hoặc tải ảnh mới từ máy.",
    )
    caption = models.CharField(
        "Chú thích",
        max_length=255,
        blank=True,
        help_text="Một câu mô tả ảnh, hiện dưới ảnh.",
    )

    panels = [FieldPanel("image"), FieldPanel("caption")]
