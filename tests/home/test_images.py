"""Responsive pictures (home/images.py, `{% responsive_image %}`): AVIF/WebP sources, a sized
fallback, lazy below the fold; renditions fetched in one query per page whatever the number of
pictures; and made by the background task at upload, so a visitor's request makes none."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from wagtail.images import get_image_model

from home.images import PRESETS, SOURCE_FORMATS, UPLOAD_SPECS
from home.models import SiteBranding
from school_site.models import GalleryIndexPage, GalleryPage
from tests.school_site.test_public_pages import (
    add,
    add_album,
    add_news,
    fill_school,
    host,
    make_image,
    section,
    url_of,
)

pytestmark = pytest.mark.django_db

Rendition = get_image_model().get_rendition_model()
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def render(source: str, **context) -> str:
    return Template("{% load image_tags %}" + source).render(Context(context))


def test_a_picture_has_modern_sources_a_sized_fallback_and_loads_lazily(school_a):
    image = make_image(school_a, "Lễ khai giảng")
    html = render('{% responsive_image image "card" alt="" %}', image=image)

    assert SOURCE_FORMATS[-1] == "webp"
    for fmt in SOURCE_FORMATS:
        source = re.search(rf'<source type="image/{fmt}" srcset="([^"]+)" sizes="([^"]+)">', html)
        assert source, (fmt, html)
        assert f".format-{fmt}." in source.group(1) and " 160w" in source.group(1)
        assert source.group(2) == PRESETS["card"].sizes
    img = re.search(r"<img [^>]+>", html).group(0)
    # The 3:2 crop of a 160×120 original, not enlarged: width and height reserve the space.
    assert 'width="160" height="108"' in img and 'alt=""' in img
    assert 'loading="lazy"' in img and 'decoding="async"' in img
    assert ".fill-480x320." in img and "format-" not in img  # the original format as fallback

    banner = render('{% responsive_image image "banner" priority=True %}', image=image)
    assert 'fetchpriority="high"' in banner and "loading=" not in banner
    assert 'alt="Lễ khai giảng"' in banner  # the image's own title unless told otherwise
    logo = render('{% responsive_image image "logo" eager=True %}', image=image)
    assert " 1x, " in logo and " 2x" in logo and "sizes=" not in logo and "loading=" not in logo
    assert render('{% responsive_image None "card" %}') == ""


def test_avif_is_offered_when_pillow_can_write_it():
    from PIL import features

    assert ("avif" in SOURCE_FORMATS) == bool(features.check("avif"))


@pytest.mark.usefixtures("page_cache_off")  # measures rendering, not the page cache
def test_home_and_album_cost_the_same_queries_with_2_or_12_pictures(
    client, school_a, school_b, django_assert_num_queries
):
    content = fill_school(school_a, news=2)
    # School B's pictures must not show up on school A's pages (nor cost them anything).
    add_album(school_b, "Album của trường B", photos=2)
    album = content["album"]
    few = GalleryPage.objects.get(pk=album.pk)

    def count(path: str) -> int:
        client.get(path, HTTP_HOST=host(school_a))  # warm-up: Wagtail makes missing renditions
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, HTTP_HOST=host(school_a))
        assert response.status_code == 200
        return len(queries)

    before = {"home": count("/"), "album": count(url_of(few))}
    # Ten more news items, each with a picture of its own, and an album of twelve photos.
    for i in range(10):
        add_news(school_a, f"Tin có ảnh {i}", feed_image=make_image(school_a, f"Ảnh tin {i}"))
    big = add_album(school_a, "Hội trại", photos=12)
    after = {"home": count("/"), "album": count(url_of(big))}

    assert after == before
    html = client.get(url_of(big), HTTP_HOST=host(school_a)).content.decode()
    assert html.count("<picture>") == 12 + 2  # the photos, the logo and the banner
    assert "Album của trường B" not in html


def test_the_upload_task_makes_every_rendition_so_visitors_make_none(
    client, school_a, school_b, django_capture_on_commit_callbacks
):
    # The task runs after the upload commits (the immediate backend of the test settings runs
    # it at once; in production the worker does).
    with django_capture_on_commit_callbacks(execute=True):
        photos = [make_image(school_a, f"Ảnh {i}") for i in range(2)]
        other = make_image(school_b, "Ảnh trường B")
    for image in (*photos, other):
        assert image.renditions.count() == len(UPLOAD_SPECS)

    with django_capture_on_commit_callbacks(execute=True):
        branding = SiteBranding.objects.get(site=school_a.site)
        branding.logo, branding.banner = photos
        branding.save()
        news = add_news(school_a, "Tin có ảnh", feed_image=photos[0])
        album = GalleryPage(title="Album mới")
        for photo in photos:
            album.images.add(album.images.model(image=photo, caption="Ảnh"))
        add(section(school_a, GalleryIndexPage), album)
    made = Rendition.objects.count()

    for path in ("/", "/tin-tuc/", url_of(news), "/thu-vien-anh/", url_of(album)):
        response = client.get(path, HTTP_HOST=host(school_a))
        assert response.status_code == 200 and "<picture>" in response.content.decode(), path
    assert Rendition.objects.count() == made


@override_settings(TASKS=DATABASE_TASKS)
def test_an_upload_only_queues_the_task_for_the_worker(
    school_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = make_image(school_a)
    # Beside Wagtail's own (search and reference index updates).
    queued = DBTaskResult.objects.get(task_path="home.tasks.generate_renditions_task")
    assert queued.status == "READY"
    assert queued.args_kwargs["kwargs"] == {"image_id": image.pk}
    assert image.renditions.count() == 0  # nothing rendered in the uploader's request
