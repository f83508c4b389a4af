"""Files stay in their school (DESIGN decisions 4 and 8).

Each school has one collection (`School.collection`, a child of the root collection, so its
tree path is 8 characters long); images and documents in it, or in collections under it, are
that school's. Everything else (the root collection and collections no school owns) is the
district's.

- A school's page or setting may use only its own school's files, whoever edits it: the public
  site would otherwise show another school's file. Superusers and district admins included.
- A district portal page or setting may use only the district's files, never a school's.

`foreign_files` is the rule, asked by `home.files` through the `refuse_chosen_files` hook when a
page, an inline row or a site setting is validated. `wagtail_hooks.py` only wires it.
"""

from __future__ import annotations

from collections.abc import Iterable

from district_site.models import School
from district_site.selectors import SITE_ROOT_PATH_LENGTH
from home.files import ChosenFile, chosen_files

# A school's collection is a child of the root collection: depth 2, 4 characters per level.
SCHOOL_COLLECTION_PATH_LENGTH = 8

IMAGE_OF_OTHER_SCHOOL = "Ảnh này thuộc thư viện của trường khác; hãy chọn ảnh của trường mình."
DOCUMENT_OF_OTHER_SCHOOL = "Tệp này thuộc thư viện của trường khác; hãy chọn tệp của trường mình."
IMAGE_OF_A_SCHOOL = (
    "Ảnh này thuộc thư viện của một trường; trang của Phòng GD&ĐT chỉ dùng ảnh của Phòng."
)
DOCUMENT_OF_A_SCHOOL = (
    "Tệp này thuộc thư viện của một trường; trang của Phòng GD&ĐT chỉ dùng tệp của Phòng."
)


def school_at(tree_path: str) -> School | None:
    """The school whose site contains the page at `tree_path`; None for the portal. One query."""
    return (
        School.objects.select_related("collection")
        .filter(site__root_page__path=tree_path[:SITE_ROOT_PATH_LENGTH])
        .first()
    )


def _collection_paths(files: Iterable[ChosenFile]) -> dict[ChosenFile, str]:
    """Tree path of each file's collection: one query per file model (images, documents)."""
    by_model: dict[type, set[int]] = {}
    for chosen in files:
        by_model.setdefault(chosen.model, set()).add(chosen.pk)
    paths: dict[tuple[type, int], str] = {}
    for model, pks in by_model.items():
        for pk, path in model.objects.filter(pk__in=pks).values_list("pk", "collection__path"):
            paths[(model, pk)] = path
    # A file that does not exist is the chooser field's error, not this rule's.
    return {c: paths[(c.model, c.pk)] for c in files if (c.model, c.pk) in paths}


def foreign_files(obj_or_files, school: School | None) -> list[ChosenFile]:
    """The images and documents chosen by `obj` that do not belong where `obj` is shown.

    `obj_or_files` is a page, an inline row or a site setting (its chosen files are read from
    its fields), or already a list of ChosenFile. `school` is the school whose site shows it,
    or None for the district portal. At most one query per file model, plus one for a
    portal object (which collections are schools').
    """
    files = obj_or_files if isinstance(obj_or_files, list) else chosen_files(obj_or_files)
    if not files:
        return []
    paths = _collection_paths(files)
    if school is not None:
        own = school.collection.path
        return [c for c, path in paths.items() if not path.startswith(own)]
    school_paths = set(School.objects.values_list("collection__path", flat=True))
    return [c for c, path in paths.items() if path[:SCHOOL_COLLECTION_PATH_LENGTH] in school_paths]


def refuse_foreign_files(files: list[ChosenFile], tree_path: str) -> list[tuple[ChosenFile, str]]:
    """The `refuse_chosen_files` hook: each foreign file with the message its field shows."""
    school = school_at(tree_path)
    refused = []
    for chosen in foreign_files(files, school):
        if school is not None:
            message = IMAGE_OF_OTHER_SCHOOL if chosen.is_image else DOCUMENT_OF_OTHER_SCHOOL
        else:
            message = IMAGE_OF_A_SCHOOL if chosen.is_image else DOCUMENT_OF_A_SCHOOL
        refused.append((chosen, message))
    return refused
