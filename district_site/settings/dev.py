from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)  # noqa: F405
# Only for local development; production refuses to start without a real one.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
ALLOWED_HOSTS = ALLOWED_HOSTS + ["127.0.0.1"]  # noqa: F405
