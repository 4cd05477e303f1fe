from django.contrib import admin
from django.urls import include, path

from safehub.core import views as core_views

admin.site.site_header = "Safehub reference data"
admin.site.site_title = "Safehub reference data"

urlpatterns = [
    path("", include("safehub.core.urls")),
    path("people/", include("safehub.people.urls")),
    path("instruments/", include("safehub.instruments.urls")),
    path("contacts/", include("safehub.contacts.urls")),
    path("referrals/", include("safehub.referrals.urls")),
    path("meetings/", include("safehub.meetings.urls")),
    path("recommendations/", include("safehub.recommendations.urls")),
    path("reviews/", include("safehub.reviews.urls")),
    path("missing/", include("safehub.missing.urls")),
    path("protection/", include("safehub.protection.urls")),
    path("slavery/", include("safehub.slavery.urls")),
    path("fund/", include("safehub.fund.urls")),
    path("activities/", include("safehub.activities.urls")),
    path("analytics/", include("safehub.analytics.urls")),
    path("reports/", include("safehub.reports.urls")),
    path("linkage/", include("safehub.linkage.urls")),
    path("retention/", include("safehub.retention.urls")),
    path("api/v1/", include("safehub.api.urls")),
    path("admin/", admin.site.urls),
]

handler403 = core_views.error_403
handler404 = core_views.error_404
handler500 = core_views.error_500
