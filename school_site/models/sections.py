"""A school's home page and its listing sections (created by provisioning); the fixed pages
(about, board, staff, contact) are in `school_site.models.about`.

The listing methods here keep every public page at a constant number of SQL queries: each
listing is one query on the concrete page model (never `.specific` per item), feed images come
with `select_related`, and "public" is a correlated subquery (`home.visibility.live_public`)
instead of Wagtail's `PageQuerySet.public()`, which costs an extra query on every call.
"""

from __future__ import annotations

from django.apps import apps
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import SimpleLazyObject
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.images import get_image_model

from home.images import prefetch_renditions
from home.models import BasePage
from home.sql import InArray
from home.visibility import live_public
from school_site.models.documents import OfficialDocumentPage
from school_site.models.galleries import GalleryImage, GalleryPage
from school_site.models.lectures import LecturePage
from school_site.models.news import NewsPage

PAGE_SIZE = 10
HOME_NEWS_COUNT = 6
HOME_ANNOUNCEMENT_COUNT = 5
HOME_DOCUMENT_COUNT = 5
HOME_LECTURE_COUNT = 4
HOME_ALBUM_COUNT = 4

# Grades a school of each kind teaches, for the lecture filter (School.Kind values).
GRADES_BY_SCHOOL_KIND = {
    "preschool": (0,),
    "primary": (1, 2, 3, 4, 5),
    "lower_secondary": (6, 7, 8, 9),
    "combined": (1, 2, 3, 4, 5, 6, 7, 8, 9),
}


def paginate(request, items, per_page: int = PAGE_SIZE) -> PaginatorPage:
    """One page of `items`; a missing, non-numeric or out-of-range ?page= never errors."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def querystring_without_page(request) -> str:
    """The current filters as a query string, so pagination links keep them."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def with_cover_images(albums: QuerySet) -> QuerySet:
    """Annotate each album with the id of its cover: the feed image or else its first photo."""
    first_photo = (
        GalleryImage.objects.filter(page_id=OuterRef("pk"))
        .order_by("sort_order", "pk")
        .values("image_id")[:1]
    )
    return albums.annotate(
        cover_image_id=Coalesce(
            "feed_image_id", Subquery(first_photo), output_field=models.BigIntegerField()
        )
    )


def attach_cover_images(albums) -> list:
    """Fetch every album's cover image in one query and set `album.cover_image`."""
    albums = list(albums)
    ids = {a.cover_image_id for a in albums if a.cover_image_id}
    images = get_image_model().objects.in_bulk(ids) if ids else {}
    for album in albums:
        album.cover_image = images.get(album.cover_image_id)
    return albums


def school_kind(request) -> str | None:
    school = getattr(request, "school", None)
    return school.kind if school is not None else None


class SchoolHomePage(BasePage):
    """The root page of one school's site. Title = the school's name."""

    intro = RichTextField(
        "Lời giới thiệu",
        blank=True,
        features=["bold", "italic", "link"],
        help_text="Vài câu giới thiệu nhà trường, hiện đầu trang chủ.",
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    # School homes sit directly under the tree root, one per Site.
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "school_site.NewsIndexPage",
        "school_site.DocumentIndexPage",
        "school_site.LectureIndexPage",
        "school_site.GalleryIndexPage",
        "school_site.AboutPage",
        "school_site.ContactPage",
        # Optional; string reference so school_site does not import scoring.
        "scoring.HonourBoardPage",
    ]

    template = "pages/school_home_page.html"

    class Meta:
        verbose_name = "Trang chủ trường"
        verbose_name_plural = "Trang chủ trường"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template shows the listings inside a per-site fragment
        # (home/templatetags/fragment_tags.py), and on a fragment hit none of their queries run.
        context["listings"] = SimpleLazyObject(self.home_listings)
        return context

    def _newest(self, model, *fields: str) -> QuerySet:
        """This school's live, public `model` pages, newest first, loading only `fields`.

        A card shows a handful of columns; loading only those (not Page's ~35 and the
        page type's own) makes each listing cheaper to compile and to turn into objects.
        The query-count tests would catch a template reading a column left out (one query
        per card).
        """
        qs = live_public(model.objects.descendant_of(self)).only("title", "url_path", *fields)
        return qs.order_by("-date", "-pk")

    def news_and_announcements(self) -> tuple[list, list]:
        """The newest news and the newest announcements, in one query.

        Two subqueries pick the ids (`ORDER BY date DESC, id DESC LIMIT n` each, which
        PostgreSQL answers from the newest-first news index, reading a few rows per school);
        the outer query loads those few rows by primary key. The window over both groups that
        this replaces numbered every news item of the school (a sequential scan of the whole
        news table at 20,000 pages, docs/read-scale.md) and cost more CPU to compile. A
        LIMIT inside IN (...) is fine on PostgreSQL and SQLite (not on MySQL, not used here).
        """
        announcement = NewsPage.Category.ANNOUNCEMENT
        newest = self._newest(NewsPage).values("pk")
        rows = list(
            NewsPage.objects.filter(
                # As arrays (home/sql.py): two `IN (subquery)` joined by OR made PostgreSQL scan
                # the whole news table of the district (21 ms at 20,000 pages).
                InArray("pk", newest.exclude(category=announcement)[:HOME_NEWS_COUNT])
                | InArray("pk", newest.filter(category=announcement)[:HOME_ANNOUNCEMENT_COUNT])
            )
            .only("title", "url_path", "date", "category", "intro", "feed_image")
            .select_related("feed_image")
            .order_by("-date", "-pk")
        )
        news = [row for row in rows if row.category != announcement]
        announcements = [row for row in rows if row.category == announcement]
        return news, announcements

    def home_listings(self) -> dict[str, list]:
        """The newest live, public content of this school only (one query per block)."""
        news, announcements = self.news_and_announcements()
        albums = attach_cover_images(
            with_cover_images(self._newest(GalleryPage, "date"))[:HOME_ALBUM_COUNT]
        )
        lectures = list(
            self._newest(
                LecturePage, "date", "subject", "grade", "intro", "feed_image"
            ).select_related("feed_image")[:HOME_LECTURE_COUNT]
        )
        documents = list(
            self._newest(
                OfficialDocumentPage, "number", "issue_date", "intro", "document_kind"
            ).order_by("-issue_date", "-pk")[:HOME_DOCUMENT_COUNT]
        )
        # Every card's picture on the home, in one query.
        prefetch_renditions(
            [item.feed_image for item in (*news, *lectures)]
            + [album.cover_image for album in albums],
            "card",
        )
        return {
            "latest_news": news,
            "announcements": announcements,
            "latest_documents": documents,
            "latest_lectures": lectures,
            "latest_albums": albums,
        }


class SectionIndexPage(BasePage):
    """Abstract listing page of one kind of content."""

    intro = RichTextField(
        "Lời giới thiệu",
        blank=True,
        features=["bold", "italic", "link"],
        help_text="Vài câu giới thiệu chuyên mục, hiện trên danh sách bài.",
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["school_site.SchoolHomePage"]
    max_count_per_parent = 1
    # The admin's page list opens the section's posts (templates/wagtailadmin/pages/listing/),
    # newest first (Wagtail's default ordering for a page's children in the explorer).
    admin_listing_opens_children = True
    admin_default_ordering = "-latest_revision_created_at"

    class Meta:
        abstract = True

    # The page type this section holds; set by each section.
    child_model_name: str = ""
    # Every section shows in the site's menu (home.templatetags.site_tags).
    always_in_menu = True

    def permissions_for_user(self, user):
        # Nothing is created here already live without the board's review (create and publish,
        # publish copies, aliases); see school_site.permissions.
        from school_site.permissions import ContentSectionPermissionTester

        return ContentSectionPermissionTester(user, self)

    def get_items(self) -> QuerySet:
        """Live, public children of this section, newest first. Page types narrow the model."""
        raise NotImplementedError

    def route(self, request, path_components):
        """Find a child in one query on its own model.

        Wagtail's Page.route loads the child as a plain Page and then its specific row (two
        queries); a section only holds one page type, so ask that model directly. Anything
        else (an unexpected page type, a missing slug) goes through Wagtail's own routing.
        """
        if path_components and self.child_model_name:
            model = apps.get_model("school_site", self.child_model_name)
            children = model.objects.child_of(self)
            if any(f.name == "feed_image" for f in model._meta.concrete_fields):
                # The page's picture is its og:image (home/templatetags/share_tags.py).
                children = children.select_related("feed_image")
            child = children.filter(slug=path_components[0]).first()
            if child is not None:
                # What Wagtail's own Page.route does (treebeard's get_parent() reads this private
                # cache): breadcrumbs then need no query for the parent. There is no public way
                # to hand a page its parent in Wagtail 8.0.1 / django-treebeard 5.3.
                child._cached_parent_obj = self
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def filter_items(self, items: QuerySet, request) -> tuple[QuerySet, dict[str, str]]:
        """Apply the ?filters this section understands; return them for the form."""
        return items, {}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items, filters = self.filter_items(self.get_items(), request)
        page_obj = paginate(request, items)
        items = self.prepare_items(page_obj.object_list)
        context.update(
            items=items,
            page_obj=page_obj,
            filters=filters,
            is_filtered=any(filters.values()),
            querystring=querystring_without_page(request),
        )
        return context

    def prepare_items(self, items) -> list:
        items = list(items)
        if any(f.name == "feed_image" for f in self.child_model()._meta.concrete_fields):
            # Every card's picture in one query (the feed images are already joined).
            prefetch_renditions([item.feed_image for item in items], "card")
        return items

    def child_model(self):
        return apps.get_model("school_site", self.child_model_name)


def _choice(request, name: str, choices) -> str:
    """A ?name= value if it is one of `choices`, else "" (bad values are ignored, not errors)."""
    value = request.GET.get(name, "").strip()
    return value if value in {str(c) for c in choices} else ""


class NewsIndexPage(SectionIndexPage):
    # The district portal may carry its own news and documents sections too.
    parent_page_types = ["school_site.SchoolHomePage", "district_site.DistrictHomePage"]
    subpage_types = ["school_site.NewsPage"]
    template = "pages/news_index_page.html"
    child_model_name = "NewsPage"

    class Meta:
        verbose_name = "Chuyên mục tin, bài"
        verbose_name_plural = "Chuyên mục tin, bài"

    def get_items(self) -> QuerySet:
        qs = live_public(NewsPage.objects.child_of(self)).defer_streamfields()
        return qs.select_related("feed_image").order_by("-date", "-pk")

    def filter_items(self, items, request):
        category = _choice(request, "category", NewsPage.Category.values)
        if category:
            items = items.filter(category=category)
        return items, {"category": category}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["category_choices"] = NewsPage.Category.choices
        return context


class DocumentIndexPage(SectionIndexPage):
    parent_page_types = ["school_site.SchoolHomePage", "district_site.DistrictHomePage"]
    subpage_types = ["school_site.OfficialDocumentPage"]
    template = "pages/document_index_page.html"
    child_model_name = "OfficialDocumentPage"

    class Meta:
        verbose_name = "Chuyên mục văn bản"
        verbose_name_plural = "Chuyên mục văn bản"

    def get_items(self) -> QuerySet:
        qs = live_public(OfficialDocumentPage.objects.child_of(self)).defer_streamfields()
        return qs.order_by("-issue_date", "-pk")

    def filter_items(self, items, request):
        kind = _choice(request, "kind", OfficialDocumentPage.Kind.values)
        year = request.GET.get("year", "").strip()
        year = year if year.isdigit() and 1900 <= int(year) <= 2999 else ""
        number = " ".join(request.GET.get("number", "").split())[:100]
        if kind:
            items = items.filter(document_kind=kind)
        if year:
            items = items.filter(issue_date__year=int(year))
        if number:
            items = items.filter(number__icontains=number)
        return items, {"kind": kind, "year": year, "number": number}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["kind_choices"] = OfficialDocumentPage.Kind.choices
        # The years that have documents, for the year filter: one small query.
        context["year_choices"] = [
            d.year for d in self.get_items().dates("issue_date", "year", order="DESC")
        ]
        return context


class LectureIndexPage(SectionIndexPage):
    subpage_types = ["school_site.LecturePage"]
    template = "pages/lecture_index_page.html"
    child_model_name = "LecturePage"

    class Meta:
        verbose_name = "Chuyên mục bài giảng"
        verbose_name_plural = "Chuyên mục bài giảng"

    def get_items(self) -> QuerySet:
        qs = live_public(LecturePage.objects.child_of(self)).defer_streamfields()
        return qs.select_related("feed_image").order_by("-date", "-pk")

    def filter_items(self, items, request):
        subject = _choice(request, "subject", LecturePage.Subject.values)
        grade = _choice(request, "grade", LecturePage.Grade.values)
        if subject:
            items = items.filter(subject=subject)
        if grade:
            items = items.filter(grade=int(grade))
        return items, {"subject": subject, "grade": grade}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Offer only the grades this kind of school teaches; any valid grade still filters.
        taught = GRADES_BY_SCHOOL_KIND.get(school_kind(request) or "", LecturePage.Grade.values)
        context["subject_choices"] = LecturePage.Subject.choices
        context["grade_choices"] = [
            (g, label) for g, label in LecturePage.Grade.choices if g in taught
        ]
        return context


class GalleryIndexPage(SectionIndexPage):
    subpage_types = ["school_site.GalleryPage"]
    template = "pages/gallery_index_page.html"
    child_model_name = "GalleryPage"

    class Meta:
        verbose_name = "Chuyên mục thư viện ảnh"
        verbose_name_plural = "Chuyên mục thư viện ảnh"

    def get_items(self) -> QuerySet:
        qs = live_public(GalleryPage.objects.child_of(self)).defer_streamfields()
        return with_cover_images(qs).order_by("-date", "-pk")

    def prepare_items(self, items) -> list:
        albums = attach_cover_images(items)
        prefetch_renditions([album.cover_image for album in albums], "card")
        return albums
