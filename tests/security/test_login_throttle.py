"""Login throttling (django-axes, database-backed so it holds across app servers).

Limits (district_site/settings/base.py): 5 failures for one account from one address, 20
failures from one address whatever the accounts, within 15 minutes; then the login is refused,
even with the right password, until 15 minutes after the last counted failure. The lockout is
per account *and address*, not per account alone, so that nobody can lock a principal out of
their own school from somewhere else by typing wrong passwords for their name.
"""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from district_site.factories import DEFAULT_PASSWORD, make_member

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
TEACHER = "198.51.100.20"
LOCKED_TEXT = "Đăng nhập tạm thời bị khoá"


def access_attempts():
    # Imported here so that this file also runs (and fails honestly) without django-axes.
    from axes.models import AccessAttempt

    return AccessAttempt.objects


def attempt(client, username, password, address, **extra):
    client.logout()
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


@pytest.fixture
def principal(school_a):
    return make_member(school_a, "hieutruong_a", board=True)


@pytest.fixture
def teacher(school_a):
    return make_member(school_a, "giaovien_a")


def test_five_wrong_passwords_lock_the_account_from_that_address(client, principal, teacher):
    for n in range(4):
        response = attempt(client, "hieutruong_a", f"sai-{n}", ATTACKER)
        assert response.status_code == 200, n  # the login form with its error, not yet locked
        assert LOCKED_TEXT not in response.content.decode()
    # The fifth failure reaches the limit: its answer is already the lockout page.
    assert attempt(client, "hieutruong_a", "sai-4", ATTACKER).status_code == 429

    # The right password is now refused too, with a Vietnamese explanation.
    response = attempt(client, "hieutruong_a", DEFAULT_PASSWORD, ATTACKER)
    assert not logged_in(response)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_TEXT in page
    assert "15 phút" in page
    assert "_auth_user_id" not in client.session

    # Another account from another address still logs in, and so does the principal from their
    # own school's address: the lock is on this account at this address.
    assert logged_in(attempt(client, "giaovien_a", DEFAULT_PASSWORD, TEACHER))
    assert logged_in(attempt(client, "hieutruong_a", DEFAULT_PASSWORD, TEACHER))


def test_twenty_failures_from_one_address_lock_that_address(client, principal, teacher):
    # Four tries at each of five names: no single account reaches its limit of five.
    answers = [
        attempt(client, name, f"sai-{n}", ATTACKER).status_code
        for name in ("an", "binh", "chi", "dung", "giang")
        for n in range(4)
    ]
    assert answers == [200] * 19 + [429]  # the twentieth failure reaches the limit
    response = attempt(client, "giaovien_a", DEFAULT_PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()
    # The same account from elsewhere is not affected.
    assert logged_in(attempt(client, "giaovien_a", DEFAULT_PASSWORD, TEACHER))


def test_the_lock_ends_after_the_cool_off(client, principal):
    for n in range(5):
        attempt(client, "hieutruong_a", f"sai-{n}", ATTACKER)
    assert attempt(client, "hieutruong_a", DEFAULT_PASSWORD, ATTACKER).status_code == 429

    # Trying again while locked does not prolong the lock.
    assert attempt(client, "hieutruong_a", "sai-nua", ATTACKER).status_code == 429
    # 16 minutes later (moved back in the database: the throttle reads its own records).
    sixteen_minutes_ago = access_attempts().get().attempt_time - datetime.timedelta(minutes=16)
    access_attempts().update(attempt_time=sixteen_minutes_ago)
    assert logged_in(attempt(client, "hieutruong_a", DEFAULT_PASSWORD, ATTACKER))


def test_a_forged_forwarded_for_header_does_not_escape_the_lock(client, principal):
    """Without a trusted proxy configured, X-Forwarded-For is the client's own claim: ignored."""
    for n in range(6):
        response = attempt(
            client, "hieutruong_a", f"sai-{n}", ATTACKER, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        )
    assert response.status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_nginx_the_address_nginx_saw_is_throttled(client, principal, teacher):
    """Behind one trusted proxy every request comes from nginx's address; the client's is the
    last entry of X-Forwarded-For (nginx appends the address it saw to whatever came in)."""
    nginx = "127.0.0.1"
    forged_then_real = f"10.9.9.9, {ATTACKER}"
    for n in range(5):
        attempt(client, "hieutruong_a", f"sai-{n}", nginx, HTTP_X_FORWARDED_FOR=forged_then_real)
    locked = attempt(client, "hieutruong_a", DEFAULT_PASSWORD, nginx, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert locked.status_code == 429
    assert access_attempts().get().ip_address == ATTACKER
    # Another client behind the same nginx is not locked out with the attacker.
    assert logged_in(
        attempt(client, "hieutruong_a", DEFAULT_PASSWORD, nginx, HTTP_X_FORWARDED_FOR=TEACHER)
    )


def test_the_test_clients_login_still_works(client, principal):
    """Client.login() calls authenticate() without a request, which cannot be throttled by
    address: it is let through to the password check (the web login always has a request)."""
    assert client.login(username="hieutruong_a", password=DEFAULT_PASSWORD)
