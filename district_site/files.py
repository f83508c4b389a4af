"""Files stay in their school (DESIGN decisions 4 and 8).

Each school has one collection (`School.collection`, a child of the root collection, so its
tree path is 8 characters long); images and documents in it, or in collections under it, are
that school's. Everything else (the root collection and collections no school owns) is the
district's.

- A school's page or setting may use only its own school's files, whoever edits it: the public
  site would otherwise show another school's file. Superusers and district admins included.
- A district portal page or setting may use only the district's files, never a school's.

Two checks live here: `foreign_files` (validation on save, asked by `home.files` through the
`refuse_chosen_files` hook) and `document_refusal` (the document download view, through
Wagtail's `before_serve_document` hook). `wagtail_hooks.py` only wires them.

What this does not protect: files reached through their storage path rather than through
Wagtail. Image originals (`/media/original_images/`) and renditions (`/media/images/`) are
plain media files, public to whoever has the URL, as in any Wagtail site: only which page may
*show* an image is controlled. Document files live under `/media/documents/`; the web server
must not serve that folder directly (nginx: `location /media/documents/ { internal; }`), or the
check below is bypassed by anyone who learns a file name.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast, Left
from django.http import Http404, HttpRequest
from wagtail.documents.models import AbstractDocument
from wagtail.models import Collection, Page, ReferenceIndex, Site
from wagtail.permissions import policy_registry

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


# ---------------------------------------------------------------------------------------------
# Serving documents
# ---------------------------------------------------------------------------------------------


def document_school(document: AbstractDocument) -> School | None:
    """The school owning `document`'s collection (None: a district file), with its site root.

    One query: the collection's path is read in a subquery.
    """
    collection_path = Collection.objects.filter(pk=document.collection_id).values("path")[:1]
    return (
        School.objects.select_related("site__root_page")
        .filter(collection__path=Left(collection_path, SCHOOL_COLLECTION_PATH_LENGTH))
        .first()
    )


def _request_site(request: HttpRequest) -> Site | None:
    # SchoolSiteMiddleware does not resolve the site for /documents/ (the admin links to them
    # from any hostname), so it is looked up here, the same way.
    from district_site.middleware import find_site

    return find_site(request)


def used_by_live_page(document: AbstractDocument, root_path: str) -> bool:
    """Whether a live page a visitor may see, under `root_path`, uses `document`. One query.

    Wagtail's reference index records the references of each page's database row, which holds
    the published content of a live page (drafts live in revisions), so an unpublished draft
    that attaches a file does not make it public. Inline rows are indexed under their page.
    """
    from school_site.models.sections import live_public

    references = ReferenceIndex.get_references_to(document).filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    pages = Page.objects.filter(path__startswith=root_path).filter(Exists(references))
    return live_public(pages).exists()


def document_refusal(document: AbstractDocument, request: HttpRequest) -> None:
    """Raise Http404 unless `request` may download `document`; a constant number of queries.

    - Someone who may see the document in the admin (its school's users, district admins)
      always gets it: they link and preview it from the admin on any district hostname.
    - Otherwise a school's document is served only on that school's own hostname and on the
      portal's, and a district document only on the portal's;
    - and only while a live, public page of its school (or of the portal) uses it. A file
      uploaded but not yet published, or no longer used, stays private even if its URL leaks.

    404 rather than 403: a stranger learns nothing about which ids exist.
    """
    user = getattr(request, "user", None)
    if (
        user is not None
        and user.is_authenticated
        and policy_registry.get_by_type(type(document)).user_has_any_permission_for_instance(
            user, ["change", "choose"], document
        )
    ):
        return
    site = _request_site(request)
    if site is None:
        raise Http404("Không tìm thấy tệp.")
    school = document_school(document)
    site_school = getattr(site, "school", None)
    if site_school is not None and (school is None or site_school.pk != school.pk):
        raise Http404("Không tìm thấy tệp.")
    if school is not None:
        root_path = school.site.root_page.path
    else:
        root_path = site.root_page.path
    if not used_by_live_page(document, root_path):
        raise Http404("Không tìm thấy tệp.")
