"""The district portal home's pictures (templates/pages/district_home_page.html)."""

from __future__ import annotations

from django import template

from district_site.selectors import attach_school_logos
from home.images import prefetch_renditions

register = template.Library()


@register.simple_tag
def load_portal_pictures(school_news, schools_by_kind) -> str:
    """Give every school its logo and fetch the renditions of the logos and of the news
    pictures: two queries, whatever the number of schools and news. Renders nothing.

    A tag rather than the page's get_context: DistrictHomePage is moving out of
    district_site/models.py, and its context (`school_news` from the newest-first selector,
    `schools_by_kind`) stays as it is.
    """
    schools = [school for _, group in schools_by_kind for school in group]
    attach_school_logos(schools)
    prefetch_renditions(
        [item.feed_image for item in school_news] + [school.logo for school in schools],
        "card",
        "logo",
    )
    return ""
