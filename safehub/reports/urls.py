from django.urls import path

from safehub.reports import views

app_name = "reports"

urlpatterns = [
    path("scrutiny/", views.scrutiny, name="scrutiny"),
]
