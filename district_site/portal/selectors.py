"""What the portal's home page reads: active schools by kind, every school's newest news, and
the portal's own documents. Plain functions; the page's `get_context` calls them."""

from __future__ import annotations

from django.db.models import F
from wagtail.models import Page, Site

from district_site.models import School
from district_site.selectors import SITE_ROOT_PATH_LENGTH, UnderSiteRoot, active_schools
from home.visibility import live_public
from school_site.models import DocumentIndexPage, NewsPage, OfficialDocumentPage


def portal_schools() -> list[School]:
    """The active schools by name, each with its site and root page (one query)."""
    # The root page's url_path turns a news page's url_path into a site-relative URL.
    return list(active_schools().select_related("site__root_page").order_by("name"))


def group_schools_by_kind(schools: list[School]) -> list[tuple[str, list[School]]]:
    """[(kind label, schools of that kind)] in the order of School.Kind; empty kinds left out."""
    groups: dict[str, list[School]] = {kind: [] for kind in School.Kind.values}
    for school in schools:
        groups.setdefault(school.kind, []).append(school)
    labels = dict(School.Kind.choices)
    return [(labels.get(kind, kind), items) for kind, items in groups.items() if items]


def latest_school_news(schools: list[School], *, limit: int) -> list[NewsPage]:
    """The newest live, public news of every active school, each with its school and full URL.

    One query whatever the number of schools: the page's first path segment names its site
    root (see district_site.selectors), matched in SQL to active schools' root pages, and
    URLs are built from the already loaded `schools` instead of Page.get_url's site lookups.
    """
    active_roots = (
        Site.objects.filter(school__status=School.Status.ACTIVE)
        .order_by()
        .values("root_page__path")
    )
    news = list(
        live_public(NewsPage.objects.filter(UnderSiteRoot(active_roots)))
        .defer_streamfields()
        .select_related("feed_image")
        .order_by(F("date").desc(), F("first_published_at").desc(nulls_last=True), F("pk").desc())[
            :limit
        ]
    )
    by_root = {s.site.root_page.path: s for s in schools}
    for item in news:
        school = by_root.get(item.path[:SITE_ROOT_PATH_LENGTH])
        item.school = school
        item.school_url = school_page_url(school, item) if school else ""
    return [item for item in news if item.school is not None]


def portal_documents(home: Page, *, limit: int) -> dict:
    """The portal's own documents section and its newest documents (two queries)."""
    index = live_public(DocumentIndexPage.objects.child_of(home)).first()
    documents = []
    if index is not None:
        documents = list(
            live_public(OfficialDocumentPage.objects.child_of(index))
            .defer_streamfields()
            .order_by("-issue_date", "-pk")[:limit]
        )
    return {"document_index": index, "district_documents": documents}


def school_page_url(school: School, page: Page) -> str:
    """Full URL of a page of `school`'s site, built without any query.

    The site root's url_path ("/th-a/") is the prefix of every url_path in that site;
    what follows it is the path on the school's own hostname.
    """
    root_path = school.site.root_page.url_path
    return school.site.root_url + "/" + page.url_path[len(root_path) :]
