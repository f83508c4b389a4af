"""Signal receivers of the shared base: two-line adapters around plain functions."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from wagtail.images import get_image_model


def on_image_saved(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    """Render the new or changed picture's renditions in the worker, once the save commits
    (a rolled-back upload queues nothing, and the worker can read the committed row)."""
    if raw or not getattr(settings, "IMAGE_RENDITIONS_AT_UPLOAD", True):
        return
    if update_fields is not None and set(update_fields) <= {"file_hash", "file_size"}:
        return  # Wagtail filling in the file's hash: nothing to render
    from home.tasks import generate_renditions_task

    transaction.on_commit(partial(generate_renditions_task.enqueue, image_id=instance.pk))


def connect() -> None:
    """Called once from HomeConfig.ready()."""
    post_save.connect(
        on_image_saved, sender=get_image_model(), dispatch_uid="home.signals.image_saved"
    )
