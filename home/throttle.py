"""Login throttling, on top of django-axes.

axes records every failed login in the database (`AccessAttempt`, so the count holds across
app servers) and refuses further logins once a limit is reached. Two things it does not do the
way this project needs, added here:

* one limit per lockout parameter. axes compares the failures of every parameter with the same
  `AXES_FAILURE_LIMIT`; we want 5 for an account at one address but 20 for an address as a
  whole (a school's staff share one address behind its router).
* the client address behind nginx, taken from X-Forwarded-For only when a trusted proxy is
  configured (`TRUSTED_PROXY_COUNT`): otherwise the header is whatever the client chose to send,
  and rotating it would escape the per-address limit.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def lockout_limits() -> list[int]:
    """The failure limit of each entry of `AXES_LOCKOUT_PARAMETERS`, in the same order."""
    return [
        settings.LOGIN_FAILURE_LIMITS[
            parameter if isinstance(parameter, str) else "+".join(parameter)
        ]
        for parameter in settings.AXES_LOCKOUT_PARAMETERS
    ]


class PerParameterLimitHandler(AxesDatabaseHandler):
    """axes' database handler with one limit per lockout parameter.

    axes locks out when `get_failures() >= AXES_FAILURE_LIMIT`. This handler returns each
    parameter's failure count scaled to that common limit (`count * common // own_limit`), so
    the comparison axes makes is "has any parameter reached its own limit".
    """

    def get_failures(self, request, credentials=None) -> int:
        common = settings.AXES_FAILURE_LIMIT
        counts = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        return max(
            (
                count * common // limit
                for count, limit in zip(counts, lockout_limits(), strict=True)
            ),
            default=0,
        )


class LoginThrottleBackend(AxesStandaloneBackend):
    """axes' backend, first in AUTHENTICATION_BACKENDS: refuses a locked-out login before the
    password is even checked.

    authenticate() without a request (the test client's login(), a shell) has no address to
    throttle; axes raises an error there, this lets it through to the password check. Every
    login over the web passes the request (Wagtail's and Django's login views do).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str | None:
    """The address to throttle: the connecting address, or, behind `TRUSTED_PROXY_COUNT`
    proxies, the entry of X-Forwarded-For that the outermost trusted proxy appended (nginx's
    `proxy_add_x_forwarded_for` appends the address it saw to what the client sent; entries
    further left are the client's own claims)."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
