"""The commissioner's page: choose a financial year and a format, download the scrutiny report.
Aggregate roles only (analyst, commissioner); the report suppresses small numbers throughout."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render as render_page
from django.views.decorators.http import require_http_methods

from safehub.core.roles import Role
from safehub.reports import builder, forms, render


@login_required
@require_http_methods(["GET", "POST"])
def scrutiny(request):
    if not request.user.has_role(Role.ANALYST, Role.COMMISSIONER):
        raise PermissionDenied("The scrutiny report is for commissioners and analysts")
    form = forms.ScrutinyReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = builder.build(builder.parse_period(form.cleaned_data["period"]))
        except (ValueError, builder.NoData) as exc:
            form.add_error("period", str(exc))
        else:
            fmt = form.cleaned_data["format"]
            response = HttpResponse(render.render(report, fmt), content_type=render.CONTENT_TYPES[fmt])
            response["Content-Disposition"] = f'attachment; filename="{render.file_name(report, fmt)}"'
            return response
    status = 400 if request.method == "POST" else 200
    return render_page(request, "reports/scrutiny.html", {"form": form}, status=status)
