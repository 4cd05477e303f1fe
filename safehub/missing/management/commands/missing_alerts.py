"""`safehub missing_alerts`: tell the local authority about each overdue return home interview (cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from safehub.missing import services


class Command(BaseCommand):
    help = (
        "Notify the local authority once about each return home interview not offered by its due time "
        "(the rhi clock, 72 hours from the return). Idempotent: run it from cron every few minutes."
    )

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write("Looking for overdue return home interviews...")
        alerted = services.overdue_interview_alerts()
        noun = "interview" if len(alerted) == 1 else "interviews"
        self.stdout.write(f"Sent overdue alerts for {len(alerted)} {noun}")
