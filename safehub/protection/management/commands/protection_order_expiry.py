"""Tell the recording officer once about each DVPO or DAPO in its last days (run daily from cron)."""

from django.core.management.base import BaseCommand

from safehub.protection.services import expiry_reminders


class Command(BaseCommand):
    help = "Remind officers of protection orders that end within three days (each order once)"

    def handle(self, *args, **options):
        sent = expiry_reminders()
        self.stdout.write(f"{len(sent)} expiry reminder{'s' if len(sent) != 1 else ''} sent")
