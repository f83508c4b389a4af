"""The base of content pages: what teachers, staff and organisations write and the board reviews.

`ContentPage` holds the credit fields every credited page type shares, `AttachmentBase` a file
attached to one, `WithAttachments` lists a page's files for its template. The page types are in
sibling modules: `news.py`, `documents.py`, `lectures.py`, `galleries.py`. `today` stays here:
migrations name it as a field default.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from home.images import prefetch_renditions, stream_images
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


class WithAttachments:
    """Mixin for a page type with an `attachments` inline of `AttachmentBase` rows (documents,
    lectures): its template lists them, each with its file, in one query."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["attachments"] = list(self.attachments.select_related("document"))
        return context


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
