"""Each page type can be created where it belongs and nowhere else."""

import pytest
from wagtail.models import Page

from district_site.portal.models import DistrictHomePage
from school_site.models import (
    AboutPage,
    BoardPage,
    ContactPage,
    DocumentIndexPage,
    GalleryIndexPage,
    GalleryPage,
    LectureIndexPage,
    LecturePage,
    NewsIndexPage,
    NewsPage,
    OfficialDocumentPage,
    SchoolHomePage,
    StaffPage,
)

pytestmark = pytest.mark.django_db

ALLOWED = {
    SchoolHomePage: {Page},
    NewsIndexPage: {SchoolHomePage, DistrictHomePage},
    DocumentIndexPage: {SchoolHomePage, DistrictHomePage},
    LectureIndexPage: {SchoolHomePage},
    GalleryIndexPage: {SchoolHomePage},
    AboutPage: {SchoolHomePage},
    ContactPage: {SchoolHomePage},
    BoardPage: {AboutPage},
    StaffPage: {AboutPage},
    NewsPage: {NewsIndexPage},
    OfficialDocumentPage: {DocumentIndexPage},
    LecturePage: {LectureIndexPage},
    GalleryPage: {GalleryIndexPage},
}


@pytest.mark.parametrize("page_type", list(ALLOWED), ids=lambda m: m.__name__)
def test_parent_page_types(page_type):
    assert set(page_type.allowed_parent_page_models()) == ALLOWED[page_type]


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        (NewsPage, SchoolHomePage),
        (NewsPage, DocumentIndexPage),
        (OfficialDocumentPage, NewsIndexPage),
        (LecturePage, GalleryIndexPage),
        (GalleryPage, LectureIndexPage),
        (BoardPage, SchoolHomePage),
        (SchoolHomePage, SchoolHomePage),
    ],
    ids=lambda m: m.__name__,
)
def test_content_cannot_land_in_the_wrong_place(child, parent):
    assert not child.can_create_at(parent())


def test_sections_are_one_per_school(school_a, school_b):
    for school in (school_a, school_b):
        home = school.site.root_page.specific
        for section in (NewsIndexPage, DocumentIndexPage, LectureIndexPage, GalleryIndexPage):
            assert not section.can_create_at(home), section
        for content, index in (
            (NewsPage, NewsIndexPage),
            (OfficialDocumentPage, DocumentIndexPage),
            (LecturePage, LectureIndexPage),
            (GalleryPage, GalleryIndexPage),
        ):
            assert content.can_create_at(index.objects.child_of(home).get())


def test_content_kinds():
    assert NewsPage(category="article").content_kind == "article"
    assert NewsPage(category="announcement").content_kind == "news"
    assert OfficialDocumentPage.content_kind == "document"
    assert LecturePage.content_kind == "lecture"
    assert GalleryPage.content_kind == "gallery"
