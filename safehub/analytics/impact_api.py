"""Campaign impact API: the interrupted time series estimate for a campaign in the activity register.

Readers of the register only (partnership manager, analysts, commissioner, auditor; everyone else
403). Another partnership's campaign, or an activity that is not a campaign, is 404. A campaign that
cannot be evaluated (too few months before or after, no data) is 422 with a message naming the
problem. Commissioners get observed counts of 1 to 4 as "[c]".
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from safehub.analytics import campaigns, impact, impact_presenters
from safehub.core.roles import Role


class ActivityReader(permissions.BasePermission):
    message = "Your role does not include the partnership's activity register"

    def has_permission(self, request, view) -> bool:
        return campaigns.may_read(request.user)


class EstimateOutput(serializers.Serializer):
    estimate = serializers.FloatField(source="value")
    ci_low = serializers.FloatField(source="low", help_text="95% confidence interval, lower bound")
    ci_high = serializers.FloatField(source="high", help_text="95% confidence interval, upper bound")
    p_value = serializers.FloatField(allow_null=True)


class ImpactPointOutput(serializers.Serializer):
    month = serializers.DateField(format="%Y-%m", help_text="YYYY-MM")
    period = serializers.ChoiceField(
        choices=["before", "after", "excluded"],
        help_text="excluded: the part-month the campaign started in, left out of the fit",
    )
    observed = serializers.JSONField(help_text='The count, or "[c]" when suppressed')
    fitted = serializers.FloatField(allow_null=True, help_text="The model's fit (null: left out)")
    counterfactual = serializers.FloatField(help_text="What the trend and season before the start predict")


class CampaignOutput(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    starts_on = serializers.DateField()
    target_series = serializers.CharField()
    target_category = serializers.CharField()
    target_district = serializers.CharField()


class CampaignImpactOutput(serializers.Serializer):
    campaign = CampaignOutput()
    series_title = serializers.CharField()
    subject = serializers.CharField(help_text="What is counted, with the target's category and district")
    first_after = serializers.DateField(format="%Y-%m", help_text="The first month counted as after")
    level_change = EstimateOutput(help_text="The step in the monthly count at the start")
    trend_change = EstimateOutput(help_text="The change in the monthly trend after the start")
    average_change = EstimateOutput(
        help_text="Mean of observed minus counterfactual over the months after the start, a month"
    )
    average_change_percent = EstimateOutput(
        allow_null=True, help_text="The average change as a percentage of the mean counterfactual"
    )
    counterfactual_mean = serializers.FloatField()
    n_before = serializers.IntegerField()
    n_after = serializers.IntegerField()
    seasonality = serializers.ChoiceField(choices=[impact.FOURIER, impact.MONTH_DUMMIES])
    hac_lags = serializers.IntegerField()
    model = serializers.CharField()
    sentence = serializers.CharField()
    caveat = serializers.CharField()
    series = ImpactPointOutput(many=True)


NOT_EVALUABLE = inline_serializer("CampaignNotEvaluable", {"detail": serializers.CharField()})


class CampaignImpactApi(APIView):
    permission_classes = [ActivityReader]

    @extend_schema(
        responses={
            200: CampaignImpactOutput,
            403: OpenApiResponse(description="Not a reader of the activity register"),
            404: OpenApiResponse(description="No such campaign in your partnership"),
            422: OpenApiResponse(NOT_EVALUABLE, description="The campaign cannot be evaluated (the reason)"),
        },
        summary="A campaign's impact on its target series (interrupted time series)",
    )
    def get(self, request, activity_id):
        activity = campaigns.campaign_for(request.user, activity_id)
        try:
            result = campaigns.evaluate(activity)
        except impact.NotEvaluable as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        suppress = request.user.has_role(Role.COMMISSIONER)
        estimates = ("level_change", "trend_change", "average_change", "average_change_percent")
        figures = ("first_after", "counterfactual_mean", "n_before", "n_after", "seasonality", "hac_lags")
        payload = {
            **{name: getattr(result, name) for name in (*estimates, *figures, "model", "sentence", "caveat")},
            "campaign": activity,
            "series_title": campaigns.series_title(activity.target_series),
            "subject": campaigns.subject(activity),
            "series": impact_presenters.points(result, suppress=suppress),
        }
        return Response(CampaignImpactOutput(payload).data)
