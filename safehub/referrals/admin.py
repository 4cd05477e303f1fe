from django.contrib import admin

from safehub.referrals.models import MashSettings


@admin.register(MashSettings)
class MashSettingsAdmin(admin.ModelAdmin):
    list_display = ["force", "district", "approval_default_all", "ack_escalate_minutes"]
    list_filter = ["force"]
