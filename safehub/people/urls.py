from django.urls import path

from safehub.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_search, name="search"),
    path("new/", views.person_create, name="create"),
    path("shared-with-me/", views.shared_with_me, name="shared_with_me"),
    path("emergency-access/", views.break_glass_search, name="break_glass"),
    path("emergency-access/<uuid:person_id>/", views.break_glass_open_view, name="break_glass_open"),
    path("<uuid:person_id>/", views.person_detail, name="detail"),
    path("<uuid:person_id>/change/", views.person_edit, name="edit"),
    path("<uuid:person_id>/relationships/new/", views.relationship_add, name="relationship_add"),
    path("<uuid:person_id>/share/", views.person_share, name="share"),
    path("<uuid:person_id>/<str:kind>/new/", views.person_add_child, name="add_child"),
]
