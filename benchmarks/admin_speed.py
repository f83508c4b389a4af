"""Benchmark: the writer's and the board's admin under gunicorn, production settings, PostgreSQL.

Not a test: timings vary by machine, so every figure is printed next to a baseline measured in
the same run, interleaved with it: a trivial logged-in admin view (the contributors' guide,
`/admin/guide/`: the admin's own base template, the session, the roles query, no listing).

Measured, for a board member and a writer of one school among several, each request timed on
the client against one gunicorn app server on loopback (no nginx in between), so the figure is
the server's time plus a loopback round trip:
- the dashboard (board member: "awaiting your review"; writer: "Viết bài mới", own posts);
- the page editor (writer, on a draft of theirs);
- submitting a draft for review (the editor's "Gửi duyệt": the full edit form, POSTed);
- approving a review from the dashboard (the workflow action the panel's button posts).
Each is printed as median and 95th percentile in milliseconds and as a ratio to the baseline's
median. The issue's target: editor and dashboard at most 0.3 s server time.

Run: `.venv/bin/python benchmarks/admin_speed.py` (PostgreSQL at 127.0.0.1:5432 with trust auth,
Redis at 127.0.0.1:6379). BENCH_ADMIN_DB names the database (created and dropped here),
BENCH_REQUESTS the samples per figure, BENCH_SCHOOLS the schools provisioned.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.form_fields import FormFields  # noqa: E402  (the project root first on the path)
from tests.ops.stack import (  # noqa: E402
    GUNICORN,
    Browser,
    Stack,
    create_database,
    drop_database,
)

ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_ADMIN_DB", "bench_admin_speed")
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
SCHOOLS = int(os.environ.get("BENCH_SCHOOLS", "10"))
TARGET_SECONDS = 0.3

SEED = """
import json
from district_site.factories import DEFAULT_PASSWORD, UserFactory, make_school
from school_site.models import NewsIndexPage, NewsPage

schools = [make_school(f"th-{i:02d}", name=f"Trường Tiểu học Đo Tốc Độ {i:02d}")
           for i in range(int(SCHOOLS))]
school = schools[0]
writer = UserFactory(username="writer_bench")
writer.groups.add(school.editors_group)
board = UserFactory(username="board_bench")
board.groups.add(school.board_group)
index = NewsIndexPage.objects.child_of(school.site.root_page).get()
drafts = []
for i in range(int(DRAFTS)):
    page = NewsPage(title=f"Tin đo tốc độ số {i}", author=writer, owner=writer, live=False,
                    intro="Một bài để đo thời gian của trang quản trị.")
    index.add_child(instance=page)
    page.save_revision(user=writer)
    drafts.append(page.pk)
# Some reviews already waiting, in this school and in the others.
for other in schools:
    w = UserFactory(username=f"w_{other.pk}")
    w.groups.add(other.editors_group)
    other_index = NewsIndexPage.objects.child_of(other.site.root_page).get()
    for j in range(3):
        page = NewsPage(title=f"Tin chờ duyệt {j}", author=w, owner=w, live=False)
        other_index.add_child(instance=page)
        page.save_revision(user=w)
        page.get_workflow().start(page, w)
print("BENCH_JSON=" + json.dumps({"drafts": drafts, "password": DEFAULT_PASSWORD}))
"""


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def main() -> None:
    parts = urlparse(ADMIN_URL)
    admin_parts = {"host": parts.hostname, "port": parts.port or 5432, "user": parts.username}
    create_database(admin_parts, DB_NAME)
    database_url = parts._replace(path=f"/{DB_NAME}").geturl()
    stack = Stack(tmp=Path(tempfile.mkdtemp(prefix="bench-admin-")), database_url=database_url)
    try:
        collectstatic = stack.manage_in_background("collectstatic", "--noinput", "-v0")
        stack.manage("migrate", "--noinput", "-v0")
        collectstatic.communicate(timeout=600)
        output = stack.manage(
            "shell",
            stdin=SEED.replace("int(SCHOOLS)", str(SCHOOLS)).replace("int(DRAFTS)", str(REQUESTS)),
        )
        line = next(x for x in output.splitlines() if x.startswith("BENCH_JSON="))
        seeded = json.loads(line.removeprefix("BENCH_JSON="))
        port = stack.ports["app1"] = stack.ports.get("app1") or _free_port()
        stack._spawn(
            "app1",
            [
                GUNICORN,
                "--config",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "district_site.wsgi:application",
            ],
        )
        stack.wait_ready("app1")
        run(port, seeded)
    finally:
        stack.stop()
        drop_database(admin_parts, DB_NAME)


def _free_port() -> int:
    from tests.ops.stack import free_port

    return free_port()


def run(port: int, seeded: dict) -> None:
    host = "localhost"
    writer, board = Browser(), Browser()
    for browser, name in ((writer, "writer_bench"), (board, "board_bench")):
        response, _ = browser.login(port, host, name, seeded["password"])
        assert response.status == 302, f"login of {name}: {response.status}"

    def get(browser, path, expect=200):
        def call():
            response, body = browser.get(port, host, path)
            assert response.status == expect, (path, response.status)

        return call

    results: dict[str, list[float]] = {
        name: []
        for name in (
            "baseline (guide, board)",
            "baseline (guide, writer)",
            "dashboard, board member",
            "dashboard, writer",
            "page editor, writer",
            "submit for review, writer",
            "approve from the dashboard, board",
        )
    }
    # Warm each worker's caches (templates, content types, site roots) before measuring.
    for _ in range(4):
        for browser in (board, writer):
            get(browser, "/admin/")()
            get(browser, "/admin/guide/")()
        get(writer, f"/admin/pages/{seeded['drafts'][0]}/edit/")()

    def open_editor(path: str, into: dict) -> None:
        response, html = writer.get(port, host, path)
        assert response.status == 200, (path, response.status)
        into["html"] = html

    def submit(path: str, fields: dict) -> None:
        response, html = writer.post(port, host, path, fields)
        assert response.status == 302, (path, response.status, _errors(html))

    drafts = list(seeded["drafts"])
    for page_id in drafts:
        results["baseline (guide, board)"].append(timed(get(board, "/admin/guide/")))
        results["dashboard, board member"].append(timed(get(board, "/admin/")))
        results["baseline (guide, writer)"].append(timed(get(writer, "/admin/guide/")))
        results["dashboard, writer"].append(timed(get(writer, "/admin/")))
        edit = f"/admin/pages/{page_id}/edit/"
        page: dict = {}
        results["page editor, writer"].append(timed(partial(open_editor, edit, page)))
        parser = FormFields()
        parser.feed(page["html"])
        fields = dict(parser.fields)
        fields["action-submit"] = "1"
        fields.pop("csrfmiddlewaretoken", None)
        results["submit for review, writer"].append(timed(partial(submit, edit, fields)))

    # The board approves what was just submitted, from the dashboard's buttons.
    _response, html = board.get(port, host, "/admin/")
    urls = re.findall(
        r'data-workflow-action-url="(/admin/pages/workflow/action/\d+/approve/\d+/)"(?! data-launch)',
        html,
    )
    own = {f"/admin/pages/workflow/action/{pk}/" for pk in drafts}
    urls = [url for url in dict.fromkeys(urls) if any(url.startswith(p) for p in own)]
    assert len(urls) == len(drafts), f"{len(urls)} approvals offered for {len(drafts)} drafts"
    for url in urls:

        def approve(url=url):
            response, _ = board.post(port, host, url, {"comment": ""})
            assert response.status == 302, (url, response.status)

        results["approve from the dashboard, board"].append(timed(approve))

    baseline, _ = summary(results["baseline (guide, board)"] + results["baseline (guide, writer)"])
    print(f"\nAdmin speed under gunicorn (2 workers), PostgreSQL, {SCHOOLS} schools, ")
    print(
        f"{len(drafts)} samples each; baseline = the guide page, median {baseline * 1000:.0f} ms\n"
    )
    print(f"{'request':40} {'median':>9} {'p95':>9} {'× baseline':>11}  target")
    for name, samples in results.items():
        median, p95 = summary(samples)
        target = ""
        if name.startswith(("dashboard", "page editor")):
            target = "≤ 300 ms " + ("ok" if median <= TARGET_SECONDS else "OVER")
        print(
            f"{name:40} {median * 1000:7.0f}ms {p95 * 1000:7.0f}ms {median / baseline:10.1f}×  {target}"
        )


def _errors(html: str) -> str:
    found = re.findall(r'class="error-message"[^>]*>(.*?)<', html, re.S)
    return "; ".join(x.strip() for x in found)[:500] or html[:300]


if __name__ == "__main__":
    main()
