"""A writer who abandons an autosaved draft and starts again with the same title gets a free slug
(`-2`, `-3`), never "slug already in use"; punctuation between words becomes a hyphen in the
browser as on the server; the abandoned draft is listed and can be discarded."""

from __future__ import annotations

import json
import re

import pytest
from wagtail.admin.widgets.slug import SlugInput

from district_site.factories import make_member
from home.forms import free_child_slug
from home.models import VIETNAMESE_SLUG_FORMATTERS
from home.text import vietnamese_slugify
from school_site.models import NewsPage
from tests.school_site.test_credit_fields import form_data
from tests.school_site.test_review_workflow import draft_news, news_index

pytestmark = pytest.mark.django_db


def _add(client, school, title: str, slug: str):
    return client.post(
        f"/admin/pages/add/school_site/newspage/{news_index(school).pk}/",
        form_data(title=title, slug=slug),
        HTTP_HOST="localhost",
    )


def test_a_new_post_with_a_taken_slug_gets_the_next_free_one_in_its_own_school(
    client, school_a, school_b, editor_a
):
    editor_b = make_member(school_b, "editor_b")
    title = "Lễ khai giảng năm học mới"
    # The abandoned drafts Wagtail's autosave kept, in both schools.
    draft_news(school_a, editor_a, title)
    draft_news(school_b, editor_b, title)

    client.force_login(editor_a)
    for expected in ("le-khai-giang-nam-hoc-moi-2", "le-khai-giang-nam-hoc-moi-3"):
        response = _add(client, school_a, title, "le-khai-giang-nam-hoc-moi")
        assert response.status_code == 302, response.content.decode()[:3000]
        assert NewsPage.objects.filter(slug=expected, author=editor_a).count() == 1

    # School B's slugs are its own: its second post is "-2", not "-4".
    client.force_login(editor_b)
    assert _add(client, school_b, title, "le-khai-giang-nam-hoc-moi").status_code == 302
    b_slugs = NewsPage.objects.child_of(news_index(school_b)).values_list("slug", flat=True)
    assert sorted(b_slugs) == ["le-khai-giang-nam-hoc-moi", "le-khai-giang-nam-hoc-moi-2"]


def test_renaming_an_existing_post_to_a_taken_slug_is_still_refused(client, school_a, editor_a):
    # On an existing page the slug is the writer's explicit choice: Wagtail's error stays.
    draft_news(school_a, editor_a, "Bài một")
    second = draft_news(school_a, editor_a, "Bài hai")
    client.force_login(editor_a)
    response = client.post(
        f"/admin/pages/{second.pk}/edit/",
        form_data(title="Bài hai", slug="bai-mot"),
        HTTP_HOST="localhost",
    )
    assert response.status_code == 200
    second.refresh_from_db()
    assert second.slug == "bai-hai"


def test_free_child_slug_is_one_query(django_assert_num_queries, school_a, editor_a):
    index = news_index(school_a)
    for _ in range(3):
        draft_news(school_a, editor_a, "Tin")
    with django_assert_num_queries(1):
        assert free_child_slug(index, "tin") == "tin-4"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Kế hoạch năm học 2026–2027", "ke-hoach-nam-hoc-2026-2027"),
        ("Hội thi—cấp trường", "hoi-thi-cap-truong"),
        ("“Ngày hội” đọc sách…", "ngay-hoi-doc-sach"),
        ("Tin 1/2026: a.b", "tin-1-2026-a-b"),
    ],
)
def test_dashes_and_punctuation_between_words_become_a_hyphen(title, slug):
    assert vietnamese_slugify(title) == slug


def test_the_browser_formatter_turns_dashes_and_punctuation_into_a_hyphen_too():
    # The same regex the browser runs (the last formatter, flags "gu"), applied here in Python,
    # followed by what Wagtail's urlify does with the rest (spaces and hyphens -> one hyphen).
    attrs = SlugInput(formatters=VIETNAMESE_SLUG_FORMATTERS).attrs
    formatters = json.loads(attrs["data-w-slug-formatters-value"])
    (pattern, flags), replacement = formatters[-1]
    assert (flags, replacement) == ("gu", "-")
    for title in ("2026–2027", "a—b", "a/b", "“a” b"):
        text = re.sub(pattern, replacement, title)
        assert re.sub(r"[-\s]+", "-", text).strip("-") == vietnamese_slugify(title)


def test_an_abandoned_draft_is_listed_with_a_discard_link_that_deletes_it(
    client, school_a, school_b, editor_a
):
    editor_b = make_member(school_b, "editor_b")
    abandoned = draft_news(school_a, editor_a, "Bài viết dở")
    other = draft_news(school_b, editor_b, "Bài viết dở")
    client.force_login(editor_a)
    body = client.get("/admin/", HTTP_HOST="localhost").content.decode()
    delete_url = f"/admin/pages/{abandoned.pk}/delete/"
    assert f'href="{delete_url}?next=/admin/"' in body
    assert f"/admin/pages/{other.pk}/delete/" not in body

    # Wagtail's confirmation page, then the draft is gone; the other school's one is untouched.
    assert client.get(delete_url, HTTP_HOST="localhost").status_code == 200
    response = client.post(delete_url + "?next=/admin/", HTTP_HOST="localhost")
    assert response.status_code == 302
    assert not NewsPage.objects.filter(pk=abandoned.pk).exists()
    assert NewsPage.objects.filter(pk=other.pk).exists()
    # The other school's draft cannot be discarded by this writer.
    client.post(f"/admin/pages/{other.pk}/delete/", HTTP_HOST="localhost")
    assert NewsPage.objects.filter(pk=other.pk).exists()
