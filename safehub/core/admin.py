"""Reference data for administrators: organisations, users and roles, clock settings.

No person-level model is registered here: administrators never see safeguarding records.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from safehub.core.models import Agency, ClockOverride, District, Force, NonWorkingDay, RoleGrant, Team, User


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "ons_code", "force"]
    list_filter = ["force"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code"]
    list_filter = ["kind", "districts"]
    search_fields = ["name", "code"]
    filter_horizontal = ["districts"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "district"]
    list_filter = ["district"]
    search_fields = ["name"]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "district", "is_active"]
    list_filter = ["is_active", "agency__kind", "district", "role_grants__role"]
    inlines = [RoleGrantInline]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Safehub", {"fields": ("agency", "district", "team", "job_title")}),
    )


@admin.register(ClockOverride)
class ClockOverrideAdmin(admin.ModelAdmin):
    list_display = ["clock_id", "amount", "force", "effective_from", "source"]
    list_filter = ["force", "clock_id"]


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(admin.ModelAdmin):
    list_display = ["date", "calendar", "reason", "force"]
    list_filter = ["calendar", "force"]
    date_hierarchy = "date"
