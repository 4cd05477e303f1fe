"""`safehub audit seal` (cron, every few minutes) and `safehub audit verify [--json]`.

`verify` exits 1 when the chain is broken, naming the first seal each problem touches, so a
monitoring job can alert on it. Neither prints anything about a person.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safehub.core import audit_chain


class Command(BaseCommand):
    help = "Seal the audit trail's new events into its hash chain, or verify the whole chain."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{seal,verify}")
        actions.add_parser("seal", help="Append a seal over the events written since the last one")
        check = actions.add_parser("verify", help="Recompute every seal; exit 1 if the chain is broken")
        check.add_argument("--json", action="store_true", help="Print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "seal":
            link = audit_chain.seal()
            if link is None:
                self.stdout.write(
                    "Nothing to seal: no events older than the grace period since the last seal."
                )
            else:
                self.stdout.write(
                    f"Sealed {link.event_count} event(s) ({link.first_event_id}–{link.last_event_id}) "
                    f"as seal {link.id}: {link.digest}"
                )
            return
        result = audit_chain.verify(progress=self._progress if not options["json"] else None)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), indent=2))
        else:
            self.stdout.write(
                f"{result.seals} seal(s) over {result.events} event(s); {result.unsealed} not sealed yet; "
                f"head {result.head_digest or '(none)'}"
            )
            for problem in result.problems:
                self.stderr.write(f"BROKEN: {problem}")
            if result.intact:
                self.stdout.write("The audit chain is intact.")
        if not result.intact:
            sys.exit(1)

    def _progress(self, done: int, total: int) -> None:
        if total and (done == total or done % 50 == 0):
            self.stderr.write(f"  verified {done} of {total} seals")
