"""Benchmark: the figures docs/scaling.md quotes, on the production-shaped stack.

Not a test: it prints what one gunicorn worker costs, in CPU per request and in memory. The
stack of tests/ops/stack.py (nginx, two app servers with 2 sync workers each, the worker,
PostgreSQL, Redis) is started with the whole demo by benchmarks/stack_setup.py, with the page
cache switched off (PAGE_CACHE_ENABLED=false): the rendering cost is what sizes the workers,
since every publish empties a school's cached pages. `wrk` then loads the home page of a demo
school for BENCH_SECONDS (10 by default): one connection to one app server, then 4 through nginx.

The CPU time the workers spent per request (read from /proc) does not depend on how busy the
machine is, so it gives the rate one worker reaches on a core of its own.

    .venv/bin/python benchmarks/deploy_stack.py        # BENCH_REUSE=1 keeps the seeded database
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack_setup import running_stack  # noqa: E402

from tests.ops.stack import tool_missing  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))


def main() -> None:
    missing = tool_missing() or (None if shutil.which("wrk") else "wrk (apt-get install wrk)")
    if missing:
        sys.exit(f"{missing} is needed")
    # Read by Stack.env(): every process of the stack renders each request.
    os.environ["PAGE_CACHE_ENABLED"] = "false"
    with running_stack() as stack:
        schools = [s["host"] for s in stack.seed_info["sites"] if s["host"] != "localhost"]
        host = schools[0]
        workers = stack.worker_pids("app1") + stack.worker_pids("app2")
        for label, port, connections in (
            ("one connection to one app server (= one worker busy)", stack.ports["app1"], 1),
            ("4 connections through nginx (4 workers)", stack.ports["nginx"], 4),
        ):
            cpu_before = sum(stack.cpu_seconds(pid) for pid in workers)
            out = subprocess.run(
                [
                    shutil.which("wrk"),
                    "-t1",
                    f"-c{connections}",
                    f"-d{SECONDS}s",
                    "-H",
                    f"Host: {host}",
                    "-H",
                    "X-Forwarded-Proto: https",
                    f"http://127.0.0.1:{port}/",
                ],
                capture_output=True,
                text=True,
                timeout=SECONDS + 60,
            ).stdout
            if "Non-2xx" in out:
                raise RuntimeError(out)
            rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
            latency = re.search(r"Latency\s+(\S+)", out).group(1)
            requests = int(re.search(r"(\d+) requests in", out).group(1))
            # CPU time the workers spent per request: independent of how busy the machine is,
            # so it gives the rate one worker reaches on a core of its own (1 / cpu_per_request).
            cpu_ms = (sum(stack.cpu_seconds(pid) for pid in workers) - cpu_before) * 1000 / requests
            print(
                f"{label}: {rps:.1f} req/s, mean latency {latency}, worker CPU {cpu_ms:.0f} ms "
                f"per request = {1000 / cpu_ms:.0f} req/s per worker on a free core "
                f"(home of {host}, not cached)"
            )
        sizes = stack.rss_kib("app1") + stack.rss_kib("app2")
        print("RSS per worker after the load (MiB):", [round(s / 1024) for s in sizes])
        pss = stack.pss_kib("app1") + stack.pss_kib("app2")
        print("PSS per worker after the load (MiB):", [round(s / 1024) for s in pss])
        print("load average:", os.getloadavg())


if __name__ == "__main__":
    main()
