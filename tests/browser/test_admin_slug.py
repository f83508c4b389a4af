"""In the real page editor, typing a Vietnamese title gives an ASCII slug (đ -> d)."""

import pytest
from playwright.sync_api import expect

from district_site.factories import DEFAULT_PASSWORD
from school_site.models import NewsIndexPage, NewsPage

from .conftest import site_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, user):
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def test_typing_a_vietnamese_title_fills_an_ascii_slug(
    migrated_rows, live_server, page, screenshot, school_a, school_b, editor_a
):
    index = NewsIndexPage.objects.descendant_of(school_a.site.root_page).get()
    base = site_url(live_server, "localhost")
    login(page, base, editor_a)

    page.goto(f"{base}/admin/pages/add/school_site/newspage/{index.pk}/")
    page.locator("#id_title").click()
    page.keyboard.type("Tăng cường việc đăng tin")
    # Wagtail's title -> slug sync is debounced; expect() waits for it.
    expect(page.locator("#id_slug")).to_have_value("tang-cuong-viec-dang-tin")
    screenshot(page, "title-typed")

    page.locator("button.action-save").first.click()
    page.wait_for_url("**/edit/**")
    screenshot(page, "saved-draft")
    saved = NewsPage.objects.get(slug="tang-cuong-viec-dang-tin")
    assert saved.author == editor_a
    assert saved.get_parent().pk == index.pk
    assert not saved.live

    # Wagtail's urlify deletes an en dash ("20262027"); the project's formatter makes it a hyphen.
    page.goto(f"{base}/admin/pages/add/school_site/newspage/{index.pk}/")
    page.locator("#id_title").click()
    page.keyboard.type("Kế hoạch năm học 2026–2027: “Đổi mới”")
    expect(page.locator("#id_slug")).to_have_value("ke-hoach-nam-hoc-2026-2027-doi-moi")
