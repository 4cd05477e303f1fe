"""Dashboard API: the metric catalogue, a metric's values with year-on-year change, forecasts.

Analysts and commissioners only (everyone else 403); commissioners get counts of 1 to 4 as "[c]".
Bad parameters are 400 naming the parameter; an unknown metric is 404.
"""

from __future__ import annotations

from datetime import datetime, time

from dateutil.relativedelta import relativedelta
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from safehub.analytics import catalogue, presenters, registry, rollups, rules, selectors
from safehub.core.roles import Role


class IsAggregateReader(permissions.BasePermission):
    message = "The dashboard API is for analysts and commissioners"

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_role(Role.ANALYST, Role.COMMISSIONER))


def _suppress(request) -> bool:
    return request.user.has_role(Role.COMMISSIONER)


class MetricOutput(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    source_records = serializers.CharField()
    numerator = serializers.CharField()
    denominator = serializers.CharField()
    filters = serializers.CharField()
    caveats = serializers.ListField(child=serializers.CharField())
    owner = serializers.CharField()
    version = serializers.CharField()
    kind = serializers.CharField(help_text="series, derived or measure")
    breakdowns = serializers.ListField(child=serializers.CharField())


class MetricValueOutput(serializers.Serializer):
    key = serializers.CharField(help_text="Month (YYYY-MM), district code or category")
    value = serializers.JSONField(help_text='A count, or "[c]" when suppressed')
    previous_year = serializers.JSONField(help_text="Same period a year before; null when no data")
    change = serializers.JSONField()
    change_percent = serializers.JSONField()
    population = serializers.IntegerField(allow_null=True)
    rate_per_1000 = serializers.FloatField(allow_null=True)


class MetricValuesOutput(serializers.Serializer):
    metric = MetricOutput()
    start = serializers.CharField(help_text="First month, YYYY-MM")
    end = serializers.CharField(help_text="Last month, YYYY-MM")
    district = serializers.CharField()
    by = serializers.CharField()
    values = MetricValueOutput(many=True, required=False)
    total = MetricValueOutput(required=False)
    columns = serializers.ListField(child=serializers.CharField(), required=False)
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()), required=False)
    caveats = serializers.ListField(child=serializers.CharField())


class ForecastPointOutput(serializers.Serializer):
    month = serializers.CharField()
    mean = serializers.FloatField()
    lo80 = serializers.FloatField()
    hi80 = serializers.FloatField()
    lo95 = serializers.FloatField()
    hi95 = serializers.FloatField()


class ForecastOutput(serializers.Serializer):
    metric = serializers.CharField(source="series")
    district = serializers.CharField()
    category = serializers.CharField()
    model = serializers.CharField()
    sentence = serializers.CharField()
    generated_at = serializers.DateTimeField()
    backtest = serializers.JSONField(help_text="{model: {mae, mape, forecasts}} for every candidate")
    points = ForecastPointOutput(many=True)


class MetricListApi(APIView):
    permission_classes = [IsAggregateReader]

    @extend_schema(responses=MetricOutput(many=True), summary="The metric catalogue")
    def get(self, request):
        return Response(MetricOutput([d.as_dict() for d in catalogue.definitions()], many=True).data)


def _month_param(request, name: str):
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        month = rules.parse_month(value)
    except ValueError as exc:
        raise ValidationError({name: [f"Enter a month like 2025-04 ({exc})"]}) from exc
    today = timezone.localdate()
    if month > today.replace(day=1):
        raise ValidationError({name: ["The month must not be in the future"]})
    return month


def _value_row(item: selectors.Comparison, suppress: bool) -> dict:
    hide = suppress and (rules.is_small(item.current) or rules.is_small(item.previous))
    return {
        "key": item.key,
        "value": rules.suppress(item.current, enabled=suppress),
        "previous_year": rules.suppress(item.previous, enabled=suppress),
        "change": None if hide else item.change.difference,
        "change_percent": None if hide else item.change.percent,
        "population": item.population,
        "rate_per_1000": None if hide else item.rate,
    }


class MetricDetailApi(APIView):
    permission_classes = [IsAggregateReader]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from", str, description="First month, YYYY-MM (default: 12 months to the latest data)"
            ),
            OpenApiParameter("to", str, description="Last month, YYYY-MM"),
            OpenApiParameter("district", str, description="District code, or 'unknown'"),
            OpenApiParameter("by", str, enum=["month", "district", "category"], description="Breakdown"),
        ],
        responses=MetricValuesOutput,
        summary="A metric's values, with the change on the same period a year before",
    )
    def get(self, request, metric_id: str):
        definition = catalogue.get(metric_id)
        if definition is None or definition.kind == "derived":
            raise Http404("No such metric")
        by = request.query_params.get("by", "month")
        if by not in selectors.BY:
            raise ValidationError({"by": ["Choose month, district or category"]})
        district = request.query_params.get("district", "")
        if district and district not in selectors.district_names():
            raise ValidationError({"district": [f"Unknown district {district!r}"]})
        start, last = _month_param(request, "from"), _month_param(request, "to")
        default_start, default_end = selectors.default_period(metric_id, timezone.localdate())
        start = start or default_start
        end = last + relativedelta(months=1) if last else default_end
        if start >= end:
            raise ValidationError({"to": ["'to' must be the same as or after 'from'"]})
        suppress = _suppress(request)
        payload = {
            "metric": definition.as_dict(),
            "start": f"{start:%Y-%m}",
            "end": f"{end - relativedelta(months=1):%Y-%m}",
            "district": district,
            "by": by,
            "caveats": list(definition.caveats),
        }
        if definition.kind == "measure":
            measure = registry.get(metric_id)
            tz = timezone.get_current_timezone()
            result = measure.query(datetime.combine(start, time.min, tz), datetime.combine(end, time.min, tz))
            payload["columns"], payload["rows"] = presenters.result_table(
                rollups.plain(result), suppress=suppress
            )
            return Response(MetricValuesOutput(payload).data)
        query = selectors.Query(metric_id, start, end, district, by)
        try:
            comparisons = selectors.compare(query)
            grains = selectors._grains(metric_id)
            now = selectors.total(query, grains)
            earlier = query.year_before()
            has_earlier = bool(selectors.months_with_data(metric_id, earlier.start, earlier.end))
            before = selectors.total(earlier, grains) if has_earlier else None
        except selectors.Unavailable as exc:
            raise ValidationError({"by": [str(exc)]}) from exc
        payload["values"] = [_value_row(item, suppress) for item in comparisons]
        total = selectors.Comparison("total", now, before, rules.year_on_year(now, before), None)
        payload["total"] = _value_row(total, suppress)
        coverage = presenters.coverage_caveat(query)
        if coverage:
            payload["caveats"].insert(0, coverage)
        return Response(MetricValuesOutput(payload).data)


class ForecastApi(APIView):
    permission_classes = [IsAggregateReader]

    @extend_schema(
        parameters=[
            OpenApiParameter("district", str, description="District code (default: the whole area)"),
            OpenApiParameter("category", str, description="Category (default: all)"),
        ],
        responses=ForecastOutput,
        summary="A metric's stored 48-month forecast with its backtest",
    )
    def get(self, request, metric_id: str):
        forecast = selectors.forecast_for(
            metric_id, request.query_params.get("district", ""), request.query_params.get("category", "")
        )
        if forecast is None:
            raise Http404("No forecast for this metric, district and category")
        return Response(ForecastOutput(forecast).data)
