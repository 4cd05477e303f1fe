"""API routes of the protection app, included under /api/v1/ by safehub/api/urls.py."""

from django.urls import path

from safehub.protection import api

urlpatterns = [
    path("protection-orders/", api.OrderListCreateApi.as_view(), name="api-protection-orders"),
    path("protection-orders/<uuid:order_id>/", api.OrderDetailApi.as_view(), name="api-protection-order"),
    path(
        "protection-orders/<uuid:order_id>/application/",
        api.OrderApplicationApi.as_view(),
        name="api-protection-order-application",
    ),
    path(
        "protection-orders/<uuid:order_id>/outcome/",
        api.OrderOutcomeApi.as_view(),
        name="api-protection-order-outcome",
    ),
    path(
        "protection-orders/<uuid:order_id>/breaches/",
        api.OrderBreachApi.as_view(),
        name="api-protection-order-breaches",
    ),
    path(
        "protection-orders/<uuid:order_id>/idva-contacts/",
        api.OrderIdvaContactApi.as_view(),
        name="api-protection-order-idva-contacts",
    ),
    path("disclosures/", api.DisclosureListCreateApi.as_view(), name="api-disclosures"),
    path("disclosures/timeliness/", api.TimelinessApi.as_view(), name="api-disclosures-timeliness"),
    path("disclosures/<uuid:application_id>/", api.DisclosureDetailApi.as_view(), name="api-disclosure"),
    path(
        "disclosures/<uuid:application_id>/stage/",
        api.DisclosureStageApi.as_view(),
        name="api-disclosure-stage",
    ),
    path("idva-deployments/", api.DeploymentListCreateApi.as_view(), name="api-idva-deployments"),
    path("idva-deployments/evaluation/", api.EvaluationApi.as_view(), name="api-idva-evaluation"),
    path(
        "idva-deployments/<uuid:deployment_id>/",
        api.DeploymentDetailApi.as_view(),
        name="api-idva-deployment",
    ),
    path("criminal-justice-outcomes/", api.CjOutcomeApi.as_view(), name="api-criminal-justice-outcomes"),
    path("scrutiny-samples/", api.SampleListCreateApi.as_view(), name="api-scrutiny-samples"),
    path("scrutiny-findings/", api.FindingsApi.as_view(), name="api-scrutiny-findings"),
    path("scrutiny-samples/<uuid:sample_id>/", api.SampleDetailApi.as_view(), name="api-scrutiny-sample"),
    path(
        "scrutiny-samples/<uuid:sample_id>/report/",
        api.SampleReportApi.as_view(),
        name="api-scrutiny-sample-report",
    ),
    path("scrutiny-cases/<uuid:case_id>/", api.CaseDetailApi.as_view(), name="api-scrutiny-case"),
]
