"""API routes of the recommendations tracker, included under /api/v1/ by safehub/api/urls.py."""

from django.urls import path

from safehub.recommendations import api

urlpatterns: list = [
    path("recommendations/", api.RecommendationListCreateApi.as_view(), name="api-recommendations"),
    path(
        "recommendations/<uuid:recommendation_id>/",
        api.RecommendationDetailApi.as_view(),
        name="api-recommendation",
    ),
    path(
        "recommendations/<uuid:recommendation_id>/notes/",
        api.RecommendationNoteApi.as_view(),
        name="api-recommendation-notes",
    ),
]
