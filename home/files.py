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

    @property
    def is_image(self) -> bool:
        return issubclass(self.model, AbstractImage)


def _file_model(model) -> FileModel | None:
    if isinstance(model, type) and issubclass(model, (AbstractImage, AbstractDocument)):
        return model
    return None


def chosen_files(obj: models.Model) -> list[ChosenFile]:
    """Every image and document `obj`'s own fields point at, without any query.

    ForeignKeys to an image or document model, and every field that can report references
    (StreamField: image and document chooser blocks, document links in rich text blocks;
    RichTextField: document links). Wagtail's reference index reads fields the same way, so a
    new block or field type is covered as soon as Wagtail can index it. Inline rows
    (ParentalKey children) are objects of their own: pass each of them separately.
    """
    found: list[ChosenFile] = []
    for field in obj._meta.concrete_fields:
        if field.is_relation and field.many_to_one:
            model = _file_model(field.related_model)
            pk = field.value_from_object(obj)
            if model is not None and pk is not None:
                found.append(ChosenFile(field.name, model, int(pk)))
        elif hasattr(field, "extract_references"):
            value = field.value_from_object(obj)
            if not value:
                continue
            for to_model, to_pk, _model_path, _content_path in field.extract_references(value):
                model = _file_model(to_model)
                if model is not None and str(to_pk).isdigit():
                    found.append(ChosenFile(field.name, model, int(to_pk)))
    return found


def refused_files(obj: models.Model, tree_path: str) -> dict[str, list[str]]:
    """{field name: [messages]} for the files `obj` may not use at `tree_path`; {} if none.

    No query at all when `obj` has chosen no file.
    """
    files = chosen_files(obj)
    if not files or not tree_path:
        return {}
    errors: dict[str, list[str]] = {}
    refuse: RefuseFiles
    for refuse in hooks.get_hooks(REFUSE_FILES_HOOK):
        for chosen, message in refuse(files, tree_path):
            messages = errors.setdefault(chosen.field, [])
            if message not in messages:
                messages.append(message)
    return errors


def validate_chosen_files(obj: models.Model, tree_path: str) -> None:
    """Raise a ValidationError naming each field that holds a file refused at `tree_path`."""
    errors = refused_files(obj, tree_path)
    if errors:
        raise ValidationError(errors)


def add_errors_to_form(form, errors: dict[str, list[str]]) -> None:
    """Put refusals on the form's fields; a field the form does not show gets a form error."""
    for field, messages in errors.items():
        target = field if field in form.fields else None
        if target is None:
            label = form.instance._meta.get_field(field).verbose_name
            messages = [f"{label}: {message}" for message in messages]
        form.add_error(target, messages)


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
            label = form.instance._meta.get_field(field).verbose_name
            remapped.setdefault(NON_FIELD_ERRORS, []).extend(
                ValidationError(f"{label}: {message}")
                for error in field_errors
                for message in error.messages
            )
    return ValidationError(remapped)
