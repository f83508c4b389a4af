"""Benchmark: the public pages under gunicorn, cached and uncached, against a trivial view.

Not a test: rates vary by machine and by what else runs on it, so every figure is printed next
to a ceiling measured in the same run, interleaved (A/B rounds: every target once per round).

What runs (benchmarks/stack_setup.py, built on tests/ops/stack.py): PostgreSQL (database
h_bench, BENCH_DATABASE_URL), Redis (BENCH_REDIS_URL), the whole demo (`seed_demo`), production
settings plus the ceiling view (benchmarks/settings.py), gunicorn with deploy/gunicorn.conf.py
and 2 sync workers per app server, nginx in front of two of them. A third app server runs with
PAGE_CACHE_ENABLED=false: the same code and data with the page cache switched off ("uncached,
warm fragments": the per-site fragments of home/templatetags/fragment_tags.py still serve a
school home's and the portal home's listings, as they do for logged-in users and for other
pages of a site after its first page was rendered). A fourth one also runs with
FRAGMENT_CACHE_ENABLED=false ("nothing cached"): every request renders everything. That is what
a change costs once, in the background worker, which renders the pages it shows on right after
the commit (home/page_warming.py), so the first visitor after a publish gets the stored page
(benchmarks/public_cpu.py measures both, in-process). The 15 % target is checked on the
"uncached, fragments" line.

The load generator is `wrk` (Debian package), BENCH_CONNECTIONS connections for BENCH_SECONDS
per target and round. The ceiling is `/__bench__/?bytes=N` (benchmarks/urls.py): the whole
production middleware stack and an HTML body as large as the school home, no query, no template.
Targets (issue 13): cached pages >= 60 % of the ceiling, uncached school home >= 15 %.

Then Lighthouse (npm `lighthouse`, Debian's Chromium, mobile preset) on the school home and an
article through nginx, if `npm install --prefix benchmarks` was run (BENCH_LIGHTHOUSE=0 skips it).

    .venv/bin/python benchmarks/public_pages.py            # ~10 min on 2 busy cores
    BENCH_REUSE=1 .venv/bin/python benchmarks/public_pages.py   # keep the seeded database
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lighthouse import lighthouse_scores  # noqa: E402
from stack_setup import running_stack  # noqa: E402

from tests.ops.stack import Browser, free_port, tool_missing  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
CACHED_TARGET = 0.60
UNCACHED_HOME_TARGET = 0.15


@dataclass
class Load:
    rps: float
    p99_ms: float


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def wrk(port: int, host: str, path: str) -> Load:
    """`wrk` against one URL; fails loudly on any non-2xx answer or socket error."""
    result = subprocess.run(
        [
            shutil.which("wrk"),
            "-t1",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "--latency",
            # A slow page under load is a figure to print, not a socket error (default 2 s).
            "--timeout",
            "30s",
            "-H",
            f"Host: {host}",
            # The TLS-terminating nginx of deploy/ says so; without it production redirects.
            "-H",
            "X-Forwarded-Proto: https",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=SECONDS + 60,
    )
    out = result.stdout
    if result.returncode or "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"wrk {host}{path}:\n{out}\n{result.stderr}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    # The latency distribution's line, not a "+/- Stdev" column that may also read "99%".
    p99 = re.search(r"^\s+99%\s+(\S+)\s*$", out, re.MULTILINE)
    if p99 is None or not re.fullmatch(r"[\d.]+(us|ms|s|m)", p99.group(1)):
        raise RuntimeError(f"wrk {host}{path}: no p99 latency in\n{out}")
    p99 = _ms(p99.group(1))
    return Load(rps, p99)


def targets_of(stack) -> dict:
    script = (Path(__file__).with_name("public_targets.py")).read_text()
    output = stack.manage("shell", stdin=script)
    line = next(line for line in output.splitlines() if line.startswith("TARGETS_JSON="))
    return json.loads(line.removeprefix("TARGETS_JSON="))


def check_cache_state(port: int, host: str, path: str, expected: str | None) -> int:
    """Warm a URL, then make sure the page cache answers as the run claims; return body size."""
    browser = Browser()
    browser.get(port, host, path)
    response, body = browser.get(port, host, path)
    if response.status != 200 or response.getheader("X-Page-Cache") != expected:
        raise RuntimeError(
            f"{host}{path}: status {response.status}, X-Page-Cache "
            f"{response.getheader('X-Page-Cache')!r}, expected {expected!r}"
        )
    return len(body.encode())


def main() -> None:
    missing = tool_missing() or (None if shutil.which("wrk") else "wrk (apt-get install wrk)")
    if missing:
        sys.exit(f"{missing} is needed")
    with running_stack() as stack:
        stack.start_app("uncached", free_port(), PAGE_CACHE_ENABLED="false")
        stack.start_app(
            "cold", free_port(), PAGE_CACHE_ENABLED="false", FRAGMENT_CACHE_ENABLED="false"
        )
        stack.wait_ready("uncached")
        stack.wait_ready("cold")
        t = targets_of(stack)
        school, portal = t["school"], t["portal"]
        cached, uncached, nginx = stack.ports["app1"], stack.ports["uncached"], stack.ports["nginx"]
        cold = stack.ports["cold"]
        pages = {
            "school home": (school, t["home"]),
            "news index": (school, t["news_index"]),
            "article": (school, t["article"]),
            "RSS": (school, t["rss"]),
            "portal home": (portal, "/"),
        }
        home_bytes = 0
        for host, path in pages.values():
            size = check_cache_state(cached, host, path, "hit")
            check_cache_state(uncached, host, path, None)
            check_cache_state(cold, host, path, None)
            home_bytes = home_bytes or size
        search = (school, t["search"])
        check_cache_state(cached, *search, None)  # search is never cached (home/page_cache.py)
        ceiling = (school, f"/__bench__/?bytes={home_bytes}")
        check_cache_state(cached, *ceiling, None)

        runs: list[tuple[str, str, int, tuple[str, str]]] = [
            ("ceiling", "gunicorn", cached, ceiling)
        ]
        for name, target in pages.items():
            runs.append((name, "cached", cached, target))
            runs.append((name, "nothing cached", cold, target))
            runs.append((name, "uncached, fragments", uncached, target))
        runs.append(("search", "uncached", cached, search))
        runs.append(("ceiling", "gunicorn (again)", uncached, ceiling))
        runs.append(("ceiling", "nginx", nginx, ceiling))
        runs.append(("school home", "nginx, cached", nginx, pages["school home"]))
        static = re.search(r'href="(/static/[^"]+\.css)"', Browser().get(cached, school, "/")[1])
        runs.append(("static CSS file", "nginx", nginx, (school, static.group(1))))

        results: dict[tuple[str, str], list[Load]] = {}
        for round_number in range(ROUNDS):
            print(f"round {round_number + 1}/{ROUNDS}", flush=True)
            for name, mode, port, (host, path) in runs:
                results.setdefault((name, mode), []).append(wrk(port, host, path))

        def median(name: str, mode: str) -> Load:
            loads = results[(name, mode)]
            return Load(
                statistics.median(x.rps for x in loads), statistics.median(x.p99_ms for x in loads)
            )

        base = statistics.median(
            x.rps
            for key in (("ceiling", "gunicorn"), ("ceiling", "gunicorn (again)"))
            for x in results[key]
        )
        print()
        print(
            f"gunicorn 2 sync workers, production settings, PostgreSQL + Redis, demo seed; "
            f"wrk {CONNECTIONS} connections x {SECONDS} s x {ROUNDS} interleaved rounds "
            f"(medians); school {school} ({t['news_count']} news); load average "
            f"{os.getloadavg()[0]:.1f}"
        )
        print(f"ceiling: trivial view, {home_bytes} bytes of HTML, {base:.0f} req/s")
        print(f"{'page':<18}{'mode':<22}{'req/s':>9}{'p99 ms':>9}{'ratio':>8}  target")
        for name, mode, _port, _target in runs:
            if (name, mode) not in results:
                continue
            load = median(name, mode)
            target = ""
            if mode == "cached":
                target = "ok" if load.rps / base >= CACHED_TARGET else "BELOW 60 %"
            elif name == "school home" and mode == "uncached, fragments":
                target = "ok" if load.rps / base >= UNCACHED_HOME_TARGET else "BELOW 15 %"
            elif name == "school home" and mode == "nothing cached":
                target = "(the worker's, after a change)"
            print(
                f"{name:<18}{mode:<22}{load.rps:>9.0f}{load.p99_ms:>9.1f}"
                f"{load.rps / base:>8.0%}  {target}"
            )
            del results[(name, mode)]  # printed once even if listed twice

        if os.environ.get("BENCH_LIGHTHOUSE", "1") != "0":
            print()
            for label, path in (("school home", t["home"]), ("article", t["article"])):
                url = f"http://{school}:{nginx}{path}"
                print(f"Lighthouse (mobile) {label}: {lighthouse_scores(url)}", flush=True)


if __name__ == "__main__":
    main()
