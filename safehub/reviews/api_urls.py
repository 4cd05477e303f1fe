"""API routes of practice reviews, included under /api/v1/ by safehub/api/urls.py."""

from django.urls import path

from safehub.reviews import api

urlpatterns: list = [
    path("practice-reviews/", api.ReviewListCreateApi.as_view(), name="api-practice-reviews"),
    path("practice-reviews/<uuid:review_id>/", api.ReviewDetailApi.as_view(), name="api-practice-review"),
    path(
        "practice-reviews/<uuid:review_id>/notification/",
        api.ReviewNotificationApi.as_view(),
        name="api-practice-review-notification",
    ),
    path(
        "practice-reviews/<uuid:review_id>/rapid-review/",
        api.ReviewRapidReviewApi.as_view(),
        name="api-practice-review-rapid-review",
    ),
    path(
        "practice-reviews/<uuid:review_id>/decision/",
        api.ReviewDecisionApi.as_view(),
        name="api-practice-review-decision",
    ),
    path(
        "practice-reviews/<uuid:review_id>/learning-themes/",
        api.ReviewThemesApi.as_view(),
        name="api-practice-review-learning-themes",
    ),
    path(
        "practice-reviews/<uuid:review_id>/publication/",
        api.ReviewPublicationApi.as_view(),
        name="api-practice-review-publication",
    ),
    path(
        "practice-reviews/<uuid:review_id>/recommendations/",
        api.ReviewRecommendationsApi.as_view(),
        name="api-practice-review-recommendations",
    ),
]
