"""gunicorn settings for the portal (deploy/systemd/district-portal.service).

Every value can be overridden from the environment file, so one file serves a 2-core school
server and a larger province machine. See docs/scaling.md for the measured figures behind the
defaults.
"""

import multiprocessing
import os

# nginx talks to gunicorn over loopback; never expose this port.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: Django's ORM and Wagtail are synchronous; one request per worker at a time.
# 2 x cores + 1 is gunicorn's rule of thumb for I/O-bound Django (database round trips).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# An admin CSV import or an xlsx score sheet can take a while; a public page never should.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so slow memory growth (Pillow, large querysets) never piles up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Load the app once in the master and fork: workers share its memory pages (copy-on-write).
preload_app = True
# Django writes JSON request lines itself (district_site/logging.py); gunicorn's access log
# would only repeat them. Errors still go to stderr, which journald keeps.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind nginx on the same host: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "district-portal"
