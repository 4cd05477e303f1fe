from django.urls import path

from safehub.contacts import views

app_name = "contacts"

urlpatterns = [
    path("", views.contact_list, name="list"),
    path("new/", views.contact_create, name="create"),
    path("encompass/", views.encompass, name="encompass"),
    path(
        "encompass/<uuid:notification_id>/acknowledge/",
        views.encompass_acknowledge,
        name="encompass_acknowledge",
    ),
    path("<uuid:contact_id>/", views.contact_detail, name="detail"),
    path("<uuid:contact_id>/people/", views.contact_people, name="people"),
    path("<uuid:contact_id>/people/add/", views.contact_person_pick, name="person_pick"),
    path("<uuid:contact_id>/people/new/", views.contact_person_new, name="person_new"),
    path("<uuid:contact_id>/thrive/", views.contact_grade, name="grade"),
    path("<uuid:contact_id>/arrival/", views.contact_arrival, name="arrival"),
    path("<uuid:contact_id>/ppn/<uuid:person_id>/", views.ppn_raise, name="ppn"),
]
