"""`safehub nrm_overdue`: tell each first responder about NRM decisions past their target (cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from safehub.slavery import services


class Command(BaseCommand):
    help = (
        "Notify the first responder once about each NRM referral whose reasonable grounds decision is past "
        "its 5 working day target (the nrm-reasonable-grounds clock). Idempotent: run it daily from cron."
    )

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write("Looking for overdue reasonable grounds decisions...")
        alerted = services.overdue_reasonable_grounds_alerts()
        noun = "referral" if len(alerted) == 1 else "referrals"
        self.stdout.write(f"Sent overdue alerts for {len(alerted)} {noun}")
