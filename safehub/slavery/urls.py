from django.urls import path

from safehub.slavery import views

app_name = "slavery"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.referral_start, name="start"),
    path("new/ms1/", views.dtn_create, name="dtn_create"),
    path("new/<uuid:person_id>/", views.referral_create, name="create"),
    path("statistics/", views.statistics, name="statistics"),
    path("<uuid:nrm_referral_id>/", views.referral_detail, name="detail"),
    path("<uuid:nrm_referral_id>/reasonable-grounds/", views.reasonable_grounds, name="reasonable_grounds"),
    path("<uuid:nrm_referral_id>/conclusive-grounds/", views.conclusive_grounds, name="conclusive_grounds"),
    path("<uuid:nrm_referral_id>/outcome/", views.outcome, name="outcome"),
]
