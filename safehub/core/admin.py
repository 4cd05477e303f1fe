"""Reference data for administrators: organisations, users and roles, clock settings.

No person-level model is registered here: administrators never see safeguarding records.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from safehub.core.models import (
    Agency,
    ClockOverride,
    District,
    Force,
    NonWorkingDay,
    RoleGrant,
    RulesetVersion,
    Team,
    User,
)
from safehub.core.roles import Role
from safehub.core.rules import DEFAULT_RULESETS, RulesetError, ruleset_from_dict, ruleset_to_dict
from safehub.core.rulesets import ruleset_version_create


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


class RulesetVersionForm(forms.ModelForm):
    class Meta:
        model = RulesetVersion
        fields = ["force", "definition", "effective_from", "notes"]
        help_texts = {
            "definition": "The whole ruleset as JSON: id, title, source, notes and rules (see docs/rules.md "
            "and `safehub rules list --json`). Open this page with ?ruleset=marac (or another id) to "
            "start from the default.",
        }

    def clean_definition(self):
        definition = self.cleaned_data["definition"]
        try:
            ruleset_from_dict(definition)
        except RulesetError as exc:
            raise forms.ValidationError(exc.problems) from None
        return definition


@admin.register(RulesetVersion)
class RulesetVersionAdmin(admin.ModelAdmin):
    """Listing rules: a new version only (versions are never changed or deleted)."""

    form = RulesetVersionForm
    list_display = ["ruleset_id", "version", "force", "effective_from", "created_by", "created_at"]
    list_filter = ["force", "ruleset_id"]
    readonly_fields = ["ruleset_id", "version", "created_by", "created_at"]

    def has_add_permission(self, request):
        user = request.user
        return super().has_add_permission(request) and (user.is_superuser or user.has_role(Role.ADMIN))

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        default = DEFAULT_RULESETS.get(request.GET.get("ruleset", ""))
        if default is not None:
            initial["definition"] = ruleset_to_dict(default)
        initial.pop("ruleset", None)
        return initial

    def save_model(self, request, obj, form, change):
        row = ruleset_version_create(
            actor=request.user,
            force=form.cleaned_data["force"],
            definition=form.cleaned_data["definition"],
            effective_from=form.cleaned_data["effective_from"],
            notes=form.cleaned_data.get("notes", ""),
        )
        for name in ("id", "ruleset_id", "version", "definition", "created_by", "created_at"):
            setattr(obj, name, getattr(row, name))
        obj._state.adding, obj._state.db = False, row._state.db
