from django.urls import include, path

from safehub.meetings import views

app_name = "meetings"

urlpatterns: list = [
    # Agendas and action logs as PDF and XLSX, and the MARAC data return (export_views.py).
    path("", include("safehub.meetings.export_urls")),
    path("", views.home, name="home"),
    path("actions/", views.my_actions, name="actions"),
    path("actions/<uuid:action_id>/", views.action_detail, name="action"),
    path("refer/", views.referral_search, name="refer_search"),
    path("refer/<uuid:person_id>/", views.referral_create, name="refer"),
    path("series/<uuid:series_id>/", views.series_detail, name="series"),
    path("series/<uuid:series_id>/new/", views.meeting_create, name="meeting_create"),
    path("<uuid:meeting_id>/", views.meeting_detail, name="meeting"),
    path("<uuid:meeting_id>/confidentiality/", views.confidentiality, name="confidentiality"),
    path("<uuid:meeting_id>/candidates/", views.candidates, name="candidates"),
    path("<uuid:meeting_id>/candidates/add/", views.case_add_listed, name="case_add_listed"),
    path("<uuid:meeting_id>/add/", views.case_add_manual, name="case_add_manual"),
    path("<uuid:meeting_id>/carry-forward/", views.carry_forward, name="carry_forward"),
    path("<uuid:meeting_id>/publish/", views.meeting_publish, name="publish"),
    path("<uuid:meeting_id>/held/", views.meeting_held, name="held"),
    path("<uuid:meeting_id>/close/", views.meeting_close, name="close"),
    path("<uuid:meeting_id>/invite/", views.invite, name="invite"),
    path("<uuid:meeting_id>/attendance/", views.attendance, name="attendance"),
    path("<uuid:meeting_id>/cases/<uuid:case_id>/minutes/", views.case_minutes, name="case_minutes"),
    path("cases/<uuid:case_id>/", views.case_detail, name="case"),
    path("cases/<uuid:case_id>/research/", views.research_add, name="research_add"),
    path("cases/<uuid:case_id>/actions/", views.action_create, name="action_create"),
    path("cases/<uuid:case_id>/remove/", views.case_remove, name="case_remove"),
    path("cases/<uuid:case_id>/move/<str:direction>/", views.case_move, name="case_move"),
]
