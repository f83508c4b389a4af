"""The admin speaks Vietnamese to every role, on every screen of their day, unless a user
chose English in their account settings.

Wagtail 8.0.1's own Vietnamese covers about 14% of its admin; the project's catalogues in
locale/vi/ (LOCALE_PATHS) fill in the rest. A screen fails if anything a person reads on it is
an English message of Wagtail's or Django's catalogues (tests/i18n/english.py).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
import wagtail
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import TaskState
from wagtail.users.models import UserProfile

from district_site.factories import UserFactory, make_member
from district_site.models import DISTRICT_ADMINS_GROUP
from school_site.factories import DocumentFactory, ImageFactory
from school_site.models import NewsIndexPage, NewsPage
from tests.i18n.english import PLACEHOLDER, english_strings, is_english_message
from tests.i18n.po import parse
from tests.i18n.screens import HOST, World, html_of, screens_for, user_content

pytestmark = pytest.mark.django_db

ROLES = ["contributor", "board", "principal", "district_admin", "superuser"]


def _draft_in_review(school, author, title: str) -> tuple[NewsPage, list]:
    index = NewsIndexPage.objects.child_of(school.site.root_page).get()
    page = NewsPage(title=title, author=author, owner=author, live=False)
    index.add_child(instance=page)
    first = page.save_revision(user=author, log_action=True)
    page.title = title + " (bản sửa)"
    second = page.save_revision(user=author, log_action=True)
    page.get_workflow().start(page, author)
    return NewsPage.objects.get(pk=page.pk), [first, second]


@pytest.fixture
def users(school_a, school_b) -> dict:
    principal = make_member(school_a, "ht_a", board=True, first_name="Lan", last_name="Trần")
    school_a.principal = principal
    school_a.save(update_fields=["principal"])
    district_admin = UserFactory(username="pgd_admin")
    district_admin.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    return {
        "contributor": make_member(school_a, "gv_a", first_name="Hoa", last_name="Nguyễn"),
        "board": make_member(school_a, "bqt_a", board=True, first_name="Minh", last_name="Lê"),
        "principal": principal,
        "district_admin": district_admin,
        "superuser": UserFactory(username="quantri", is_superuser=True),
        "contributor_b": make_member(school_b, "gv_b"),
    }


@pytest.fixture
def world(school_a, school_b, users) -> World:
    author = users["contributor"]
    page, revisions = _draft_in_review(school_a, author, "Hội khỏe Phù Đổng cấp trường")
    # School B has its own content in review: none of it may show on school A's screens.
    _draft_in_review(school_b, users["contributor_b"], "Bé vui đón Tết Trung thu")
    ImageFactory(title="Ảnh Trung thu trường B", collection=school_b.collection)
    DocumentFactory(title="Kế hoạch năm học trường B", collection=school_b.collection)
    task_state = TaskState.objects.get(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    return World(
        school=school_a,
        news_index=page.get_parent(),
        draft=page,
        image=ImageFactory(
            title="Ảnh lễ khai giảng", collection=school_a.collection, uploaded_by_user=author
        ),
        document=DocumentFactory(
            title="Kế hoạch năm học 2016-2017",
            collection=school_a.collection,
            uploaded_by_user=author,
        ),
        workflow_state=task_state.workflow_state,
        task_state_id=task_state.pk,
        revisions=revisions,
    )


SCHOOL_B_TEXTS = ("Bé vui đón Tết Trung thu", "Ảnh Trung thu trường B", "Kế hoạch năm học trường B")


def _report(failures: dict[str, list[str]]) -> str:
    lines = [f"{len(failures)} screens show English catalogue messages:"]
    for screen, texts in failures.items():
        lines.append(f"  {screen} ({len(texts)}): " + " | ".join(texts))
    return "\n".join(lines)


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_screen_of_the_role_is_vietnamese(client, world, users, role):
    client.force_login(users[role])
    content = user_content()
    screens = screens_for(role, world)
    failures: dict[str, list[str]] = {}
    for name, url in screens.items():
        response = client.get(url, HTTP_HOST=HOST)
        if response.status_code != 200:
            failures[name] = [f"HTTP {response.status_code} {url}"]
            continue
        html = html_of(response)
        assert html.strip(), f"{role}: {name} is empty"
        found = sorted({text for _where, text in english_strings(html, content)})
        if found:
            failures[name] = found
        if role in ("contributor", "board", "principal"):
            leaked = [t for t in SCHOOL_B_TEXTS if t in html]
            assert not leaked, f"{role}: {name} shows school B's {leaked}"
    assert not failures, f"{role}: " + _report(failures)


def test_the_login_and_password_reset_pages_and_mail_are_vietnamese(client, users):
    content = user_content()
    for url in (reverse("wagtailadmin_login"), reverse("wagtailadmin_password_reset")):
        response = client.get(url, HTTP_HOST=HOST)
        assert response.status_code == 200
        assert english_strings(response.content.decode(), content) == [], url
    # A wrong password: the error message is Vietnamese too.
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": "gv_a", "password": "sai-mat-khau"},
        HTTP_HOST=HOST,
    )
    assert response.status_code == 200
    assert english_strings(response.content.decode(), content) == []

    response = client.post(
        reverse("wagtailadmin_password_reset"),
        {"email": users["contributor"].email},
        HTTP_HOST=HOST,
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    english_lines = [
        line
        for line in [message.subject, *message.body.splitlines()]
        if line.strip() and is_english_message(line)
    ]
    assert english_lines == []
    assert "mật khẩu" in message.body.lower()


def test_the_editors_javascript_catalogue_is_vietnamese(client, users):
    """StreamField, comments and modals take their words from the djangojs catalogue."""
    client.force_login(users["contributor"])
    response = client.get(reverse("wagtailadmin_javascript_catalog"), HTTP_HOST=HOST)
    assert response.status_code == 200
    catalog = json.loads(
        re.search(r"const newcatalog = (\{.*?\});\n", response.content.decode(), re.S).group(1)
    )
    js_po = Path(wagtail.__file__).parent / "admin/locale/en/LC_MESSAGES/djangojs.po"
    missing = []
    for entry in parse(js_po):
        # Placeholders and punctuation only ("%(a)s: %(b)s") need no translation.
        if not re.search(r"[A-Za-z]{3}", PLACEHOLDER.sub("", entry.msgid)):
            continue
        value = catalog.get(entry.msgid)
        if isinstance(value, list):
            value = value[0]
        if not value or value == entry.msgid:
            missing.append(entry.msgid)
    assert missing == []


def test_a_user_who_chose_english_gets_the_english_admin(client, world, users):
    board = users["board"]
    profile = UserProfile.get_for_user(board)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(board)
    # The create view always offers "Save draft"; the draft in review is locked for its author.
    edit_url = reverse(
        "wagtailadmin_pages:add", args=["school_site", "newspage", world.news_index.pk]
    )
    response = client.get(edit_url, HTTP_HOST=HOST)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en"' in html
    assert "Save draft" in html and "Lưu bản nháp" not in html

    # Everyone else keeps Vietnamese.
    client.force_login(users["contributor"])
    html = client.get(edit_url, HTTP_HOST=HOST).content.decode()
    assert '<html lang="vi"' in html
    assert english_strings(html, user_content()) == []
    assert "Lưu bản nháp" in html and "Save draft" not in html


def test_the_account_screen_offers_vietnamese_and_english(client, users):
    client.force_login(users["contributor"])
    html = client.get(reverse("wagtailadmin_account"), HTTP_HOST=HOST).content.decode()
    # Django's language names are not all NFC ("Tiếng Việt" there is decomposed differently).
    html = unicodedata.normalize("NFC", html)
    assert '<option value="vi">' + unicodedata.normalize("NFC", "Tiếng Việt") in html
    assert '<option value="en">English (Tiếng Anh)' in html
    assert "Ngôn ngữ ưu tiên" in html


def test_tab_titles_end_with_the_schools_or_the_departments_name(client, world, users, board_b):
    from django.conf import settings
    from django.utils.html import escape

    expectations = [
        (users["contributor"], "Trường Tiểu học A"),
        (users["board"], "Trường Tiểu học A"),
        (board_b, "Trường Mầm non B"),
        (users["district_admin"], settings.WAGTAIL_SITE_NAME),
    ]
    for user, name in expectations:
        client.force_login(user)
        for url in ("/admin/", "/admin/pages/", reverse("wagtailadmin_account")):
            html = client.get(url, HTTP_HOST=HOST, follow=True).content.decode()
            title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
            assert " ".join(title.split()).endswith(f"- {escape(name)}"), (user, url, title)
            assert "Wagtail" not in title
    client.logout()
    html = client.get(reverse("wagtailadmin_login"), HTTP_HOST=HOST).content.decode()
    assert "- Wagtail</title>" not in html


def test_the_help_menu_opens_the_projects_own_guide(client, users):
    client.force_login(users["contributor"])
    html = client.get("/admin/", HTTP_HOST=HOST).content.decode()
    assert "guide.wagtail.org" not in html
    assert "docs.wagtail.org" not in html
    assert reverse("school_guide:index") in html


def test_the_account_screen_offers_only_the_schools_time_zone(client, users):
    client.force_login(users["contributor"])
    html = client.get(reverse("wagtailadmin_account"), HTTP_HOST=HOST).content.decode()
    # One zone only: Wagtail then shows no time-zone field at all.
    assert "Europe/London" not in html and "America/New_York" not in html


def test_the_admin_search_count_names_pages_not_none(client, world, users):
    client.force_login(users["contributor"])
    html = client.get(
        reverse("wagtailadmin_pages:search") + "?q=Phù+Đổng", HTTP_HOST=HOST
    ).content.decode()
    from bs4 import BeautifulSoup

    text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    assert "None" not in text
    assert "1-1 trong số 1 trang" in text.replace("–", "-")
