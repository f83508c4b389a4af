"""Provisioning a school site in one step.

`provision_school` is the one entry point: the `provision_school` and `provision_schools`
commands, the district admin's create form and CSV upload all call it. It runs in one
transaction, so a failure at any step leaves nothing behind, and it is idempotent: asked again
for the same hostname and name, it changes nothing and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Collection, Page, Site

from district_site.models import School
from district_site.provisioning_permissions import (
    BOARD_COLLECTION_PERMISSIONS,
    BOARD_PAGE_PERMISSIONS,
    EDITOR_COLLECTION_PERMISSIONS,
    EDITOR_PAGE_PERMISSIONS,
    grant_school_permissions,
    revoke_school_permissions,
)
from district_site.provisioning_principal import (
    check_same_principal,
    existing_principal_user,
    invite_principal,
    make_principal,
)
from district_site.provisioning_specs import (
    KIND_ALIASES,
    CsvValidation,
    ProvisioningError,
    SchoolSpec,
    clean_spec,
)
from district_site.school_names import BOARD_SUFFIX, EDITORS_SUFFIX, default_footer
from home.models import SiteBranding
from home.text import vietnamese_slugify
from school_site import defaults
from school_site.models import (
    AboutPage,
    BoardPage,
    ContactPage,
    DocumentIndexPage,
    GalleryIndexPage,
    LectureIndexPage,
    NewsIndexPage,
    SchoolHomePage,
    StaffPage,
)

# Names defined in the focused modules above, importable from here as before.
__all__ = [
    "BOARD_COLLECTION_PERMISSIONS",
    "BOARD_PAGE_PERMISSIONS",
    "EDITOR_COLLECTION_PERMISSIONS",
    "EDITOR_PAGE_PERMISSIONS",
    "KIND_ALIASES",
    "CsvValidation",
    "ProvisionResult",
    "ProvisioningError",
    "SchoolSpec",
    "archive_school",
    "check_conflicts",
    "clean_spec",
    "existing_principal_user",
    "grant_school_permissions",
    "invite_principal",
    "make_principal",
    "provision_school",
    "restore_school",
    "revoke_school_permissions",
]


@dataclass(frozen=True)
class ProvisionResult:
    school: School
    created: bool
    message: str


def check_conflicts(spec: SchoolSpec) -> School | None:
    """Return the existing school if `spec` describes it exactly; raise if it conflicts."""
    existing = (
        School.objects.select_related("site", "principal")
        .filter(site__hostname=spec.hostname)
        .first()
    )
    if existing is not None:
        if existing.name == spec.name and existing.kind == spec.kind:
            check_same_principal(existing, spec)
            return existing
        raise ProvisioningError(
            f"Tên miền “{spec.hostname}” đã được dùng cho trường “{existing.name}”."
        )
    if Site.objects.filter(hostname=spec.hostname).exists():
        raise ProvisioningError(f"Tên miền “{spec.hostname}” đã được dùng cho một trang web khác.")
    other = School.objects.select_related("site").filter(name=spec.name).first()
    if other is not None:
        raise ProvisioningError(f"Đã có trường tên “{spec.name}” ở tên miền {other.site.hostname}.")
    if spec.principal_email:
        existing_principal_user(spec.principal_email)  # raises if the e-mail cannot be used
    return None


def provision_school(
    *,
    name: str,
    kind: str,
    hostname: str,
    address: str = "",
    short_code: str = "",
    principal_name: str = "",
    principal_email: str = "",
) -> ProvisionResult:
    """Create a school's whole site in one transaction, or report that it already exists.

    With `principal_name` and `principal_email`, the school's principal is created (or an
    existing account with that e-mail reused) in the same transaction, put on the board, and
    invited by e-mail once the transaction commits.
    """
    spec = clean_spec(
        name=name,
        kind=kind,
        hostname=hostname,
        address=address,
        short_code=short_code,
        principal_name=principal_name,
        principal_email=principal_email,
    )
    with transaction.atomic():
        existing = check_conflicts(spec)
        if existing is not None:
            return ProvisionResult(
                school=existing,
                created=False,
                message=f"Trường “{existing.name}” đã có tại {spec.hostname}; không thay đổi gì.",
            )
        school = _create_school(spec)
    return ProvisionResult(
        school=school,
        created=True,
        message=f"Đã tạo trang web cho “{school.name}” tại {school.url}",
    )


def _create_school(spec: SchoolSpec) -> School:
    texts = defaults.section_texts(spec.kind, spec.name)
    root = Page.get_first_root_node()
    home = SchoolHomePage(
        title=spec.name,
        slug=_free_root_slug(root, vietnamese_slugify(spec.hostname.split(".")[0])),
        intro=texts["home_intro"],
    )
    # The home page goes through treebeard's add_child: it finds the next free path among the
    # other schools' roots and Wagtail validates and logs it as usual.
    root.add_child(instance=home)

    about = AboutPage(title="Giới thiệu", slug="gioi-thieu", body=[("paragraph", texts["about"])])
    sections = _add_new_children(
        home,
        [
            NewsIndexPage(title=texts["news"], slug="tin-tuc", intro=texts["news_intro"]),
            DocumentIndexPage(title="Văn bản", slug="van-ban"),
            LectureIndexPage(title=texts["lectures"], slug="bai-giang"),
            GalleryIndexPage(title=texts["gallery"], slug="thu-vien-anh"),
            about,
            ContactPage(title="Liên hệ", slug="lien-he"),
        ],
    )
    sections += _add_new_children(
        about,
        [
            BoardPage(
                title="Ban quản trị",
                slug="ban-quan-tri",
                intro=texts["board_intro"],
                regulations=texts["regulations"],
            ),
            StaffPage(title="Đội ngũ", slug="doi-ngu"),
        ],
    )
    _log_created(sections)

    site = Site.objects.create(
        hostname=spec.hostname,
        port=settings.SITE_PORT,
        site_name=spec.name,
        root_page=home,
        is_default_site=False,
    )
    collection = _add_school_collection(spec.name)
    board, editors = Group.objects.bulk_create(
        [
            Group(name=spec.name + BOARD_SUFFIX),
            Group(name=spec.name + EDITORS_SUFFIX),
        ]
    )
    # The principal's account first, so the school row is written once with it.
    principal = (
        make_principal(board.pk, full_name=spec.principal_name, email=spec.principal_email)
        if spec.principal_email
        else None
    )
    school = School.objects.create(
        name=spec.name,
        short_code=spec.short_code,
        kind=spec.kind,
        address=spec.address,
        site=site,
        board_group=board,
        editors_group=editors,
        collection=collection,
        principal=principal,
    )
    if principal is not None:
        invite_principal(school=school)
    grant_school_permissions(school)
    colours = defaults.colours(spec.kind)
    SiteBranding.objects.create(
        site=site,
        display_name=spec.name,
        address=spec.address,
        primary_colour=colours[0],
        accent_colour=colours[1],
        footer_text=default_footer(spec.name),
    )
    return school


def _add_new_children(parent: Page, children: list[Page]) -> list[Page]:
    """Save `children` under `parent`, a page created in this transaction with no children yet.

    Treebeard's `add_child` is correct for any parent but, per child, reloads the parent, looks
    up its last child, runs Wagtail's full_clean (slug, path and translation-key uniqueness, one
    query each, plus foreign-key checks), asks whether the page is a site root, logs the
    creation and indexes its references: about 30 queries a page. Under a parent that was
    created a moment ago in the same transaction none of those lookups can find anything, so
    we set what they would have computed: consecutive paths, the parent's locale, not a site
    root. The slugs are fixed and distinct (see _create_school); the `wagtail.create` log
    entries are written in one INSERT by _log_created.

    Wagtail's reference index is not updated for these pages: they reference nothing (plain
    text, no images, documents or page links; tests/district_site/test_provisioning_queries.py
    checks that indexing them would record nothing). They are search-indexed as usual.
    """
    from wagtail.signal_handlers import disable_reference_index_auto_update

    if parent.numchild:
        raise RuntimeError("_add_new_children is only for a parent without children.")
    with disable_reference_index_auto_update():
        for step, child in enumerate(children, start=1):
            child.depth = parent.depth + 1
            child.path = Page._get_path(parent.path, child.depth, step)
            child.locale_id = parent.locale_id
            child.draft_title = child.title
            child._cached_parent_obj = parent  # set_url_path() needs the parent: no reload
            child._is_site_root = False  # no Site can point at a page that did not exist
            child.save(clean=False, log_action=None)
    Page.objects.filter(pk=parent.pk).update(numchild=len(children))
    parent.numchild = len(children)
    return children


def _add_school_collection(name: str) -> Collection:
    """The school's collection, appended as the last child of the root collection.

    Wagtail's `Collection` sets treebeard's `node_order_by = ["name"]`, so `add_child` inserts
    the new collection at its alphabetical place and shifts every later sibling one step to
    the right, one UPDATE per sibling (and its branch). School names mostly start with
    "Trường ...", so provisioning paid an UPDATE for nearly every existing school: its cost grew
    with the district. Appending costs two statements whatever the number of schools. The
    price is that the collections are listed in creation order, not alphabetically, in
    Wagtail's collection screens; a school user only ever sees their own collection, and the
    district's own screens list schools by name from the School table.

    The root collection's row is locked first so that two provisionings running at once
    cannot compute the same path (treebeard's own add_child has that race).
    """
    root = Collection.objects.select_for_update().filter(depth=1).order_by("path").first()
    last = root.get_children().order_by("-path").only("path", "depth").first()
    depth = root.depth + 1
    path = last._inc_path() if last else Collection._get_path(root.path, depth, 1)
    collection = Collection(name=name, depth=depth, path=path, numchild=0)
    collection.save()
    Collection.objects.filter(pk=root.pk).update(numchild=F("numchild") + 1)
    return collection


def _log_created(pages: list[Page]) -> None:
    """The `wagtail.create` history entries Page.save() would write, in one INSERT."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.log_actions import get_active_log_context
    from wagtail.models import PageLogEntry

    context = get_active_log_context()
    now = timezone.now()
    PageLogEntry.objects.bulk_create(
        [
            PageLogEntry(
                content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
                label=page.get_admin_display_title(),
                action="wagtail.create",
                timestamp=now,
                data={},
                user=context.user,
                uuid=context.uuid,
                content_changed=True,
                page=page,
            )
            for page in pages
        ]
    )


def _free_root_slug(root: Page, base: str) -> str:
    taken = set(root.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def archive_school(*, hostname: str) -> ProvisionResult:
    """Stop serving a school's site and take its users' edit rights; keep all content."""
    with transaction.atomic():
        school = _get_school(hostname)
        if school.status == School.Status.ARCHIVED:
            return ProvisionResult(
                school, False, f"Trường “{school.name}” đã được lưu trữ trước đó."
            )
        revoke_school_permissions(school)
        school.status = School.Status.ARCHIVED
        school.archived_at = timezone.now()
        school.save(update_fields=["status", "archived_at", "updated_at"])
    return ProvisionResult(
        school, True, f"Đã lưu trữ trường “{school.name}”; trang web ngừng phục vụ."
    )


def restore_school(*, hostname: str) -> ProvisionResult:
    """Serve an archived school again and give its groups their rights back."""
    with transaction.atomic():
        school = _get_school(hostname)
        if school.status == School.Status.ACTIVE:
            return ProvisionResult(
                school,
                False,
                f"Trường “{school.name}” đang hoạt động; không thay đổi gì.",
            )
        grant_school_permissions(school)
        school.status = School.Status.ACTIVE
        school.archived_at = None
        school.save(update_fields=["status", "archived_at", "updated_at"])
    return ProvisionResult(school, True, f"Đã khôi phục trường “{school.name}” tại {school.url}")


def _get_school(hostname: str) -> School:
    hostname = (hostname or "").strip().lower()
    school = (
        School.objects.select_related(
            "site__root_page", "board_group", "editors_group", "collection"
        )
        .select_for_update(of=("self",))
        .filter(site__hostname=hostname)
        .first()
    )
    if school is None:
        raise ProvisioningError(f"Không có trường nào ở tên miền “{hostname}”.")
    return school
