"""API routes of the analytics app, included under /api/v1/ by safehub/api/urls.py."""

from django.urls import path

from safehub.analytics import api, capacity_api, impact_api

urlpatterns = [
    path("metrics/", api.MetricListApi.as_view(), name="api-metrics"),
    path("metrics/<str:metric_id>/", api.MetricDetailApi.as_view(), name="api-metric"),
    path("forecasts/<str:metric_id>/", api.ForecastApi.as_view(), name="api-forecast"),
    path("capacity/", capacity_api.CapacityApi.as_view(), name="api-capacity"),
    path(
        "campaigns/<uuid:activity_id>/impact/",
        impact_api.CampaignImpactApi.as_view(),
        name="api-campaign-impact",
    ),
]
