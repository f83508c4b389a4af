"""Building blocks for the scoring tests: draft pages written by an author, published by
whoever the test says, through Wagtail's own revision and publish actions."""

from __future__ import annotations

import itertools

from wagtail.models import Page

from district_site.models import School
from school_site.models import NewsIndexPage, NewsPage

_titles = itertools.count(1)


def news_index(school: School) -> Page:
    return NewsIndexPage.objects.descendant_of(school.site.root_page).get()


def draft_news(
    school: School,
    author,
    *,
    body: str | None = None,
    group=None,
    category: str = NewsPage.Category.SCHOOL_NEWS,
    credit_set_by=None,
) -> NewsPage:
    """A news page saved as a draft revision by its author, not yet published.

    `credit_set_by` is who chose its author and group, as the editor form records it: by
    default the author, who created it. The default body is long enough to pass the rubric's
    minimum length."""
    number = next(_titles)
    if body is None:
        body = f"Nội dung tin số {number}: hoạt động của nhà trường trong tuần qua và kế hoạch."
    page = NewsPage(
        title=f"Tin số {number}",
        slug=f"tin-so-{number}",
        live=False,
        author=author,
        contributor_group=group,
        credit_set_by=credit_set_by or author,
        category=category,
        body=[("paragraph", f"<p>{body}</p>")],
    )
    news_index(school).add_child(instance=page)
    page.save_revision(user=author)
    return page


def publish(page: Page, user, *, skip_permission_checks: bool = False) -> None:
    page.refresh_from_db()
    page.get_latest_revision().publish(user=user, skip_permission_checks=skip_permission_checks)
    page.refresh_from_db()
