from django.urls import path

from safehub.protection import views

app_name = "protection"

urlpatterns = [
    path("", views.home, name="home"),
    path("contacts/", views.contact_list, name="contacts"),
    path("contacts/<uuid:contact_id>/outcome/", views.cj_outcome, name="cj_outcome"),
    path("contacts/<uuid:contact_id>/notice/", views.order_create, name="order_create"),
    path("orders/", views.order_list, name="orders"),
    path("orders/<uuid:order_id>/", views.order_detail, name="order"),
    path("orders/<uuid:order_id>/application/", views.order_application, name="order_application"),
    path("orders/<uuid:order_id>/outcome/", views.order_outcome, name="order_outcome"),
    path("orders/<uuid:order_id>/breaches/new/", views.order_breach, name="order_breach"),
    path("orders/<uuid:order_id>/idva-contact/", views.order_support, name="order_support"),
    path("disclosures/", views.disclosure_list, name="disclosures"),
    path("disclosures/new/", views.disclosure_start, name="disclosure_start"),
    path("disclosures/new/<uuid:at_risk_id>/", views.disclosure_start, name="disclosure_subject"),
    path(
        "disclosures/new/<uuid:at_risk_id>/<uuid:subject_id>/",
        views.disclosure_create,
        name="disclosure_create",
    ),
    path("disclosures/timeliness/", views.timeliness, name="timeliness"),
    path("disclosures/<uuid:application_id>/", views.disclosure_detail, name="disclosure"),
    path("disclosures/<uuid:application_id>/stage/", views.disclosure_stage, name="disclosure_stage"),
    path("idva/", views.deployment_list, name="deployments"),
    path("idva/new/", views.deployment_create, name="deployment_create"),
    path("idva/evaluation/", views.evaluation, name="evaluation"),
    path("idva/<uuid:deployment_id>/", views.deployment_detail, name="deployment"),
    path("scrutiny/", views.sample_list, name="samples"),
    path("scrutiny/new/", views.sample_create, name="sample_create"),
    path("scrutiny/findings/", views.findings, name="findings"),
    path("scrutiny/cases/<uuid:case_id>/", views.case_detail, name="case"),
    path("scrutiny/<uuid:sample_id>/", views.sample_detail, name="sample"),
    path("scrutiny/<uuid:sample_id>/report/", views.sample_report, name="sample_report"),
    path("scrutiny/<uuid:sample_id>/recommendations/new/", views.sample_recommend, name="sample_recommend"),
]
