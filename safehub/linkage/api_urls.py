"""API routes of the linkage app, included under /api/v1/ by safehub/api/urls.py."""

from django.urls import path

from safehub.linkage import api

urlpatterns = [
    path("people/match/", api.PersonMatchApi.as_view(), name="api-people-match"),
    path("people/<uuid:person_id>/merge/", api.PersonMergeApi.as_view(), name="api-person-merge"),
    path("people/<uuid:person_id>/known-to/", api.KnownToApi.as_view(), name="api-person-known-to"),
    path("merges/<uuid:merge_id>/undo/", api.MergeUndoApi.as_view(), name="api-merge-undo"),
    path("linkage/ask-mash/", api.AskMashApi.as_view(), name="api-linkage-ask-mash"),
    path("linkage/imports/", api.ExtractListCreateApi.as_view(), name="api-linkage-imports"),
    path("linkage/imports/<uuid:extract_id>/", api.ExtractDetailApi.as_view(), name="api-linkage-import"),
    path(
        "linkage/imports/<uuid:extract_id>/accept/",
        api.ExtractAcceptApi.as_view(),
        name="api-linkage-import-accept",
    ),
    path(
        "linkage/imports/<uuid:extract_id>/cancel/",
        api.ExtractCancelApi.as_view(),
        name="api-linkage-import-cancel",
    ),
    path("linkage/reviews/", api.ReviewListApi.as_view(), name="api-linkage-reviews"),
    path("linkage/reviews/<uuid:review_id>/", api.ReviewDetailApi.as_view(), name="api-linkage-review"),
    path(
        "linkage/reviews/<uuid:review_id>/decision/",
        api.ReviewDecisionApi.as_view(),
        name="api-linkage-review-decision",
    ),
]
