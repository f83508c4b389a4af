"""One test per admin leak of issue 9 ("titles and tags by id", other schools' files in the admin
API), each seen failing on the code before the seal (see the commit message) and passing after.

School A's board member (or editor) asks with school B's ids; nothing of school B may show.
"""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from district_site.factories import make_member
from school_site.models import BoardPage
from tests.school_site.test_review_workflow import draft_news, submit

pytestmark = pytest.mark.django_db

SECRET = "bsecret"


@pytest.fixture
def school_b_things(school_b):
    """A teacher of school B with a findable name, a draft in review, a tagged image and a document."""
    writer = make_member(
        school_b, f"{SECRET}_writer", first_name=f"{SECRET}first", last_name=f"{SECRET}last"
    )
    draft = draft_news(school_b, writer, f"Bản nháp {SECRET}draft")
    submit(draft, writer)
    image = Image.objects.create(
        title=f"Ảnh {SECRET}image",
        file=get_test_image_file(filename=f"{SECRET}file.png"),
        collection=school_b.collection,
    )
    image.tags.add(f"{SECRET}tag")
    document = Document.objects.create(
        title=f"Tệp {SECRET}doc",
        file=ContentFile(b"noi dung", name=f"{SECRET}doc.txt"),
        collection=school_b.collection,
    )
    return {"writer": writer, "draft": draft, "image": image, "document": document}


def get(client, user, url: str, **extra):
    client.force_login(user)
    return client.get(url, HTTP_HOST="localhost", **extra)


def text(response) -> str:
    return response.content.decode()


# --- other schools' files in Wagtail's admin API ---------------------------------------------


@pytest.mark.parametrize("endpoint", ["images", "documents"])
def test_the_admin_api_does_not_list_other_schools_files(
    client, board_a, school_b_things, endpoint
):
    for url in (
        f"/admin/api/main/{endpoint}/",
        f"/admin/api/main/{endpoint}/?search={SECRET}",
        f"/admin/api/main/{endpoint}/{school_b_things['image' if endpoint == 'images' else 'document'].pk}/",
    ):
        response = get(client, board_a, url)
        assert SECRET not in text(response), url
        assert response.status_code in (302, 403, 404), url


def test_the_admin_api_pages_listing_keeps_to_the_own_school(
    client, board_a, school_a, school_b, school_b_things
):
    """The sidebar's explorer reads this API: own pages are listed, school B's are not."""
    response = get(client, board_a, f"/admin/api/main/pages/?child_of={school_a.site.root_page_id}")
    assert response.status_code == 200
    titles = {item["title"] for item in json.loads(text(response))["items"]}
    assert "Tin tức" in titles or titles  # the school's own sections
    for url in (
        f"/admin/api/main/pages/?search={SECRET}",
        f"/admin/api/main/pages/{school_b_things['draft'].pk}/",
        f"/admin/api/main/pages/?child_of={school_b.site.root_page_id}",
    ):
        body = text(get(client, board_a, url))
        assert SECRET not in body and school_b.name not in body, url


def test_the_admin_api_cannot_act_on_pages(client, board_a, school_a, school_b_things):
    """The API's actions (publish, copy, move...) are not used by the admin UI: refused."""
    client.force_login(board_a)
    own = draft_news(school_a, board_a, "Bài của chính mình")
    response = client.post(
        f"/admin/api/main/pages/{own.pk}/action/publish/",
        content_type="application/json",
        data="{}",
        HTTP_HOST="localhost",
    )
    assert response.status_code == 403
    own.refresh_from_db()
    assert not own.live


# --- titles by id ---------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["delete", "publish", "unpublish", "move"])
def test_bulk_action_confirmation_does_not_show_other_schools_titles(
    client, board_a, school_b_things, action
):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
    response = get(client, board_a, f"{url}?id={school_b_things['draft'].pk}")
    assert SECRET not in text(response)
    assert response.status_code in (302, 403)


def test_bulk_action_on_own_pages_still_works(client, board_a, school_a):
    own = draft_news(school_a, board_a, "Bài nháp của trường A")
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    response = get(client, board_a, f"{url}?id={own.pk}")
    assert response.status_code == 200
    assert "Bài nháp của trường A" in text(response)


def test_review_finished_page_does_not_show_other_schools_titles(client, board_a, school_b_things):
    url = reverse("school_review_finished", args=[school_b_things["draft"].pk])
    response = get(client, board_a, url, follow=True)
    assert SECRET not in text(response)


def test_review_finished_page_still_names_the_own_post(client, board_a, editor_a, school_a):
    own = draft_news(school_a, editor_a, "Bài của giáo viên trường A")
    response = get(client, board_a, reverse("school_review_finished", args=[own.pk]), follow=True)
    assert "Bài của giáo viên trường A" in text(response)


# --- tags -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/admin/tag-autocomplete/", "/admin/tag-autocomplete/taggit/tag/"])
def test_tag_autocomplete_offers_only_the_own_schools_tags(
    client, board_a, school_a, school_b_things, url
):
    image = Image.objects.create(
        title="Ảnh trường A", file=get_test_image_file(), collection=school_a.collection
    )
    image.tags.add("bsecond-own-tag")  # starts like school B's tag, but belongs to school A
    response = get(client, board_a, f"{url}?term=bse")
    assert response.status_code == 200
    assert json.loads(text(response)) == ["bsecond-own-tag"]


# --- people -------------------------------------------------------------------------------


def _board_page(school) -> BoardPage:
    return BoardPage.objects.descendant_of(school.site.root_page).get()


def test_board_page_account_field_lists_only_the_own_schools_people(
    client, board_a, editor_a, school_a, school_b_things
):
    page = _board_page(school_a)
    response = get(client, board_a, reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    body = text(response)
    assert SECRET not in body  # neither in the rows nor in the template for a new row
    offered = set(re.findall(r'<option value="(\d+)"', body))
    assert str(editor_a.pk) in offered and str(board_a.pk) in offered


def test_explorer_filters_list_only_the_own_schools_people_and_site(
    client, board_a, school_a, school_b, school_b_things
):
    draft_news(school_a, board_a, "Bài của trường A")
    url = reverse("wagtailadmin_explore", args=[school_a.site.root_page_id])
    for query in ("", "?q=tin", f"?owner={school_b_things['writer'].pk}"):
        response = get(client, board_a, url + query)
        assert response.status_code == 200
        body = text(response)
        assert SECRET not in body, query
        assert school_b.site.hostname not in body and school_b.name not in body, query
    body = text(get(client, board_a, url))
    assert board_a.get_full_name() in body  # the own school's people are still offered
