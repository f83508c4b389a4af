"""Which images and documents a page, a page's inline row or a site setting has chosen.

This module only *finds* the files; which collections an object may take them from is the
district's rule (each school's files stay in that school: `district_site.files`). `home` is the
bottom layer and knows nothing of schools, so the rule is asked through the Wagtail hook
`REFUSE_FILES_HOOK`: each registered function receives the chosen files and the tree path of
the page (or of the site's root page) they are chosen for, and returns the ones it refuses,
each with the message the editor shows on the field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from modelcluster.models import ClusterableModel, get_all_child_relations
from wagtail import hooks
from wagtail.blocks.base import BlockField
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage

REFUSE_FILES_HOOK = "refuse_chosen_files"

FileModel = type[AbstractImage] | type[AbstractDocument]
# (chosen files, tree path of the page or site root) -> [(refused file, message)]
RefuseFiles = Callable[[list["ChosenFile"], str], Iterable[tuple["ChosenFile", str]]]


@dataclass(frozen=True)
class ChosenFile:
    """One image or document chosen by one field of an object."""

    field: str  # the model field holding it: a ForeignKey, a StreamField or a RichTextField
    model: FileModel
    pk: int
    # Which inline row holds it, as (child relation name, position); None: the object itself.
    row: tuple[str, int] | None = None

    @property
    def is_image(self) -> bool:
        return issubclass(self.model, AbstractImage)


def _file_model(model) -> FileModel | None:
    if isinstance(model, type) and issubclass(model, (AbstractImage, AbstractDocument)):
        return model
    return None


def chosen_files(obj: models.Model, *, row: tuple[str, int] | None = None) -> list[ChosenFile]:
    """Every image and document `obj`'s own fields point at, without any query.

    ForeignKeys to an image or document model, and every field that can report references
    (StreamField: image and document chooser blocks, document links in rich text blocks;
    RichTextField: document links). Wagtail's reference index reads fields the same way, so a
    new block or field type is covered as soon as Wagtail can index it. Inline rows
    (ParentalKey children) are objects of their own: see `pending_rows`.
    """
    found: list[ChosenFile] = []
    for field in obj._meta.concrete_fields:
        if field.is_relation and field.many_to_one:
            model = _file_model(field.related_model)
            pk = field.value_from_object(obj)
            if model is not None and pk is not None:
                found.append(ChosenFile(field.name, model, int(pk), row))
        elif hasattr(field, "extract_references"):
            value = field.value_from_object(obj)
            if not value:
                continue
            for to_model, to_pk, _model_path, _content_path in field.extract_references(value):
                model = _file_model(to_model)
                if model is not None and str(to_pk).isdigit():
                    found.append(ChosenFile(field.name, model, int(to_pk), row))
    return found


def pending_rows(obj: models.Model) -> list[tuple[str, int, models.Model]]:
    """Inline rows held in memory and not yet written: (relation name, position, row).

    modelcluster keeps rows given to a page (by the editor's form on save, by a revision being
    published, by code) in `_cluster_related_objects` until the page is saved; rows not in
    there are the ones in the database, which were checked when they were written.
    """
    pending = getattr(obj, "_cluster_related_objects", None) or {}
    if not isinstance(obj, ClusterableModel) or not pending:
        return []
    rows = []
    for relation in get_all_child_relations(obj):
        name = relation.get_accessor_name()
        for position, child in enumerate(pending.get(name, ())):
            rows.append((name, position, child))
    return rows


def refuse(files: list[ChosenFile], tree_path: str) -> list[tuple[ChosenFile, str]]:
    """Ask the registered rules which of `files` may not be used at `tree_path`."""
    if not files or not tree_path:
        return []
    refused: list[tuple[ChosenFile, str]] = []
    rule: RefuseFiles
    for rule in hooks.get_hooks(REFUSE_FILES_HOOK):
        refused.extend(rule(files, tree_path))
    return refused


def _by_key(refused: Iterable[tuple[ChosenFile, str]], key) -> dict:
    errors: dict = {}
    for chosen, message in refused:
        messages = errors.setdefault(key(chosen), [])
        if message not in messages:
            messages.append(message)
    return errors


def refused_files(obj: models.Model, tree_path: str) -> dict[str, list[str]]:
    """{field name: [messages]} for the files `obj` may not use at `tree_path`; {} if none.

    Inline rows held in memory count too, under their relation's name ("images"). One call of
    the rule for the object and all its rows; no query at all when nothing is chosen.
    """
    files = chosen_files(obj)
    for name, position, child in pending_rows(obj):
        files += chosen_files(child, row=(name, position))
    return _by_key(refuse(files, tree_path), lambda c: c.row[0] if c.row else c.field)


def validate_chosen_files(obj: models.Model, tree_path: str) -> None:
    """Raise a ValidationError naming each field that holds a file refused at `tree_path`."""
    errors = refused_files(obj, tree_path)
    if errors:
        raise ValidationError(errors)


def _label(model_meta, name: str) -> str:
    field = model_meta.get_field(name)
    if hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return str(field.related_model._meta.verbose_name_plural)  # a child relation


def add_errors_to_form(form, errors: dict[str, list[str]]) -> None:
    """Put refusals on the form's fields; a field the form does not show gets a form error."""
    for field, messages in errors.items():
        target = field if field in form.fields else None
        if target is None:
            label = _label(form.instance._meta, field)
            messages = [f"{label}: {message}" for message in messages]
        form.add_error(target, messages)


def refuse_in_form(form, tree_path: str, *, own_fields: bool) -> bool:
    """Check the editor's form and each of its inline rows, with one call of the rule.

    Errors go on the field that holds the file, in the row that holds it. True if any.
    """
    files = chosen_files(form.instance) if own_fields else []
    row_forms = {}
    for name, formset in form.formsets.items():
        for position, row_form in enumerate(formset.forms):
            if not hasattr(row_form, "cleaned_data") or formset._should_delete_form(row_form):
                continue
            row_forms[(name, position)] = row_form
            files += chosen_files(row_form.instance, row=(name, position))
    refused = refuse(files, tree_path)
    by_target: dict = {}
    for chosen, message in refused:
        by_target.setdefault(chosen.row, []).append((chosen, message))
    for row, items in by_target.items():
        add_errors_to_form(
            form if row is None else row_forms[row], _by_key(items, lambda c: c.field)
        )
    return bool(refused)


def stream_error(field_errors: list[ValidationError]) -> ValidationError:
    """All of a StreamField's messages as the one error its editor widget displays.

    Wagtail's StreamField widget shows only the first error of its list; a plain error with
    two messages (say another school's image and document) would lose the second. Errors that
    are already the block's own (raised by the blocks' validation) are kept as they are.
    """
    if len(field_errors) == 1 and hasattr(field_errors[0], "as_json_data"):
        return field_errors[0]
    messages = [message for error in field_errors for message in error.messages]
    return StreamBlockValidationError(non_block_errors=messages)


def remap_unknown_fields(form, errors: ValidationError) -> ValidationError:
    """Model.clean() errors placed where the editor can show them.

    Django raises ValueError when a model's clean() names a field the form does not have (a
    page type may keep `feed_image` without showing it): those become errors of the whole
    form. A StreamField's messages are gathered into the one error its widget displays.
    """
    if not hasattr(errors, "error_dict"):
        return errors
    remapped: dict[str, list] = {}
    for field, field_errors in errors.error_dict.items():
        if field in form.fields and isinstance(form.fields[field], BlockField):
            remapped[field] = [stream_error(field_errors)]
        elif field == NON_FIELD_ERRORS or field in form.fields:
            remapped.setdefault(field, []).extend(field_errors)
        else:
            label = _label(form.instance._meta, field)
            remapped.setdefault(NON_FIELD_ERRORS, []).extend(
                ValidationError(f"{label}: {message}")
                for error in field_errors
                for message in error.messages
            )
    return ValidationError(remapped)
