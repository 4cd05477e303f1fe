"""API routes of the analytics app, included under /api/v1/ by safehub/api/urls.py."""

from django.urls import path

from safehub.analytics import api

urlpatterns = [
    path("metrics/", api.MetricListApi.as_view(), name="api-metrics"),
    path("metrics/<str:metric_id>/", api.MetricDetailApi.as_view(), name="api-metric"),
    path("forecasts/<str:metric_id>/", api.ForecastApi.as_view(), name="api-forecast"),
]
