"""Test factories for a school's content: pages, contributor groups, images and documents.

Test-only (factory_boy is in requirements-test.txt): nothing in the running site, `seed_demo`
included, imports this module. The pictures and PDF files are drawn by `school_site.drawing`
and stored by `school_site.seeding`, which `seed_demo` uses too. Pages are created as drafts,
then a revision by the author is published by a board member, so each page has the same history
a real one would have.
"""

from __future__ import annotations

import factory
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

from home.text import vietnamese_slugify
from school_site.drawing import draw_scene, pdf_bytes
from school_site.models import (
    ContributorGroup,
    GalleryImage,
    GalleryPage,
    LectureAttachment,
    LecturePage,
    NewsPage,
    OfficialDocumentAttachment,
    OfficialDocumentPage,
)
from school_site.seeding import create_document, create_image, publish_new_page


class ImageFactory(factory.django.DjangoModelFactory):
    """A generated JPEG in a collection: `ImageFactory(collection=school.collection)`."""

    class Meta:
        model = Image

    title = factory.Sequence(lambda n: f"Ảnh hoạt động {n}")
    collection = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        collection = kwargs.get("collection")
        if collection is None:
            collection = Collection.get_first_root_node()
        picture = kwargs.get("picture") or draw_scene(
            kwargs["title"],
            seed=kwargs["title"],
            colours=kwargs.get("colours", ("#0b5394", "#e69138")),
            size=(400, 250),
        )
        return create_image(
            title=kwargs["title"],
            collection=collection,
            picture=picture,
            uploaded_by_user=kwargs.get("uploaded_by_user"),
        )


class DocumentFactory(factory.django.DjangoModelFactory):
    """A generated PDF in a collection: `DocumentFactory(collection=school.collection)`."""

    class Meta:
        model = Document

    title = factory.Sequence(lambda n: f"Văn bản số {n}")
    collection = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        collection = kwargs.get("collection") or Collection.get_first_root_node()
        data = kwargs.get("data") or pdf_bytes(
            title=kwargs["title"], body="Tài liệu mẫu được tạo tự động."
        )
        return create_document(
            title=kwargs["title"],
            collection=collection,
            data=data,
            uploaded_by_user=kwargs.get("uploaded_by_user"),
        )


# ---------------------------------------------------------------------------------------------
# Contributor groups
# ---------------------------------------------------------------------------------------------


class ContributorGroupFactory(factory.django.DjangoModelFactory):
    """`ContributorGroupFactory(school=s, name="Tổ Toán", members=[u1, u2], leader=u1)`."""

    class Meta:
        model = ContributorGroup
        django_get_or_create = ("school", "name")
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Tổ chuyên môn {n}")
    kind = ContributorGroup.Kind.PROFESSIONAL

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.add(*extracted)
        # A leader always belongs to the group they lead.
        if create and self.leader_id:
            self.members.add(self.leader_id)


# ---------------------------------------------------------------------------------------------
# Content pages
# ---------------------------------------------------------------------------------------------


class ContentPageFactory(factory.django.DjangoModelFactory):
    """Base of the content page factories. Pass `parent=` (the section index page), `author=`,
    and optionally `publisher=` (a board member) and `published_at=`."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Tin hoạt động số {n}")
    slug = factory.LazyAttribute(lambda o: vietnamese_slugify(o.title))
    intro = "Bài viết được tạo tự động để minh hoạ."
    date = factory.LazyFunction(timezone.localdate)
    author = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        parent = kwargs.pop("parent")
        publisher = kwargs.pop("publisher", None)
        published_at = kwargs.pop("published_at", None)
        page = model_class(*args, **kwargs)
        return publish_new_page(
            parent,
            page,
            author=kwargs.get("author"),
            publisher=publisher,
            published_at=published_at,
        )


class NewsPageFactory(ContentPageFactory):
    class Meta:
        model = NewsPage

    category = NewsPage.Category.SCHOOL_NEWS
    body = factory.LazyAttribute(lambda o: [("paragraph", f"<p>{o.intro}</p>")])


class OfficialDocumentPageFactory(ContentPageFactory):
    """Pass `attachments=[OfficialDocumentAttachment(document=doc)]` to attach files."""

    class Meta:
        model = OfficialDocumentPage

    title = factory.Sequence(lambda n: f"Kế hoạch số {n}")
    number = factory.Sequence(lambda n: f"{n + 1}/KH-TH")
    document_kind = OfficialDocumentPage.Kind.PLAN
    issue_date = factory.LazyFunction(timezone.localdate)
    summary = factory.LazyAttribute(lambda o: f"<p>{o.intro}</p>")


class LecturePageFactory(ContentPageFactory):
    """Pass `attachments=[LectureAttachment(document=doc)]` to attach files."""

    class Meta:
        model = LecturePage

    title = factory.Sequence(lambda n: f"Bài giảng số {n}")
    subject = LecturePage.Subject.MATHS
    grade = LecturePage.Grade.GRADE_1
    body = factory.LazyAttribute(lambda o: [("paragraph", f"<p>{o.intro}</p>")])


class GalleryPageFactory(ContentPageFactory):
    """Pass `images=[GalleryImage(image=img, caption="…")]`; a gallery needs one at least."""

    class Meta:
        model = GalleryPage

    title = factory.Sequence(lambda n: f"Album ảnh số {n}")


# The attachment and gallery models are re-exported so a test builds a page from one import.
__all__ = [
    "ContentPageFactory",
    "ContributorGroupFactory",
    "DocumentFactory",
    "GalleryImage",
    "GalleryPageFactory",
    "ImageFactory",
    "LectureAttachment",
    "LecturePageFactory",
    "NewsPageFactory",
    "OfficialDocumentAttachment",
    "OfficialDocumentPageFactory",
]
