"""`safehub demo [--no-serve] [--size small|full] [--addr HOST:PORT]`: load the demo world and serve it.

Runs `migrate`, then each installed app's `demo.load(size=..., progress=...)` (in INSTALLED_APPS
order, each in its own transaction; every loader is idempotent), sets the demo password, prints
the logins, and unless --no-serve replaces itself with gunicorn.
"""

from __future__ import annotations

import importlib
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from safehub.core import demo as core_demo

PASSWORD_ENV = "SAFEHUB_DEMO_PASSWORD"  # noqa: S105 - the variable's name, not a password
PASSWORD_FILE = "demo-password.txt"  # noqa: S105 - a file name


def demo_loaders() -> list[tuple[str, Callable[..., dict[str, Any]]]]:
    """(app label, load function) for every installed app with a `demo` module, in INSTALLED_APPS order."""
    loaders = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "demo"):
            module = importlib.import_module(f"{config.name}.demo")
            loaders.append((config.label, module.load))
    return loaders


def password_file() -> Path:
    return Path(settings.VAR_DIR) / PASSWORD_FILE


def demo_password() -> tuple[str, bool]:
    """The demo password and whether the demo users must be given it now.

    SAFEHUB_DEMO_PASSWORD wins (and is always applied). Otherwise the password stored in
    VAR_DIR/demo-password.txt is reused, or a new one is generated, stored (mode 0600) and applied.
    """
    from_env = os.environ.get(PASSWORD_ENV, "").strip()
    if from_env:
        return from_env, True
    path = password_file()
    if path.exists():
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            return stored, False
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(12)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    return password, True


class ProgressPrinter:
    """`progress(label, done, total)`: one line per label at about every 10%, readable in a log."""

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write
        self.next_step: dict[str, int] = {}
        self.last_done: dict[str, int] = {}

    def __call__(self, label: str, done: int, total: int) -> None:
        if total <= 0:
            return
        if done < self.last_done.get(label, 0):  # the label started again (another loader)
            self.next_step[label] = 1
        self.last_done[label] = done
        step = self.next_step.get(label, 1)
        percent = done * 100 // total
        if percent >= step * 10 or done >= total:
            if step <= 10:
                self.write(f"  {label}: {done}/{total}")
            self.next_step[label] = percent // 10 + 1


class Command(BaseCommand):
    help = "Load the synthetic demo world (organisations, logins, people) and serve the site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-serve", action="store_true", help="Load the data and print the logins, then stop"
        )
        parser.add_argument(
            "--size",
            choices=["small", "full"],
            default="full",
            help="small: about 150 people (tests); full: about 5,000 people (default)",
        )
        parser.add_argument(
            "--addr", default="127.0.0.1:8000", help="Address gunicorn binds to (default 127.0.0.1:8000)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_LOGINS_ENABLED:
            raise CommandError(
                "Demo logins are disabled here (SAFEHUB_DEMO_LOGINS is false): the demo is for dev and test"
            )
        self.stdout.write("Applying migrations...")
        call_command("migrate", interactive=False, verbosity=0)
        progress = ProgressPrinter(self.stdout.write)
        for label, load in demo_loaders():
            self.stdout.write(f"Loading {label} demo data...")
            with transaction.atomic():
                counts = load(size=options["size"], progress=progress)
            self.stdout.write(f"  {label}: {self.describe(counts)}")
        password, apply = demo_password()
        if apply:
            with transaction.atomic():
                core_demo.demo_users_set_password(password)
        self.print_logins(options["addr"], password)
        if not options["no_serve"]:
            self.serve(options["addr"])

    @staticmethod
    def describe(counts: dict[str, Any]) -> str:
        if counts.get("already_loaded"):
            return "already loaded, nothing added"
        parts = [f"{value} {name.replace('_', ' ')}" for name, value in counts.items()]
        return ", ".join(parts) or "nothing added"

    def print_logins(self, addr: str, password: str) -> None:
        rows = core_demo.demo_logins()
        self.stdout.write("")
        self.stdout.write(f"Safehub demo: http://{addr}/")
        self.stdout.write(f"Password for every demo login: {password}")
        self.stdout.write("All data is synthetic.")
        self.stdout.write("")
        headings = {"username": "Username", "role": "Role", "agency": "Agency", "district": "District"}
        widths = {key: max([len(title)] + [len(row[key]) for row in rows]) for key, title in headings.items()}
        self.stdout.write("  ".join(title.ljust(widths[key]) for key, title in headings.items()).rstrip())
        self.stdout.write("  ".join("-" * widths[key] for key in headings))
        for row in rows:
            self.stdout.write("  ".join(row[key].ljust(widths[key]) for key in headings).rstrip())
        self.stdout.write("")

    def serve(self, addr: str) -> None:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        if not gunicorn.exists():
            raise CommandError(f"gunicorn is not installed next to {sys.executable}")
        self.stdout.write("Press Ctrl+C to stop")
        self.stdout.flush()
        sys.stderr.flush()
        argv = [str(gunicorn), "safehub.wsgi:application", "--bind", addr, "--workers", "2", "--threads", "4"]
        os.execvp(argv[0], argv)  # noqa: S606 - replaces this process with the server
