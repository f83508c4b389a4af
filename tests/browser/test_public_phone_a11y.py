"""Every public page type on a phone (390×844) and a desktop: axe-core finds no serious or
critical violation, and the phone menu opens without JavaScript from the keyboard.

axe-core is the copy bundled in axe-playwright-python (axe.min.js inside the wheel): nothing is
downloaded when the test runs. Screenshots go to test-artifacts/screenshots/<test name>/.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from district_site.portal import setup_district_portal
from home.models import SiteBranding
from tests.browser.conftest import site_url
from tests.school_site.test_public_pages import fill_school, url_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
BLOCKING = {"serious", "critical"}


def public_pages(school) -> dict[str, str]:
    content = fill_school(school)
    return {
        "home": "/",
        "news_index": "/tin-tuc/",
        "news": url_of(content["news"][0]),
        "document_index": "/van-ban/",
        "document": url_of(content["document"]),
        "lecture_index": "/bai-giang/",
        "lecture": url_of(content["lecture"]),
        "gallery_index": "/thu-vien-anh/",
        "album": url_of(content["album"]),
        "about": url_of(content["about"]),
        "board": url_of(content["board"]),
        "staff": url_of(content["staff"]),
        "contact": url_of(content["contact"]),
        "search": "/search/?q=tin",
        "not_found": "/khong-co-trang-nay/",
    }


def blocking_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def test_every_public_page_type_passes_axe_on_phone_and_desktop(
    migrated_rows, live_server, browser, screenshot, school_a, school_b
):
    setup_district_portal()
    # School B is a preschool whose branding was saved with the old pink (#d5426e, 4.3:1 on
    # white) before the admin refused such colours: it must still be rendered readable.
    SiteBranding.objects.filter(site=school_b.site).update(primary_colour="#d5426e")
    targets = [("portal", "localhost", "/"), ("portal_documents", "localhost", "/van-ban/")]
    for school in (school_a, school_b):
        prefix = school.site.hostname.split(".")[0]
        targets += [
            (f"{prefix}-{name}", school.site.hostname, path)
            for name, path in public_pages(school).items()
        ]

    failures = []
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(locale="vi-VN", viewport=viewport)
        page = context.new_page()
        for name, hostname, path in targets:
            page.goto(site_url(live_server, hostname) + path)
            if label == "phone" and hostname != school_b.site.hostname:
                screenshot(page, f"{label}-{name}")
            for violation in blocking_violations(page):
                failures.append(f"{label} {name} {path}: {violation}")
        context.close()
    assert not failures, "\n".join(failures)


def test_phone_menu_opens_from_the_keyboard_without_javascript(
    migrated_rows, live_server, browser, screenshot, school_a
):
    context = browser.new_context(
        locale="vi-VN", viewport=PHONE, java_script_enabled=False, has_touch=True
    )
    page = context.new_page()
    page.goto(site_url(live_server, school_a.site.hostname) + "/")
    menu = page.locator("#menu-chinh")
    button = page.locator("label.menu-toggle")
    assert button.is_visible()
    assert not menu.is_visible()
    # The header stays compact: brand and button on one row, the search box on the next.
    header_height = page.locator(".site-header").bounding_box()["height"]
    assert header_height < 260, header_height
    search = page.locator("#search-q").bounding_box()
    assert search["height"] >= 44 and search["width"] >= 200, search
    screenshot(page, "menu-closed")

    # Keyboard: Tab from the skip link reaches the menu button; Space opens the menu.
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # the menu checkbox (its label is the button)
    assert page.evaluate("document.activeElement.id") == "menu-toggle"
    page.keyboard.press("Space")
    assert menu.is_visible()
    screenshot(page, "menu-open")
    # Tapping the button closes it again.
    button.tap()
    assert not menu.is_visible()

    # On a desktop the menu is always shown and the button hidden.
    page.set_viewport_size(DESKTOP)
    assert menu.is_visible()
    assert not button.is_visible()
    context.close()
