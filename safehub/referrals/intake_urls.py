from django.urls import path

from safehub.referrals import intake_views

urlpatterns: list = [
    path("", intake_views.referral_import, name="import"),
    path("errors.csv", intake_views.referral_import_errors, name="import_errors"),
    path("template.csv", intake_views.referral_import_template, name="import_template"),
]
