"""The public pages of a school site: rendering, isolation between schools, filters, query counts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from district_site.factories import make_member, make_school
from home.models import SiteBranding
from school_site.models import (
    AboutPage,
    BoardMember,
    BoardPage,
    ContactPage,
    ContributorGroup,
    DocumentIndexPage,
    GalleryImage,
    GalleryIndexPage,
    GalleryPage,
    LectureAttachment,
    LectureIndexPage,
    LecturePage,
    NewsIndexPage,
    NewsPage,
    OfficialDocumentAttachment,
    OfficialDocumentPage,
    StaffMember,
    StaffPage,
)

pytestmark = pytest.mark.django_db

Image = get_image_model()
Document = get_document_model()


# --- small local builders (there are no page factories yet) ---------------------------------


def host(school) -> str:
    return school.site.hostname


def section(school, model):
    return model.objects.descendant_of(school.site.root_page).get()


def add(parent, page, *, live: bool = True):
    """Add `page` under `parent` as a live page (or a draft with live=False)."""
    page.live = live
    parent.add_child(instance=page)
    return page


def make_image(school, title: str = "Ảnh"):
    return Image.objects.create(
        title=title, file=get_test_image_file(size=(160, 120)), collection=school.collection
    )


def make_document(school, title: str = "Tệp"):
    return Document.objects.create(
        title=title,
        file=ContentFile(b"%PDF-1.4 test", name="van-ban.pdf"),
        collection=school.collection,
    )


def add_news(school, title: str, *, category=NewsPage.Category.SCHOOL_NEWS, live=True, **kw):
    return add(
        section(school, NewsIndexPage),
        NewsPage(title=title, category=category, intro=f"Tóm tắt {title}", **kw),
        live=live,
    )


def add_document(school, title: str, *, number="", kind="dispatch", live=True, **kw):
    return add(
        section(school, DocumentIndexPage),
        OfficialDocumentPage(title=title, number=number, document_kind=kind, **kw),
        live=live,
    )


def add_lecture(school, title: str, *, subject="maths", grade=1, live=True, **kw):
    return add(
        section(school, LectureIndexPage),
        LecturePage(title=title, subject=subject, grade=grade, **kw),
        live=live,
    )


def add_album(school, title: str, *, photos: int = 1, live=True, **kw):
    album = GalleryPage(title=title, **kw)
    for i in range(photos):
        album.images.add(GalleryImage(image=make_image(school, f"{title} {i}"), caption=f"Ảnh {i}"))
    return add(section(school, GalleryIndexPage), album, live=live)


def fill_school(school, *, news: int = 3) -> dict:
    """Content of every kind for one school, with images and files, as a visitor would see it."""
    author = make_member(school, f"gv-{school.pk}", first_name="An", last_name="Nguyễn Văn")
    group = ContributorGroup.objects.create(school=school, name="Tổ Toán")
    group.members.add(author)
    feed = make_image(school, "Ảnh đại diện")
    items = [
        add_news(
            school,
            f"Tin số {i} của {school.name}",
            date=datetime.date(2024, 9, 1) + datetime.timedelta(days=i),
            feed_image=feed,
            author=author,
            contributor_group=group,
        )
        for i in range(news)
    ]
    announcement = add_news(
        school, f"Thông báo tựu trường {school.name}", category=NewsPage.Category.ANNOUNCEMENT
    )
    document = add_document(
        school,
        f"Kế hoạch năm học {school.name}",
        number="12/KH-TH",
        kind="plan",
        issue_date=datetime.date(2024, 9, 5),
        issuing_body="Phòng GD&ĐT Tam Nông",
        signer="Trần Thị Bình",
        summary="<p>Kế hoạch thực hiện nhiệm vụ năm học 2024–2025.</p>",
    )
    OfficialDocumentAttachment.objects.create(page=document, document=make_document(school))
    lecture = add_lecture(
        school,
        f"Phép cộng trong phạm vi 10 – {school.name}",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        feed_image=feed,
    )
    LectureAttachment.objects.create(
        page=lecture, document=make_document(school, "Giáo án"), title="Giáo án bài 1"
    )
    album = add_album(school, f"Khai giảng {school.name}", photos=3)
    about = section(school, AboutPage)
    board = BoardPage.objects.child_of(about).get()
    BoardMember.objects.create(
        page=board, name="Lê Văn Cường", position="Hiệu trưởng", duties="Trưởng ban"
    )
    BoardMember.objects.create(
        page=board, name="Phạm Thị Dung", position="Phó Hiệu trưởng", duties="Kiểm duyệt tin"
    )
    staff = StaffPage.objects.child_of(about).get()
    for i in range(3):
        StaffMember.objects.create(
            page=staff, name=f"Giáo viên {i}", position="Giáo viên", photo=make_image(school)
        )
    branding = SiteBranding.objects.get(site=school.site)
    branding.logo = make_image(school, "Logo")
    branding.banner = make_image(school, "Ảnh bìa")
    branding.phone = "0277 3 123 456"
    branding.email = f"truong{school.pk}@example.edu.vn"
    branding.address = "Ấp 1, xã Phú Đức"
    branding.save()
    return {
        "news": items,
        "announcement": announcement,
        "document": document,
        "lecture": lecture,
        "album": album,
        "board": board,
        "staff": staff,
        "about": about,
        "contact": section(school, ContactPage),
    }


def renditions(html: str, spec: str) -> list[str]:
    """The <img> tags of renditions made with `spec`, each checked to carry width and height."""
    tags = re.findall(rf"<img [^>]*\.{re.escape(spec)}\.[^>]*>", html)
    assert all(' width="' in t and ' height="' in t for t in tags), tags
    return tags


def url_of(page) -> str:
    """Path of a page on its own site: its url_path without the site root's segment."""
    return "/" + page.url_path.split("/", 2)[2]


# --- rendering -------------------------------------------------------------------------------


@pytest.fixture
def filled(school_a, school_b):
    return {school_a.pk: fill_school(school_a), school_b.pk: fill_school(school_b)}


def test_school_home_lists_only_this_schools_live_content(client, school_a, school_b, filled):
    draft = add_news(school_a, "Bản nháp chưa duyệt", live=False)
    for school, other in ((school_a, school_b), (school_b, school_a)):
        response = client.get("/", HTTP_HOST=host(school))
        assert response.status_code == 200
        html = response.content.decode()
        assert '<html lang="vi">' in html
        assert 'name="viewport"' in html
        assert 'type="application/rss+xml"' in html and 'href="/rss.xml"' in html
        assert 'action="/search/"' in html and 'name="q"' in html
        assert "Tin mới" in html and "Thông báo" in html and "Văn bản mới" in html
        assert school.name in html
        assert f"Tin số 2 của {school.name}" in html
        assert f"Thông báo tựu trường {school.name}" in html
        assert f"Kế hoạch năm học {school.name}" in html
        assert f"Khai giảng {school.name}" in html
        assert f"Phép cộng trong phạm vi 10 – {school.name}" in html
        assert other.name not in html
        assert draft.title not in html
        # Menu from the page tree, branding in the footer, colours as CSS variables.
        assert 'href="/tin-tuc/"' in html and 'href="/gioi-thieu/ban-quan-tri/"' in html
        assert "0277 3 123 456" in html and "Ấp 1, xã Phú Đức" in html
        assert "--primary:#" in html
        # Renditions carry their width and height.
        assert 'height-48.png" width="64" height="48" alt="" class="brand-logo">' in html


def test_news_index_paginates_filters_and_ignores_bad_values(client, school_a, school_b):
    for i in range(12):
        add_news(school_a, f"Tin A{i:02d}", date=datetime.date(2024, 1, 1 + i))
    add_news(school_a, "Thông báo nghỉ lễ", category=NewsPage.Category.ANNOUNCEMENT)
    add_news(school_a, "Bản nháp A", live=False)
    add_news(school_b, "Tin của trường B")
    index_url = "/tin-tuc/"

    first = client.get(index_url, HTTP_HOST=host(school_a)).content.decode()
    assert "Trang 1 / 2" in first and "Thông báo nghỉ lễ" in first and "Tin A11" in first
    assert "Tin A00" not in first
    second = client.get(index_url + "?page=2", HTTP_HOST=host(school_a)).content.decode()
    assert "Tin A00" in second and "Trang 2 / 2" in second
    for bad in ("abc", "999", "-1", ""):
        response = client.get(index_url, {"page": bad}, HTTP_HOST=host(school_a))
        assert response.status_code == 200
    filtered = client.get(
        index_url, {"category": "announcement"}, HTTP_HOST=host(school_a)
    ).content.decode()
    assert "Thông báo nghỉ lễ" in filtered and "Tin A05" not in filtered
    unknown = client.get(index_url, {"category": "khong-co"}, HTTP_HOST=host(school_a))
    assert unknown.status_code == 200 and "Tin A05" in unknown.content.decode()
    for html in (first, second, filtered):
        assert "Tin của trường B" not in html and "Bản nháp A" not in html
    assert "Tin của trường B" in client.get(index_url, HTTP_HOST=host(school_b)).content.decode()


def test_pagination_links_keep_the_filter(client, school_a, school_b):
    for i in range(11):
        add_news(school_a, f"Thông báo {i}", category=NewsPage.Category.ANNOUNCEMENT)
    html = client.get(
        "/tin-tuc/", {"category": "announcement"}, HTTP_HOST=host(school_a)
    ).content.decode()
    assert "?category=announcement&amp;page=2" in html


def test_document_index_filters_by_kind_year_and_number(client, school_a, school_b):
    add_document(school_a, "Quyết định thành lập", number="15/QĐ-TH", kind="decision",
                 issue_date=datetime.date(2023, 5, 2))  # fmt: skip
    add_document(school_a, "Công văn triển khai", number="531/PGDĐT-VP", kind="dispatch",
                 issue_date=datetime.date(2024, 10, 3))  # fmt: skip
    add_document(school_a, "Công văn nháp", number="999/NHAP", live=False)
    add_document(school_b, "Công văn của trường B", number="531/B")
    url = "/van-ban/"

    def titles(**params):
        response = client.get(url, params, HTTP_HOST=host(school_a))
        assert response.status_code == 200
        html = response.content.decode()
        return {
            t
            for t in (
                "Quyết định thành lập",
                "Công văn triển khai",
                "Công văn nháp",
                "Công văn của trường B",
            )  # fmt: skip
            if t in html
        }

    assert titles() == {"Quyết định thành lập", "Công văn triển khai"}
    assert titles(kind="decision") == {"Quyết định thành lập"}
    assert titles(year="2024") == {"Công văn triển khai"}
    assert titles(number="531") == {"Công văn triển khai"}
    assert titles(number="531", year="2023") == set()
    assert titles(kind="sai", year="abc") == {"Quyết định thành lập", "Công văn triển khai"}
    html = client.get(url, HTTP_HOST=host(school_a)).content.decode()
    assert "02/05/2023" in html and "03/10/2024" in html
    assert '<option value="2024"' in html and '<option value="2023"' in html


def test_lecture_index_filters_by_subject_and_grade(client, school_a, school_b):
    add_lecture(school_a, "Bài Toán lớp 1", subject="maths", grade=1)
    add_lecture(school_a, "Bài Tiếng Việt lớp 2", subject="vietnamese", grade=2)
    add_lecture(school_b, "Hoạt động của trường B", subject="preschool", grade=0)
    url = "/bai-giang/"

    def html(**params):
        response = client.get(url, params, HTTP_HOST=host(school_a))
        assert response.status_code == 200
        return response.content.decode()

    assert "Bài Toán lớp 1" in html() and "Bài Tiếng Việt lớp 2" in html()
    assert "Hoạt động của trường B" not in html()
    only_maths = html(subject="maths")
    assert "Bài Toán lớp 1" in only_maths and "Bài Tiếng Việt lớp 2" not in only_maths
    grade_2 = html(grade="2")
    assert "Bài Tiếng Việt lớp 2" in grade_2 and "Bài Toán lớp 1" not in grade_2
    assert "Bài Toán lớp 1" in html(grade="x")
    # A primary school offers grades 1–5 only.
    assert '<option value="5"' in html() and '<option value="6"' not in html()


def test_gallery_index_uses_the_first_photo_as_cover(client, school_a, school_b):
    add_album(school_a, "Hội khỏe Phù Đổng", photos=2)
    add_album(school_a, "Album nháp", photos=1, live=False)
    add_album(school_b, "Album của trường B", photos=1)
    html = client.get("/thu-vien-anh/", HTTP_HOST=host(school_a)).content.decode()
    assert "Hội khỏe Phù Đổng" in html
    assert "Album nháp" not in html and "Album của trường B" not in html
    assert len(renditions(html, "fill-480x320")) == 1


def test_every_content_page_renders_its_fields(client, school_a, school_b, filled):
    content = filled[school_a.pk]
    news = content["news"][0]
    html = client.get(url_of(news), HTTP_HOST=host(school_a)).content.decode()
    assert news.title in html and "Ngày đăng: 01/09/2024" in html
    assert "Tác giả: Nguyễn Văn An" in html and "Tổ Toán" in html
    # Breadcrumbs: home > section > this page.
    assert 'aria-label="Vị trí trang"' in html and 'href="/tin-tuc/"' in html

    doc = client.get(url_of(content["document"]), HTTP_HOST=host(school_a)).content.decode()
    for text in ("12/KH-TH", "05/09/2024", "Phòng GD&amp;ĐT Tam Nông", "Trần Thị Bình",
                 "Kế hoạch", "Trích yếu", "Tệp đính kèm", "van-ban"):  # fmt: skip
        assert text in doc

    lecture = client.get(url_of(content["lecture"]), HTTP_HOST=host(school_a)).content.decode()
    assert "Toán · Lớp 1" in lecture
    assert "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" in lecture
    assert "Giáo án bài 1" in lecture

    album = client.get(url_of(content["album"]), HTTP_HOST=host(school_a)).content.decode()
    assert len(renditions(album, "fill-480x320")) == 3 and "Ảnh 2" in album

    board = client.get(url_of(content["board"]), HTTP_HOST=host(school_a)).content.decode()
    assert "Lê Văn Cường" in board and "Kiểm duyệt tin" in board
    assert "Quy chế hoạt động" in board and "Điều 1" in board

    staff = client.get(url_of(content["staff"]), HTTP_HOST=host(school_a)).content.decode()
    assert "Giáo viên 2" in staff and len(renditions(staff, "max-120x150")) == 3

    about = client.get(url_of(content["about"]), HTTP_HOST=host(school_a)).content.decode()
    assert "Giới thiệu" in about and 'href="/gioi-thieu/doi-ngu/"' in about

    contact = client.get(url_of(content["contact"]), HTTP_HOST=host(school_a)).content.decode()
    assert "Liên hệ" in contact and "0277 3 123 456" in contact
    assert f"truong{school_a.pk}@example.edu.vn" in contact


def test_body_blocks_render_with_their_templates(client, school_a, school_b):
    photo = make_image(school_a, "Lễ chào cờ")
    file = make_document(school_a, "Thời khóa biểu")
    table = {
        "data": [["Lớp", "Sĩ số"], ["1A", "35"]],
        "first_row_is_table_header": True,
        "first_col_is_header": True,
        "table_caption": "Sĩ số các lớp",
    }
    news = add_news(
        school_a,
        "Tin có đủ loại khối",
        body=[
            ("paragraph", "<p>Đoạn mở đầu.</p>"),
            ("image", {"image": photo, "caption": "Học sinh dự lễ chào cờ"}),
            ("quote", {"text": "Học đi đôi với hành.", "source": "Chủ tịch Hồ Chí Minh"}),
            ("document", {"document": file, "title": ""}),
            ("table", table),
        ],
    )
    html = client.get(url_of(news), HTTP_HOST=host(school_a)).content.decode()
    assert "Đoạn mở đầu." in html
    assert "<figcaption>Học sinh dự lễ chào cờ</figcaption>" in html
    assert len(renditions(html, "width-480")) == 1
    assert "<blockquote><p>Học đi đôi với hành.</p></blockquote>" in html
    assert "— Chủ tịch Hồ Chí Minh" in html
    assert ">Thời khóa biểu</a>" in html and "(PDF)" in html
    assert "<caption>Sĩ số các lớp</caption>" in html
    assert '<th scope="col">Sĩ số</th>' in html and '<th scope="row">1A</th>' in html


def test_a_page_of_school_b_is_not_served_on_school_a(client, school_a, school_b):
    news_b = add_news(school_b, "Tin riêng của trường B")
    assert client.get(url_of(news_b), HTTP_HOST=host(school_b)).status_code == 200
    assert client.get(url_of(news_b), HTTP_HOST=host(school_a)).status_code == 404


def test_drafts_and_restricted_pages_stay_hidden(client, school_a, school_b):
    draft = add_news(school_a, "Tin nháp")
    draft.live = False
    draft.save()
    private = add_news(school_a, "Tin nội bộ")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    public = add_news(school_a, "Tin công khai")
    for url in ("/", "/tin-tuc/"):
        html = client.get(url, HTTP_HOST=host(school_a)).content.decode()
        assert "Tin công khai" in html
        assert "Tin nháp" not in html and "Tin nội bộ" not in html
    assert client.get(url_of(draft), HTTP_HOST=host(school_a)).status_code == 404
    assert client.get(url_of(public), HTTP_HOST=host(school_a)).status_code == 200


def test_unknown_host_and_unknown_path_show_the_vietnamese_404(client, school_a, school_b):
    for hostname, path in (("khong-co.localhost", "/"), (host(school_a), "/khong-co-trang/")):
        response = client.get(path, HTTP_HOST=hostname)
        assert response.status_code == 404
        html = response.content.decode()
        assert "Không tìm thấy trang" in html and '<html lang="vi">' in html
    # On a known site the 404 page keeps that school's name and menu.
    assert school_a.name in client.get("/khong-co/", HTTP_HOST=host(school_a)).content.decode()


def test_admin_preview_renders_with_the_schools_branding_and_byline(client, school_a, school_b):
    from django.contrib.auth import get_user_model

    author = make_member(school_a, "gv-xem-truoc", first_name="Hoa", last_name="Lê Thị")
    news = add_news(school_a, "Tin đang soạn", live=False, author=author)
    client.force_login(get_user_model().objects.create_superuser("quantri", "qt@example.vn", "x"))
    html = client.get(f"/admin/pages/{news.pk}/view_draft/").content.decode()
    assert "Tin đang soạn" in html and "Tác giả: Lê Thị Hoa" in html
    assert school_a.name in html and school_b.name not in html
    assert 'href="/tin-tuc/"' in html


def test_500_template_needs_no_context():
    from django.template import loader

    html = loader.get_template("500.html").render({})
    assert "hệ thống đang gặp sự cố" in html and 'lang="vi"' in html


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10", "dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
        ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
        ("https://vimeo.com/123456", ""),
        ("javascript:alert(1)", ""),
    ],
)
def test_youtube_embed_url(url, expected):
    from home.templatetags.site_tags import youtube_embed_url

    result = youtube_embed_url(url)
    assert result == (f"https://www.youtube-nocookie.com/embed/{expected}" if expected else "")


def test_dates_and_colours_are_formatted_safely():
    from home.templatetags.site_tags import css_colour, vn_date

    assert vn_date(datetime.date(2024, 3, 7)) == "07/03/2024"
    aware = datetime.datetime(2024, 3, 6, 20, 0, tzinfo=datetime.UTC)
    assert vn_date(aware) == "07/03/2024"  # 03:00 on the 7th in Asia/Ho_Chi_Minh
    assert css_colour("#0b5394") == "#0b5394"
    assert css_colour("red;}</style><script>") == "#0b5394"


# --- query counts ----------------------------------------------------------------------------

# Measured on Wagtail 8.0.1 after a warm-up request (ContentType and rendition caches full).
# Each count includes the SAVEPOINT / RELEASE pair that ATOMIC_REQUESTS adds inside a test's
# transaction, so the SQL reads are two fewer. Of those, 6 are fixed costs of every page: the
# site lookup (middleware), the site root's specific row (Wagtail's router), the two view
# restriction checks (Wagtail's serve hook), branding + menu (one query each) and the logo's and
# banner's renditions (one query, home/images.prefetch_renditions: no rendition cache reads or
# writes). A page showing pictures adds one query for all their renditions. They must stay the
# same whatever the number of schools and pages: see the test below.
EXPECTED_QUERIES = {
    "home": 15,  # + news & announcements (one query: two index-friendly id subqueries,
    #              see SchoolHomePage.news_and_announcements), documents, lectures,
    #              albums, covers, the cards' renditions
    "news_index": 14,  # + section, count, page of items, the cards' renditions
    "document_index": 14,  # + years for the filter
    "lecture_index": 14,
    "gallery_index": 15,  # + cover images
    "news": 13,  # + section, page (one query each, see SectionIndexPage.route), byline
    "document": 13,  # + section, page, attachments
    "lecture": 13,  # + section, page, attachments
    "album": 14,  # + section, page, photos, their renditions (thumbnails and large)
    "about": 12,  # + page and its specific row, sub-pages
    "board": 14,  # + about (2), page (2), members
    "staff": 15,  # + about (2), page (2), staff, their portraits' renditions
    "contact": 11,  # + page and its specific row
}


def page_urls(content) -> dict[str, str]:
    return {
        "home": "/",
        "news_index": "/tin-tuc/",
        "document_index": "/van-ban/",
        "lecture_index": "/bai-giang/",
        "gallery_index": "/thu-vien-anh/",
        "news": url_of(content["news"][0]),
        "document": url_of(content["document"]),
        "lecture": url_of(content["lecture"]),
        "album": url_of(content["album"]),
        "about": url_of(content["about"]),
        "board": url_of(content["board"]),
        "staff": url_of(content["staff"]),
        "contact": url_of(content["contact"]),
    }


def assert_query_counts(client, school, content, django_assert_num_queries):
    for name, url in page_urls(content).items():
        # Warm-up: fills Wagtail's rendition cache and Django's ContentType cache.
        assert client.get(url, HTTP_HOST=host(school)).status_code == 200, name
        with django_assert_num_queries(EXPECTED_QUERIES[name], info=name):
            response = client.get(url, HTTP_HOST=host(school))
        assert response.status_code == 200, name


@pytest.mark.usefixtures("page_cache_off")  # measures rendering, not the page cache
def test_query_counts_do_not_grow_with_schools_or_pages(
    client, school_a, school_b, django_assert_num_queries
):
    content = fill_school(school_a, news=10)
    fill_school(school_b, news=2)
    assert_query_counts(client, school_a, content, django_assert_num_queries)

    for i in range(18):
        make_school(f"th-them-{i}", name=f"Trường Tiểu học Thêm {i}")
    feed = make_image(school_a, "Ảnh tin thêm")
    for i in range(90):
        add_news(school_a, f"Tin thêm {i}", date=datetime.date(2025, 1, 1), feed_image=feed)
    for i in range(12):
        # Older than the news above, so the news index's first page still shows pictures
        # (a page without any picture needs no renditions query).
        add_news(
            school_a,
            f"Thông báo thêm {i}",
            category=NewsPage.Category.ANNOUNCEMENT,
            date=datetime.date(2024, 1, 1),
        )
        add_document(school_a, f"Văn bản thêm {i}", number=f"{i}/TB")
        add_lecture(school_a, f"Bài giảng thêm {i}", feed_image=feed)
        add_album(school_a, f"Album thêm {i}", photos=2)
    assert NewsPage.objects.descendant_of(school_a.site.root_page).count() == 113
    assert_query_counts(client, school_a, content, django_assert_num_queries)


# The same pages with the per-site caches on (page cache still off: a logged-in user's request,
# or any page the page cache has not stored). Every page then skips the site lookup, the root's
# specific row, the branding and its renditions (district_site/middleware.py keeps them per
# site) and the menu (a fragment): five queries. The school home also skips its two view
# restriction checks (its root carries the answer) and its listings (a fragment): no SQL at
# all, only the savepoint pair of the test's transaction.
WARM_SITE_SAVES = 5
WARM_QUERIES = {name: count - WARM_SITE_SAVES for name, count in EXPECTED_QUERIES.items()}
WARM_QUERIES["home"] = 2


def assert_warm_query_counts(client, school, content, django_assert_num_queries):
    for name, url in page_urls(content).items():
        assert client.get(url, HTTP_HOST=host(school)).status_code == 200, name
        with django_assert_num_queries(WARM_QUERIES[name], info=name):
            response = client.get(url, HTTP_HOST=host(school))
        assert response.status_code == 200, name


def test_warm_query_counts_do_not_grow_with_schools_or_pages(
    client, school_a, school_b, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    content = fill_school(school_a, news=10)
    fill_school(school_b, news=2)
    assert_warm_query_counts(client, school_a, content, django_assert_num_queries)

    for i in range(18):
        make_school(f"th-them-{i}", name=f"Trường Tiểu học Thêm {i}")
    feed = make_image(school_a, "Ảnh tin thêm")
    for i in range(40):
        add_news(school_a, f"Tin thêm {i}", date=datetime.date(2025, 1, 1), feed_image=feed)
    for i in range(6):
        add_document(school_a, f"Văn bản thêm {i}", number=f"{i}/TB")
        add_lecture(school_a, f"Bài giảng thêm {i}", feed_image=feed)
        add_album(school_a, f"Album thêm {i}", photos=2)
    assert_warm_query_counts(client, school_a, content, django_assert_num_queries)
    # And school B's home, warm, is as cheap and shows only its own news.
    html = client.get("/", HTTP_HOST=host(school_b)).content.decode()
    with django_assert_num_queries(WARM_QUERIES["home"]):
        again = client.get("/", HTTP_HOST=host(school_b)).content.decode()
    assert again == html and "Tin thêm 0" not in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_home_picks_its_newest_news_by_index_not_by_scanning_the_district(school_a, school_b):
    """With a few thousand news pages in other schools and no announcements anywhere (the case
    where a filter on the category found nothing to stop at), the home's one news statement
    reads the news table through its indexes only."""
    from django.test.utils import CaptureQueriesContext

    from tests.bulk_pages import bulk_news

    index_b = NewsIndexPage.objects.child_of(school_b.site.root_page).get()
    bulk_news(index_b, 3000, search_index=False)
    add_news(school_a, "Khai giảng năm học mới")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # VACUUM cannot run in the test's transaction; ANALYZE can

    home = school_a.site.root_page.specific
    with CaptureQueriesContext(connection) as captured:
        news, announcements = home.news_and_announcements()
    assert [page.title for page in news] == ["Khai giảng năm học mới"] and announcements == []
    (sql,) = [q["sql"] for q in captured.captured_queries]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on school_site_newspage" not in plan, plan
