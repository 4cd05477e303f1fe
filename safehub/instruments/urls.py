from django.urls import path

from safehub.instruments import views

app_name = "instruments"

urlpatterns = [
    path("", views.instrument_list, name="list"),
    path("people/", views.person_lookup, name="person_lookup"),
    path("people/<uuid:person_id>/", views.person_assessments, name="person"),
    path("assessments/<uuid:assessment_id>/", views.assessment_detail, name="assessment"),
    path("<slug:instrument_id>/", views.instrument_detail, name="detail"),
    path("<slug:instrument_id>/v<int:version>/", views.version_detail, name="version"),
    path("<slug:instrument_id>/v<int:version>/calibration/", views.calibration, name="calibration"),
    path("<slug:instrument_id>/assess/<uuid:person_id>/", views.assessment_create, name="assess"),
]
