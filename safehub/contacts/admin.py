"""Reference data for administrators: the response grade tables. No person-level model here."""

from django.contrib import admin

from safehub.contacts.models import ResponseGrade


@admin.register(ResponseGrade)
class ResponseGradeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "band", "target_minutes", "attendance", "order", "force"]
    list_filter = ["force", "band"]
    ordering = ["force", "order"]
