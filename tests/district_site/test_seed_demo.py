"""`seed_demo`: the demo district is complete, idempotent, and every link of every site works.

Seeding takes several seconds, so the module seeds once inside an outer transaction that is
rolled back when the module ends; each test runs in its own savepoint inside it (pytest-django's
`db` fixture), so no test sees another's changes and nothing is left for other modules.
"""

from __future__ import annotations

import datetime
import io
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django.utils.html import escape
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, Page, PageLogEntry, Revision, Site

from district_site.demo import (
    DEMO_PASSWORD,
    SCHOOLS,
    SEED_LETTER_NUMBER,
    letter_html,
    school_year,
)
from district_site.models import DISTRICT_ADMINS_GROUP, School
from district_site.portal.models import DistrictHomePage
from home.text import display_name
from school_site.models import (
    AboutPage,
    BoardPage,
    ContactPage,
    ContributorGroup,
    DocumentIndexPage,
    GalleryPage,
    LecturePage,
    NewsPage,
    OfficialDocumentPage,
    StaffPage,
)

URL_RE = re.compile(r"http://[^\s/]+(?::\d+)?/(?:admin/)?")
CONTENT_TYPES = (NewsPage, OfficialDocumentPage, LecturePage, GalleryPage)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed once for the module; roll everything back at its end. Returns the printed output."""
    media = tmp_path_factory.mktemp("seed-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = io.StringIO()
            call_command("seed_demo", port=8000, stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "contributor_groups": ContributorGroup.objects.count(),
        "images": Image.objects.count(),
        "documents": Document.objects.count(),
        "sites": Site.objects.count(),
        "collections": Collection.objects.count(),
        "schools": School.objects.count(),
    }


def _hosts(output: str) -> list[str]:
    """Every site URL the command printed, admin excluded."""
    return [url for url in URL_RE.findall(output) if not url.endswith("/admin/")]


# ---------------------------------------------------------------------------------------------
# What is created
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_portal_carries_the_seed_letter(seeded):
    portal = DistrictHomePage.objects.get()
    assert Site.objects.get(root_page=portal).hostname == "localhost"
    index = DocumentIndexPage.objects.child_of(portal).get()
    letter = OfficialDocumentPage.objects.child_of(index).get(number=SEED_LETTER_NUMBER)
    assert letter.live
    assert letter.issue_date == datetime.date(2017, 6, 29)
    assert letter.issuing_body == "Phòng GD&ĐT Tam Nông"
    assert letter.signer == "Lê Thanh Long"
    assert letter.document_kind == OfficialDocumentPage.Kind.DISPATCH
    assert "Thành lập Ban quản trị và Quy chế hoạt động" in letter.summary
    assert "Công đoàn, Đoàn – Đội, các Tổ chuyên môn" in letter.summary
    attachment = letter.attachments.get()
    assert attachment.document.file.name.endswith(".pdf")
    assert default_storage.exists(attachment.document.file.name)
    with default_storage.open(attachment.document.file.name) as f:
        assert f.read(5) == b"%PDF-"


def test_letter_html_keeps_lists_and_signature_bold():
    html = letter_html("Nơi nhận:\n\n- Các đ/v trực thuộc;\n- Lưu: VT.\n\nKT. TRƯỞNG PHÒNG")
    assert html == (
        "<p>Nơi nhận:</p><ul><li>Các đ/v trực thuộc;</li><li>Lưu: VT.</li></ul>"
        "<p><b>KT. TRƯỞNG PHÒNG</b></p>"
    )


@pytest.mark.django_db
def test_one_school_of_every_kind_with_its_people(seeded):
    schools = list(School.objects.select_related("site", "principal", "board_group"))
    assert {s.kind for s in schools} == set(School.Kind.values)
    assert {s.site.hostname for s in schools} == {f"{d.slug}.localhost" for d in SCHOOLS}
    assert all("Tam Nông, tỉnh Đồng Tháp" in s.address for s in schools)

    User = get_user_model()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    district_admin = User.objects.get(groups__name=DISTRICT_ADMINS_GROUP)
    assert not district_admin.is_superuser
    # Stored as every user is (home/text.py): given name in first_name, shown family first.
    assert (district_admin.first_name, district_admin.last_name) == ("Tùng", "Võ Thanh")
    assert display_name(district_admin) == "Võ Thanh Tùng"

    for school in schools:
        board = set(school.board_group.user_set.all())
        editors = set(school.editors_group.user_set.all())
        assert school.principal in board, school
        assert len(board) == 2, school
        assert 2 <= len(editors) <= 3, school
        assert not board & editors
        for user in board | editors:
            assert user.username.isascii() and user.username.endswith(
                "." + school.site.hostname.split(".")[0].replace("-", "")
            )
            assert user.check_password(DEMO_PASSWORD)
        assert school.principal.username.startswith("hieutruong.")
        # Nobody belongs to two schools: the demo must not hide a leak.
        others = School.objects.exclude(pk=school.pk)
        assert not User.objects.filter(
            pk__in=[u.pk for u in board | editors], groups__board_of__in=others
        ).exists()


@pytest.mark.django_db
def test_contributor_groups_fit_the_kind_of_school(seeded):
    for school in School.objects.prefetch_related("contributor_groups__members"):
        groups = list(school.contributor_groups.all())
        kinds = {g.kind for g in groups}
        names = {g.name for g in groups}
        assert "Công đoàn" in names
        assert ContributorGroup.Kind.PROFESSIONAL in kinds
        people = set(school.board_group.user_set.all()) | set(school.editors_group.user_set.all())
        if school.kind == School.Kind.PRESCHOOL:
            assert ContributorGroup.Kind.YOUTH_UNION not in kinds
            assert "Tổ Nuôi dưỡng" in names
        else:
            assert "Đoàn – Đội" in names
        for group in groups:
            members = set(group.members.all())
            assert group.leader in members
            assert members <= people, (school, group)


@pytest.mark.django_db
def test_every_section_of_every_school_has_content(seeded):
    start_year, first_day, last_day = school_year(timezone.localdate())
    for school in School.objects.select_related("site__root_page", "collection"):
        home = school.site.root_page
        people = set(school.board_group.user_set.all()) | set(school.editors_group.user_set.all())
        board = set(school.board_group.user_set.all())

        news = list(NewsPage.objects.descendant_of(home).live())
        assert 6 <= len(news) <= 10, school
        assert {n.category for n in news} == set(NewsPage.Category.values), school
        documents = list(
            OfficialDocumentPage.objects.descendant_of(home).prefetch_related("attachments")
        )
        assert 3 <= len(documents) <= 5
        assert all(d.number and d.attachments.all() for d in documents)
        lectures = list(LecturePage.objects.descendant_of(home).prefetch_related("attachments"))
        assert 3 <= len(lectures) <= 4
        assert all(lec.attachments.all() for lec in lectures)
        if school.kind == School.Kind.PRESCHOOL:
            assert {lec.grade for lec in lectures} == {LecturePage.Grade.PRESCHOOL}
        galleries = list(GalleryPage.objects.descendant_of(home).prefetch_related("images__image"))
        assert 2 <= len(galleries) <= 3
        for gallery in galleries:
            images = [item.image for item in gallery.images.all()]
            assert 3 <= len(images) <= 5
            assert {img.collection_id for img in images} == {school.collection_id}
            assert all(img.width == 800 and img.height == 500 for img in images)

        board_page = BoardPage.objects.descendant_of(home).get()
        assert board_page.members.count() >= 2
        assert all(m.duties for m in board_page.members.all())
        assert StaffPage.objects.descendant_of(home).get().staff.count() >= 5
        assert ContactPage.objects.descendant_of(home).get().body
        assert len(AboutPage.objects.descendant_of(home).get().body) > 1

        for model in CONTENT_TYPES:
            for page in model.objects.descendant_of(home).select_related("contributor_group"):
                assert page.live
                assert page.author in people, page
                if page.contributor_group:
                    assert page.contributor_group.school_id == school.pk
                    assert page.contributor_group.members.filter(pk=page.author_id).exists()
                assert first_day <= page.date <= last_day, page
                # History: the author's revision, published by another board member.
                assert page.latest_revision.user == page.author
                publish = PageLogEntry.objects.get(page=page, action="wagtail.publish")
                assert publish.user in board and publish.user != page.author
        # Images and files live in the school's own collection, and nowhere else.
        other_collections = Collection.objects.exclude(pk=school.collection_id)
        assert Image.objects.filter(collection=school.collection).count() >= 12
        assert not Image.objects.filter(
            collection__in=other_collections, title__contains=school.name
        ).exists()
        assert Document.objects.filter(collection=school.collection).count() == len(
            documents
        ) + len(lectures)


# ---------------------------------------------------------------------------------------------
# Idempotence and output
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_second_run_adds_nothing_and_says_so(seeded, django_assert_max_num_queries, monkeypatch):
    assert "Đã tạo dữ liệu mẫu: 5 trường" in seeded
    before = _counts()
    # `make demo PORT=…` exports PORT; the printed URLs follow it.
    monkeypatch.setenv("PORT", "8123")
    out = io.StringIO()
    # Checking what exists costs ~38 queries a school (measured: 196 for five), however many
    # pages, images and users each school has.
    with django_assert_max_num_queries(10 + 40 * len(SCHOOLS)):
        call_command("seed_demo", stdout=out)
    assert _counts() == before
    assert "không thay đổi gì" in out.getvalue()
    assert "http://localhost:8123/admin/" in out.getvalue()
    assert "http://th-phuduc.localhost:8123/" in out.getvalue()


@pytest.mark.django_db
def test_output_lists_urls_and_every_account(seeded):
    assert "http://localhost:8000/admin/" in seeded
    assert "http://localhost:8000/" in seeded
    for demo in SCHOOLS:
        assert f"http://{demo.slug}.localhost:8000/" in seeded
    User = get_user_model()
    users = User.objects.filter(username__in=re.findall(r"^  - (\S+) / mật khẩu", seeded, re.M))
    assert users.count() == User.objects.count() == 2 + 5 * len(SCHOOLS)
    assert seeded.count(f"mật khẩu: {DEMO_PASSWORD}") == users.count()


@pytest.mark.django_db
def test_printed_sites_answer_and_accounts_log_in(seeded, client):
    hosts = _hosts(seeded)
    assert len(hosts) == 1 + len(SCHOOLS)
    titles = {}
    for url in hosts:
        host = urlsplit(url).netloc
        response = client.get("/", HTTP_HOST=host)
        assert response.status_code == 200, url
        titles[host] = response.content
    # Each host shows its own school, not another one's.
    for demo in SCHOOLS:
        own = titles[f"{demo.slug}.localhost:8000"]
        # As HTML: "TH&THCS" is "TH&amp;THCS" in a page (it was only found raw in the starter
        # texts, which did not escape the name).
        assert escape(demo.name).encode() in own
    assert client.login(username="hieutruong.thphuduc", password=DEMO_PASSWORD)
    assert client.get("/admin/", HTTP_HOST="localhost:8000").status_code == 200


# ---------------------------------------------------------------------------------------------
# Crawl
# ---------------------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


MAX_CRAWL = 3000


@pytest.mark.django_db
def test_crawl_every_internal_link_answers_200(seeded, client):
    """From every site's home, follow every link to one of the demo's own hosts."""
    starts = _hosts(seeded)
    hostnames = {urlsplit(url).hostname for url in starts}
    queue = deque((url, "(start)") for url in starts)
    seen = {url for url in starts}
    failures: list[str] = []
    visited = 0
    while queue:
        url, referrer = queue.popleft()
        visited += 1
        assert visited <= MAX_CRAWL, "the crawl does not end: links generate new URLs forever"
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = client.get(path, HTTP_HOST=parts.netloc)
        if response.status_code != 200:
            failures.append(f"{url} → {response.status_code} (linked from {referrer})")
            continue
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            target, _ = urldefrag(urljoin(url, href))
            split = urlsplit(target)
            if split.scheme not in ("http", "https") or split.hostname not in hostnames:
                continue
            if split.path.startswith("/admin/"):
                continue
            if split.path.startswith("/media/"):
                # Media is served by the web server, not Django (DEBUG is off in tests).
                name = split.path.removeprefix("/media/")
                if not default_storage.exists(name):
                    failures.append(f"{target} → missing file (linked from {url})")
                continue
            if target not in seen:
                seen.add(target)
                queue.append((target, url))
    assert failures == []
    # Every published page of the demo is reachable by following links from a home page.
    crawled = {(urlsplit(u).hostname, urlsplit(u).path) for u in seen}
    unreachable = []
    for page in Page.objects.live().filter(depth__gt=1).specific():
        site_id, root_url, path = page.get_url_parts()
        if (urlsplit(root_url).hostname, path) not in crawled:
            unreachable.append(page.url_path)
    assert unreachable == []


# ---------------------------------------------------------------------------------------------
# The factories the demo is built on, for other tests to use
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_content_factories_publish_with_history_in_one_school(
    school_a, school_b, board_a, editor_a, settings, tmp_path
):
    from school_site.factories import (
        ContributorGroupFactory,
        DocumentFactory,
        GalleryImage,
        GalleryPageFactory,
        ImageFactory,
        LectureAttachment,
        LecturePageFactory,
        NewsPageFactory,
        OfficialDocumentAttachment,
        OfficialDocumentPageFactory,
    )
    from school_site.models import GalleryIndexPage, LectureIndexPage, NewsIndexPage

    settings.MEDIA_ROOT = str(tmp_path)
    home_a, home_b = school_a.site.root_page, school_b.site.root_page
    group = ContributorGroupFactory(school=school_a, name="Tổ 1", leader=editor_a)
    assert list(group.members.all()) == [editor_a]

    image = ImageFactory(collection=school_a.collection)
    assert image.collection == school_a.collection and image.file_hash and image.width == 400
    document = DocumentFactory(collection=school_a.collection)
    with document.open_file() as f:
        assert f.read(5) == b"%PDF-"

    credit = {"author": editor_a, "contributor_group": group, "publisher": board_a}
    pages = [
        NewsPageFactory(parent=NewsIndexPage.objects.child_of(home_a).get(), **credit),
        OfficialDocumentPageFactory(
            parent=DocumentIndexPage.objects.child_of(home_a).get(),
            attachments=[OfficialDocumentAttachment(document=document)],
            **credit,
        ),
        LecturePageFactory(
            parent=LectureIndexPage.objects.child_of(home_a).get(),
            attachments=[LectureAttachment(document=document)],
            **credit,
        ),
        GalleryPageFactory(
            parent=GalleryIndexPage.objects.child_of(home_a).get(),
            images=[GalleryImage(image=image, caption="Chào cờ")],
            **credit,
        ),
    ]
    for page in pages:
        page.refresh_from_db()
        assert page.live and page.get_school() == school_a
        assert page.latest_revision.user == editor_a
        assert PageLogEntry.objects.get(page=page, action="wagtail.publish").user == board_a
    assert pages[1].attachments.get().document == document
    assert pages[2].attachments.get().document == document
    assert pages[3].images.get().image == image
    # Nothing landed in the other school.
    for model in CONTENT_TYPES:
        assert not model.objects.descendant_of(home_b).exists()
    assert not Image.objects.filter(collection=school_b.collection).exists()


@pytest.mark.django_db
def test_the_ledger_is_dated_like_the_posts(seeded):
    """Credit is dated by the publication, over the school year so far: the monthly trend and
    the year boundary have a shape, not one spike on the day of seeding."""
    from scoring.models import CreditEvent

    earned = list(CreditEvent.objects.filter(kind=CreditEvent.Kind.EARNED))
    assert len(earned) > 20
    published = dict(
        Page.objects.filter(pk__in=[e.page_id for e in earned]).values_list(
            "pk", "first_published_at"
        )
    )
    assert all(e.created_at == published[e.page_id] for e in earned)
    assert max(e.created_at for e in earned) <= timezone.now()
    _start_year, first_day, last_day = school_year(timezone.localdate())
    span_months = (last_day.year - first_day.year) * 12 + last_day.month - first_day.month + 1
    months = {timezone.localtime(e.created_at).strftime("%Y-%m") for e in earned}
    assert len(months) >= min(3, span_months)
    # Each credit lies in the school year containing its date.
    for event in earned[:50]:
        year = event.school_year
        day = timezone.localtime(event.created_at).date()
        assert year.start_date <= day <= year.end_date
