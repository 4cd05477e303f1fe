from django.contrib import admin

from safehub.missing.models import RiskLevel


@admin.register(RiskLevel)
class RiskLevelAdmin(admin.ModelAdmin):
    """A partnership sets its own risk continuum: add levels for its force (they replace the defaults)."""

    list_display = ["name", "code", "force", "order", "is_high", "active"]
    list_filter = ["force", "active"]
