from django.urls import path

from safehub.activities import views

app_name = "activities"

urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.activity_create, name="create"),
    path("teams/", views.teams, name="teams"),
    path("teams/establishment/new/", views.establishment_create, name="establishment_create"),
    path("teams/workload/", views.workload_set, name="workload_set"),
    path("<uuid:activity_id>/", views.activity_detail, name="detail"),
    path("<uuid:activity_id>/edit/", views.activity_update, name="update"),
]
