"""Instruments for administrators: read every version; publish a change as a new version.

A saved version is never changed (assessments keep the version they were scored with): "new
version" takes the whole definition as JSON, validates it and saves it as the next version,
made current. No person-level record (assessments) is registered here.
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from safehub.instruments import services
from safehub.instruments.forms import NewVersionForm
from safehub.instruments.models import Instrument, InstrumentVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Instrument)
class InstrumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "id", "current_version"]
    readonly_fields = ["id", "title", "current_version", "new_version_link"]

    @admin.display(description="Current version")
    def current_version(self, instrument):
        current = instrument.versions.filter(is_current=True).first()
        return current.version if current else "none"

    @admin.display(description="Change the instrument")
    def new_version_link(self, instrument):
        return format_html(
            '<a href="{}">Make a new version</a> (edit the definition; the current one stays as it is)',
            reverse("admin:instruments_instrument_new_version", args=[instrument.pk]),
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/new-version/",
                self.admin_site.admin_view(self.new_version_view),
                name="instruments_instrument_new_version",
            ),
            *super().get_urls(),
        ]

    def new_version_view(self, request, object_id):
        if not request.user.has_perm("instruments.add_instrumentversion"):
            raise PermissionDenied
        instrument = Instrument.objects.filter(pk=object_id).first()
        if instrument is None:
            raise Http404("No such instrument")
        current = instrument.versions.filter(is_current=True).first()
        initial = json.dumps(current.definition if current else {}, indent=2, ensure_ascii=False)
        form = NewVersionForm(request.POST or None, initial={"definition": initial})
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            try:
                version = services.instrument_version_create(
                    actor=request.user,
                    instrument_id=instrument.pk,
                    definition=form.cleaned_data["definition"],
                )
            except ValidationError as exc:
                problems = [p for messages_ in exc.message_dict.values() for p in messages_]
            else:
                messages.success(
                    request, f"Saved {instrument.title} version {version.version}; it is now current"
                )
                return redirect("admin:instruments_instrumentversion_change", version.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "instrument": instrument,
            "current": current,
            "form": form,
            "problems": problems,
            "title": f"New version of {instrument.title}",
        }
        return TemplateResponse(request, "admin/instruments/instrument/new_version.html", context)


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(ReadOnlyAdmin):
    list_display = ["instrument", "version", "is_current", "created_at", "created_by_label"]
    list_filter = ["instrument", "is_current"]
    fields = ["instrument", "version", "is_current", "created_at", "created_by_label", "definition_json"]
    readonly_fields = fields

    @admin.display(description="Definition")
    def definition_json(self, version):
        return format_html("<pre>{}</pre>", json.dumps(version.definition, indent=2, ensure_ascii=False))
