"""The portal's page type: the department's own home page.

It keeps the app label `district_site` (it is defined in a module of the `district_site` app), so
its table `district_site_districthomepage`, its content type and migration 0001 are unchanged by
the move out of `district_site/models.py`.
"""

from django.utils.functional import SimpleLazyObject
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField

from district_site.portal import selectors
from home.models import BasePage


class DistrictHomePage(BasePage):
    """The department's own portal home: schools by kind, latest news from every school."""

    intro = RichTextField(
        "Lời giới thiệu",
        blank=True,
        features=["bold", "italic", "link"],
        help_text="Vài câu giới thiệu Phòng GD&ĐT, hiện đầu trang chủ.",
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    # The honour board is optional; a string reference (scoring sits above this layer).
    subpage_types = [
        "school_site.DocumentIndexPage",
        "school_site.NewsIndexPage",
        "scoring.HonourBoardPage",
    ]
    max_count = 1
    template = "pages/district_home_page.html"

    # How many of the schools' newest news items and of the district's documents to show.
    news_count = 10
    document_count = 5

    class Meta:
        verbose_name = "Trang chủ Phòng GD&ĐT"
        verbose_name_plural = "Trang chủ Phòng GD&ĐT"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template shows these inside a per-site fragment
        # (home/templatetags/fragment_tags.py), and on a fragment hit none of their queries run.
        context["portal"] = SimpleLazyObject(self.portal_listings)
        return context

    def portal_listings(self) -> dict:
        schools = selectors.portal_schools()
        return {
            "schools_by_kind": selectors.group_schools_by_kind(schools),
            "school_news": selectors.latest_school_news(schools, limit=self.news_count),
            **selectors.portal_documents(self, limit=self.document_count),
        }
