"""`safehub escalate_notifications`: escalate notifications nobody acknowledged in time (cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from safehub.core import notify


class Command(BaseCommand):
    help = (
        "Escalate every notification that needed acknowledging and was not acknowledged by its "
        "escalation time. Idempotent: run it from cron every few minutes."
    )

    def handle(self, *args: object, **options: object) -> None:
        escalated = notify.escalate_due()
        noun = "notification" if len(escalated) == 1 else "notifications"
        self.stdout.write(f"Escalated {len(escalated)} {noun}")
