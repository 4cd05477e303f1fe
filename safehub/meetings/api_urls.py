"""API routes of the meetings app, included under /api/v1/ by safehub/api/urls.py."""

from django.urls import path

from safehub.meetings import api

urlpatterns: list = [
    path("meetings/", api.MeetingListCreateApi.as_view(), name="api-meetings"),
    path("meetings/<uuid:meeting_id>/", api.MeetingDetailApi.as_view(), name="api-meeting"),
    path("meetings/<uuid:meeting_id>/cases/", api.MeetingCasesApi.as_view(), name="api-meeting-cases"),
    path("meeting-cases/<uuid:case_id>/", api.MeetingCaseDetailApi.as_view(), name="api-meeting-case"),
    path("actions/", api.ActionListCreateApi.as_view(), name="api-actions"),
    path("actions/<uuid:action_id>/", api.ActionDetailApi.as_view(), name="api-action"),
    path("listing-candidates/", api.ListingCandidatesApi.as_view(), name="api-listing-candidates"),
]
