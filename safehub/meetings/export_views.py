"""Downloads of a meeting's agenda and action log (PDF, XLSX) and the MARAC data return page.

Agenda and action log: a restricted partnership document. The meeting is loaded with
`access.meeting_for` (404 to anyone outside its series) and its cases with
`access.cases_for_meeting` (403 until the user has accepted the meeting's confidentiality
statement; audits each case listed); each download adds one `export` audit event naming the
meeting, the format and the fields in the file. Responses are attachments with
Cache-Control: no-store and file names without personal data.

The data return: counts only, for aggregate roles and MARAC coordinators
(`returns.may_read_return`); aggregate roles see small numbers suppressed (`returns.suppress`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safehub.core import audit
from safehub.core.models import AuditAction, District
from safehub.meetings import access, exports, returns


def _attachment(content: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _meeting_and_cases(request, meeting_id) -> tuple[Any, list[Any]]:
    meeting = access.meeting_for(request.user, meeting_id)
    return meeting, list(access.cases_for_meeting(request.user, meeting))


def _download(request, meeting_id, what: str, extension: str) -> HttpResponse:
    meeting, cases = _meeting_and_cases(request, meeting_id)
    writers: dict[tuple[str, str], tuple[Callable[[Any, list[Any]], bytes], str, tuple[str, ...]]] = {
        ("agenda", "pdf"): (
            lambda m, c: exports.pdf_from_html(exports.agenda_html(exports.agenda_for(m, c))),
            exports.PDF_TYPE,
            exports.AGENDA_FIELDS,
        ),
        ("agenda", "xlsx"): (
            lambda m, c: exports.agenda_xlsx(exports.agenda_for(m, c)),
            exports.XLSX_TYPE,
            exports.AGENDA_FIELDS,
        ),
        ("actions", "pdf"): (
            lambda m, c: exports.pdf_from_html(exports.action_log_html(exports.action_log_for(m, c))),
            exports.PDF_TYPE,
            exports.ACTION_FIELDS,
        ),
        ("actions", "xlsx"): (
            lambda m, c: exports.action_log_xlsx(exports.action_log_for(m, c)),
            exports.XLSX_TYPE,
            exports.ACTION_FIELDS,
        ),
    }
    write, content_type, fields = writers[(what, extension)]
    content = write(meeting, cases)
    label = "Agenda" if what == "agenda" else "Action log"
    audit.record(
        request.user,
        AuditAction.EXPORT,
        meeting,
        fields=fields,
        reason=f"{label} downloaded as {extension.upper()} ({len(cases)} cases)",
    )
    return _attachment(content, content_type, exports.filename(meeting, what, extension))


@login_required
@require_GET
def agenda_pdf(request, meeting_id):
    return _download(request, meeting_id, "agenda", "pdf")


@login_required
@require_GET
def agenda_xlsx(request, meeting_id):
    return _download(request, meeting_id, "agenda", "xlsx")


@login_required
@require_GET
def actions_pdf(request, meeting_id):
    return _download(request, meeting_id, "actions", "pdf")


@login_required
@require_GET
def actions_xlsx(request, meeting_id):
    return _download(request, meeting_id, "actions", "xlsx")


# --- the MARAC data return ---------------------------------------------------------------------


class ReturnForm(forms.Form):
    quarter = forms.ChoiceField(
        label="Quarter", error_messages={"invalid_choice": "Select a quarter from the list"}
    )
    district = forms.MultipleChoiceField(
        label="Districts",
        required=False,
        help_text="Leave all unticked for every district",
        error_messages={"invalid_choice": "Select districts from the list"},
    )
    download = forms.ChoiceField(
        required=False, choices=[("", "Page"), ("csv", "CSV"), ("xlsx", "XLSX")]
    )

    def __init__(self, *args, districts: list[District], today, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        quarters = returns.recent_quarters(today)
        self.fields["quarter"].choices = [(q.code, q.label) for q in quarters]
        self.fields["quarter"].initial = quarters[1].code  # the last complete quarter
        self.fields["district"].choices = [(d.code, d.name) for d in districts]


def _districts_for(user) -> list[District]:
    force_id = user.agency.force_id if user.agency_id else None
    districts = District.objects.order_by("name")
    return list(districts.filter(force_id=force_id) if force_id else districts)


@login_required
@require_GET
def marac_return(request):
    """Choose a quarter and districts; see the return; download it as CSV or XLSX."""
    if not returns.may_read_return(request.user):
        raise PermissionDenied("The MARAC data return is for MARAC coordinators, analysts and commissioners")
    districts = _districts_for(request.user)
    today = timezone.localdate()
    data = request.GET if "quarter" in request.GET else None
    form = ReturnForm(data, districts=districts, today=today)
    if data is None:
        form = ReturnForm(
            {"quarter": form.fields["quarter"].initial}, districts=districts, today=today
        )
    context: dict[str, Any] = {"form": form, "districts": districts}
    if not form.is_valid():
        return render(request, "meetings/returns/marac.html", context, status=400)
    quarter = returns.parse_quarter(form.cleaned_data["quarter"], today=today)
    codes = form.cleaned_data["district"] or None
    names = [d.name for d in districts if codes is None or d.code in codes]
    result = returns.return_for(quarter=quarter, district_codes=codes, district_names=names)
    if not returns.sees_exact_figures(request.user):
        result = returns.suppress(result)
    download = form.cleaned_data["download"]
    if download:
        audit.record(
            request.user,
            AuditAction.EXPORT,
            object_type="meetings.maracreturn",
            object_id=quarter.code,
            reason=f"MARAC data return {quarter.label} ({', '.join(names)}) downloaded as {download.upper()}",
        )
        name = exports.return_filename(result, codes, download)
        if download == "csv":
            return _attachment(exports.return_csv(result), "text/csv; charset=utf-8", name)
        return _attachment(exports.return_xlsx(result), exports.XLSX_TYPE, name)
    query = QueryDict(mutable=True)
    query["quarter"] = quarter.code
    query.setlist("district", codes or [])
    context.update({"result": result, "query": query.urlencode(), "selected": codes or []})
    return render(request, "meetings/returns/marac.html", context)
