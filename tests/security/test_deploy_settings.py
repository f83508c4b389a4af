"""Production settings: `manage.py check --deploy` is clean, and the headers and cookies it asks
for are really sent (HSTS, HTTPS redirect behind nginx, Content-Security-Policy, ...)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from district_site.factories import DEFAULT_PASSWORD, make_member

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = "pgd.example.edu.vn"

# What the production settings module decides, read in a fresh process because the settings
# are computed from the environment at import time.
HEADER_SETTINGS = [
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "CSRF_TRUSTED_ORIGINS",
    "CONTENT_SECURITY_POLICY",
    "MIDDLEWARE",
    "TRUSTED_PROXY_COUNT",
    "WAGTAIL_ENABLE_UPDATE_CHECK",
]


def production_env(tmp_path, **extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for this process; a real
        # deployment never has it, and check --deploy rightly refuses it.
        if key not in {"DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
        and not key.startswith("DJANGO_")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="district_site.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        DISTRICT_BASE_DOMAIN=DOMAIN,
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        **extra,
    )
    return env


def manage(tmp_path, *args, **extra) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(tmp_path, **extra) -> dict:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{k: getattr(settings, k) for k in {HEADER_SETTINGS!r}}}))"
    )
    result = manage(tmp_path, "shell", "-c", code, **extra)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def test_check_deploy_reports_nothing(tmp_path):
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout, result.stdout


def test_defaults_and_environment(tmp_path):
    values = production_settings(tmp_path)
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert values["CSRF_TRUSTED_ORIGINS"][:2] == [f"https://{DOMAIN}", f"https://*.{DOMAIN}"]
    assert values["TRUSTED_PROXY_COUNT"] == 1
    # A new domain starts with a short HSTS; a site without TLS yet can turn the redirect off.
    changed = production_settings(
        tmp_path, SECURE_HSTS_SECONDS="300", SECURE_SSL_REDIRECT="0", CSP_REPORT_ONLY="1"
    )
    assert changed["SECURE_HSTS_SECONDS"] == 300
    assert changed["SECURE_SSL_REDIRECT"] is False
    assert changed["CONTENT_SECURITY_POLICY"] is None  # sent as ...-Report-Only instead


@pytest.mark.django_db
def test_the_headers_and_cookies_are_sent(tmp_path, client, school_a):
    values = production_settings(tmp_path)
    values.pop("CSRF_TRUSTED_ORIGINS")  # the test host is not the production domain
    make_member(school_a, "hieutruong_a", board=True)
    host = school_a.site.hostname
    with override_settings(**values):
        # Plain HTTP (nginx says so in X-Forwarded-Proto): redirected to HTTPS.
        response = client.get("/", HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="http")
        assert response.status_code == 301
        assert response["Location"] == f"https://{host}/"

        response = client.get("/", HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https")
        assert response.status_code == 200
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        # django-csp does not keep the directives' order: compare them as a set.
        assert "script-src 'self'" in policy.split("; ")  # no inline script, no eval
        assert "frame-ancestors 'self'" in policy
        assert "object-src 'none'" in policy
        # The admin's screens also allow inline scripts (some Wagtail widgets need them), and
        # nothing else; its previews of a page do not (home/csp.py).
        admin = client.get(reverse("wagtailadmin_login"), HTTP_HOST=host, secure=True)
        admin_policy = admin["Content-Security-Policy"]
        assert "script-src 'self' 'unsafe-inline'" in admin_policy.split("; ")
        directives = set(policy.split("; "))
        admin_directives = set(admin_policy.split("; "))
        assert admin_directives - directives == {"script-src 'self' 'unsafe-inline'"}
        assert directives - admin_directives == {"script-src 'self'"}

        response = client.post(
            reverse("wagtailadmin_login"),
            {"username": "hieutruong_a", "password": DEFAULT_PASSWORD},
            HTTP_HOST=host,
            HTTP_X_FORWARDED_PROTO="https",
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.20",
        )
        assert response.status_code == 302
        session = response.cookies["sessionid"]
        assert session["secure"] and session["httponly"]
        assert response.cookies["csrftoken"]["secure"]
