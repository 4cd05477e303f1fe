"""The machine and commit a benchmark ran on, for the RESULTS.md files under bench/."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        ram = f"{int(memory) / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        ram = "RAM unknown"
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {ram}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def commit() -> str:
    try:
        head = subprocess.run(  # noqa: S603 - fixed command
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True  # noqa: S607
        ).stdout.strip()
        dirty = subprocess.run(  # noqa: S603 - fixed command
            ["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True, check=True  # noqa: S607
        ).stdout.strip()
        return head + (" with uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
