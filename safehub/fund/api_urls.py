"""API routes of the fund app, included under /api/v1/ by safehub/api/urls.py."""

from django.urls import path

from safehub.fund import api

urlpatterns = [
    path("fund/rounds/", api.FundRoundListCreateApi.as_view(), name="api-fund-rounds"),
    path("fund/rounds/<uuid:round_id>/", api.FundRoundDetailApi.as_view(), name="api-fund-round"),
    path("fund/applications/", api.FundApplicationListCreateApi.as_view(), name="api-fund-applications"),
    path("fund/awards/", api.FundAwardListCreateApi.as_view(), name="api-fund-awards"),
    path("fund/awards/<uuid:award_id>/", api.FundAwardDetailApi.as_view(), name="api-fund-award"),
    path(
        "fund/awards/<uuid:award_id>/returns/",
        api.FundReturnCreateApi.as_view(),
        name="api-fund-award-returns",
    ),
    path("fund/summary/", api.FundSummaryApi.as_view(), name="api-fund-summary"),
]
