"""Provisioning a school site in one step.

`provision_school` is the one entry point: the `provision_school` and `provision_schools`
commands, the district admin's create form and CSV upload all call it. It runs in one
transaction, so a failure at any step leaves nothing behind, and it is idempotent: asked again
for the same hostname and name, it changes nothing and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http.request import validate_host
from django.utils import timezone
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    Site,
)

from district_site.invitations import send_invitation
from district_site.models import School
from district_site.school_names import BOARD_SUFFIX, EDITORS_SUFFIX, default_footer
from district_site.selectors import is_district_admin
from home.csv_upload import RowError
from home.models import SiteBranding
from home.text import split_full_name, vietnamese_slugify
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
from school_site.people import unique_username, username_base

_HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$"
)

BOARD_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
)
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
BOARD_COLLECTION_PERMISSIONS = (
    "add_image", "change_image", "choose_image", "delete_image",
    "add_document", "change_document", "choose_document", "delete_document",
)  # fmt: skip
EDITOR_COLLECTION_PERMISSIONS = (
    "add_image", "change_image", "choose_image",
    "add_document", "change_document", "choose_document",
)  # fmt: skip


# The school kinds as a district admin types them (CSV, command); the English codes still work.
KIND_ALIASES = {
    "mam_non": School.Kind.PRESCHOOL,
    "tieu_hoc": School.Kind.PRIMARY,
    "thcs": School.Kind.LOWER_SECONDARY,
    "lien_cap": School.Kind.COMBINED,
}


class ProvisioningError(Exception):
    """Bad input or a conflict; the message is one Vietnamese line for the person."""


@dataclass(frozen=True)
class SchoolSpec:
    name: str
    kind: str
    hostname: str
    address: str = ""
    short_code: str = ""
    principal_name: str = ""
    principal_email: str = ""


@dataclass(frozen=True)
class ProvisionResult:
    school: School
    created: bool
    message: str


@dataclass
class CsvValidation:
    specs: list[SchoolSpec] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def clean_spec(
    *,
    name: str,
    kind: str,
    hostname: str,
    address: str = "",
    short_code: str = "",
    principal_name: str = "",
    principal_email: str = "",
) -> SchoolSpec:
    """Normalise and validate one school's input; raise ProvisioningError in Vietnamese."""
    principal_name = " ".join((principal_name or "").split())
    principal_email = (principal_email or "").strip()
    # The principal is optional only as a pair: a name without an e-mail could not be invited.
    if principal_name and not principal_email:
        raise ProvisioningError("Thiếu email của hiệu trưởng.")
    if principal_email and not principal_name:
        raise ProvisioningError("Thiếu họ tên của hiệu trưởng.")
    if principal_email:
        try:
            validate_email(principal_email)
        except ValidationError as exc:
            raise ProvisioningError(f"Email hiệu trưởng “{principal_email}” không hợp lệ.") from exc
        if len(principal_name) > 300:
            raise ProvisioningError("Họ tên hiệu trưởng quá dài.")
    name = " ".join((name or "").split())
    kind = KIND_ALIASES.get((kind or "").strip().lower(), (kind or "").strip())
    hostname = (hostname or "").strip().lower().rstrip(".")
    if not name:
        raise ProvisioningError("Thiếu tên trường.")
    if len(name) > School._meta.get_field("name").max_length:
        raise ProvisioningError("Tên trường quá dài (tối đa 120 ký tự).")
    if kind not in School.Kind.values:
        raise ProvisioningError(
            f"Cấp học “{kind}” không hợp lệ; chọn một trong: {', '.join(KIND_ALIASES)} "
            f"(hoặc {', '.join(School.Kind.values)})."
        )
    if not hostname:
        raise ProvisioningError("Thiếu tên miền.")
    if hostname != settings.DISTRICT_BASE_DOMAIN and not _HOSTNAME_RE.match(hostname):
        raise ProvisioningError(f"Tên miền “{hostname}” không hợp lệ.")
    # The base domain itself is the district portal; a school needs a subdomain that
    # ALLOWED_HOSTS accepts, or it would not be served.
    if hostname == settings.DISTRICT_BASE_DOMAIN or not validate_host(
        hostname, settings.ALLOWED_HOSTS
    ):
        raise ProvisioningError(
            f"Tên miền “{hostname}” phải là tên miền con của {settings.DISTRICT_BASE_DOMAIN}, "
            f"ví dụ: mn-hoasen.{settings.DISTRICT_BASE_DOMAIN}."
        )
    return SchoolSpec(
        name=name,
        kind=kind,
        hostname=hostname,
        address=(address or "").strip(),
        short_code=(short_code or "").strip(),
        principal_name=principal_name,
        principal_email=principal_email,
    )


def check_conflicts(spec: SchoolSpec) -> School | None:
    """Return the existing school if `spec` describes it exactly; raise if it conflicts."""
    existing = (
        School.objects.select_related("site", "principal")
        .filter(site__hostname=spec.hostname)
        .first()
    )
    if existing is not None:
        if existing.name == spec.name and existing.kind == spec.kind:
            _check_same_principal(existing, spec)
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


def _check_same_principal(school: School, spec: SchoolSpec) -> None:
    """Asked again for an existing school, a different principal is a conflict, not a no-op.

    Silently ignoring it would leave the district admin believing someone was invited.
    """
    if not spec.principal_email:
        return
    current = school.principal
    if current is not None and current.email.lower() == spec.principal_email.lower():
        return
    raise ProvisioningError(
        f"Trường “{school.name}” đã có"
        + (
            f" hiệu trưởng ({current.email})"
            if current is not None
            else " nhưng chưa có hiệu trưởng"
        )
        + "; thay hoặc mời hiệu trưởng trong màn hình Trường học."
    )


def existing_principal_user(email: str):
    """The one active account using `email`, None if there is none; raise if it cannot be used."""
    users = list(get_user_model().objects.filter(email__iexact=email).order_by("pk")[:2])
    if not users:
        return None
    if len(users) > 1:
        raise ProvisioningError(
            f"Có nhiều tài khoản dùng email “{email}”; hãy để mỗi email một tài khoản trước."
        )
    user = users[0]
    if not user.is_active:
        raise ProvisioningError(f"Tài khoản dùng email “{email}” đang bị khoá.")
    # A superuser or district admin as a school's principal would mix district and school
    # powers in one account (and the principal's screens refuse to manage such accounts).
    if user.is_superuser or user.is_staff or is_district_admin(user):
        raise ProvisioningError(
            f"Email “{email}” là tài khoản quản trị của Phòng; hiệu trưởng cần tài khoản riêng."
        )
    return user


def make_principal(board_group_id: int, *, full_name: str, email: str):
    """Create (or reuse, by e-mail) the principal's account and put it on the school's board."""
    user = existing_principal_user(email)
    if user is None:
        first_name, last_name = split_full_name(full_name)
        user = get_user_model()(
            username=unique_username(username_base(email)),
            email=email,
            first_name=first_name[:150],
            last_name=last_name[:150],
            is_active=True,
        )
        # Nobody knows a password for this account until the principal sets one by the link.
        user.set_unusable_password()
        user.save()
    user.groups.add(board_group_id)
    return user


def invite_principal(*, school: School) -> None:
    """E-mail the school's principal a set-password link (after the transaction commits)."""
    if school.principal is None or not school.principal.email:
        raise ProvisioningError(f"Trường “{school.name}” chưa có hiệu trưởng có email.")
    send_invitation(
        user=school.principal,
        school_name=school.name,
        base_url=school.site.root_url,
        role="Hiệu trưởng",
    )


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
    collection = Collection.get_first_root_node().add_child(name=spec.name)
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


def _permissions(
    codenames: tuple[str, ...], app_label: str | None = None, *, found: list[Permission]
) -> list[Permission]:
    """The permissions named `codenames` (in `app_label`) among `found`, or fail loudly."""
    chosen = [
        p
        for p in found
        if p.codename in codenames and (app_label is None or p.content_type.app_label == app_label)
    ]
    missing = set(codenames) - {p.codename for p in chosen}
    if missing:  # a programming error, not bad input: fail loudly and roll back
        raise RuntimeError(f"Missing permissions: {sorted(missing)}")
    return chosen


_ALL_CODENAMES = frozenset(
    ("access_admin", "change_sitebranding")
    + BOARD_PAGE_PERMISSIONS
    + EDITOR_PAGE_PERMISSIONS
    + BOARD_COLLECTION_PERMISSIONS
    + EDITOR_COLLECTION_PERMISSIONS
)


def grant_school_permissions(school: School) -> None:
    """Give the school's two groups rights on their own subtree, collection and branding only."""
    home = school.site.root_page
    # Every permission involved, in one query (instead of one per kind of grant).
    found = list(
        Permission.objects.filter(codename__in=_ALL_CODENAMES).select_related("content_type")
    )
    access = _permissions(("access_admin",), "wagtailadmin", found=found)
    Group.permissions.through.objects.bulk_create(
        [
            Group.permissions.through(group_id=group.pk, permission_id=p.pk)
            for group in (school.board_group, school.editors_group)
            for p in access
        ],
        ignore_conflicts=True,
    )
    page_rows = [
        GroupPagePermission(group=school.board_group, page=home, permission=p)
        for p in _permissions(BOARD_PAGE_PERMISSIONS, "wagtailcore", found=found)
    ] + [
        GroupPagePermission(group=school.editors_group, page=home, permission=p)
        for p in _permissions(EDITOR_PAGE_PERMISSIONS, "wagtailcore", found=found)
    ]
    GroupPagePermission.objects.bulk_create(page_rows, ignore_conflicts=True)
    collection_rows = [
        GroupCollectionPermission(
            group=school.board_group, collection=school.collection, permission=p
        )
        for p in _permissions(BOARD_COLLECTION_PERMISSIONS, found=found)
    ] + [
        GroupCollectionPermission(
            group=school.editors_group, collection=school.collection, permission=p
        )
        for p in _permissions(EDITOR_COLLECTION_PERMISSIONS, found=found)
    ]
    GroupCollectionPermission.objects.bulk_create(collection_rows, ignore_conflicts=True)
    GroupSitePermission.objects.bulk_create(
        [
            GroupSitePermission(group=school.board_group, site=school.site, permission=p)
            for p in _permissions(("change_sitebranding",), "home", found=found)
        ],
        ignore_conflicts=True,
    )


def revoke_school_permissions(school: School) -> None:
    groups = [school.board_group, school.editors_group]
    GroupPagePermission.objects.filter(group__in=groups).delete()
    GroupCollectionPermission.objects.filter(group__in=groups).delete()
    GroupSitePermission.objects.filter(group__in=groups).delete()
    for group in groups:
        group.permissions.clear()


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
