"""The honour board ("Bảng vinh danh"): an optional public page on a school's site (under its
home) or on the portal (under the district home) listing the current school year's leading
contributor groups and authors.

Names are public, so they are `home.text.display_name`, and a person whose staff profile asks
not to be named (`StaffProfile.hide_on_honour_board`) is left out. The page reads the ledger when
it renders; like every public page it is cached per site and the cache is invalidated when a page
of that school (or the portal) is published, which is when credit is earned, so a new credit
shows after the next publish. A renamed person (`person_renamed`) makes the boards that may name
them stale: their credited schools' sites and the portal.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel

from home.models import BasePage


def hostnames_naming(user_id: int) -> set[str]:
    """The sites whose honour board may name this person this school year: the schools where
    they earned credit in it, and the portal (it names every school's leaders). Empty when they
    earned none: no board can name them."""
    from district_site.cache_invalidation import portal_hostnames
    from district_site.models import School
    from scoring import selectors
    from scoring.models import CreditEvent

    year = selectors.school_year_containing(day=timezone.localdate())
    if year is None:
        return set()
    school_ids = CreditEvent.objects.filter(school_year=year, author_id=user_id).values("school_id")
    hosts = set(School.objects.filter(pk__in=school_ids).values_list("site__hostname", flat=True))
    return hosts | set(portal_hostnames()) if hosts else hosts


def on_person_renamed(sender, user_id: int, **kwargs) -> None:
    from district_site.cache_invalidation import stale_hosts

    hosts = hostnames_naming(user_id)
    if hosts:
        stale_hosts(hosts)


class HonourBoardPage(BasePage):
    intro = models.TextField(
        "Lời giới thiệu",
        blank=True,
        help_text="Vài câu đầu trang, ví dụ: “Các tổ chức, thầy cô đóng góp nhiều tin bài nhất”.",
    )
    limit = models.PositiveSmallIntegerField(
        "Số dòng mỗi bảng",
        default=10,
        help_text="Số tổ chức và số tác giả dẫn đầu được hiện (tối đa 50).",
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("limit")]
    # String references: the parents live in lower layers, which never import scoring.
    parent_page_types = ["school_site.SchoolHomePage", "district_site.DistrictHomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "pages/honour_board_page.html"

    class Meta:
        verbose_name = "Bảng vinh danh"
        verbose_name_plural = "Bảng vinh danh"

    def get_context(self, request, *args, **kwargs):
        from district_site.selectors import school_for_page
        from scoring import selectors

        context = super().get_context(request, *args, **kwargs)
        school = school_for_page(self)
        year = selectors.school_year_containing(day=timezone.localdate())
        context["school_year"] = year
        context["portal"] = school is None  # the portal names each person's school
        context["honour"] = (
            selectors.honour_board(
                school_year=year,
                school_id=school.pk if school else None,
                limit=min(self.limit or 10, 50),
            )
            if year is not None
            else None
        )
        return context
