"""The GOV.UK layout (base.html), the error pages and the role-aware service navigation.

This file is the ROOT_URLCONF: the real routes plus two pages that render the bare layout.
"""

import re

import pytest
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.urls import path

from safehub import urls as safehub_urls
from safehub.core.models import Agency, AgencyKind, District, Force, RoleGrant, User
from safehub.core.navigation import navigation
from safehub.core.roles import Role


def _layout_page(request):
    return render(request, "base.html")


def _not_found_page(request):
    return HttpResponse(render_to_string("404.html", request=request), status=404)


# The real routes (navigation reverses every registered app's pages), plus two test-only pages.
urlpatterns = [
    path("layout/", _layout_page),
    path("missing/", _not_found_page),
    *safehub_urls.urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
EXTERNAL_URL = re.compile(r"""https?://(?!testserver[/:"'])[^\s"'<>]+""", re.IGNORECASE)
SKIP_LINK = '<a href="#main-content" class="govuk-skip-link"'
PERSON_LEVEL = ["Find a person"]  # "Shared with me" and "Emergency access": the People subnav
# Officers also record contacts; every person-level user has the risk tools.
OFFICER = [
    *PERSON_LEVEL,
    "Contacts",
    "Risk tools",
    "Referrals",
    "Missing",
    "Recommendations",
    "Domestic abuse",
    "Modern slavery",
]


@pytest.fixture
def agency():
    force = Force.objects.create(code="test-force", name="Test Force")
    district = District.objects.create(force=force, code="north", name="North District")
    agency = Agency.objects.create(
        force=force, code="north-police", name="North Police", kind=AgencyKind.POLICE
    )
    agency.districts.add(district)
    return agency


def make_user(agency, username, *roles, first_name="Alex", last_name="Example"):
    user = User.objects.create_user(
        username=username,
        password="a-long-test-password-1",
        first_name=first_name,
        last_name=last_name,
        agency=agency,
    )
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    return user


def nav_labels(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return [item["label"] for item in navigation(request)["nav_items"]]


def assert_layout_is_safe(html):
    assert 'href="/static/dist/application.css"' in html
    assert SKIP_LINK in html
    assert "Safehub" in html
    assert not EXTERNAL_URL.findall(html), EXTERNAL_URL.findall(html)
    for tag in SCRIPT_TAG.findall(html):
        assert re.search(r'\bnonce="[^"]+"', tag), f"script without a nonce: {tag}"


# Layout -------------------------------------------------------------------------------------


def test_layout_links_css_and_module_script_with_the_csp_nonce(client):
    response = client.get("/layout/")

    html = response.content.decode()
    assert_layout_is_safe(html)
    header_nonces = re.findall(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert len(header_nonces) == 1
    scripts = SCRIPT_TAG.findall(html)
    assert len(scripts) == 2
    assert all(f'nonce="{header_nonces[0]}"' in tag for tag in scripts)
    assert any('type="module" src="/static/js/application.mjs"' in tag for tag in scripts)
    assert "<title> – Safehub</title>" in html
    assert 'id="main-content"' in html


def test_signed_in_line_names_the_user_and_agency_with_a_post_sign_out(client, agency):
    user = make_user(agency, "alex", Role.OFFICER)
    client.force_login(user)

    html = client.get("/layout/").content.decode()

    assert "Signed in as <strong>Alex Example</strong>, North Police" in html
    form = re.search(r'<form method="post" action="/sign-out/"[^>]*>(.*?)</form>', html, re.DOTALL)
    assert form is not None
    assert 'name="csrfmiddlewaretoken"' in form.group(1)
    assert ">Sign out</button>" in form.group(1)
    assert 'href="/sign-out/"' not in html


def test_anonymous_layout_has_no_navigation_or_signed_in_line(client):
    html = client.get("/layout/").content.decode()

    assert "govuk-service-navigation" not in html
    assert "Signed in as" not in html
    assert "Sign out" not in html


@override_settings(DEMO_LOGINS_ENABLED=True)
def test_demo_banner_shows_when_demo_logins_are_enabled(client):
    html = client.get("/layout/").content.decode()

    assert "govuk-phase-banner" in html
    assert "Synthetic demo data" in html


@override_settings(DEMO_LOGINS_ENABLED=False)
def test_no_demo_banner_when_demo_logins_are_disabled(client):
    html = client.get("/layout/").content.decode()

    assert "govuk-phase-banner" not in html


def test_messages_render_as_notification_banners(rf, agency):
    request = rf.get("/layout/")
    request.user = make_user(agency, "alex", Role.OFFICER)
    request.csp_nonce = "test-nonce"

    class Message:
        def __init__(self, text, level_tag):
            self.text, self.level_tag = text, level_tag

        def __str__(self):
            return self.text

    html = render_to_string(
        "base.html",
        {"messages": [Message("Referral saved", "success"), Message("Check the address", "info")]},
        request=request,
    )

    assert "govuk-notification-banner--success" in html
    assert 'role="alert"' in html
    assert ">Success</h2>" in html and ">Important</h2>" in html
    assert "Referral saved" in html and "Check the address" in html


# Error pages --------------------------------------------------------------------------------


def test_404_page_does_not_say_whether_a_record_exists(client):
    response = client.get("/missing/")

    html = response.content.decode()
    assert response.status_code == 404
    assert_layout_is_safe(html)
    assert "Page not found" in html
    main_text = re.sub(r"<[^>]+>", " ", html.split('id="main-content"')[1].split("</main>")[0]).lower()
    for leak in ("record", "exist", "permission", "person"):
        assert leak not in main_text


def test_403_page_says_no_access(rf):
    request = rf.get("/people/")
    request.csp_nonce = "test-nonce"

    html = render_to_string("403.html", request=request)

    assert_layout_is_safe(html)
    assert "You do not have access to this page" in html


@pytest.mark.parametrize(
    ("template", "heading"),
    [
        ("500.html", "Sorry, there is a problem with the service"),
        ("503.html", "Sorry, the service is unavailable"),
        ("413.html", "The file or form you sent is too large"),
    ],
)
def test_standalone_error_pages_render_without_a_request_or_database(
    template, heading, django_assert_num_queries
):
    with django_assert_num_queries(0):
        html = render_to_string(template)

    assert heading in html
    assert 'href="/static/dist/application.css"' in html
    assert SKIP_LINK in html
    assert "<script" not in html
    assert not EXTERNAL_URL.findall(html)


def test_locked_out_page_gives_the_cool_off_in_minutes(rf):
    from datetime import timedelta

    request = rf.get("/sign-in/")
    request.csp_nonce = "test-nonce"

    html = render_to_string(
        "registration/locked_out.html", {"cooloff_timedelta": timedelta(minutes=30)}, request=request
    )

    assert "Your account is locked for 30 minutes after too many failed sign-in attempts" in html
    assert_layout_is_safe(html)


# Navigation by role ---------------------------------------------------------------------------


def test_anonymous_users_get_no_navigation(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()

    context = navigation(request)

    assert list(context["nav_items"]) == []
    assert not context["signed_in"]
    assert context["service_name"] == "Safehub"


def test_person_level_user_gets_search_and_no_clocks_which_are_in_the_footer(agency):
    user = make_user(agency, "officer", Role.OFFICER)

    assert nav_labels(user) == [*OFFICER, "Notifications"]


def test_auditor_gets_audit_pages_but_no_person_search(agency):
    user = make_user(agency, "auditor", Role.AUDITOR)

    assert nav_labels(user) == [
        "Audit trail",
        "Emergency access reviews",
        "Partnership activities",
        "Notifications",
    ]


def test_admin_gets_reference_data(agency):
    user = make_user(agency, "admin", Role.ADMIN)

    assert nav_labels(user) == ["Reference data", "Listing rules", "Notifications"]


def test_analyst_with_aggregate_access_only_gets_aggregate_pages(agency):
    user = make_user(agency, "analyst", Role.ANALYST)

    assert user.is_aggregate_only
    assert nav_labels(user) == [
        "Risk tools",
        "MARAC return",
        "Domestic abuse",
        "Listing rules",
        "Modern slavery statistics",
        "Dashboard",
        "Partnership activities",
        "Safer Communities Fund",
        "Scrutiny report",
        "Notifications",
    ]


def test_person_level_role_without_an_agency_gets_no_person_pages():
    user = make_user(None, "stray", Role.OFFICER)

    assert nav_labels(user) == ["Notifications"]


def test_user_with_several_roles_gets_each_roles_items_once(agency):
    user = make_user(agency, "multi", Role.OFFICER, Role.AUDITOR, Role.ADMIN)

    assert nav_labels(user) == [
        *OFFICER,
        "Audit trail",
        "Emergency access reviews",
        "Reference data",
        "Listing rules",
        "Partnership activities",
        "Notifications",
    ]


def test_only_the_longest_matching_item_is_active(agency):
    user = make_user(agency, "officer", Role.OFFICER)
    request = RequestFactory().get("/people/shared-with-me/")
    request.user = user

    items = navigation(request)["nav_items"]

    # "Shared with me" is in the People subnav: the section's item, Find a person, is active.
    assert [item["label"] for item in items if item["active"]] == ["Find a person"]
    assert {item["label"]: item["url"] for item in items}["Find a person"] == "/people/"
    request = RequestFactory().get("/referrals/information-requests/")
    request.user = user
    items = navigation(request)["nav_items"]
    assert [item["label"] for item in items if item["active"]] == ["Referrals"]  # its section


def test_active_item_is_marked_for_assistive_technology(rf, agency):
    request = rf.get("/audit/")
    request.user = make_user(agency, "auditor", Role.AUDITOR)
    request.csp_nonce = "test-nonce"

    html = render_to_string("base.html", request=request)

    assert '<a class="govuk-service-navigation__link" href="/audit/" aria-current="true">' in html
    assert '<strong class="govuk-service-navigation__active-fallback">Audit trail</strong>' in html
    assert html.count('aria-current="true"') == 1
