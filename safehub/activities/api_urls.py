"""API routes of the activities app, included under /api/v1/ by safehub/api/urls.py."""

from django.urls import path

from safehub.activities import api

urlpatterns = [
    path("activities/", api.ActivityListCreateApi.as_view(), name="api-activities"),
    path("activities/<uuid:activity_id>/", api.ActivityDetailApi.as_view(), name="api-activity"),
    path("teams/establishment/", api.EstablishmentListCreateApi.as_view(), name="api-team-establishment"),
]
