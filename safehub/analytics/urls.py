from django.urls import path

from safehub.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("charts/<slug:chart_id>.csv", views.chart_csv, name="chart_csv"),
    path("definitions/", views.definitions, name="definitions"),
    path("forecasts/", views.forecasts, name="forecasts"),
]
