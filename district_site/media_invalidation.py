"""Cached pages that show an image or a person's name go stale when it changes.

Pages are invalidated on publish (district_site/cache_invalidation.py), but some things a page
shows are edited without publishing it:

- an image (title, alt text, file, focal point, collection) in the image library: it shows on
  its school's pages (decision 8: a school's pages use only its own collection's images) and
  on the portal when it is a school's logo or a live news item's picture there;
- a user's name (a principal's people screens), shown in the byline of the pages they wrote;
- a contributor group's name, shown in the byline of its school's pages;
- a person's honour-board opt-out (`StaffProfile.hide_on_honour_board`), which adds or removes
  their name on the honour board page of their school and of the portal.

Staff and board members are rows of their page (InlinePanel) and change only with a publish.
Invalidation is per site (the host token of home/page_cache.py), never global; a site that
cannot show the change keeps its cache. The receivers are thin adapters around the functions.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal
from wagtail.images import get_image_model
from wagtail.models import get_page_models

from district_site.cache_invalidation import hostname_of_path, portal_hostnames, stale_hosts
from district_site.models import School
from home.models import SiteBranding

# The user fields a byline shows (home.text.display_name); a login only touches last_login.
NAME_FIELDS = {"first_name", "last_name", "username"}
# Image fields Wagtail fills in by itself (Image.get_file_hash saves with update_fields).
METADATA_FIELDS = {"file_hash", "file_size"}
_OLD_COLLECTION = "_invalidation_old_collection_id"
_OLD_NAME = "_invalidation_old_name"
_OLD_HIDE = "_invalidation_old_hide_on_honour_board"

# Sent with `user_id` after a user's displayed name changed. Pages of higher layers that name
# people without being their author's page (scoring's honour boards) listen to it: this layer
# cannot know which of them name whom.
person_renamed = Signal()


def portal_shows_image(image_id: int) -> bool:
    """Whether the portal may show this image: an active school's logo, or the picture of a
    live news item (its latest news lists some of them; any live one is counted, which may
    invalidate the portal once too often but never too rarely)."""
    if SiteBranding.objects.filter(
        logo_id=image_id, site__school__status=School.Status.ACTIVE
    ).exists():
        return True
    news = apps.get_model("school_site", "NewsPage")
    return news.objects.filter(feed_image_id=image_id, live=True).exists()


def hostnames_showing_image(image_id: int, collection_ids: Iterable[int]) -> set[str]:
    """The sites whose pages may show the image kept in (or just moved out of) these collections."""
    hosts = set(
        School.objects.filter(collection_id__in=set(collection_ids)).values_list(
            "site__hostname", flat=True
        )
    )
    if not hosts or portal_shows_image(image_id):
        # Not a school's image (the department's own), or one the portal shows.
        hosts |= set(portal_hostnames())
    return hosts


def hostnames_of_authored_pages(user_id: int) -> set[str]:
    """The sites of the live pages this user is the author of (one query per page type)."""
    hosts: set[str] = set()
    for model in get_page_models():
        if model._meta.abstract or "author" not in {f.name for f in model._meta.concrete_fields}:
            continue
        for url_path in model.objects.filter(author_id=user_id, live=True).values_list(
            "url_path", flat=True
        ):
            host = hostname_of_path(url_path)
            if host:
                hosts.add(host)
    return hosts


# --- receivers -------------------------------------------------------------------------------


def on_image_saving(sender, instance, raw: bool = False, **kwargs) -> None:
    if instance.pk and not raw:
        old = sender.objects.filter(pk=instance.pk).values_list("collection_id", flat=True)
        setattr(instance, _OLD_COLLECTION, old.first())


def on_image_saved(
    sender, instance, created: bool, raw: bool = False, update_fields=None, **kwargs
) -> None:
    # A new image shows nowhere yet; Wagtail's own later save of its hash changes nothing shown.
    if created or raw or (update_fields is not None and set(update_fields) <= METADATA_FIELDS):
        return
    collections = {instance.collection_id, getattr(instance, _OLD_COLLECTION, None)} - {None}
    stale_hosts(hostnames_showing_image(instance.pk, collections))


def on_image_deleting(sender, instance, **kwargs) -> None:
    # Before the delete: afterwards the branding's logo is already set to NULL.
    stale_hosts(hostnames_showing_image(instance.pk, [instance.collection_id]))


def on_user_saving(sender, instance, update_fields=None, raw: bool = False, **kwargs) -> None:
    if (
        raw
        or not instance.pk
        or (update_fields is not None and not NAME_FIELDS & set(update_fields))
    ):
        return
    old = sender.objects.filter(pk=instance.pk).values_list(*sorted(NAME_FIELDS)).first()
    setattr(instance, _OLD_NAME, old)


def on_user_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    old = getattr(instance, _OLD_NAME, None)
    if created or raw or old is None:
        return
    delattr(instance, _OLD_NAME)
    if old != tuple(getattr(instance, f) for f in sorted(NAME_FIELDS)):
        stale_hosts(hostnames_of_authored_pages(instance.pk))
        person_renamed.send(sender=sender, user_id=instance.pk)


def hostnames_of_honour_boards(school_id: int) -> set[str]:
    """The sites whose honour board may name a person of this school: its own and the portal's."""
    hostname = School.objects.filter(pk=school_id).values_list("site__hostname", flat=True)
    return {*hostname, *portal_hostnames()}


def on_profile_saving(sender, instance, update_fields=None, raw: bool = False, **kwargs) -> None:
    # Only the opt-out shows on a public page; a position change alone leaves the cache be.
    if raw or (update_fields is not None and "hide_on_honour_board" not in update_fields):
        return
    old = False
    if instance.pk:
        old = bool(
            sender.objects.filter(pk=instance.pk)
            .values_list("hide_on_honour_board", flat=True)
            .first()
        )
    setattr(instance, _OLD_HIDE, old)


def on_profile_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw or not hasattr(instance, _OLD_HIDE):
        return
    old = getattr(instance, _OLD_HIDE)
    delattr(instance, _OLD_HIDE)
    if old != instance.hide_on_honour_board:
        stale_hosts(hostnames_of_honour_boards(instance.school_id))


def on_profile_deleted(sender, instance, **kwargs) -> None:
    # Deleting a row that held the opt-out names the person again.
    if instance.hide_on_honour_board:
        stale_hosts(hostnames_of_honour_boards(instance.school_id))


def on_group_changed(sender, instance, **kwargs) -> None:
    # Its name shows in the byline of its school's pages only (the portal shows no bylines).
    school = School.objects.filter(pk=instance.school_id).select_related("site").first()
    if school is not None:
        stale_hosts({school.site.hostname})


def connect() -> None:
    """Called once from DistrictSiteConfig.ready()."""
    uid = "district_site.media_invalidation"
    image = get_image_model()
    user = get_user_model()
    group = apps.get_model("school_site", "ContributorGroup")
    profile = apps.get_model("school_site", "StaffProfile")
    pre_save.connect(on_image_saving, sender=image, dispatch_uid=f"{uid}.image_saving")
    post_save.connect(on_image_saved, sender=image, dispatch_uid=f"{uid}.image_saved")
    pre_delete.connect(on_image_deleting, sender=image, dispatch_uid=f"{uid}.image_deleting")
    pre_save.connect(on_user_saving, sender=user, dispatch_uid=f"{uid}.user_saving")
    post_save.connect(on_user_saved, sender=user, dispatch_uid=f"{uid}.user_saved")
    post_save.connect(on_group_changed, sender=group, dispatch_uid=f"{uid}.group_saved")
    post_delete.connect(on_group_changed, sender=group, dispatch_uid=f"{uid}.group_deleted")
    pre_save.connect(on_profile_saving, sender=profile, dispatch_uid=f"{uid}.profile_saving")
    post_save.connect(on_profile_saved, sender=profile, dispatch_uid=f"{uid}.profile_saved")
    post_delete.connect(on_profile_deleted, sender=profile, dispatch_uid=f"{uid}.profile_deleted")
