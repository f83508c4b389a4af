"""News items and articles (tin, bài)."""

from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import StreamField
from wagtail.search import index

from home.blocks import BodyBlock
from home.models import BasePage
from school_site.models.content import ContentPage


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
            # A school home's newest announcements: walked newest first among announcements
            # only, instead of a scan of every news page of the district when announcements
            # are few (school_site.models.sections.SchoolHomePage.news_and_announcements).
            models.Index(
                fields=["category", "-date", "-page_ptr"], name="news_category_newest_idx"
            ),
        ]

    @property
    def content_kind(self) -> str:  # type: ignore[override]
        return "article" if self.category == self.Category.ARTICLE else "news"

    def get_search_text_parts(self) -> list[str]:
        return super().get_search_text_parts() + [
            str(self.body.render_as_block()) if self.body else ""
        ]
