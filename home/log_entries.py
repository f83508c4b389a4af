"""Writing an entry of Wagtail's history for objects the caller already holds.

Wagtail's `log()` creates the entry through `BaseLogEntry.save()`, which runs `full_clean()`:
Django then checks every foreign key of the entry (content type, user, revision, page) with its
own `SELECT 1`, four queries per entry. The entry's user, revision and page have no database
constraint (`db_constraint=False`), so in general that check is their only one; but a caller that
has just loaded those objects in the same transaction (the review's approval, under a row lock:
school_site/approval.py) knows they exist. `log_held()` writes the same row `log()` would (the
registry's log model, its title, content type, the active log context's user and uuid) and keeps
every other validation of `full_clean()` (the action must be registered, field lengths), then
saves it with Django's plain `Model.save()`, so `post_save` is sent as before (scoring listens).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from wagtail.log_actions import get_active_log_context, log, registry

# The entry's foreign keys whose targets the caller holds (see the module's docstring).
_HELD_FOREIGN_KEYS = ("content_type", "user", "revision", "page")


def log_held(
    instance: models.Model,
    action: str,
    *,
    user=None,
    data: dict | None = None,
    revision=None,
    content_changed: bool = False,
) -> models.Model | None:
    """Log `action` on `instance` as `wagtail.log_actions.log()` does, without re-checking that
    `instance`, `user` and `revision` exist (the caller holds them). Returns the entry (None if
    the object's model keeps no history, as `log()`)."""
    registry.scan_for_actions()
    model = registry.get_log_model_for_instance(instance)
    if model is None or not any(field.name == "page" for field in model._meta.fields):
        # Not a page (no object of another model is logged this way yet): Wagtail's own log().
        return log(
            instance=instance,
            action=action,
            user=user,
            data=data,
            revision=revision,
            content_changed=content_changed,
        )
    if instance.pk is None:
        raise ValueError(
            f"Attempted to log an action for object {instance!r} with empty primary key"
        )
    context = get_active_log_context()
    # The same columns as PageLogEntryManager.log_action (through BaseLogEntryManager's).
    fields = {
        "content_type": ContentType.objects.get_for_model(instance, for_concrete_model=False),
        "label": model.objects.get_instance_title(instance),
        "action": action,
        "timestamp": timezone.now(),
        "data": data or {},
        "user": user or context.user,
        "uuid": context.uuid,
        "revision": revision,
        "content_changed": content_changed,
        "page": instance,
    }
    entry = model(**fields)
    entry.full_clean(exclude=_HELD_FOREIGN_KEYS)
    # BaseLogEntry.save() would run full_clean() again, foreign keys included.
    models.Model.save(entry)
    return entry
