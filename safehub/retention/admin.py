from django.contrib import admin

from safehub.retention.models import RetentionGroup


@admin.register(RetentionGroup)
class RetentionGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "force", "clear_period_years", "review_interval_years", "keep_until_age")
    list_filter = ("force",)
    ordering = ("order", "code")
