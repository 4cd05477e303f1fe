"""Tell the owner of each overdue recommendation, once (daily, from cron)."""

from django.core.management.base import BaseCommand

from safehub.recommendations import services


class Command(BaseCommand):
    help = (
        "Notify the owner of each open recommendation past its due date (acknowledgement required; "
        "escalates to the partnership manager who recorded it). Idempotent: an owner is told once per item."
    )

    def handle(self, *args, **options):
        overdue = list(services.overdue_recommendations())
        self.stdout.write(f"{len(overdue)} overdue recommendation(s) not yet notified")
        sent = 0
        for index, item in enumerate(overdue, start=1):
            if services.recommendation_overdue_notify(recommendation=item):
                sent += 1
            if index % 100 == 0:
                self.stdout.write(f"  {index} of {len(overdue)} checked")
        self.stdout.write(self.style.SUCCESS(f"Notified {sent} recommendation owner(s)"))
