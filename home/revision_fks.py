"""Building a page from a revision's JSON with one query per related model, not per field.

Wagtail builds a page from a revision (`Revision.as_object()` → `Page.with_content_json()` →
modelcluster's `from_serializable_data(check_fks=True)`) on every preview, publish, approval,
revert and compare. modelcluster checks that each foreign key of the revision still exists with
its own `Model._default_manager.get(...)`: a post names the same teacher as owner, author and
credit setter, so that was three identical user SELECTs, plus one for the content type, which
Django already caches. Here the page's own foreign keys are checked in one `IN` query per
related model (content types from Django's cache), with modelcluster's rules for a key that no
longer exists: DO_NOTHING keeps it, SET_NULL empties it, CASCADE empties it or, with
`strict_fks`, drops the whole object. Inline rows (child relations) are left to modelcluster.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import models


def _checked_fields(model: type[models.Model], data: dict) -> list[models.ForeignKey]:
    fields = []
    for field in model._meta.concrete_fields:
        if not (field.many_to_one or field.one_to_one) or field.primary_key:
            continue
        if field.remote_field.parent_link or data.get(field.name) is None:
            continue
        fields.append(field)
    return fields


def _existing(related: type[models.Model], target: str, values: set) -> set:
    if related is ContentType and target == "id":
        found = set()
        for value in values:
            try:
                ContentType.objects.get_for_id(value)  # Django's per-process cache
            except ContentType.DoesNotExist:
                continue
            found.add(value)
        return found
    manager = related._default_manager
    return set(manager.filter(**{f"{target}__in": values}).values_list(target, flat=True))


def from_serializable_data(
    model: type[models.Model],
    data: dict,
    *,
    check_fks: bool,
    strict_fks: bool,
    build: Callable[[dict, bool, bool], models.Model | None],
) -> models.Model | None:
    """`build(data, check_fks, strict_fks)` (modelcluster's) with the model's own foreign keys
    taken out of `data` and checked here in bulk."""
    fields = _checked_fields(model, data)
    if not fields:
        return build(data, check_fks, strict_fks)
    held = {field: data[field.name] for field in fields}
    obj = build({**data, **{field.name: None for field in fields}}, check_fks, strict_fks)
    if obj is None:
        return None

    values: dict[models.ForeignKey, object] = {}
    wanted: dict[tuple[type[models.Model], str], set] = defaultdict(set)
    for field, raw in held.items():
        target = field.remote_field.field_name
        value = field.remote_field.model._meta.get_field(target).to_python(raw)
        values[field] = value
        wanted[(field.remote_field.model, target)].add(value)
    existing = {key: _existing(*key, found) for key, found in wanted.items()} if check_fks else None

    for field, value in values.items():
        key = (field.remote_field.model, field.remote_field.field_name)
        if existing is not None and value not in existing[key]:
            on_delete = field.remote_field.on_delete
            if on_delete == models.DO_NOTHING:
                pass
            elif on_delete == models.CASCADE:
                if strict_fks:
                    return None
                value = None
            elif on_delete == models.SET_NULL:
                value = None
            else:
                # modelcluster raises here too: it handles no other on_delete rule.
                raise Exception(
                    "can't currently handle on_delete types other than CASCADE, SET_NULL "
                    "and DO_NOTHING"
                )
        setattr(obj, field.attname, value)
    return obj
