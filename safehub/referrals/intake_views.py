"""The bulk intake page: upload a CSV of referrals, see its problems or what was made.

Only people with a person-level role may use it (analysts and auditors get 403). Rows are checked
against the districts the user's agency serves, and subjects are matched only to people the user
can already see. The error report is kept in the session (never in the URL) and downloads as a
formula-safe CSV.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from safehub.core.forms import GdsFormMixin
from safehub.referrals import intake

SESSION_KEY = "referrals:import_errors"
SHOWN_ERRORS = 20
CSV_TYPES = {"text/csv", "application/csv", "text/plain", "application/vnd.ms-excel", ""}


def upload_limit() -> int:
    """The largest file the page takes: the request limit, the upload memory limit and the intake's."""
    limits = [
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
        intake.MAX_BYTES,
    ]
    return min(limit for limit in limits if limit)


class ImportForm(GdsFormMixin, forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = upload_limit()
        if upload.size > limit:
            raise forms.ValidationError(
                f"The selected file must be smaller than {limit // 1024} KB: split it into smaller files"
            )
        name = (upload.name or "").lower()
        if not name.endswith(".csv") or (upload.content_type or "") not in CSV_TYPES:
            raise forms.ValidationError(
                "The selected file must be a CSV: in your spreadsheet choose Save as, then 'CSV UTF-8'"
            )
        return upload


def _require_person_level(user) -> None:
    if not user.has_person_level_access:
        raise PermissionDenied("Your role does not give access to person-level records")


@login_required
@require_http_methods(["GET", "POST"])
def referral_import(request):
    _require_person_level(request.user)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    context = {"form": form, "columns": intake.COLUMNS, "limit_kb": upload_limit() // 1024}
    if request.method == "POST" and form.is_valid():
        parsed = intake.parse_referral_csv(form.cleaned_data["file"], actor=request.user)
        try:
            result = intake.import_referrals(actor=request.user, parsed=parsed)
        except intake.ImportRefused as refused:
            request.session[SESSION_KEY] = [error.as_row() for error in refused.errors]
            context.update({"problems": refused.errors[:SHOWN_ERRORS], "problem_count": len(refused.errors)})
            return render(request, "referrals/intake.html", context, status=400)
        request.session.pop(SESSION_KEY, None)
        return render(request, "referrals/intake_done.html", {"result": result})
    return render(request, "referrals/intake.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def referral_import_errors(request):
    _require_person_level(request.user)
    rows = request.session.get(SESSION_KEY) or []
    errors = [intake.RowError(int(row or 0), column, value, message) for row, column, value, message in rows]
    response = HttpResponse(intake.error_report_csv(errors), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="referral-import-errors.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def referral_import_template(request):
    _require_person_level(request.user)
    response = HttpResponse(intake.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="referral-import-template.csv"'
    return response
