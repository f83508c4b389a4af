"""The album's lightbox (static_src/js/lightbox.js) in Chromium: a thumbnail opens the large
picture in a <dialog>, the arrow keys move through the album, Esc closes it and gives the focus
back to the thumbnail; axe finds nothing serious; and without JavaScript the thumbnail is a plain
link to the picture."""

from __future__ import annotations

import pytest

from tests.browser.conftest import site_url
from tests.browser.test_public_phone_a11y import blocking_violations
from tests.school_site.test_public_pages import add_album, url_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_album_lightbox_opens_moves_closes_and_stays_accessible(
    migrated_rows, live_server, browser, page, screenshot, school_a, school_b
):
    album = add_album(school_a, "Hội khỏe Phù Đổng", photos=3)
    add_album(school_b, "Album của trường B", photos=1)
    url = site_url(live_server, school_a.site.hostname) + url_of(album)

    page.goto(url)
    thumbs = page.locator("[data-lightbox] a")
    assert thumbs.count() == 3
    first_href = thumbs.nth(0).get_attribute("href")
    assert ".max-1600x1600.format-webp." in first_href
    dialog = page.locator("dialog.lightbox")
    assert not dialog.evaluate("d => d.open")

    thumbs.nth(0).click()
    assert dialog.evaluate("d => d.open")
    assert page.locator(".lightbox-img").get_attribute("src") == first_href
    assert page.locator(".lightbox-count").inner_text() == "Ảnh 1 / 3"
    screenshot(page, "open")
    assert blocking_violations(page) == []

    page.keyboard.press("ArrowRight")
    assert page.locator(".lightbox-count").inner_text() == "Ảnh 2 / 3"
    assert page.locator(".lightbox-img").get_attribute("src") == thumbs.nth(1).get_attribute("href")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.locator(".lightbox-count").inner_text() == "Ảnh 3 / 3"  # wraps around

    page.keyboard.press("Escape")
    assert not dialog.evaluate("d => d.open")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == first_href
    assert blocking_violations(page) == []

    # Without JavaScript the same thumbnail simply opens the picture.
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.goto(url)
    with plain.expect_navigation():
        plain.locator("[data-lightbox] a").nth(0).click()
    assert plain.url.endswith(first_href)
    context.close()
