from django.urls import path

from safehub.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<uuid:review_id>/", views.review, name="review"),
]
