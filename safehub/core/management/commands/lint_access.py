from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

import safehub
from safehub.core.lint_access import check_tree


class Command(BaseCommand):
    help = "Fail when a view or API module reaches a person-level model without the scoped loader."

    def handle(self, *args, **options):
        violations = check_tree(Path(safehub.__file__).parent)
        for violation in violations:
            self.stderr.write(str(violation))
        if violations:
            raise CommandError(f"{len(violations)} unscoped access(es) to person-level models")
        self.stdout.write("No unscoped access to person-level models in views or API modules.")
