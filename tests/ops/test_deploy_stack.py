"""Two app servers behind one nginx, as docs/scaling.md describes, on loopback.

Two gunicorn instances (deploy/gunicorn.conf.py, production settings) share one PostgreSQL
database, Redis and a media folder; nginx balances between them; the django-tasks worker sends
mail to a local SMTP sink. A review approved through one app server is live on the other and
through nginx; a login on one is valid on the other; the approval mail is sent by the worker.

`make deploy-check` runs this module with DEPLOY_CHECK_SEED=demo: the whole Tam Nông demo,
every demo site smoke-tested through nginx. In CI (PostgreSQL) it runs with a light seed.
Marked `deploy`; skipped on SQLite; a missing nginx or gunicorn fails the run under CI=true.
"""

import os
import re
import time
from urllib.parse import urlparse

import dj_database_url
import psycopg2
import pytest

from tests.ops.stack import (
    Browser,
    Stack,
    create_database,
    drop_database,
    free_port,
    prepare,
    tool_missing,
)

pytestmark = [pytest.mark.deploy, pytest.mark.postgres]

SEED = os.environ.get("DEPLOY_CHECK_SEED", "light")
# check --deploy warnings that the security-headers block of production.py (HSTS, HTTPS redirect)
# answers; anything else fails.


def admin_parts(url: str) -> dict:
    parsed = dj_database_url.parse(url)
    return {
        "user": parsed.get("USER") or None,
        "password": parsed.get("PASSWORD") or None,
        "host": parsed.get("HOST") or None,
        "port": parsed.get("PORT") or None,
    }


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("The two-app-server test needs PostgreSQL (DATABASE_URL=postgres://…).")
    missing = tool_missing()
    if missing:
        message = f"{missing} is needed for the deploy tests"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " and CI must not skip them.")
        pytest.skip(message)

    base = dj_database_url.parse(url)["NAME"]
    name = f"{base}_deploy_{os.getpid()}"
    parts = admin_parts(url)
    create_database(parts, name)
    database_url = urlparse(url)._replace(path=f"/{name}").geturl()
    stack = Stack(tmp=tmp_path_factory.mktemp("stack"), database_url=database_url)
    try:
        timings = prepare(stack, SEED)
        started = time.monotonic()
        stack.start()
        timings["start"] = time.monotonic() - started
        stack.timings = timings
        print("stack timings (s):", {k: round(v, 1) for k, v in timings.items()})
        yield stack
    finally:
        stack.stop()
        drop_database(parts, name)


def test_check_deploy_has_no_warning_but_the_security_header_ones(stack):
    output = stack.manage("check", "--deploy")
    ids = {w.strip("():") for w in output.split() if w.startswith("(") and "." in w}
    assert ids == set(), output


@pytest.mark.parametrize("server", ["app1", "app2", "nginx"])
def test_health_on_any_host_and_never_cached(stack, server):
    browser = Browser()
    for host in ("127.0.0.1", "10.9.8.7", "khong-co.localhost"):
        response, body = browser.get(stack.ports[server], host, "/healthz")
        assert response.status == 200 and '"ok"' in body
        assert response.getheader("Cache-Control").startswith("no-store")
        response, body = browser.get(stack.ports[server], host, "/readyz")
        assert response.status == 200, body
        for check in ("database", "cache", "storage", "migrations"):
            assert f'"{check}": {{"ok": true' in body


def test_every_site_is_served_through_nginx_with_its_static_files(stack):
    browser = Browser()
    sites = stack.seed_info["sites"]
    assert len(sites) >= 2
    css = set()
    for site in sites:
        response, body = browser.get(stack.ports["nginx"], site["host"], "/")
        assert response.status == 200, (site, body[:500])
        css.update(re.findall(r'href="(/static/[^"]+\.css)"', body))
    assert css, "pages link their stylesheets"
    for path in css:
        # Hashed names from the manifest storage, served by nginx from STATIC_ROOT.
        assert re.search(r"\.[0-9a-f]{12}\.css$", path), path
        response, _ = browser.get(stack.ports["nginx"], sites[0]["host"], path)
        assert response.status == 200, path
    # An unknown school is still a 404, through nginx too.
    response, _ = browser.get(stack.ports["nginx"], "khong-co.localhost", "/")
    assert response.status == 404


def test_login_on_one_app_server_stays_logged_in_on_the_other(stack):
    review = stack.seed_info["review"]
    browser = Browser()
    response, body = browser.login(
        stack.ports["app1"], "localhost", review["approver"], stack.seed_info["password"]
    )
    assert response.status == 302, body[:1000]
    assert "sessionid" in browser.cookies
    response, body = browser.get(stack.ports["app2"], "localhost", "/admin/")
    assert response.status == 200, (response.status, response.getheader("Location"))
    assert 'name="username"' not in body  # the dashboard, not the login form


def test_review_approved_on_one_server_is_live_on_the_other_and_mailed_by_the_worker(stack):
    review = stack.seed_info["review"]
    assert review, "the seed leaves a review waiting for the board"
    reader = Browser()
    path = review["path"]
    response, _ = reader.get(stack.ports["app2"], review["host"], path)
    assert response.status == 404  # not published yet

    board = Browser()
    # Logged in through nginx (either app server), then the approval posted to app server 1.
    response, _ = board.login(
        stack.ports["nginx"], review["host"], review["approver"], stack.seed_info["password"]
    )
    assert response.status == 302
    action = f"/admin/pages/workflow/action/{review['page_id']}/approve/{review['task_state_id']}/"
    board.get(stack.ports["app1"], review["host"], action)
    response, body = board.post(
        stack.ports["app1"], review["host"], action, {"comment": "Duyệt qua máy chủ 1."}
    )
    assert response.status in (200, 302), body[:1000]

    for port in (stack.ports["app2"], stack.ports["nginx"], stack.ports["app1"]):
        response, body = reader.get(port, review["host"], path)
        assert response.status == 200, (port, body[:300])
        assert review["title"] in body

    # The approval e-mail: queued by app server 1 in the database, sent by the worker.
    # (The board's "waiting for review" mails of the seed's submission come first.)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(
        "đã được duyệt" in subject for subject in stack.smtp.subjects()
    ):
        time.sleep(0.3)
    subjects = stack.smtp.subjects()
    assert any("đã được duyệt" in subject for subject in subjects), (
        subjects,
        stack.log("worker"),
    )

    # The worker also rendered the pages the approval changed, as an anonymous visitor
    # (home/page_warming.py): the school's home, not requested by anyone since the approval,
    # is served from the page cache on its first request, with the new post on it.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and pending_warm_ups(stack):
        time.sleep(0.3)
    assert not pending_warm_ups(stack), stack.log("worker")
    response, body = Browser().get(stack.ports["nginx"], review["host"], "/")
    assert response.status == 200
    assert response.getheader("X-Page-Cache") == "hit", stack.log("worker")
    assert review["title"] in body


def pending_warm_ups(stack) -> int:
    """Warm-up tasks the worker has not finished."""
    parsed = dj_database_url.parse(stack.database_url)
    with psycopg2.connect(dbname=parsed["NAME"], **admin_parts(stack.database_url)) as conn:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult"
                " WHERE task_path = 'home.page_warming.warm_pages_task'"
                " AND status NOT IN ('SUCCESSFUL', 'FAILED')"
            )
            return cursor.fetchone()[0]


def test_recycled_workers_are_replaced_and_every_request_answered(stack):
    # deploy/gunicorn.conf.py: a worker recycled after max_requests leaves through the
    # worker_exit hook (os._exit after closing its connections); the master must see a clean
    # exit and start another, and no request may fail meanwhile.
    stack.start_app(
        "recycling", free_port(), GUNICORN_MAX_REQUESTS="5", GUNICORN_MAX_REQUESTS_JITTER="0"
    )
    stack.wait_ready("recycling")
    first_workers = set(stack.worker_pids("recycling"))
    host = stack.seed_info["sites"][0]["host"]
    for _ in range(30):
        response, body = Browser().get(stack.ports["recycling"], host, "/")
        assert response.status == 200, body[:300]
    log = stack.log("recycling")
    assert log.count("Autorestarting worker") >= 4, log
    assert "exited with code" not in log and "Traceback" not in log, log
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(stack.worker_pids("recycling")) != 2:
        time.sleep(0.2)
    workers = set(stack.worker_pids("recycling"))
    assert len(workers) == stack.workers_per_app and not workers & first_workers


def test_every_app_server_runs_its_workers(stack):
    # Read after the requests above: the memory figure of docs/scaling.md (RSS per worker).
    sizes = stack.rss_kib("app1") + stack.rss_kib("app2")
    assert len(sizes) == 2 * stack.workers_per_app
    print("gunicorn worker RSS (MiB):", [round(s / 1024) for s in sizes])
