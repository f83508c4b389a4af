"""Every field a teacher fills in the page editor explains itself in Vietnamese.

Walks the editor's panels of every concrete page type of school_site and district_site, and
the panels of the inline rows (attachments, photos, board and staff members) they hold. Wagtail's
own Page fields (title, slug, seo_title, …) are left out: their help comes from the
translation catalogue and BasePage's promote panels.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Page

PAGE_BASE_FIELDS = {field.name for field in Page._meta.get_fields()}


def _is_vietnamese(text: str) -> bool:
    """Non-empty and with at least one non-ASCII letter (ă, ê, ơ, đ, ạ, …)."""
    return bool(text.strip()) and any(ord(c) > 127 and c.isalpha() for c in text)


def _shown_fields(model, panel) -> list[tuple[type, str]]:
    """(model, field name) of every field panel under `panel`, inline rows included."""
    found: list[tuple[type, str]] = []
    if isinstance(panel, InlinePanel):
        related = model._meta.get_field(panel.relation_name).related_model
        for child in getattr(related, "panels", []):
            found += _shown_fields(related, child)
        return found
    if isinstance(panel, FieldPanel):
        found.append((model, panel.field_name))
    for child in getattr(panel, "children", []):
        found += _shown_fields(model, child)
    return found


def _page_models() -> list[type[Page]]:
    return [
        model
        for app in ("school_site", "district_site")
        for model in apps.get_app_config(app).get_models()
        if issubclass(model, Page) and not model._meta.abstract
    ]


PAGE_MODELS = _page_models()


def test_the_walk_finds_every_page_type_and_the_inline_rows():
    names = {model.__name__ for model in PAGE_MODELS}
    assert {"NewsPage", "OfficialDocumentPage", "LecturePage", "GalleryPage"} <= names
    assert {"SchoolHomePage", "BoardPage", "StaffPage", "DistrictHomePage"} <= names
    inline_models = {
        m.__name__
        for page_model in PAGE_MODELS
        for m, _ in _shown_fields(page_model, page_model.get_edit_handler())
        if not issubclass(m, Page)
    }
    assert inline_models == {
        "OfficialDocumentAttachment",
        "LectureAttachment",
        "GalleryImage",
        "BoardMember",
        "StaffMember",
    }


@pytest.mark.parametrize("model", PAGE_MODELS, ids=lambda m: m.__name__)
def test_every_editable_field_has_vietnamese_help_text(model):
    fields = [
        (owner, name)
        for owner, name in _shown_fields(model, model.get_edit_handler())
        if not (issubclass(owner, Page) and name in PAGE_BASE_FIELDS)
    ]
    missing = [
        f"{owner.__name__}.{name}"
        for owner, name in fields
        if not _is_vietnamese(str(owner._meta.get_field(name).help_text))
    ]
    assert fields, f"{model.__name__} shows no fields of its own in the editor"
    assert missing == []


def test_the_check_tells_vietnamese_from_english_and_empty():
    assert _is_vietnamese("Ảnh hiện trong danh sách bài.")
    assert not _is_vietnamese("Shown in listings.")
    assert not _is_vietnamese("   ")
