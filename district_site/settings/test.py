from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DISTRICT_BASE_DOMAIN = "localhost"
ALLOWED_HOSTS = ["localhost", ".localhost", "testserver", "127.0.0.1"]
SITE_PORT = 80
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# One media folder per test process, like the SQLite file below: CI runs the SQLite and the
# PostgreSQL passes side by side, and a test that counts or deletes files must not see the
# other pass's. tests/conftest.py removes it when the session ends.
MEDIA_ROOT = BASE_DIR / "test-artifacts" / f"media-{os.getpid()}"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://localhost"
# The tests make thousands of renditions inline (the immediate task backend): AVIF at speed 9
# costs ~0.02 s of CPU each instead of ~0.33 s at production's 6 (home/avif.py). Same format,
# sizes and markup; only the compression effort differs.
IMAGE_AVIF_SPEED = 9

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's default shared-cache in-memory database: there a browser request
    # still finishing in the live server makes the test's flush fail at once with "table is
    # locked"; with a file SQLite waits for the lock (busy timeout) instead.
    # One file per test process, so parallel runs on one machine do not share it. The folder
    # is git-ignored, so a fresh clone does not have it yet.
    (BASE_DIR / "test-artifacts").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(BASE_DIR / "test-artifacts" / f"test-db-{os.getpid()}.sqlite3")  # noqa: F405
    }
    DATABASES["default"]["OPTIONS"] = {  # noqa: F405
        "timeout": 20,
        "init_command": "PRAGMA synchronous=OFF;",
        "transaction_mode": "IMMEDIATE",  # as in base.py: wait for the lock, never deadlock
    }
