from django.urls import include, path

from safehub.referrals import intake_urls, views

app_name = "referrals"

urlpatterns = [
    path("import/", include(intake_urls.urlpatterns)),
    path("", views.queue, name="queue"),
    path("queue.json", views.queue_json, name="queue_json"),
    path("new/", views.referral_create, name="create"),
    path("new/people/", views.referral_create_people, name="create_people"),
    path("new/people/add/", views.referral_create_pick, name="create_pick"),
    path("new/people/new/", views.referral_create_new_person, name="create_new_person"),
    path("new/people/<int:index>/remove/", views.referral_create_remove, name="create_remove"),
    path("new/submit/", views.referral_create_submit, name="create_submit"),
    path("mine/", views.my_referrals, name="mine"),
    path("information-requests/", views.information_requests, name="information_requests"),
    path(
        "information-requests/<uuid:request_id>/answer/",
        views.information_request_answer,
        name="answer",
    ),
    path("ppns/<uuid:ppn_id>/take/", views.take_ppn, name="take_ppn"),
    path("<uuid:referral_id>/", views.referral_detail, name="detail"),
    path("<uuid:referral_id>/triage/", views.referral_triage, name="triage"),
    path("<uuid:referral_id>/assign/", views.referral_assign, name="assign"),
    path("<uuid:referral_id>/ask/", views.information_request_create, name="ask"),
    path("<uuid:referral_id>/decide/", views.referral_decide, name="decide"),
    path("<uuid:referral_id>/approve/", views.referral_approve, name="approve"),
]
