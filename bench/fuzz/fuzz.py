"""The long fuzz run behind `bench/fuzz/run` (see tests/security/fuzzing.py for what is checked)."""

# ruff: noqa: E501 - a report writer: long lines of Markdown

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench" / "fuzz"))

from benchinfo import commit, machine  # noqa: E402 - after the path

# Who the cases are sent as, in turn, until the target is reached: district-wide MASH first (it
# reaches the most code), then a police officer, the partnership manager, an outsider in another
# district and an aggregate-only analyst.
PERSONAS = ["mash", "officer", "partnership", "outsider", "analyst"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000, help="at least this many cases in all")
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    from safehub.core.models import User
    from tests.security import fuzzing
    from tests.security.worlds import load_world

    started = time.monotonic()
    load_before = os.getloadavg()
    print("Migrating and loading the small demo world...", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    missing_apps = load_world("small", write=lambda line: print(line, flush=True))
    schema = fuzzing.load_schema()
    operations = fuzzing.operation_labels(schema)
    with_ids = sum(1 for label in operations if fuzzing.real_path_parameters(label.split(" ", 1)[1]))
    fuzzed = len(operations) - len(fuzzing.SKIPPED)
    per_operation = max(2, -(-args.cases // (fuzzed + with_ids)))  # ceiling
    reports = []
    for persona in PERSONAS:
        if sum(r.cases for r in reports) >= args.cases:
            break
        user = User.objects.get(username=persona)
        print(f"Fuzzing as {persona}: up to {per_operation} cases per operation ({fuzzed} operations)", flush=True)
        reports.append(
            fuzzing.fuzz(
                schema,
                token=fuzzing.token_for(user),
                persona=persona,
                examples_per_operation=per_operation,
                progress=lambda line: print("  " + line, flush=True),
            )
        )
    seconds = time.monotonic() - started
    total = sum(r.cases for r in reports)
    failures = [(r.persona, f) for r in reports for f in r.failures]
    known: dict[str, set[str]] = {}
    for report in reports:
        for defect, labels in report.known().items():
            known.setdefault(defect, set()).update(labels)
    statuses: dict[int, int] = {}
    for report in reports:
        for status, count in report.statuses().items():
            statuses[status] = statuses.get(status, 0) + count

    lines = [
        "# API fuzzing: latest long run",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}; load average {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after "
        "(the machine is shared: timings are indicative)",
        f"- Commit: {commit()}",
        "- Command: `bench/fuzz/run` (schemathesis "
        f"{__import__('schemathesis').__version__}, hypothesis derandomized, SQLite, small demo world)",
        f"- Operations in the schema: {len(operations)}; fuzzed: {fuzzed} (skipped: "
        + "; ".join(f"`{k}` ({v})" for k, v in fuzzing.SKIPPED.items())
        + ")",
        f"- Demo apps that failed to load (fuzzed without their data): {missing_apps or 'none'}",
        f"- **Cases: {total:,}**, in {seconds / 60:.1f} minutes; **failures: {len(failures)}**; "
        f"server errors (5xx): {sum(c for s, c in statuses.items() if s >= 500)}",
        "- Responses by status: " + ", ".join(f"{s}: {c:,}" for s, c in sorted(statuses.items())),
        "",
        "| persona | cases | failures | statuses |",
        "|---|---|---|---|",
    ]
    for report in reports:
        lines.append(
            f"| {report.persona} | {report.cases:,} | {len(report.failures)} | "
            + ", ".join(f"{s}: {c}" for s, c in report.statuses().items())
            + " |"
        )
    lines += ["", "## Known schema defects (counted apart, reported)", ""]
    if not known:
        lines.append("None.")
    for defect, labels in sorted(known.items()):
        lines.append(f"- `{defect}`: {len(labels)} operation(s): " + ", ".join(f"`{x}`" for x in sorted(labels)))
    lines += ["", "## Failures", ""]
    if not failures:
        lines.append("None.")
    for persona, failure in failures:
        lines += [f"### as {persona}", "", "```", failure, "```", ""]
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{total:,} cases, {len(failures)} failures; written to {args.output}")
    return 1 if failures or total < args.cases else 0


if __name__ == "__main__":
    sys.exit(main())
