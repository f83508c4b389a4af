"""A school's home page and its standard sections (created by provisioning)."""

from django.conf import settings
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable

from home.blocks import BodyBlock
from home.models import BasePage


class SchoolHomePage(BasePage):
    """The root page of one school's site. Title = the school's name."""

    intro = RichTextField("Lời giới thiệu", blank=True, features=["bold", "italic", "link"])

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    # School homes sit directly under the tree root, one per Site.
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "school_site.NewsIndexPage",
        "school_site.DocumentIndexPage",
        "school_site.LectureIndexPage",
        "school_site.GalleryIndexPage",
        "school_site.AboutPage",
        "school_site.ContactPage",
    ]

    class Meta:
        verbose_name = "Trang chủ trường"
        verbose_name_plural = "Trang chủ trường"


class SectionIndexPage(BasePage):
    """Abstract listing page of one kind of content."""

    intro = RichTextField("Lời giới thiệu", blank=True, features=["bold", "italic", "link"])

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["school_site.SchoolHomePage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True


class NewsIndexPage(SectionIndexPage):
    # The district portal may carry its own news and documents sections too.
    parent_page_types = ["school_site.SchoolHomePage", "district_site.DistrictHomePage"]
    subpage_types = ["school_site.NewsPage"]

    class Meta:
        verbose_name = "Chuyên mục tin, bài"
        verbose_name_plural = "Chuyên mục tin, bài"


class DocumentIndexPage(SectionIndexPage):
    parent_page_types = ["school_site.SchoolHomePage", "district_site.DistrictHomePage"]
    subpage_types = ["school_site.OfficialDocumentPage"]

    class Meta:
        verbose_name = "Chuyên mục văn bản"
        verbose_name_plural = "Chuyên mục văn bản"


class LectureIndexPage(SectionIndexPage):
    subpage_types = ["school_site.LecturePage"]

    class Meta:
        verbose_name = "Chuyên mục bài giảng"
        verbose_name_plural = "Chuyên mục bài giảng"


class GalleryIndexPage(SectionIndexPage):
    subpage_types = ["school_site.GalleryPage"]

    class Meta:
        verbose_name = "Chuyên mục thư viện ảnh"
        verbose_name_plural = "Chuyên mục thư viện ảnh"


class AboutPage(BasePage):
    """Giới thiệu: the school's story, with the board and staff pages under it."""

    body = StreamField(BodyBlock(), verbose_name="Nội dung", blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    parent_page_types = ["school_site.SchoolHomePage"]
    subpage_types = ["school_site.BoardPage", "school_site.StaffPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "Giới thiệu"
        verbose_name_plural = "Giới thiệu"


class BoardPage(BasePage):
    """Ban quản trị: the members with their duties, and the site's operating regulations."""

    intro = RichTextField("Lời giới thiệu", blank=True, features=["bold", "italic", "link"])
    regulations = RichTextField(
        "Quy chế hoạt động",
        blank=True,
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link"],
        help_text="Quy chế hoạt động của trang thông tin điện tử nhà trường.",
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        InlinePanel("members", label="Thành viên Ban quản trị"),
        FieldPanel("regulations"),
    ]
    parent_page_types = ["school_site.AboutPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "Ban quản trị"
        verbose_name_plural = "Ban quản trị"


class BoardMember(Orderable):
    page = ParentalKey(BoardPage, on_delete=models.CASCADE, related_name="members")
    name = models.CharField("Họ và tên", max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Tài khoản",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.CharField(
        "Chức vụ", max_length=255, blank=True, help_text="Ví dụ: Hiệu trưởng."
    )
    duties = models.TextField(
        "Nhiệm vụ", blank=True, help_text="Nhiệm vụ được phân công trong Ban quản trị."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("position"),
        FieldPanel("duties"),
        FieldPanel("user"),
    ]


class StaffPage(BasePage):
    """Đội ngũ: teachers and staff."""

    intro = RichTextField("Lời giới thiệu", blank=True, features=["bold", "italic", "link"])

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        InlinePanel("staff", label="Cán bộ, giáo viên, nhân viên"),
    ]
    parent_page_types = ["school_site.AboutPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "Đội ngũ"
        verbose_name_plural = "Đội ngũ"


class StaffMember(Orderable):
    page = ParentalKey(StaffPage, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField("Họ và tên", max_length=255)
    position = models.CharField("Chức vụ", max_length=255, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="Ảnh",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("position"), FieldPanel("photo")]


class ContactPage(BasePage):
    """Liên hệ: address and phone come from the site's branding; free text and a map here."""

    body = StreamField(BodyBlock(), verbose_name="Nội dung", blank=True)
    map_url = models.URLField("Bản đồ", blank=True, help_text="Đường dẫn Google Maps của trường.")

    content_panels = BasePage.content_panels + [
        FieldPanel("body"),
        FieldPanel("map_url"),
    ]
    parent_page_types = ["school_site.SchoolHomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "Liên hệ"
        verbose_name_plural = "Liên hệ"
