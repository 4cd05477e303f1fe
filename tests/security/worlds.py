"""The demo world for the security tests and the benchmarks under bench/.

`load_world(size)` runs every app's demo loader like `safehub demo --no-serve`, but an app whose
loader fails (an app still being built) is rolled back and reported instead of stopping the rest:
the caller records which apps were missing from the world it tested.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable

from django.db import transaction

from safehub.core import demo as core_demo
from safehub.core.management.commands.demo import ProgressPrinter, demo_loaders


def load_world(
    size: str = "small", *, password: str | None = None, write: Callable[[str], None] | None = None
) -> dict[str, str]:
    """Load every app's demo data; returns {app label: first line of its error} for those that failed."""
    write = write or (lambda line: None)
    progress = ProgressPrinter(write)
    failed: dict[str, str] = {}
    for label, load in demo_loaders():
        write(f"Loading {label} demo data...")
        try:
            with transaction.atomic():
                load(size=size, progress=progress)
        except Exception as exc:  # noqa: BLE001 - reported: the world is tested without that app
            failed[label] = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
            write(f"  {label} FAILED: {failed[label]}\n{traceback.format_exc(limit=3)}")
    if password:
        with transaction.atomic():
            core_demo.demo_users_set_password(password)
    return failed
