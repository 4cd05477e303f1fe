"""`safehub load_instruments`: load the shipped instrument definitions not yet in the database.

Idempotent: a version already loaded is left alone (a database copy that differs is reported and
kept). A shipped version newer than the current one becomes current. `migrate` runs this too.
"""

from django.core.management.base import BaseCommand, CommandError

from safehub.instruments import rules
from safehub.instruments.services import instruments_load_shipped


class Command(BaseCommand):
    help = "Load the shipped risk instrument definitions (DASH, child exploitation, missing, THRIVE)."

    def handle(self, *args, **options):
        try:
            report = instruments_load_shipped()
        except rules.DefinitionError as exc:
            raise CommandError(
                "A shipped definition does not validate:\n  " + "\n  ".join(exc.problems)
            ) from exc
        for line in report:
            self.stdout.write(line)
