"""Renaming a school: everything provisioning named after it follows, in one transaction.

Provisioning names the school's Site (`site_name`), its collection, its two groups
("<name> – Ban quản trị", "<name> – Giáo viên, nhân viên") and its branding's default title
and footer after the school. A rename updates all of them. The branding title and footer are
the board's to edit: they are renamed only while they still read as provisioning wrote them,
so a title the board chose ("Mầm non Hoa Sen – Huyện X") is left alone.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Collection, Site

from district_site.models import School
from home.models import SiteBranding

BOARD_SUFFIX = " – Ban quản trị"
EDITORS_SUFFIX = " – Giáo viên, nhân viên"


def default_footer(name: str) -> str:
    return f"Trang thông tin điện tử {name}. Ghi rõ nguồn khi phát hành lại thông tin."


def sync_school_name(*, school: School, old_name: str) -> None:
    """After `school.name` changed from `old_name`: rename what provisioning named after it.

    Call inside the transaction that saved the new name (the edit view does). Five UPDATEs,
    whatever the school's size.
    """
    new_name = school.name
    if new_name == old_name:
        return
    with transaction.atomic():
        Site.objects.filter(pk=school.site_id).update(site_name=new_name)
        Collection.objects.filter(pk=school.collection_id, name=old_name).update(name=new_name)
        Group.objects.filter(pk=school.board_group_id).update(name=new_name + BOARD_SUFFIX)
        Group.objects.filter(pk=school.editors_group_id).update(name=new_name + EDITORS_SUFFIX)
        branding = SiteBranding.objects.filter(site_id=school.site_id)
        branding.filter(display_name=old_name).update(display_name=new_name)
        branding.filter(footer_text=default_footer(old_name)).update(
            footer_text=default_footer(new_name)
        )


def rename_school(*, school: School, name: str) -> School:
    """Give the school a new name and rename its site, groups, collection and branding."""
    name = " ".join((name or "").split())
    with transaction.atomic():
        school = School.objects.select_for_update(of=("self",)).get(pk=school.pk)
        old_name = school.name
        school.name = name
        school.full_clean(validate_unique=True, exclude=["principal"])
        school.save(update_fields=["name", "updated_at"])
        sync_school_name(school=school, old_name=old_name)
    return school
