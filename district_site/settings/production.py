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
