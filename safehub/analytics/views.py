"""Dashboard pages for the aggregate roles (analyst, commissioner). No person-level model is read
here: every figure comes from the analytics store through selectors and presenters. Commissioners
see small numbers (1 to 4) suppressed, in the page and in every CSV."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safehub.analytics import catalogue, forms, presenters, registry, selectors
from safehub.core.csv_safety import write_csv
from safehub.core.roles import Role


def _require_aggregate_reader(user) -> bool:
    """Analysts and commissioners only; True when small numbers must be suppressed."""
    if not user.has_role(Role.ANALYST, Role.COMMISSIONER):
        raise PermissionDenied("The dashboard is for analysts and commissioners")
    return user.has_role(Role.COMMISSIONER)


def _charts(form: forms.DashboardFilterForm, suppress: bool) -> tuple[selectors.Query, list]:
    query = form.query()
    charts = presenters.demand_charts(query, suppress=suppress) if query.series else []
    forecast = presenters.forecast_chart(query.series, query.district, suppress=suppress)
    extra = [forecast] if forecast else []
    extra += presenters.equality(suppress=suppress) + [presenters.data_quality(suppress=suppress)]
    for group in presenters.measure_groups(suppress=suppress):
        extra += [item["chart"] for item in group["measures"]]
    for clock in presenters.timeliness(suppress=suppress):
        extra += clock["reports"]
    return query, charts + extra


@login_required
@require_GET
def dashboard(request):
    suppress = _require_aggregate_reader(request.user)
    form = forms.DashboardFilterForm(request.GET or None)
    status = 400 if form.is_bound and not form.is_valid() else 200
    query = form.query()
    definition = catalogue.get(query.series)
    forecast = selectors.forecast_for(query.series, query.district)
    context = {
        "form": form,
        "query": query,
        "definition": definition,
        "suppress": suppress,
        "period": presenters.period_label(query.start, query.end),
        "coverage": presenters.coverage_caveat(query) if query.series else "",
        "rolling": presenters.rolling_summary(query.series, query.district, suppress=suppress),
        "charts": presenters.demand_charts(query, suppress=suppress) if query.series else [],
        "forecast": forecast,
        "forecast_chart": presenters.forecast_chart(query.series, query.district, suppress=suppress),
        "backtest": presenters.backtest_rows(forecast) if forecast else [],
        "timeliness": presenters.timeliness(suppress=suppress),
        "measure_groups": presenters.measure_groups(suppress=suppress),
        "equality": presenters.equality(suppress=suppress),
        "data_quality": presenters.data_quality(suppress=suppress),
        "query_string": request.GET.urlencode() if status == 200 else "",
        "populations_loaded": bool(selectors.district_populations()),
    }
    return render(request, "analytics/dashboard.html", context, status=status)


@login_required
@require_GET
def chart_csv(request, chart_id: str):
    suppress = _require_aggregate_reader(request.user)
    form = forms.DashboardFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            "Bad filter: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()),
            status=400,
            content_type="text/plain",
        )
    _, charts = _charts(form, suppress)
    chart = next((c for c in charts if c.id == chart_id), None)
    if chart is None:
        raise Http404("No such chart")
    stream = io.StringIO()
    write_csv(chart.rows, chart.columns, stream)
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{chart.csv_name}"'
    return response


@login_required
@require_GET
def definitions(request):
    _require_aggregate_reader(request.user)
    return render(
        request,
        "analytics/definitions.html",
        {
            "definitions": catalogue.definitions(),
            "apps": sorted({m.app_name for m in registry.all_measures()}),
        },
    )


@login_required
@require_GET
def forecasts(request):
    suppress = _require_aggregate_reader(request.user)
    rows = [
        {
            "forecast": f,
            "backtest": presenters.backtest_rows(f),
            "title": (catalogue.get(f.series).title if catalogue.get(f.series) else f.series),
            "district": selectors.district_names().get(f.district, f.district),
        }
        for f in selectors.forecasts()
    ]
    return render(request, "analytics/forecasts.html", {"rows": rows, "suppress": suppress})
