"""Tell the owner of each overdue MARAC or MACE action, once (every few hours, from cron)."""

from django.core.management.base import BaseCommand

from safehub.meetings import services


class Command(BaseCommand):
    help = (
        "Notify the owner of each open meeting action past its due date (acknowledgement required; "
        "escalates to the coordinating agency). Idempotent: an owner is told once per action."
    )

    def handle(self, *args, **options):
        overdue = list(services.overdue_actions())
        self.stdout.write(f"{len(overdue)} overdue action(s) not yet notified")
        sent = 0
        for index, action in enumerate(overdue, start=1):
            if services.action_overdue_notify(action=action):
                sent += 1
            if index % 100 == 0:
                self.stdout.write(f"  {index} of {len(overdue)} checked")
        self.stdout.write(self.style.SUCCESS(f"Notified {sent} action owner(s)"))
