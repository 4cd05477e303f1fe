from django.contrib import admin

from safehub.protection.models import ForceScheme


@admin.register(ForceScheme)
class ForceSchemeAdmin(admin.ModelAdmin):
    list_display = ["force", "scheme", "from_date"]
