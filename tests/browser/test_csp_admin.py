"""The Wagtail admin's page editor works under the production Content-Security-Policy.

Chromium reports every blocked script, style, frame or connection as a console message
("Refused to ... because it violates the following Content Security Policy directive"); the
test collects them through a whole editing session and asserts there are none.
"""

import pytest
from django.conf import settings
from django.test import override_settings
from playwright.sync_api import expect

from district_site.factories import DEFAULT_PASSWORD, make_member
from school_site.models import NewsPage
from tests.scoring.helpers import draft_news

from .conftest import site_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = "Học sinh tham gia ngày hội đọc sách"


@pytest.fixture
def production_csp():
    # The policy production sends (district_site/settings/production.py sets it from base.py).
    with override_settings(CONTENT_SECURITY_POLICY=settings.DISTRICT_CONTENT_SECURITY_POLICY):
        yield settings.DISTRICT_CONTENT_SECURITY_POLICY


def test_page_editor_works_under_the_content_security_policy(
    migrated_rows, live_server, page, screenshot, production_csp, school_a, editor_a
):
    news = draft_news(school_a, editor_a, body="Đoạn mở đầu.")
    base = site_url(live_server, "localhost")
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )

    response = page.goto(f"{base}/admin/login/")
    # The admin's screens also allow inline scripts (home/csp.py), nothing else.
    # django-csp does not keep the directives' order: compare them as a set.
    directives = response.headers["content-security-policy"].split("; ")
    assert "script-src 'self' 'unsafe-inline'" in directives
    page.fill("input[name=username]", editor_a.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")

    response = page.goto(f"{base}/admin/pages/{news.pk}/edit/")
    assert "content-security-policy" in response.headers
    # Draftail (the rich-text editor inside the StreamField's paragraph block) has started.
    editor = page.locator(".Draftail-Editor [contenteditable=true]").first
    expect(editor).to_be_visible()
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" " + TYPED)
    expect(editor).to_contain_text(TYPED)
    screenshot(page, "typed")

    # A chooser opens its modal (its widget is started by an inline script, and the modal's
    # content is fetched from the admin).
    page.locator("#id_feed_image-chooser .chooser__choose-button").click()
    modal = page.locator(".modal-dialog")
    expect(modal).to_be_visible()
    expect(modal.locator("input[name=q]").first).to_be_visible()
    modal.get_by_role("button", name="Đóng").click()
    expect(modal).to_be_hidden()

    # The preview panel shows the page in an iframe of our own origin.
    toggle = page.locator("[data-side-panel-toggle=preview]")
    if toggle.count():
        toggle.first.click()
        frame = page.frame_locator("iframe#w-preview-iframe, .preview-panel iframe").first
        expect(frame.locator("body")).to_contain_text("Đoạn mở đầu", timeout=15_000)
        screenshot(page, "preview")

    page.locator("button.action-save").first.click()
    page.wait_for_url("**/edit/**")
    expect(page.locator(".messages")).to_be_visible()
    screenshot(page, "saved")
    saved = NewsPage.objects.get(pk=news.pk).get_latest_revision_as_object()
    assert TYPED in str(saved.body)

    # The public site under the same policy (a published page of the school).
    make_member(school_a, "ban_a", board=True)
    response = page.goto(f"{site_url(live_server, school_a.site.hostname)}/")
    expect(page.locator("body")).to_be_visible()
    # Visitors' pages get the strict policy: no inline script at all.
    assert "script-src 'self'" in response.headers["content-security-policy"].split("; ")

    assert not violations, "\n".join(violations)
