from django.urls import path

from safehub.fund import views

app_name = "fund"

urlpatterns = [
    path("", views.summary, name="summary"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<uuid:round_id>/", views.round_detail, name="round"),
    path("rounds/<uuid:round_id>/applications/new/", views.application_create, name="application_create"),
    path("applications/<uuid:application_id>/", views.application_detail, name="application"),
    path("applications/<uuid:application_id>/award/", views.award_create, name="award_create"),
    path("applications/<uuid:application_id>/decision/", views.application_decide, name="application_decide"),
    path("awards/<uuid:award_id>/", views.award_detail, name="award"),
    path("awards/<uuid:award_id>/returns/new/", views.return_create, name="return_create"),
]
