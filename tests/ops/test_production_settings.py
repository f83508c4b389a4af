"""Production settings: `check --deploy`, static/media/tasks/sessions, JSON logs, the 500 page."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from district_site.logging import JsonFormatter, RequestContextFilter
from district_site.storage import media_storage

BASE_DIR = Path(__file__).resolve().parents[2]


def production_env(**extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "AWS_", "SENTRY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="district_site.settings.production",
        SECRET_KEY="p" * 10 + "production-like-secret-key-for-the-check-0123456789",
        DISTRICT_BASE_DOMAIN="tamnong.edu.vn",
        **extra,
    )
    return env


def run_manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_has_no_warning_but_the_security_header_ones():
    result = run_manage("check", "--deploy", env=production_env())
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    ids = {word.strip("():") for word in output.split() if word.startswith("(") and "." in word}
    assert ids == set(), output


def test_production_settings_shape():
    code = (
        "from django.conf import settings as s; import json; print(json.dumps({"
        "'static': s.STORAGES['staticfiles']['BACKEND'], 'media': s.STORAGES['default'],"
        "'tasks': s.TASKS['default']['BACKEND'], 'sessions': s.SESSION_ENGINE,"
        "'mw': s.MIDDLEWARE, 'debug': s.DEBUG}))"
    )
    result = run_manage("shell", "-c", code, env=production_env())
    assert result.returncode == 0, result.stderr
    shape = json.loads(result.stdout.strip().splitlines()[-1])
    assert shape["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert shape["media"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert shape["tasks"] == "django_tasks_db.DatabaseBackend"
    assert shape["sessions"] == "django.contrib.sessions.backends.db"  # shared by app servers
    assert shape["debug"] is False
    mw = shape["mw"]
    assert mw[0] == "district_site.health.HealthCheckMiddleware"
    assert mw.index("whitenoise.middleware.WhiteNoiseMiddleware") == 2
    assert mw.index("district_site.logging.RequestContextMiddleware") == (
        mw.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
    )


def test_media_storage_switches_to_s3_when_a_bucket_is_set():
    assert media_storage({})["BACKEND"].endswith("FileSystemStorage")
    s3 = media_storage(
        {"AWS_STORAGE_BUCKET_NAME": "media", "S3_ENDPOINT_URL": "http://127.0.0.1:9000"}
    )
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "media"
    assert s3["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
    assert s3["OPTIONS"]["file_overwrite"] is False


@pytest.mark.django_db
def test_json_log_lines_carry_host_and_user_id(client, django_user_model, settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[
            : settings.MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
            + 1
        ],
        "district_site.logging.RequestContextMiddleware",
        *settings.MIDDLEWARE[
            settings.MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
            + 1 :
        ],
    ]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("district_site.request")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        user = django_user_model.objects.create_user("gv_log", password="x")
        client.force_login(user)
        client.get("/admin/", HTTP_HOST="localhost")
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines, "no access line written"
    line = lines[-1]
    assert line["host"] == "localhost"
    assert line["user_id"] == user.pk
    assert line["path"] == "/admin/"
    assert line["status"] in (200, 302)
    assert line["level"] == "INFO" and "duration_ms" in line


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.ops.urls_failing", DEBUG=False)
def test_500_page_is_vietnamese_and_never_shows_the_error(caplog):
    client = Client(raise_request_exception=False)
    response = client.get("/__broken/", HTTP_HOST="localhost")
    # The view's own error, logged for the server's operators (and Sentry) only.
    assert "secret-internal-detail" in caplog.text
    assert response.status_code == 500
    page = response.content.decode()
    assert "Xin lỗi, hệ thống đang gặp sự cố" in page
    for leak in ("Traceback", "RuntimeError", "secret-internal-detail", "hunter2"):
        assert leak not in page


def test_sentry_reports_errors_when_a_dsn_is_set():
    """A local HTTP server stands in for Sentry: the SDK, set up by production.py from
    SENTRY_DSN alone, posts the error there with the release; nothing is sent without a DSN."""
    import gzip
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import brotli

    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            encoding = self.headers.get("Content-Encoding")
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "br":
                body = brotli.decompress(body)
            received.append((self.path, body.decode("utf-8", "replace")))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    code = (
        "import sentry_sdk\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError as exc:\n    sentry_sdk.capture_exception(exc)\n"
        "sentry_sdk.flush(timeout=10)\n"
    )
    try:
        dsn = f"http://publickey@127.0.0.1:{server.server_address[1]}/42"
        result = run_manage(
            "shell", "-c", code, env=production_env(SENTRY_DSN=dsn, APP_VERSION="v-test")
        )
        assert result.returncode == 0, result.stderr
        assert received, "nothing reached the Sentry endpoint"
        path, body = received[0]
        assert path == "/api/42/envelope/"
        assert "ZeroDivisionError" in body and '"release":"v-test"' in body.replace(" ", "")

        received.clear()
        result = run_manage("shell", "-c", code, env=production_env())
        assert result.returncode == 0, result.stderr
        assert received == []
    finally:
        server.shutdown()
