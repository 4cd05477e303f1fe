from django.contrib import admin

from safehub.meetings.models import MeetingSeries


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    """Administrators set up each district's MARAC and MACE: coordinators, members, statement."""

    list_display = ["name", "kind", "district", "coordinating_agency", "active"]
    list_filter = ["kind", "district", "active"]
    search_fields = ["name"]
    filter_horizontal = ["coordinators", "member_agencies"]
