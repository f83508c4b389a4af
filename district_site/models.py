"""The school registry and the district portal's own pages."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting
from wagtail.fields import RichTextField
from wagtail.models import Collection, Site

from home.models import BasePage
from home.visibility import live_public

# Name of the district admins' group, created by migration 0002.
DISTRICT_ADMINS_GROUP = "Phòng GD&ĐT – Quản trị"


class School(models.Model):
    """One school of the district, with its own Site, page tree, collection and groups."""

    class Kind(models.TextChoices):
        PRESCHOOL = "preschool", "Mầm non – Mẫu giáo"
        PRIMARY = "primary", "Tiểu học"
        LOWER_SECONDARY = "lower_secondary", "Trung học cơ sở"
        COMBINED = "combined", "Tiểu học và Trung học cơ sở"

    class Status(models.TextChoices):
        ACTIVE = "active", "Đang hoạt động"
        ARCHIVED = "archived", "Đã lưu trữ"

    name = models.CharField("Tên trường", max_length=120, unique=True)
    short_code = models.CharField("Mã trường", max_length=30, blank=True)
    kind = models.CharField("Cấp học", max_length=20, choices=Kind.choices)
    address = models.CharField("Địa chỉ", max_length=255, blank=True)
    site = models.OneToOneField(
        Site, verbose_name="Trang web", on_delete=models.PROTECT, related_name="school"
    )
    board_group = models.OneToOneField(
        Group,
        verbose_name="Nhóm Ban quản trị",
        on_delete=models.PROTECT,
        related_name="board_of",
    )
    editors_group = models.OneToOneField(
        Group,
        verbose_name="Nhóm giáo viên, nhân viên",
        on_delete=models.PROTECT,
        related_name="editors_of",
    )
    collection = models.OneToOneField(
        Collection,
        verbose_name="Thư mục ảnh, tệp",
        on_delete=models.PROTECT,
        related_name="school",
    )
    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Hiệu trưởng",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="principal_of",
        help_text="Thành viên Ban quản trị quản lý người dùng, tổ chức và bảng điểm của trường.",
    )
    leader_review = models.BooleanField(
        "Tổ trưởng duyệt trước",
        default=False,
        help_text="Bật: bài ghi công cho một tổ chức có trưởng nhóm được trưởng nhóm duyệt trước, "
        "rồi mới đến Ban quản trị. Bài không ghi công tổ chức, hoặc do chính trưởng nhóm viết, "
        "gửi thẳng Ban quản trị.",
    )
    status = models.CharField(
        "Trạng thái",
        max_length=10,
        choices=Status.choices,
        default=Status.ACTIVE,
        db_index=True,
    )
    created_at = models.DateTimeField("Ngày tạo", auto_now_add=True)
    updated_at = models.DateTimeField("Cập nhật", auto_now=True)
    archived_at = models.DateTimeField("Ngày lưu trữ", null=True, blank=True)

    class Meta:
        verbose_name = "Trường học"
        verbose_name_plural = "Trường học"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def hostname(self) -> str:
        return self.site.hostname

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def url(self) -> str:
        return self.site.root_url + "/"


class DistrictReviewSettings(BaseGenericSetting):
    """The district's one set of review settings, edited by district admins on the wait screen
    (`district_site/review_waits.py`). Not registered with Wagtail's settings menu: that screen
    is on the district admins' own page and checks their role, not a model permission."""

    review_reminder_days = models.PositiveSmallIntegerField(
        "Nhắc Ban quản trị sau (ngày)",
        null=True,
        blank=True,
        help_text="Bài chờ duyệt quá số ngày này thì Ban quản trị của trường nhận thư nhắc "
        "mỗi ngày. Để trống: dùng mặc định của hệ thống (REVIEW_REMINDER_DAYS, thường là 3).",
    )

    class Meta:
        verbose_name = "Cài đặt duyệt bài của Phòng"
        verbose_name_plural = "Cài đặt duyệt bài của Phòng"


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
    subpage_types = ["school_site.DocumentIndexPage", "school_site.NewsIndexPage"]
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
        schools = list(self.active_schools())
        context["schools_by_kind"] = self.group_schools_by_kind(schools)
        context["school_news"] = self.latest_school_news(schools)
        context.update(self.own_documents())
        return context

    @staticmethod
    def active_schools():
        from district_site.selectors import active_schools

        # The root page's url_path turns a news page's url_path into a site-relative URL.
        return active_schools().select_related("site__root_page").order_by("name")

    @staticmethod
    def group_schools_by_kind(schools: list[School]) -> list[tuple[str, list[School]]]:
        """[(kind label, schools of that kind)] in the order of School.Kind; empty kinds left out."""
        groups: dict[str, list[School]] = {kind: [] for kind in School.Kind.values}
        for school in schools:
            groups.setdefault(school.kind, []).append(school)
        labels = dict(School.Kind.choices)
        return [(labels.get(kind, kind), items) for kind, items in groups.items() if items]

    def latest_school_news(self, schools: list[School]) -> list:
        """The newest live, public news of every active school, each with its school and full URL.

        One query whatever the number of schools: the page's first path segment names its site
        root (see district_site.selectors), matched in SQL to active schools' root pages, and
        URLs are built from the already loaded sites instead of Page.get_url's site lookups.
        """
        from django.db.models import F
        from wagtail.models import Site

        from district_site.selectors import SITE_ROOT_PATH_LENGTH, UnderSiteRoot
        from school_site.models import NewsPage

        active_roots = (
            Site.objects.filter(school__status=School.Status.ACTIVE)
            .order_by()
            .values("root_page__path")
        )
        news = list(
            live_public(NewsPage.objects.filter(UnderSiteRoot(active_roots)))
            .defer_streamfields()
            .select_related("feed_image")
            .order_by(
                F("date").desc(), F("first_published_at").desc(nulls_last=True), F("pk").desc()
            )[: self.news_count]
        )
        by_root = {s.site.root_page.path: s for s in schools}
        for item in news:
            school = by_root.get(item.path[:SITE_ROOT_PATH_LENGTH])
            item.school = school
            item.school_url = self.school_page_url(school, item) if school else ""
        return [item for item in news if item.school is not None]

    def own_documents(self) -> dict:
        """The portal's own documents section and its newest documents (two queries)."""
        from school_site.models import DocumentIndexPage, OfficialDocumentPage

        index = live_public(DocumentIndexPage.objects.child_of(self)).first()
        documents = []
        if index is not None:
            documents = list(
                live_public(OfficialDocumentPage.objects.child_of(index))
                .defer_streamfields()
                .order_by("-issue_date", "-pk")[: self.document_count]
            )
        return {"document_index": index, "district_documents": documents}

    @staticmethod
    def school_page_url(school: School, page) -> str:
        """Full URL of a page of `school`'s site, built without any query.

        The site root's url_path ("/th-a/") is the prefix of every url_path in that site;
        what follows it is the path on the school's own hostname.
        """
        root_path = school.site.root_page.url_path
        return school.site.root_url + "/" + page.url_path[len(root_path) :]
