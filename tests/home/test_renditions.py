"""home/renditions.py: renditions found in the cache are not written back (the backport of
wagtail PR #14541), and a school's home finds its cards' renditions in one query, without a
cache round trip per picture."""

from __future__ import annotations

import pytest
from wagtail.images.exceptions import InvalidFilterSpecError
from wagtail.images.models import Rendition

from tests.school_site.test_public_pages import fill_school, host, make_image

pytestmark = pytest.mark.django_db

RENDITION_KEY = "wagtail-rendition-"


@pytest.fixture
def rendition_cache_calls(monkeypatch):
    """The real rendition cache (locmem in tests), with every read and write of a rendition
    key counted on the way through."""
    cache = Rendition.cache_backend
    calls = {"read": 0, "write": 0}
    depth = [0]  # locmem's get_many/set_many call get/set: count the outer call only

    def counted(name, kind, keys_of):
        original = getattr(cache, name)

        def wrapper(*args, **kwargs):
            if not depth[0] and any(str(k).startswith(RENDITION_KEY) for k in keys_of(args)):
                calls[kind] += 1
            depth[0] += 1
            try:
                return original(*args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(cache, name, wrapper)

    counted("get", "read", lambda args: [args[0]])
    counted("get_many", "read", lambda args: list(args[0]))
    counted("set", "write", lambda args: [args[0]])
    counted("set_many", "write", lambda args: list(args[0]))
    return calls


def fresh(image):
    # A new instance, as the next request loads it: nothing prefetched or remembered.
    return type(image).objects.get(pk=image.pk)


def test_a_rendition_read_from_the_cache_is_not_written_back(
    school_a, school_b, rendition_cache_calls
):
    image = make_image(school_a)
    first = image.get_rendition("fill-80x60")
    assert rendition_cache_calls["write"] == 1  # a new rendition is cached once
    reads = rendition_cache_calls["read"]

    for _ in range(3):
        again = fresh(image).get_rendition("fill-80x60")
        assert again.pk == first.pk and again.url == first.url
    # One read per request, as before; no more writes (Wagtail 8.0.1 made one per read).
    assert rendition_cache_calls == {"read": reads + 3, "write": 1}


def test_a_rendition_missing_from_the_cache_is_read_from_the_database_and_cached(
    school_a, school_b, rendition_cache_calls
):
    image = make_image(school_b)
    first = image.get_rendition("width-100")
    Rendition.cache_backend.clear()
    calls_before = dict(rendition_cache_calls)
    assert fresh(image).get_rendition("width-100").pk == first.pk
    assert rendition_cache_calls["write"] == calls_before["write"] + 1
    assert fresh(image).get_rendition("width-100").pk == first.pk
    assert rendition_cache_calls["write"] == calls_before["write"] + 1


def test_get_rendition_still_refuses_a_bad_filter(school_a):
    with pytest.raises(InvalidFilterSpecError):
        make_image(school_a).get_rendition(42)


@pytest.mark.usefixtures("page_cache_off")  # measures rendering, not the page cache
@pytest.mark.parametrize("path", ["/", "/tin-tuc/", "/bai-giang/", "/thu-vien-anh/"])
def test_pictures_of_home_and_sections_use_prefetched_renditions_of_their_own_school_only(
    client, school_a, school_b, rendition_cache_calls, path
):
    content_a = fill_school(school_a, news=2)
    content_b = fill_school(school_b, news=2)
    for school in (school_a, school_b):
        # Renditions are created on the first visit.
        assert client.get(path, HTTP_HOST=host(school)).status_code == 200
    calls_before = dict(rendition_cache_calls)

    response = client.get(path, HTTP_HOST=host(school_a))
    assert response.status_code == 200
    # No rendition went through the cache: the cards, the banner, the logo, the share image and
    # the icons all found theirs among the prefetched ones.
    assert rendition_cache_calls == calls_before

    page = response.content.decode()
    card = {"/": "news", "/tin-tuc/": "news", "/bai-giang/": "lecture", "/thu-vien-anh/": "album"}
    # The card's fallback <img> (home/images.PRESETS["card"]).
    spec = "fill-480x320"

    def card_picture(content):
        item = content[card[path]]
        item = item[0] if isinstance(item, list) else item
        image = item.feed_image or item.images.first().image
        return image.get_rendition(spec).url

    assert card_picture(content_a) in page
    assert card_picture(content_b) not in page
