from django.urls import path

from safehub.analytics import capacity_views, impact_views, views

app_name = "analytics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("charts/<slug:chart_id>.csv", views.chart_csv, name="chart_csv"),
    path("definitions/", views.definitions, name="definitions"),
    path("forecasts/", views.forecasts, name="forecasts"),
    path("capacity/", capacity_views.capacity_page, name="capacity"),
    path("campaigns/<uuid:activity_id>/impact/", impact_views.campaign_impact, name="campaign-impact"),
]
