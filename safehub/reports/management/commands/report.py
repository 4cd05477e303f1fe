"""`safehub report scrutiny [--period 2025-26] [--format pdf|docx|html] [--output FILE]`.

Writes the Community Outcomes Meeting scrutiny report for a financial year (default: the latest
complete financial year with data). Prints the file written, its size and the reproducibility
stamp.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safehub.reports import builder, render


class Command(BaseCommand):
    help = "Write a report (scrutiny: the commissioner's Community Outcomes Meeting report)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True, metavar="REPORT")
        scrutiny = sub.add_parser("scrutiny", help="the commissioner's safeguarding scrutiny report")
        scrutiny.add_argument(
            "--period", help="financial year, e.g. 2025-26 (default: latest complete with data)"
        )
        scrutiny.add_argument("--format", dest="fmt", choices=render.FORMATS, default="pdf")
        scrutiny.add_argument("--output", help="file to write (default: scrutiny-report-PERIOD.FORMAT)")

    def _progress(self, started: float):
        total = len(builder.STAGES) + 1  # and rendering

        def progress(index: int, _stages: int, stage: str) -> None:
            self.stdout.write(f"[{index + 1}/{total}] {stage} ({time.monotonic() - started:.1f}s)")

        return progress

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            year = builder.parse_period(options.get("period"))
            report = builder.build(year, progress=self._progress(started))
        except ValueError as exc:
            raise CommandError(f"--period: {exc}") from exc
        except builder.NoData as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"[{len(builder.STAGES) + 1}/{len(builder.STAGES) + 1}] Rendering the {options['fmt']}"
        )
        data = render.render(report, options["fmt"])
        path = Path(options.get("output") or render.file_name(report, options["fmt"]))
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"--output: cannot write {path} ({exc.strerror})") from exc
        self.stdout.write(
            f"Wrote {path} ({len(data):,} bytes, {options['fmt']}) in {time.monotonic() - started:.1f}s"
        )
        for key, value in report.stamp.items():
            self.stdout.write(f"  {key}: {value}")
