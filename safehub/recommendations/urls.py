from django.urls import path

from safehub.recommendations import views

app_name = "recommendations"

urlpatterns: list = [
    path("", views.home, name="home"),
    path("new/", views.create, name="create"),
    path("<uuid:recommendation_id>/", views.detail, name="detail"),
    path("<uuid:recommendation_id>/owner/", views.reassign, name="reassign"),
]
