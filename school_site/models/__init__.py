from school_site.models.about import (
    AboutPage,
    BoardMember,
    BoardPage,
    ContactPage,
    StaffMember,
    StaffPage,
)
from school_site.models.content import ContentPage
from school_site.models.documents import OfficialDocumentAttachment, OfficialDocumentPage
from school_site.models.galleries import GalleryImage, GalleryPage
from school_site.models.groups import ContributorGroup
from school_site.models.lectures import LectureAttachment, LecturePage
from school_site.models.news import NewsPage
from school_site.models.people import PersonSearchName, StaffProfile
from school_site.models.review import GroupLeaderReviewTask, SchoolBoardReviewTask
from school_site.models.sections import (
    DocumentIndexPage,
    GalleryIndexPage,
    LectureIndexPage,
    NewsIndexPage,
    SchoolHomePage,
)

__all__ = [
    "AboutPage",
    "BoardMember",
    "BoardPage",
    "ContactPage",
    "ContentPage",
    "ContributorGroup",
    "DocumentIndexPage",
    "GalleryImage",
    "GalleryIndexPage",
    "GalleryPage",
    "GroupLeaderReviewTask",
    "LectureAttachment",
    "LectureIndexPage",
    "LecturePage",
    "NewsIndexPage",
    "NewsPage",
    "OfficialDocumentAttachment",
    "OfficialDocumentPage",
    "SchoolBoardReviewTask",
    "SchoolHomePage",
    "StaffMember",
    "StaffPage",
    "PersonSearchName",
    "StaffProfile",
]
