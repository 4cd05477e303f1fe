"""Demand against capacity API: the capacity page's figures as JSON.

Analysts, commissioners (counts of 1 to 4 as "[c]", with the figures built on them null) and the
partnership manager; every other role 403. Bad parameters are 400 naming the parameter.
"""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from safehub.analytics import capacity, capacity_presenters, capacity_views, forms, rules, selectors
from safehub.analytics.api import _month_param
from safehub.core.roles import Role


class IsCapacityReader(permissions.BasePermission):
    message = "Demand against capacity is for analysts, commissioners and partnership managers"

    def has_permission(self, request, view) -> bool:
        return capacity_views.may_read(request.user)


class CapacityMonthOutput(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    new_work = serializers.JSONField(
        help_text='New work in the month, "[c]" when suppressed, null when not held'
    )
    establishment_fte = serializers.FloatField(allow_null=True)
    in_post_fte = serializers.FloatField(allow_null=True)
    per_fte = serializers.FloatField(allow_null=True, help_text="New work per FTE in post")


class CapacityLineOutput(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["total", "team"], help_text="A district's total for one workload, or one team"
    )
    team_id = serializers.CharField(allow_null=True)
    team = serializers.CharField(allow_blank=True)
    agency = serializers.CharField(allow_blank=True)
    teams = serializers.IntegerField(help_text="Teams in the total (1 for a team)")
    district = serializers.CharField(allow_blank=True, help_text="District code; blank: force-wide")
    workload = serializers.CharField()
    workload_label = serializers.CharField()
    series = serializers.CharField(help_text="The demand series measuring the workload's new work")
    categories = serializers.ListField(
        child=serializers.CharField(), help_text="Its categories summed, if any"
    )
    establishment_fte = serializers.FloatField(
        allow_null=True, help_text="In the period's last staffed month"
    )
    in_post_fte = serializers.FloatField(allow_null=True)
    vacancy_percent = serializers.FloatField(allow_null=True)
    new_work = serializers.JSONField(help_text='New work in the period, "[c]" when suppressed')
    new_work_per_month = serializers.FloatField(allow_null=True)
    new_work_per_fte = serializers.FloatField(allow_null=True, help_text="New work a month per FTE in post")
    open_cases = serializers.JSONField(
        help_text="Open at the end of the period; null: no open-caseload measure"
    )
    open_cases_per_fte = serializers.FloatField(allow_null=True)
    current_in_post_fte = serializers.FloatField(allow_null=True, help_text="In post this month")
    forecast_per_fte_3_months = serializers.FloatField(
        allow_null=True, help_text="Mean forecast new work a month over the next 3 months per FTE in post now"
    )
    forecast_per_fte_6_months = serializers.FloatField(allow_null=True)
    unavailable = serializers.CharField(allow_blank=True, help_text="Why there is no new-work figure")
    months = CapacityMonthOutput(many=True)


class CapacityOutput(serializers.Serializer):
    start = serializers.CharField(help_text="First month, YYYY-MM")
    end = serializers.CharField(help_text="Last month, YYYY-MM")
    district = serializers.CharField(allow_blank=True)
    lines = CapacityLineOutput(many=True)
    sentences = serializers.ListField(child=serializers.CharField())
    caveats = serializers.ListField(child=serializers.CharField())


class CapacityApi(APIView):
    permission_classes = [IsCapacityReader]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from", str, description="First month, YYYY-MM (default: 12 months before 'to')"
            ),
            OpenApiParameter("to", str, description="Last month, YYYY-MM (default: last month)"),
            OpenApiParameter("district", str, description="District code (default: every district)"),
        ],
        responses=CapacityOutput,
        summary="Demand against capacity: workload per FTE in post by district and team, with forecasts",
    )
    def get(self, request):
        district = request.query_params.get("district", "")
        if district and district not in selectors.district_names():
            raise ValidationError({"district": [f"Unknown district {district!r}"]})
        start, last = _month_param(request, "from"), _month_param(request, "to")
        if start and last and start > last:
            raise ValidationError({"to": ["'to' must be the same as or after 'from'"]})
        start, end = capacity_views.period(start, last, timezone.localdate())
        if len(rules.months_between(start, end)) > forms.MAX_MONTHS:
            raise ValidationError({"from": [f"Choose at most {forms.MAX_MONTHS} months"]})
        suppress = request.user.has_role(Role.COMMISSIONER)
        report = capacity.build(capacity.force_id_for(request.user), start, end, district=district)
        payload = {
            "start": f"{start:%Y-%m}",
            "end": f"{end - relativedelta(months=1):%Y-%m}",
            "district": district,
            "lines": [capacity_presenters.line_values(line, suppress=suppress) for line in report.lines()],
            "sentences": capacity_presenters.sentences(report, suppress=suppress),
            "caveats": [*capacity.CAVEATS, *report.notes],
        }
        return Response(CapacityOutput(payload).data)
