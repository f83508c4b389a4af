"""Settings shared by every environment. Everything that differs between machines is read
from the environment; see README.md for the variables."""

import datetime
import os
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)

# Every school is served at <something>.<DISTRICT_BASE_DOMAIN>; the district portal at the base
# domain itself. The leading dot in ALLOWED_HOSTS accepts every subdomain, so a newly provisioned
# school is served at once without editing settings or restarting.
DISTRICT_BASE_DOMAIN = os.environ.get("DISTRICT_BASE_DOMAIN", "localhost").lower().strip(".")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [
    DISTRICT_BASE_DOMAIN,
    "." + DISTRICT_BASE_DOMAIN,
]
# The port that Site objects are created with (80 in production behind a proxy; the dev server's
# port in the demo so that cross-site links work).
SITE_PORT = int(os.environ.get("SITE_PORT", "80"))

INSTALLED_APPS = [
    "district_site",
    "school_site",
    "scoring",
    "home",
    "wagtail_modeladmin",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Login throttling; see the "Login throttling" block below.
    "axes",
    # Content-Security-Policy (its system checks); the header is sent in production only.
    "csp",
]

# Order matters:
# - SecurityMiddleware first: its HTTPS redirect runs before anything is served, and its headers
#   (HSTS, nosniff, ...) are added to every response, cached copies included.
# - PageCacheMiddleware next (home/page_cache.py): it serves anonymous visitors' GETs from the
#   cache before sessions, the site lookup (SchoolSiteMiddleware) or anything else touches the
#   database, so a hit costs no query. It decides "anonymous" from the raw session cookie, so it
#   needs nothing below it. On a miss, the response it stores has already passed through every
#   middleware below, so a hit carries the same headers (CSP, X-Frame-Options, Vary).
# - SchoolSiteMiddleware after authentication; an unknown host or an archived school's site is a
#   404, which is never stored, and archiving invalidates the school's cached pages.
# - CSP after the clickjacking/redirect middleware so its header lands on the stored response;
#   AxesMiddleware last (django-axes requires it; the login is under /admin/, never cached).
MIDDLEWARE = [
    # First: /healthz and /readyz answer on any Host and over plain HTTP (district_site/health.py).
    "district_site.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "home.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "district_site.middleware.SchoolSiteMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Refuses school users the admin listings that Wagtail offers no hook to scope.
    "district_site.admin_scoping.AdminScopingMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Sends the Content-Security-Policy when one is set (production.py); inert otherwise.
    "home.csp.DistrictCSPMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "district_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "district_site.wsgi.application"

# DATABASE_URL: an SQLite file in the project folder by default; postgres://... uses psycopg2.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=0,
    )
}
# A request either does all its writes or none of them.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite (the demo): every transaction takes the write lock when it begins. With SQLite's
    # default (deferred) transactions, two requests that both read and then write (the page
    # editor's preview autosave beside its save) can each hold a read lock and wait for the
    # other: SQLite answers "database is locked" at once instead of waiting its busy timeout.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, reusing its redis-py clients (home/redis_cache.py).
            "BACKEND": "home.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "district",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole-page cache of the public sites for anonymous visitors (home/page_cache.py). The stored
# copy lives up to PAGE_CACHE_SECONDS but is invalidated at once on publish, move, branding or
# school changes; browsers, nginx and CDNs may keep it PAGE_CACHE_BROWSER_SECONDS (they are
# not told about invalidations, so this is how stale a shared link can be after a publish).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_BROWSER_SECONDS = int(os.environ.get("PAGE_CACHE_BROWSER_SECONDS", "60"))
# Fragments of public pages (a school home's listings, the portal's news and schools), keyed
# and invalidated with the page cache's per-site tokens; they also serve the requests the page
# cache passes by (logged-in users, PAGE_CACHE_ENABLED=false). home/page_cache.py.
FRAGMENT_CACHE_ENABLED = env_bool("FRAGMENT_CACHE_ENABLED", True)
# How long fragments and a site's bundle are kept. Longer than the pages: they are invalidated
# with the same tokens on every change, and a school site with a few hundred visits a day would
# otherwise meet them expired on most visits, which then cost the whole render.
FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", str(24 * 3600)))
# After a change, the background worker renders the pages it shows on as an anonymous visitor,
# so the first readers after a publish find them cached (home/page_warming.py). Off here (dev
# and tests run tasks inline, where it would only slow every publish); production.py turns it on.
PAGE_CACHE_WARM = env_bool("PAGE_CACHE_WARM", False)
# At most this many pages per change are warmed, homes and sections first (a bulk import of
# posts warms its sites' homes and sections, not each post).
PAGE_CACHE_WARM_MAX_PAGES = int(os.environ.get("PAGE_CACHE_WARM_MAX_PAGES", "50"))

# Renditions of an uploaded image (home/images.UPLOAD_SPECS) are made by the background worker
# right after the upload (home/signals.py), not on the first visitor's request. Off: the first
# request that shows a picture renders it, as stock Wagtail does.
IMAGE_RENDITIONS_AT_UPLOAD = env_bool("IMAGE_RENDITIONS_AT_UPLOAD", True)
# The AVIF encoder's speed, 0 (slowest, smallest files) to 10 (home/avif.py). Pillow's own
# default, 6: ~0.3 s of the worker's CPU per rendition for the smallest files on parents' phones.
IMAGE_AVIF_SPEED = int(os.environ.get("IMAGE_AVIF_SPEED", "6"))


def frontend_cache_settings(environ) -> dict | None:
    """Wagtail's frontend cache purging, only when FRONTEND_CACHE_PURGE_URL is set.

    The URL is where nginx's purge location listens (e.g. http://127.0.0.1:8081); every event
    that makes a site's cached pages stale sends it `PURGE /*` with the site's Host header
    (home/frontend_purge.py, docs/deploy.md). A CDN: set WAGTAILFRONTENDCACHE in a settings
    module of your own with Wagtail's CloudFront or Cloudflare backend instead.
    """
    url = environ.get("FRONTEND_CACHE_PURGE_URL", "").strip()
    if not url:
        return None
    return {
        "nginx": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": url,
        }
    }


if frontend_cache_settings(os.environ):
    WAGTAILFRONTENDCACHE = frontend_cache_settings(os.environ)
# The scheme of the purged URLs (https://<host>/*): what a CDN keys its copies by.
FRONTEND_CACHE_PURGE_SCHEME = os.environ.get("FRONTEND_CACHE_PURGE_SCHEME", "https")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FORMAT_MODULE_PATH = ["district_site.formats"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static_src"]
STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Email: console in dev (see dev.py); SMTP settings from the environment elsewhere.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"no-reply@{DISTRICT_BASE_DOMAIN}")

# Wagtail
WAGTAIL_SITE_NAME = "Cổng thông tin Phòng GD&ĐT"
WAGTAIL_I18N_ENABLED = False
# Slugs are ASCII (see home.text.vietnamese_slugify).
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_BASE_URL = os.environ.get(
    "WAGTAILADMIN_BASE_URL", f"http://{DISTRICT_BASE_DOMAIN}:{SITE_PORT}"
)
# Wagtail's search backend serves the admin's search and the public search
# (district_site/public_search.py); both subclasses fold Vietnamese the same way and match the
# last word as a prefix (home/search_fold.py, docs/search-indexing.md).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "home.search_backend_sqlite"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's PostgreSQL backend scans the whole index table after every save; this subclass
    # updates only the saved rows and leaves the ranking statistic to an hourly job
    # (home/search_backend.py). The text search configuration is `simple` with `unaccent`,
    # created by home/migrations/0004: no English stemming, accents folded.
    WAGTAILSEARCH_BACKENDS["default"] = {
        "BACKEND": "home.search_backend",
        "SEARCH_CONFIG": "vietnamese_unaccent",
    }
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "doc",
    "docx",
    "odt",
    "pdf",
    "ppt",
    "pptx",
    "rtf",
    "txt",
    "xls",
    "xlsx",
    "zip",
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Documents are always streamed by Wagtail's serve view, which runs the before_serve_document
# hooks (district_site.files.document_refusal: own school's hostname, used by a live page).
# "redirect" (Wagtail's default for remote storages such as S3) would answer with the storage's
# own URL, which anyone could then reuse; "direct" would link straight to it, skipping the check.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
# Edits made after a page was submitted must be reviewed again before they go live.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_MODERATION_ENABLED = True
# Review e-mails go to the page's own school board only (school_site.notifications).
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Every school is in one time zone: with a single zone, Wagtail's account screen shows no list.
WAGTAIL_USER_TIME_ZONES = ["Asia/Ho_Chi_Minh"]
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no calls to an outside service for avatars

# --- Login throttling (django-axes) ------------------------------------------------------------
# Failed logins are counted in the database, so the count holds across app servers. Limits, within
# AXES_COOLOFF_TIME (15 minutes): 5 failures for one account from one address, 20 failures from
# one address whatever the accounts (a school's staff share one address behind its router; raise
# LOGIN_FAILURES_PER_ADDRESS if a busy school hits it). Reaching a limit refuses that login, even
# with the right password, until 15 minutes after the last counted failure. Deliberately no limit
# per account from anywhere: it would let anyone lock a principal out by typing their name.
# See home/throttle.py and SECURITY.md.
AUTHENTICATION_BACKENDS = [
    "home.throttle.LoginThrottleBackend",  # first: refuses a locked-out login before the password
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "home.throttle.PerParameterLimitHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
LOGIN_FAILURE_LIMITS = {
    "username+ip_address": int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "5")),
    "ip_address": int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "20")),
}
# axes' one limit; the handler scales every parameter's count to it (home.throttle).
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMITS["username+ip_address"]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
# Tries while locked out are refused but do not restart the 15 minutes.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "security/login_locked.html"
AXES_COOLOFF_MESSAGE = "Đăng nhập tạm thời bị khoá do nhập sai mật khẩu quá nhiều lần."
AXES_CLIENT_IP_CALLABLE = "home.throttle.client_ip"
# How many reverse proxies (nginx, a load balancer) stand in front of the app and append to
# X-Forwarded-For. 0: the connecting address is the client's. production.py sets 1 (nginx).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# --- end of login throttling ---------------------------------------------------------------------

# --- Content-Security-Policy (django-csp; Django 5.2 has none built in) --------------------------
# The policy is defined here and sent in production only (production.py sets
# CONTENT_SECURITY_POLICY to it); the browser test runs the admin under this very policy. What
# needs what:
# - scripts: only our own files and Wagtail's, no inline script and no eval; the admin's screens
#   (not its page previews) also allow inline scripts, which some Wagtail widgets still need
#   (home/csp.py; tests/browser/test_csp_admin.py proves the editor works under it);
# - styles: 'unsafe-inline', because Wagtail's admin and Draftail set style attributes and the
#   public base.html sets each school's colours in a <style>; styles cannot run code;
# - frames: our own previews (Wagtail shows a page's preview in an iframe) and the video sites an
#   embed block may show; CSP_EXTRA_FRAME_SRC (comma-separated origins) adds more;
# - frame-ancestors 'self': only our own pages may frame ours (the preview panel).
_CSP_FRAME_SRC = [
    "'self'",
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://www.facebook.com",
    *env_list("CSP_EXTRA_FRAME_SRC"),
]
DISTRICT_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https://i.ytimg.com"],
        "font-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": _CSP_FRAME_SRC,
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}
CONTENT_SECURITY_POLICY = None  # no header (dev, tests); production.py sends the policy above
# --- end of Content-Security-Policy ------------------------------------------------------------

# --- background tasks (django-tasks; ops) -------------------------------------------------------
# The database backend's table exists everywhere (same migrations in every environment). Dev and
# tests run tasks at once (the default immediate backend; test.py says so explicitly);
# production.py queues them in the database for `manage.py db_worker` (deploy/systemd).
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
