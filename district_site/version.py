"""The running code's version: APP_VERSION from the environment, else the git commit."""

from __future__ import annotations

import os
import subprocess
from functools import cache
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


@cache
def app_version() -> str:
    if os.environ.get("APP_VERSION"):
        return os.environ["APP_VERSION"]
    try:
        return subprocess.run(
            ["git", "-C", str(BASE_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
