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
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://localhost"
