"""A school's fixed pages: about (Giới thiệu), the board, the staff and the contact page.

Provisioning creates one of each; only their text and people change. The sections that list
content (news, documents, lectures, albums) are in `school_site.models.sections`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from district_site.admin_forms import OwnSchoolUsersPageForm
from home.blocks import BodyBlock
from home.images import prefetch_renditions, stream_images
from home.models import BasePage
from home.visibility import live_public


class AboutPage(BasePage):
    """Giới thiệu: the school's story, with the board and staff pages under it."""

    # Shows in the site's menu (home.templatetags.site_tags).
    always_in_menu = True

    body = StreamField(
        BodyBlock(),
        verbose_name="Nội dung",
        blank=True,
        help_text="Lịch sử, sứ mệnh, thành tích của trường: thêm đoạn văn, ảnh, video bằng nút “+”.",
    )

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    parent_page_types = ["school_site.SchoolHomePage"]
    subpage_types = ["school_site.BoardPage", "school_site.StaffPage"]
    max_count_per_parent = 1
    template = "pages/about_page.html"

    class Meta:
        verbose_name = "Giới thiệu"
        verbose_name_plural = "Giới thiệu"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subpages"] = list(
            live_public(Page.objects.child_of(self)).order_by("path").only("title", "url_path")
        )
        prefetch_renditions(stream_images(self.body), "article")
        return context


class BoardPage(BasePage):
    """Ban quản trị: the members with their duties, and the site's operating regulations."""

    # Shows in the site's menu (home.templatetags.site_tags).
    always_in_menu = True

    intro = RichTextField(
        "Lời giới thiệu",
        blank=True,
        features=["bold", "italic", "link"],
        help_text="Vài câu giới thiệu Ban quản trị, hiện trên danh sách thành viên.",
    )
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
    # The members' "Tài khoản" select offers the editing user's own school's people only.
    base_form_class = OwnSchoolUsersPageForm

    template = "pages/board_page.html"

    class Meta:
        verbose_name = "Ban quản trị"
        verbose_name_plural = "Ban quản trị"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["board_members"] = list(self.members.all())
        return context


class BoardMember(Orderable):
    page = ParentalKey(BoardPage, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(
        "Họ và tên", max_length=255, help_text="Họ tên đầy đủ, ví dụ: Nguyễn Thị Lan."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Tài khoản",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Tài khoản quản trị của thành viên này, nếu có; có thể để trống.",
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

    # Shows in the site's menu (home.templatetags.site_tags).
    always_in_menu = True

    intro = RichTextField(
        "Lời giới thiệu",
        blank=True,
        features=["bold", "italic", "link"],
        help_text="Vài câu giới thiệu đội ngũ cán bộ, giáo viên, nhân viên của trường.",
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        InlinePanel("staff", label="Cán bộ, giáo viên, nhân viên"),
    ]
    parent_page_types = ["school_site.AboutPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    template = "pages/staff_page.html"

    class Meta:
        verbose_name = "Đội ngũ"
        verbose_name_plural = "Đội ngũ"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["staff_members"] = list(self.staff.select_related("photo"))
        prefetch_renditions([person.photo for person in context["staff_members"]], "portrait")
        return context


class StaffMember(Orderable):
    page = ParentalKey(StaffPage, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(
        "Họ và tên", max_length=255, help_text="Họ tên đầy đủ, ví dụ: Trần Văn Minh."
    )
    position = models.CharField(
        "Chức vụ",
        max_length=255,
        blank=True,
        help_text="Chức vụ hoặc môn dạy, ví dụ: Giáo viên Toán, Tổ trưởng tổ 1.",
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="Ảnh",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Ảnh chân dung, nên là ảnh đứng, rõ mặt.",
    )

    panels = [FieldPanel("name"), FieldPanel("position"), FieldPanel("photo")]


class ContactPage(BasePage):
    """Liên hệ: address and phone come from the site's branding; free text and a map here."""

    # Shows in the site's menu (home.templatetags.site_tags).
    always_in_menu = True

    body = StreamField(
        BodyBlock(),
        verbose_name="Nội dung",
        blank=True,
        help_text="Lời mời liên hệ, giờ làm việc…; địa chỉ và điện thoại lấy từ phần cài đặt trang web.",
    )
    map_url = models.URLField("Bản đồ", blank=True, help_text="Đường dẫn Google Maps của trường.")

    content_panels = BasePage.content_panels + [
        FieldPanel("body"),
        FieldPanel("map_url"),
    ]
    parent_page_types = ["school_site.SchoolHomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "pages/contact_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The page's card shows the address, phone and e-mail; the footer would repeat them.
        context["hide_footer_contact"] = True
        return context

    class Meta:
        verbose_name = "Liên hệ"
        verbose_name_plural = "Liên hệ"
