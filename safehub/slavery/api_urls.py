"""API routes of the slavery app, included under /api/v1/ by safehub/api/urls.py."""

from django.urls import path

from safehub.slavery import api

urlpatterns = [
    path("nrm-referrals/", api.NrmReferralListCreateApi.as_view(), name="api-nrm-referrals"),
    path("nrm-referrals/statistics/", api.NrmStatisticsApi.as_view(), name="api-nrm-statistics"),
    path(
        "nrm-referrals/<uuid:nrm_referral_id>/", api.NrmReferralDetailApi.as_view(), name="api-nrm-referral"
    ),
    path(
        "nrm-referrals/<uuid:nrm_referral_id>/reasonable-grounds/",
        api.ReasonableGroundsApi.as_view(),
        name="api-nrm-reasonable-grounds",
    ),
    path(
        "nrm-referrals/<uuid:nrm_referral_id>/conclusive-grounds/",
        api.ConclusiveGroundsApi.as_view(),
        name="api-nrm-conclusive-grounds",
    ),
    path("nrm-referrals/<uuid:nrm_referral_id>/outcome/", api.OutcomeApi.as_view(), name="api-nrm-outcome"),
]
