"""API routes under /api/v1/. Endpoints live in each app's api.py."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from safehub.api import views as api_views
from safehub.contacts import api as contacts_api
from safehub.core import api as core_api
from safehub.instruments import api as instruments_api
from safehub.people import api as people_api
from safehub.referrals import api as referrals_api

urlpatterns = [
    path("", include("safehub.meetings.api_urls")),
    path("", include("safehub.recommendations.api_urls")),
    path("", include("safehub.reviews.api_urls")),
    path("", include("safehub.missing.api_urls")),
    path("", include("safehub.protection.api_urls")),
    path("", include("safehub.slavery.api_urls")),
    path("", include("safehub.fund.api_urls")),
    path("", include("safehub.activities.api_urls")),
    path("", include("safehub.analytics.api_urls")),
    path("", include("safehub.linkage.api_urls")),
    path("auth/token/", core_api.TokenApi.as_view(), name="api-token"),
    path("people/", people_api.PersonListCreateApi.as_view(), name="api-people"),
    path("people/<uuid:person_id>/", people_api.PersonDetailApi.as_view(), name="api-person"),
    path(
        "people/<uuid:person_id>/chronology/",
        people_api.PersonChronologyApi.as_view(),
        name="api-person-chronology",
    ),
    path("contacts/", contacts_api.ContactListCreateApi.as_view(), name="api-contacts"),
    path("contacts/<uuid:contact_id>/", contacts_api.ContactDetailApi.as_view(), name="api-contact"),
    path(
        "contacts/<uuid:contact_id>/people/",
        contacts_api.ContactPeopleApi.as_view(),
        name="api-contact-people",
    ),
    path(
        "contacts/<uuid:contact_id>/thrive/",
        contacts_api.ContactThriveApi.as_view(),
        name="api-contact-thrive",
    ),
    path(
        "contacts/<uuid:contact_id>/arrival/",
        contacts_api.ContactArrivalApi.as_view(),
        name="api-contact-arrival",
    ),
    path("contacts/<uuid:contact_id>/ppns/", contacts_api.ContactPpnApi.as_view(), name="api-contact-ppns"),
    path("instruments/", instruments_api.InstrumentListApi.as_view(), name="api-instruments"),
    path(
        "instruments/<slug:instrument_id>/",
        instruments_api.InstrumentDetailApi.as_view(),
        name="api-instrument",
    ),
    path(
        "instruments/<slug:instrument_id>/versions/<int:version>/",
        instruments_api.InstrumentVersionDetailApi.as_view(),
        name="api-instrument-version",
    ),
    path(
        "instruments/<slug:instrument_id>/versions/<int:version>/calibration/",
        instruments_api.CalibrationApi.as_view(),
        name="api-instrument-calibration",
    ),
    path("assessments/", instruments_api.AssessmentListCreateApi.as_view(), name="api-assessments"),
    path(
        "assessments/<uuid:assessment_id>/",
        instruments_api.AssessmentDetailApi.as_view(),
        name="api-assessment",
    ),
    path("audit-events/", core_api.AuditEventListApi.as_view(), name="api-audit-events"),
    path("notifications/", core_api.NotificationListApi.as_view(), name="api-notifications"),
    path(
        "notifications/<uuid:notification_id>/acknowledge/",
        core_api.NotificationAcknowledgeApi.as_view(),
        name="api-notification-acknowledge",
    ),
    path("referrals/", referrals_api.ReferralListCreateApi.as_view(), name="api-referrals"),
    path("referrals/<uuid:referral_id>/", referrals_api.ReferralDetailApi.as_view(), name="api-referral"),
    path(
        "referrals/<uuid:referral_id>/triage/",
        referrals_api.ReferralTriageApi.as_view(),
        name="api-referral-triage",
    ),
    path(
        "referrals/<uuid:referral_id>/assign/",
        referrals_api.ReferralAssignApi.as_view(),
        name="api-referral-assign",
    ),
    path(
        "referrals/<uuid:referral_id>/decision/",
        referrals_api.ReferralDecisionApi.as_view(),
        name="api-referral-decision",
    ),
    path(
        "referrals/<uuid:referral_id>/approve/",
        referrals_api.ReferralApproveApi.as_view(),
        name="api-referral-approve",
    ),
    path(
        "information-requests/",
        referrals_api.InformationRequestListCreateApi.as_view(),
        name="api-information-requests",
    ),
    path(
        "information-requests/<uuid:request_id>/respond/",
        referrals_api.InformationRequestRespondApi.as_view(),
        name="api-information-request-respond",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", api_views.api_docs, name="api-docs"),
]
