"""Official documents (văn bản) and their files."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.search import index

from home.models import BasePage
from school_site.models.content import AttachmentBase, ContentPage, WithAttachments, today


class OfficialDocumentPage(WithAttachments, ContentPage):
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

    def get_search_text_parts(self) -> list[str]:
        return super().get_search_text_parts() + [
            self.number,
            self.issuing_body,
            self.signer,
            self.summary,
        ]


class OfficialDocumentAttachment(AttachmentBase):
    page = ParentalKey(OfficialDocumentPage, on_delete=models.CASCADE, related_name="attachments")
