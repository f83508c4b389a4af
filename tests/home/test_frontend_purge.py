"""Purging nginx's or a CDN's copies (home/frontend_purge.py through Wagtail's frontend cache):
off unless configured; when configured, the events that make a site's cached pages stale send a
real PURGE for every URL of that site, and only that site, to a small HTTP server on loopback."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from district_site.portal import setup_district_portal
from home import frontend_purge
from home.models import SiteBranding
from tests.school_site.test_public_pages import add_news, make_image

pytestmark = pytest.mark.django_db

PORTAL_HOST = "localhost"


class PurgeRecorder(BaseHTTPRequestHandler):
    """What nginx's cache-purge location does, minus the cache: answer 200, remember the call."""

    received: list[tuple[str, str, str]]

    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        self.server.received.append((self.command, self.headers["Host"], self.path))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def purge_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def purging(settings, purge_server):
    settings.WAGTAILFRONTENDCACHE = {
        "nginx": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{purge_server.server_port}",
        }
    }
    return purge_server.received


def test_nothing_is_purged_unless_configured(
    settings, school_a, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = None
    assert not frontend_purge.is_configured()
    with django_capture_on_commit_callbacks() as callbacks:
        frontend_purge.purge_hosts([school_a.site.hostname])
    assert callbacks == []


def test_settings_turn_purging_on_only_with_a_purge_url():
    from district_site.settings.base import frontend_cache_settings

    assert frontend_cache_settings({}) is None
    config = frontend_cache_settings({"FRONTEND_CACHE_PURGE_URL": "http://127.0.0.1:8081"})
    assert config["nginx"]["LOCATION"] == "http://127.0.0.1:8081"


def test_publish_and_image_edits_purge_the_sites_that_show_them(
    purging, school_a, school_b, django_capture_on_commit_callbacks
):
    setup_district_portal()
    picture = make_image(school_a, "Ảnh")
    news = add_news(school_a, "Tin mới", live=False, feed_image=picture)
    with django_capture_on_commit_callbacks(execute=True):
        news.save_revision().publish()
    # After the commit, one request per site: the school's own and the portal's latest news.
    assert sorted(purging) == [
        ("PURGE", PORTAL_HOST, "/*"),
        ("PURGE", school_a.site.hostname, "/*"),
    ]

    purging.clear()
    with django_capture_on_commit_callbacks(execute=True):
        picture.title = "Ảnh mới"
        picture.save()
    assert {h for _, h, _ in purging} == {PORTAL_HOST, school_a.site.hostname}

    purging.clear()
    with django_capture_on_commit_callbacks(execute=True):
        branding = SiteBranding.objects.get(site=school_b.site)
        branding.phone = "0277 3 999 999"
        branding.save()
    assert {h for _, h, _ in purging} == {PORTAL_HOST, school_b.site.hostname}
    assert school_a.site.hostname not in {h for _, h, _ in purging}


def test_a_change_rolled_back_purges_nothing(purging, school_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        frontend_purge.purge_hosts([school_a.site.hostname])
    # Queued for the commit only; a rollback drops it with the change.
    assert len(callbacks) == 1 and purging == []
