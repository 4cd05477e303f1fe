from django.urls import path

from safehub.reviews import views

app_name = "reviews"

urlpatterns: list = [
    path("", views.home, name="home"),
    path("due/", views.due, name="due"),
    path("new/", views.person_search, name="search"),
    path("new/<uuid:person_id>/", views.create, name="create"),
    path("<uuid:review_id>/", views.detail, name="detail"),
    path("<uuid:review_id>/recommendations/new/", views.recommendation_add, name="recommendation_add"),
    *[
        path(f"<uuid:review_id>/{slug}/", views.step, {"step_name": name}, name=name)
        for name, slug in [
            ("notification", "notification"),
            ("rapid_review", "rapid-review"),
            ("decision", "decision"),
            ("themes", "learning-themes"),
            ("publication", "publication"),
        ]
    ],
]
