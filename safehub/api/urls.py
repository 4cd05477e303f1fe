"""API routes under /api/v1/. Endpoints live in each app's api.py."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from safehub.api import views as api_views
from safehub.core import api as core_api
from safehub.people import api as people_api

urlpatterns = [
    path("auth/token/", core_api.TokenApi.as_view(), name="api-token"),
    path("people/", people_api.PersonListCreateApi.as_view(), name="api-people"),
    path("people/<uuid:person_id>/", people_api.PersonDetailApi.as_view(), name="api-person"),
    path(
        "people/<uuid:person_id>/chronology/",
        people_api.PersonChronologyApi.as_view(),
        name="api-person-chronology",
    ),
    path("audit-events/", core_api.AuditEventListApi.as_view(), name="api-audit-events"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", api_views.api_docs, name="api-docs"),
]
