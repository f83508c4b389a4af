from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", False)  # noqa: F405
if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment in production.")

# Persistent connections, checked before reuse so a restarted PostgreSQL does not break requests.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "600"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)  # noqa: F405
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- static, media, storage (ops; docs/deploy.md) -----------------------------------------------
# collectstatic writes hashed names plus .gz and .br copies (WhiteNoise); nginx serves /static/
# straight from STATIC_ROOT with gzip_static, and WhiteNoise serves them from gunicorn when no
# nginx sits in front (a health-checking load balancer alone, a quick test).
import os  # noqa: E402
from pathlib import Path  # noqa: E402

STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", STATIC_ROOT))  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"  # noqa: F405
MIDDLEWARE.insert(  # noqa: F405
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
# Media on local disk (MEDIA_ROOT) or an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set.
from district_site.storage import media_storage  # noqa: E402

STORAGES["default"] = media_storage(os.environ)  # noqa: F405
# Sessions in the database: every app server sees every login. With REDIS_URL set,
# SESSION_ENGINE=django.contrib.sessions.backends.cached_db reads them from Redis first.
SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.db")
# Uploads above this go to a temporary file rather than memory (nginx caps the body size).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- background tasks (ops) ---------------------------------------------------------------------
# Mail and other jobs are rows in the database, run by `manage.py db_worker`
# (deploy/systemd/district-portal-worker.service).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The worker renders again the pages a publish made stale (home/page_warming.py).
PAGE_CACHE_WARM = env_bool("PAGE_CACHE_WARM", True)  # noqa: F405

# --- logging (ops) ------------------------------------------------------------------------------
# JSON lines on stdout (journald keeps them), each with the request's host and user id.
from district_site.logging import logging_config  # noqa: E402

LOGGING = logging_config(os.environ.get("LOG_LEVEL", "INFO"))  # noqa: F405
MIDDLEWARE.insert(  # noqa: F405
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,  # noqa: F405
    "district_site.logging.RequestContextMiddleware",
)

# --- error reports (ops): Sentry, only when SENTRY_DSN is set ------------------------------------
# No personal data is sent (send_default_pii off); the release is the running commit.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    from district_site.version import app_version

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=app_version(),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# --- Login throttling behind nginx ---------------------------------------------------------------
# The app runs behind one nginx that appends the client's address to X-Forwarded-For (see
# home/throttle.py); set TRUSTED_PROXY_COUNT=2 behind a load balancer and nginx.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))  # noqa: F405

# --- Security headers and cookies ----------------------------------------------------------------
# Every value can be changed from the environment; the defaults are what `manage.py check
# --deploy` asks for (tests/security/test_deploy_settings.py). See SECURITY.md.
#
# HTTPS only. nginx terminates TLS and sets X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER above),
# so Django knows a request came over HTTPS and redirects any that did not.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
# HSTS: browsers use HTTPS only for this long. includeSubDomains because every school is a
# subdomain of the district's domain. Start with a small SECURE_HSTS_SECONDS (e.g. 300) on a new
# domain and raise it once every subdomain answers over HTTPS: a browser remembers it for that
# long. "preload" only allows submitting the domain to the browsers' preload list (hstspreload.org);
# nothing is submitted unless someone does so.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)  # noqa: F405
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)  # noqa: F405
SECURE_CONTENT_TYPE_NOSNIFF = True
# The full address stays on our own sites; other sites get only the origin (YouTube refuses to
# play an embedded video without one).
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Cookies: sent over HTTPS only, and unreadable from JavaScript (the session; the CSRF cookie
# stays readable: Django's docs explain why hiding it brings nothing).
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
# Forms posted from the district's portal and any school's site over HTTPS.
CSRF_TRUSTED_ORIGINS = [
    f"https://{DISTRICT_BASE_DOMAIN}",  # noqa: F405
    f"https://*.{DISTRICT_BASE_DOMAIN}",  # noqa: F405
    *env_list("CSRF_TRUSTED_ORIGINS"),  # noqa: F405
]
# The admin's dashboard would otherwise ask releases.wagtail.io for the newest version from the
# user's browser (an outside call, and one the Content-Security-Policy refuses).
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Content-Security-Policy: the policy is in base.py; here it is sent. CSP_REPORT_ONLY=1 sends it
# as Content-Security-Policy-Report-Only instead (browsers report, nothing is blocked): a way to
# try a changed policy on a live site first.
CONTENT_SECURITY_POLICY = DISTRICT_CONTENT_SECURITY_POLICY  # noqa: F405
# Media served from another origin (S3-compatible storage): its images, video and files too.
if MEDIA_URL.startswith(("https://", "http://")):  # noqa: F405
    _media_origin = "/".join(MEDIA_URL.split("/")[:3])  # noqa: F405
    for _directive in ("img-src", "media-src", "frame-src"):
        CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive].append(_media_origin)
# Media in an S3-compatible bucket (STORAGES above): images and files come from its origin.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    _bucket_origin = ""
    if os.environ.get("AWS_S3_CUSTOM_DOMAIN"):
        _bucket_origin = "https://" + os.environ["AWS_S3_CUSTOM_DOMAIN"].strip("/")
    elif os.environ.get("S3_ENDPOINT_URL"):
        _bucket_origin = "/".join(os.environ["S3_ENDPOINT_URL"].split("/")[:3])
    if _bucket_origin:
        for _directive in ("img-src", "media-src", "frame-src"):
            CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive].append(_bucket_origin)
if env_bool("CSP_REPORT_ONLY", False):  # noqa: F405
    CONTENT_SECURITY_POLICY_REPORT_ONLY = CONTENT_SECURITY_POLICY  # noqa: F405
    CONTENT_SECURITY_POLICY = None
# --- end of security headers and cookies ---------------------------------------------------------
