"""API routes of the missing app, included under /api/v1/ by safehub/api/urls.py."""

from django.urls import path

from safehub.missing import api

urlpatterns = [
    path("missing-episodes/", api.EpisodeListCreateApi.as_view(), name="api-missing-episodes"),
    path("missing-episodes/<uuid:episode_id>/", api.EpisodeDetailApi.as_view(), name="api-missing-episode"),
    path(
        "missing-episodes/<uuid:episode_id>/regrade/",
        api.EpisodeRegradeApi.as_view(),
        name="api-missing-episode-regrade",
    ),
    path(
        "missing-episodes/<uuid:episode_id>/found/",
        api.EpisodeFoundApi.as_view(),
        name="api-missing-episode-found",
    ),
    path(
        "missing-episodes/<uuid:episode_id>/actions/",
        api.EpisodeActionListCreateApi.as_view(),
        name="api-missing-episode-actions",
    ),
    path("missing-plans/", api.PlanListCreateApi.as_view(), name="api-missing-plans"),
    path("missing-plans/<uuid:plan_id>/", api.PlanDetailApi.as_view(), name="api-missing-plan"),
    path(
        "missing-plans/<uuid:plan_id>/actions/",
        api.PlanActionCreateApi.as_view(),
        name="api-missing-plan-actions",
    ),
    path(
        "missing-plans/<uuid:plan_id>/reviews/",
        api.PlanReviewCreateApi.as_view(),
        name="api-missing-plan-reviews",
    ),
    path(
        "missing-plan-actions/<uuid:action_id>/",
        api.PlanActionDetailApi.as_view(),
        name="api-missing-plan-action",
    ),
    path("return-interviews/", api.InterviewListCreateApi.as_view(), name="api-return-interviews"),
    path(
        "return-interviews/<uuid:interview_id>/",
        api.InterviewDetailApi.as_view(),
        name="api-return-interview",
    ),
    path("protocol-profiles/", api.ProfileListCreateApi.as_view(), name="api-protocol-profiles"),
    path(
        "protocol-profiles/<uuid:profile_id>/",
        api.ProfileDetailApi.as_view(),
        name="api-protocol-profile",
    ),
]
