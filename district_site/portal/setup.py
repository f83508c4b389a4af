"""Setting up the district department's own portal site once: its home, documents section,
Site, branding and the district admins' rights on it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Page, Site

from district_site.models import DISTRICT_ADMINS_GROUP
from district_site.portal.models import DistrictHomePage
from home.models import SiteBranding
from school_site.models import DocumentIndexPage

DEFAULT_PORTAL_TITLE = "Phòng Giáo dục và Đào tạo Tam Nông"
DISTRICT_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
)


def setup_district_portal(
    *, title: str = DEFAULT_PORTAL_TITLE, hostname: str | None = None
) -> DistrictHomePage:
    """Create the portal's home, documents section and Site once; later calls change nothing."""
    hostname = (hostname or settings.DISTRICT_BASE_DOMAIN).lower()
    with transaction.atomic():
        home = DistrictHomePage.objects.first()
        if home is None:
            home = DistrictHomePage(
                title=title,
                slug="phong-gd-dt",
                intro="<p>Cổng thông tin điện tử của Phòng Giáo dục và Đào tạo và các trường trực thuộc.</p>",
            )
            Page.get_first_root_node().add_child(instance=home)
            home.add_child(instance=DocumentIndexPage(title="Văn bản chỉ đạo", slug="van-ban"))
        site = Site.objects.filter(root_page=home).first()
        if site is None:
            site = Site.objects.create(
                hostname=hostname,
                port=settings.SITE_PORT,
                site_name=home.title,
                root_page=home,
                is_default_site=False,
            )
        SiteBranding.objects.get_or_create(
            site=site,
            defaults={"display_name": home.title, "footer_text": f"© {home.title}"},
        )
        group = Group.objects.get(name=DISTRICT_ADMINS_GROUP)
        GroupPagePermission.objects.bulk_create(
            [
                GroupPagePermission(group=group, page=home, permission=p)
                for p in Permission.objects.filter(
                    content_type__app_label="wagtailcore",
                    codename__in=DISTRICT_PAGE_PERMISSIONS,
                )
            ],
            ignore_conflicts=True,
        )
    return home
