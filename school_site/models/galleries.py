"""Photo albums (album ảnh) and their photos."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from home.images import LIGHTBOX_SPEC, prefetch_renditions
from home.models import BasePage
from school_site.models.content import ContentPage


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
