"""Files stay in their school (issue 9, "Other schools' files"; DESIGN decision 8).

Two schools, A and B. A page field, a StreamField block, an inline row and the branding setting
of school A each refuse school B's image or document with a Vietnamese message, both through
the admin editor (as a board member posts it) and at the model level; nothing is saved. B's
document downloads only on B's hostname (or the portal's) and only while a live page of B uses
it, unless the user may see it in the admin.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Collection
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from district_site.files import (
    DOCUMENT_OF_A_SCHOOL,
    DOCUMENT_OF_OTHER_SCHOOL,
    IMAGE_OF_A_SCHOOL,
    IMAGE_OF_OTHER_SCHOOL,
)
from district_site.portal import setup_district_portal
from home.models import SiteBranding
from school_site.factories import (
    DocumentFactory,
    GalleryImage,
    ImageFactory,
    NewsPageFactory,
    OfficialDocumentAttachment,
    OfficialDocumentPageFactory,
)
from school_site.models import (
    DocumentIndexPage,
    GalleryIndexPage,
    GalleryPage,
    NewsIndexPage,
    NewsPage,
    OfficialDocumentPage,
)

pytestmark = pytest.mark.django_db


def section(school, model):
    return model.objects.child_of(school.site.root_page).get()


@pytest.fixture
def files(school_a, school_b):
    return {
        "image_a": ImageFactory(title="Ảnh sân trường A", collection=school_a.collection),
        "image_b": ImageFactory(title="Ảnh kín của trường B", collection=school_b.collection),
        "document_a": DocumentFactory(title="Kế hoạch của A", collection=school_a.collection),
        "document_b": DocumentFactory(title="Văn bản kín của B", collection=school_b.collection),
    }


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    return {field: [str(m) for m in msgs] for field, msgs in error.message_dict.items()}


# --- model level ------------------------------------------------------------------------------


def test_page_field_refuses_another_schools_image(school_a, files):
    page = NewsPage(title="Tin có ảnh của trường khác", feed_image=files["image_b"])
    with pytest.raises(ValidationError) as caught:
        section(school_a, NewsIndexPage).add_child(instance=page)
    assert messages_of(caught.value) == {"feed_image": [IMAGE_OF_OTHER_SCHOOL]}
    assert not NewsPage.objects.filter(title="Tin có ảnh của trường khác").exists()


def test_streamfield_block_refuses_another_schools_image_and_document(school_a, files):
    page = NewsPage(
        title="Tin có khối của trường khác",
        body=[
            ("image", {"image": files["image_b"], "caption": ""}),
            ("document", {"document": files["document_b"], "title": ""}),
        ],
    )
    with pytest.raises(ValidationError) as caught:
        section(school_a, NewsIndexPage).add_child(instance=page)
    assert messages_of(caught.value) == {"body": [IMAGE_OF_OTHER_SCHOOL, DOCUMENT_OF_OTHER_SCHOOL]}


def test_rich_text_document_link_refuses_another_schools_document(school_a, files):
    link = f'<p><a linktype="document" id="{files["document_b"].pk}">công văn</a></p>'
    page = NewsPage(title="Tin có liên kết tệp", body=[("paragraph", link)])
    with pytest.raises(ValidationError) as caught:
        section(school_a, NewsIndexPage).add_child(instance=page)
    assert messages_of(caught.value) == {"body": [DOCUMENT_OF_OTHER_SCHOOL]}


def test_inline_rows_refuse_another_schools_files(school_a, files):
    page = GalleryPage(title="Album có ảnh của trường khác")
    page.images = [
        GalleryImage(image=files["image_a"], caption="Ảnh của A"),
        GalleryImage(image=files["image_b"], caption="Ảnh của B"),
    ]
    with pytest.raises(ValidationError) as caught:
        section(school_a, GalleryIndexPage).add_child(instance=page)
    assert messages_of(caught.value) == {"images": [IMAGE_OF_OTHER_SCHOOL]}
    assert not GalleryPage.objects.filter(title="Album có ảnh của trường khác").exists()

    page = OfficialDocumentPage(title="Văn bản đính kèm tệp của B")
    page.attachments = [OfficialDocumentAttachment(document=files["document_b"])]
    with pytest.raises(ValidationError) as caught:
        section(school_a, DocumentIndexPage).add_child(instance=page)
    assert messages_of(caught.value) == {"attachments": [DOCUMENT_OF_OTHER_SCHOOL]}


def test_a_draft_revision_is_refused_too(school_a, files):
    page = NewsPageFactory(parent=section(school_a, NewsIndexPage), title="Tin đã đăng của A")
    page.feed_image = files["image_b"]
    with pytest.raises(ValidationError):
        page.save_revision()
    assert page.revisions.count() == 1


def test_own_schools_files_are_accepted_everywhere(school_a, files):
    page = NewsPage(
        title="Tin dùng ảnh của trường mình",
        feed_image=files["image_a"],
        body=[
            ("image", {"image": files["image_a"], "caption": "Sân trường"}),
            ("document", {"document": files["document_a"], "title": ""}),
        ],
    )
    section(school_a, NewsIndexPage).add_child(instance=page)
    branding = SiteBranding.for_site(school_a.site)
    branding.logo = branding.banner = files["image_a"]
    branding.full_clean()


def test_school_sub_collections_belong_to_the_school(school_a):
    album = school_a.collection.add_child(name="Album năm học 2026–2027")
    image = ImageFactory(title="Ảnh trong thư mục con", collection=album)
    page = NewsPage(title="Tin dùng ảnh thư mục con", feed_image=image)
    section(school_a, NewsIndexPage).add_child(instance=page)


def test_branding_setting_refuses_another_schools_image(school_a, files):
    branding = SiteBranding.for_site(school_a.site)
    branding.logo = files["image_b"]
    branding.banner = files["image_b"]
    with pytest.raises(ValidationError) as caught:
        branding.full_clean()
    assert messages_of(caught.value) == {
        "logo": [IMAGE_OF_OTHER_SCHOOL],
        "banner": [IMAGE_OF_OTHER_SCHOOL],
    }


def test_district_portal_uses_district_files_not_a_schools(school_a, files):
    portal = setup_district_portal()
    index = DocumentIndexPage.objects.child_of(portal).get()
    district_document = DocumentFactory(
        title="Công văn của Phòng", collection=Collection.get_first_root_node()
    )
    page = OfficialDocumentPage(title="Công văn dùng tệp của Phòng", feed_image=None)
    index.add_child(instance=page)
    page.feed_image = files["image_a"]
    page.summary = f'<p><a linktype="document" id="{files["document_a"].pk}">tệp</a></p>'
    with pytest.raises(ValidationError) as caught:
        page.full_clean()
    assert messages_of(caught.value) == {
        "feed_image": [IMAGE_OF_A_SCHOOL],
        "summary": [DOCUMENT_OF_A_SCHOOL],
    }
    page.feed_image = None
    page.summary = f'<p><a linktype="document" id="{district_document.pk}">tệp</a></p>'
    page.full_clean()


# --- the admin editor, as a board member posts it ----------------------------------------------


def news_form(title: str, **fields) -> dict:
    data = {
        "title": title,
        "slug": "tin-thu",
        "category": "school_news",
        "date": "2026-11-20",
        "intro": "",
        "feed_image": "",
        "body": streamfield([]),
        "author": "",
        "contributor_group": "",
        "comments": inline_formset([]),
    }
    data.update(fields)
    return nested_form_data(data)


def form_errors(response) -> dict[str, list[str]]:
    assert response.status_code == 200, response.status_code
    return {field: list(errors) for field, errors in response.context["form"].errors.items()}


def test_editor_refuses_another_schools_feed_image_on_a_new_page(client, school_a, board_a, files):
    client.force_login(board_a)
    parent = section(school_a, NewsIndexPage)
    url = reverse("wagtailadmin_pages:add", args=["school_site", "newspage", parent.pk])
    response = client.post(
        url, news_form("Tin lấy ảnh trường B", feed_image=str(files["image_b"].pk))
    )
    assert form_errors(response) == {"feed_image": [IMAGE_OF_OTHER_SCHOOL]}
    assert IMAGE_OF_OTHER_SCHOOL in response.content.decode()
    assert not NewsPage.objects.filter(title="Tin lấy ảnh trường B").exists()


def test_editor_refuses_another_schools_blocks_on_an_existing_page(
    client, school_a, board_a, files
):
    page = NewsPageFactory(parent=section(school_a, NewsIndexPage), title="Tin hội giảng")
    revisions = page.revisions.count()
    client.force_login(board_a)
    body = streamfield(
        [
            ("image", {"image": str(files["image_b"].pk), "caption": ""}),
            ("document", {"document": str(files["document_b"].pk), "title": ""}),
        ]
    )
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        news_form(page.title, slug=page.slug, body=body, author=str(page.author_id or "")),
    )
    assert response.status_code == 200
    # The StreamField's editor shows the messages above its blocks.
    (error,) = response.context["form"].errors.as_data()["body"]
    assert error.as_json_data() == {"messages": [IMAGE_OF_OTHER_SCHOOL, DOCUMENT_OF_OTHER_SCHOOL]}
    assert set(response.context["form"].errors) == {"body"}
    assert page.revisions.count() == revisions


def test_editor_refuses_another_schools_photo_in_a_gallery_row(client, school_a, board_a, files):
    client.force_login(board_a)
    parent = section(school_a, GalleryIndexPage)
    url = reverse("wagtailadmin_pages:add", args=["school_site", "gallerypage", parent.pk])
    data = nested_form_data(
        {
            "title": "Album lấy ảnh trường B",
            "slug": "album-b",
            "date": "2026-11-20",
            "intro": "",
            "feed_image": "",
            "images": inline_formset([{"image": str(files["image_b"].pk), "caption": ""}], min=1),
            "author": "",
            "contributor_group": "",
            "comments": inline_formset([]),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    rows = response.context["form"].formsets["images"].forms
    assert rows[0].errors == {"image": [IMAGE_OF_OTHER_SCHOOL]}
    assert not GalleryPage.objects.filter(title="Album lấy ảnh trường B").exists()


def test_editor_refuses_another_schools_document_attachment(client, school_a, board_a, files):
    client.force_login(board_a)
    parent = section(school_a, DocumentIndexPage)
    url = reverse("wagtailadmin_pages:add", args=["school_site", "officialdocumentpage", parent.pk])
    data = nested_form_data(
        {
            "title": "Văn bản đính kèm tệp trường B",
            "slug": "van-ban-b",
            "number": "",
            "document_kind": "plan",
            "issue_date": "2026-11-20",
            "date": "2026-11-20",
            "issuing_body": "",
            "signer": "",
            "intro": "",
            "summary": rich_text(""),
            "attachments": inline_formset([{"document": str(files["document_b"].pk), "title": ""}]),
            "author": "",
            "contributor_group": "",
            "comments": inline_formset([]),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    rows = response.context["form"].formsets["attachments"].forms
    assert rows[0].errors == {"document": [DOCUMENT_OF_OTHER_SCHOOL]}
    assert not OfficialDocumentPage.objects.filter(title="Văn bản đính kèm tệp trường B").exists()


def test_editor_refuses_another_schools_logo_in_branding(client, school_a, board_a, files):
    client.force_login(board_a)
    url = reverse("wagtailsettings:edit", args=["home", "sitebranding", school_a.site_id])
    response = client.post(
        url,
        {
            "display_name": "",
            "logo": str(files["image_b"].pk),
            "banner": "",
            "primary_colour": "#0b5394",
            "accent_colour": "#e69138",
            "address": "",
            "phone": "",
            "email": "",
            "principal_name": "",
            "footer_text": "",
        },
    )
    assert form_errors(response) == {"logo": [IMAGE_OF_OTHER_SCHOOL]}
    assert IMAGE_OF_OTHER_SCHOOL in response.content.decode()
    assert SiteBranding.objects.get(site=school_a.site).logo_id is None


# --- serving documents -------------------------------------------------------------------------


def publish_with_attachment(school, document, *, live: bool = True) -> OfficialDocumentPage:
    page = OfficialDocumentPageFactory(
        parent=section(school, DocumentIndexPage),
        attachments=[OfficialDocumentAttachment(document=document)],
    )
    if not live:
        page.unpublish()
    return page


def test_documents_are_always_served_through_the_checking_view(settings):
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"


def download(client, document, host: str):
    return client.get(document.url, HTTP_HOST=host)


def test_document_used_by_a_live_page_is_served_on_its_school_and_the_portal(
    client, school_a, school_b, files
):
    setup_district_portal()
    document = files["document_b"]
    publish_with_attachment(school_b, document)
    assert download(client, document, school_b.hostname).status_code == 200
    assert download(client, document, "localhost").status_code == 200
    assert download(client, document, school_a.hostname).status_code == 404
    assert download(client, document, "khong-co.localhost").status_code == 404


def test_document_used_by_no_live_page_is_not_served_to_visitors(client, school_b, board_b, files):
    document = files["document_b"]
    assert download(client, document, school_b.hostname).status_code == 404
    publish_with_attachment(school_b, document, live=False)
    assert download(client, document, school_b.hostname).status_code == 404
    # Its school's users still get it (they preview and link it from the admin).
    client.force_login(board_b)
    assert download(client, document, school_b.hostname).status_code == 200


def test_other_schools_user_does_not_get_an_unpublished_document(
    client, school_a, school_b, board_a, files
):
    client.force_login(board_a)
    for host in (school_a.hostname, school_b.hostname):
        assert download(client, files["document_b"], host).status_code == 404


def sql_count(context) -> int:
    # Savepoints of the request's transaction are not queries.
    return sum(1 for q in context.captured_queries if "SAVEPOINT" not in q["sql"])


def test_document_check_costs_a_constant_number_of_queries(client, school_b, files):
    document = files["document_b"]
    publish_with_attachment(school_b, document)
    download(client, document, school_b.hostname)
    with CaptureQueriesContext(connection) as one_page:
        assert download(client, document, school_b.hostname).status_code == 200
    for _ in range(3):
        publish_with_attachment(school_b, document)
    with CaptureQueriesContext(connection) as four_pages:
        assert download(client, document, school_b.hostname).status_code == 200
    # The document itself, its collection's view restrictions (two, Wagtail's own), then this
    # check: the request's site, the document's school, one EXISTS on the reference index.
    assert sql_count(four_pages) == sql_count(one_page) <= 6
