from django.urls import path

from safehub.missing import views

app_name = "missing"

urlpatterns = [
    path("", views.episode_list, name="list"),
    path("new/", views.episode_start, name="start"),
    path("new/<uuid:person_id>/", views.episode_create, name="create"),
    path("interviews/", views.interview_list, name="interviews"),
    path("interviews/<uuid:interview_id>/", views.interview_detail, name="interview"),
    path("repeat/", views.repeat_list, name="repeat"),
    path("profiles/", views.profile_list, name="profiles"),
    path("profiles/new/<uuid:person_id>/", views.profile_create, name="profile_create"),
    path("profiles/<uuid:profile_id>/", views.profile_detail, name="profile"),
    path("profiles/<uuid:profile_id>/briefing.pdf", views.profile_pdf, name="profile_pdf"),
    path("profiles/<uuid:profile_id>/change/", views.profile_edit, name="profile_edit"),
    path("people/<uuid:person_id>/", views.problem_profile, name="problem_profile"),
    path("people/<uuid:person_id>/plan/", views.plan_create, name="plan_create"),
    path("plans/<uuid:plan_id>/actions/new/", views.plan_action, name="plan_action"),
    path("plans/<uuid:plan_id>/change/", views.plan_edit, name="plan_edit"),
    path("plans/<uuid:plan_id>/review/", views.plan_review, name="plan_review"),
    path("plan-actions/<uuid:action_id>/change/", views.plan_action_update, name="plan_action_update"),
    path("<uuid:episode_id>/", views.episode_detail, name="detail"),
    path("<uuid:episode_id>/regrade/", views.episode_regrade, name="regrade"),
    path("<uuid:episode_id>/actions/new/", views.episode_action, name="action"),
    path("<uuid:episode_id>/found/", views.episode_found, name="found"),
]
