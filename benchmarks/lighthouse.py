"""Lighthouse scores of one URL: npm `lighthouse` (benchmarks/package.json) with Debian's Chromium.

Install once: `npm install --prefix benchmarks` (node_modules is git-ignored). Mobile preset
(Lighthouse's default form factor and throttling); the four categories the issue names.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse_report(url: str) -> dict:
    if not LIGHTHOUSE.exists():
        raise RuntimeError("Lighthouse is not installed: npm install --prefix benchmarks")
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        out = Path(tmp) / "report.json"
        result = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={out}",
                f"--only-categories={','.join(CATEGORIES)}",
                "--chrome-flags=--headless --no-sandbox --disable-gpu",
            ],
            env={**os.environ, "CHROME_PATH": CHROME},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode or not out.exists():
            raise RuntimeError(f"lighthouse {url} failed:\n{result.stdout}\n{result.stderr}")
        return json.loads(out.read_text())


def lighthouse_scores(url: str) -> dict[str, int]:
    report = lighthouse_report(url)
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def failing_audits(report: dict) -> list[str]:
    """Audits below full marks that count towards a score: what to fix first."""
    weighted = {
        ref["id"]
        for category in report["categories"].values()
        for ref in category["auditRefs"]
        if ref.get("weight")
    }
    return sorted(
        f"{audit_id}: {audit.get('displayValue') or audit['title']} ({audit['score']})"
        for audit_id, audit in report["audits"].items()
        if audit_id in weighted and audit.get("score") is not None and audit["score"] < 1
    )


if __name__ == "__main__":
    import sys

    report = lighthouse_report(sys.argv[1])
    print({name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES})
    print("\n".join(failing_audits(report)))
