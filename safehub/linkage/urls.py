from django.urls import path

from safehub.linkage import views

app_name = "linkage"

urlpatterns = [
    path("", views.home, name="home"),
    path("check/", views.check, name="check"),
    path("check/ask-mash/", views.ask_mash, name="ask_mash"),
    path("extracts/", views.extract_list, name="extracts"),
    path("extracts/<uuid:extract_id>/", views.extract_detail, name="extract"),
    path("extracts/<uuid:extract_id>/accept/", views.extract_accept, name="extract_accept"),
    path("extracts/<uuid:extract_id>/link/", views.extract_link, name="extract_link"),
    path("extracts/<uuid:extract_id>/cancel/", views.extract_cancel, name="extract_cancel"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/<uuid:review_id>/", views.review_detail, name="review"),
    path("duplicates/", views.duplicate_list, name="duplicates"),
    path("merge/<uuid:person_id>/<uuid:subject_id>/", views.merge_create, name="merge_create"),
    path("merges/<uuid:merge_id>/", views.merge_detail, name="merge"),
    path("known-to/<uuid:person_id>/", views.known_to, name="known_to"),
    path("model/", views.model_detail, name="model"),
]
