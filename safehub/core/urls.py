from django.contrib.auth import views as auth_views
from django.urls import path

from safehub.core import notification_views, rule_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign_out"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("clocks/", views.clock_list, name="clocks"),
    path("audit/", views.audit_search, name="audit_search"),
    path("audit/emergency-access/", views.break_glass_reviews, name="break_glass_reviews"),
    path("audit/emergency-access/<uuid:grant_id>/", views.break_glass_review_view, name="break_glass_review"),
    path("rules/", rule_views.ruleset_list, name="rules"),
    path("rules/<slug:ruleset_id>/", rule_views.ruleset_detail, name="ruleset_detail"),
    path("rules/<slug:ruleset_id>/new/", rule_views.ruleset_new, name="ruleset_new"),
    path("rules/<slug:ruleset_id>/new/json/", rule_views.ruleset_new_json, name="ruleset_new_json"),
    path("rules/<slug:ruleset_id>/new/test/", rule_views.ruleset_test, name="ruleset_test"),
    path("rules/<slug:ruleset_id>/new/save/", rule_views.ruleset_save, name="ruleset_save"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/count.json", notification_views.notification_count, name="notification_count"),
    path(
        "notifications/<uuid:notification_id>/acknowledge/",
        notification_views.notification_acknowledge,
        name="notification_acknowledge",
    ),
]
