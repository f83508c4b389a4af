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
if env_bool("CSP_REPORT_ONLY", False):  # noqa: F405
    CONTENT_SECURITY_POLICY_REPORT_ONLY = CONTENT_SECURITY_POLICY  # noqa: F405
    CONTENT_SECURITY_POLICY = None
# --- end of security headers and cookies ---------------------------------------------------------
