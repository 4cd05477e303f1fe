"""Notification pages, the count endpoint, the navigation item and the API, with the standard cast."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import escape

from safehub.core import notify
from safehub.core.models import Notification
from safehub.core.navigation import navigation

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def client_as(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


def to_owner(owner, title="Referral needs a decision", **extra):
    return notify.send(owner, title=title, body="Open the referral to decide.", url="/people/", **extra)


def acknowledge_url(notification):
    return reverse("core:notification_acknowledge", args=[notification.pk])


# --- The page ----------------------------------------------------------------------------------


def test_pages_need_sign_in(client, db):
    response = client.get(reverse("core:notifications"))
    assert response.status_code == 302 and "/sign-in/" in response.url
    assert client.get(reverse("core:notification_count")).status_code == 401


def test_waiting_overdue_first_with_due_time_and_red_tag(client_as, owner):
    with time_machine.travel(START, tick=False):
        to_owner(owner, title="Later one", due_at=START + timedelta(days=2))
        to_owner(owner, title="Late one", due_at=START + timedelta(hours=1))
    with time_machine.travel(START + timedelta(hours=3), tick=False):
        html = client_as(owner).get(reverse("core:notifications")).content.decode()
    waiting = html.split('id="waiting-on-others"')[0]
    assert waiting.index("Late one") < waiting.index("Later one")
    assert waiting.count("govuk-tag--red") == 1
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong><br>' in waiting
    assert "23 Nov 2026 at 10:00" in waiting  # due time in London time (GMT in November)
    assert 'href="/people/"' in waiting
    assert "Open the referral to decide." in waiting
    assert waiting.count(">Acknowledge<") == 2


def test_acknowledge_moves_it_to_acknowledged(client_as, owner):
    sent = to_owner(owner)
    client = client_as(owner)
    response = client.post(acknowledge_url(sent))
    assert response.status_code == 302 and response.url == reverse("core:notifications")
    sent.refresh_from_db()
    assert sent.acknowledged_by == owner
    html = client.get(reverse("core:notifications")).content.decode()
    assert "Acknowledged: Referral needs a decision" in html
    assert "Nothing is waiting for you." in html
    acknowledged = html.split('id="acknowledged"')[1]
    assert "Referral needs a decision" in acknowledged and f"by {escape(str(owner))}" in acknowledged


def test_acknowledging_twice_says_so(client_as, owner):
    sent = to_owner(owner)
    client = client_as(owner)
    client.post(acknowledge_url(sent))
    response = client.post(acknowledge_url(sent), follow=True)
    assert "This notification is already acknowledged" in response.content.decode()


def test_acknowledge_is_post_only(client_as, owner):
    sent = to_owner(owner)
    assert client_as(owner).get(acknowledge_url(sent)).status_code == 405
    sent.refresh_from_db()
    assert sent.acknowledged_at is None


@pytest.mark.parametrize("persona", ["outsider", "partner", "mash", "analyst", "auditor"])
def test_someone_elses_notification_is_not_found(request, client_as, owner, persona):
    sent = to_owner(owner)
    client = client_as(request.getfixturevalue(persona))
    assert client.post(acknowledge_url(sent)).status_code == 404
    assert "Referral needs a decision" not in client.get(reverse("core:notifications")).content.decode()
    sent.refresh_from_db()
    assert sent.acknowledged_at is None


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("officer", True), ("analyst", False), ("outsider", False), ("owner", False), ("auditor", False)],
)
def test_agency_notifications_by_persona(request, client_as, agencies, persona, sees):
    sent = notify.send(agencies["police"], title="Police work queue")
    client = client_as(request.getfixturevalue(persona))
    assert ("Police work queue" in client.get(reverse("core:notifications")).content.decode()) is sees
    assert client.post(acknowledge_url(sent)).status_code == (302 if sees else 404)


def test_analyst_sees_and_acknowledges_what_is_sent_to_them(client_as, analyst):
    sent = notify.send(analyst, title="Your extract is ready")
    client = client_as(analyst)
    assert "Your extract is ready" in client.get(reverse("core:notifications")).content.decode()
    assert client.post(acknowledge_url(sent)).status_code == 302


def test_waiting_on_others_lists_what_you_sent(client_as, owner, officer):
    notify.send(owner, title="Please call the school", actor=officer)
    html = client_as(officer).get(reverse("core:notifications")).content.decode()
    others = html.split('id="waiting-on-others"')[1].split('id="acknowledged"')[0]
    assert "Please call the school" in others and str(owner) in others


def test_every_page_loads_the_polling_script_with_a_nonce_and_no_inline_script(client_as, owner):
    from django.conf import settings

    html = client_as(owner).get(reverse("core:home")).content.decode()
    assert re.search(r'<script type="module" src="/static/js/application\.mjs" nonce="[^"]+"></script>', html)
    application = (settings.PACKAGE_DIR / "static" / "js" / "application.mjs").read_text()
    assert 'import "./notifications.mjs";' in application
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "nonce=" in tag


# --- The count and the navigation ------------------------------------------------------------------


def test_count_json(client_as, owner):
    with time_machine.travel(START, tick=False):
        to_owner(owner, due_at=START - timedelta(minutes=1))
        to_owner(owner)
        done = to_owner(owner)
        notify.acknowledge(done, actor=owner)
        response = client_as(owner).get(reverse("core:notification_count"))
    assert response.json() == {"waiting": 2, "overdue": 1}
    assert "no-store" in response["Cache-Control"]


def test_polling_the_count_does_not_keep_the_session_alive(client, owner, settings):
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(START, tick=False):
        client.force_login(owner)
    with time_machine.travel(START + idle - timedelta(minutes=5), tick=False):
        assert client.get(reverse("core:notification_count")).status_code == 200
    with time_machine.travel(START + idle + timedelta(minutes=1), tick=False):
        assert client.get(reverse("core:notification_count")).status_code == 401


def test_a_page_view_does_keep_the_session_alive(client, owner, settings):
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(START, tick=False):
        client.force_login(owner)
    with time_machine.travel(START + idle - timedelta(minutes=5), tick=False):
        assert client.get(reverse("core:notifications")).status_code == 200
    with time_machine.travel(START + idle + timedelta(minutes=1), tick=False):
        assert client.get(reverse("core:notification_count")).status_code == 200


def nav(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return list(navigation(request)["nav_items"])


@pytest.mark.parametrize("persona", ["owner", "analyst", "auditor", "commissioner"])
def test_every_signed_in_user_gets_notifications_last_in_the_navigation(request, persona):
    items = nav(request.getfixturevalue(persona))
    assert [i["label"] for i in items][-1] == "Notifications" and "Clocks" not in [i["label"] for i in items]
    assert items[-1]["url"] == "/notifications/"


def test_navigation_shows_the_count_and_marks_the_page_active(owner):
    with time_machine.travel(START, tick=False):
        to_owner(owner, due_at=START - timedelta(hours=1))
        to_owner(owner)
        (item,) = [i for i in nav(owner, "/notifications/") if i["url"] == "/notifications/"]
    assert item["label"] == "Notifications (2, 1 overdue)"
    assert item["active"]


def test_rendered_navigation_carries_the_count(client_as, owner):
    to_owner(owner)
    html = client_as(owner).get(reverse("core:home")).content.decode()
    assert re.search(r'href="/notifications/"[^>]*>\s*Notifications \(1\)\s*</a>', html)


# --- API ---------------------------------------------------------------------------------------


def test_api_lists_the_callers_notifications(api_as, owner, outsider, agencies, officer):
    mine = to_owner(owner)
    notify.send(agencies["police"], title="Police work queue")
    body = api_as(owner).get("/api/v1/notifications/").json()
    assert body["count"] == 1
    (item,) = body["results"]
    assert item["id"] == str(mine.pk)
    assert (item["title"], item["url"], item["status"], item["ack_required"]) == (
        "Referral needs a decision",
        "/people/",
        "Waiting",
        True,
    )


def test_api_list_for_others(api_as, owner, outsider, officer, agencies):
    to_owner(owner)
    notify.send(agencies["police"], title="Police work queue")
    assert api_as(outsider).get("/api/v1/notifications/").json()["count"] == 0
    officer_items = api_as(officer).get("/api/v1/notifications/").json()["results"]
    assert [i["title"] for i in officer_items] == ["Police work queue"]
    assert officer_items[0]["recipient_agency"] == "wyp"


def test_api_acknowledge(api_as, owner):
    sent = to_owner(owner)
    client = api_as(owner)
    response = client.post(f"/api/v1/notifications/{sent.pk}/acknowledge/")
    assert response.status_code == 200
    assert response.json()["acknowledged_by"] == "owner"
    assert response.json()["status"] == "Acknowledged"
    again = client.post(f"/api/v1/notifications/{sent.pk}/acknowledge/")
    assert again.status_code == 400
    assert "already acknowledged" in again.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "partner", "analyst", "auditor"])
def test_api_acknowledge_someone_elses_is_404(request, api_as, owner, persona):
    sent = to_owner(owner)
    response = api_as(request.getfixturevalue(persona)).post(f"/api/v1/notifications/{sent.pk}/acknowledge/")
    assert response.status_code == 404
    assert "Referral needs a decision" not in response.content.decode()
    assert not Notification.objects.filter(acknowledged_at__isnull=False).exists()


def test_api_needs_authentication(api_client, owner):
    sent = to_owner(owner)
    assert api_client.get("/api/v1/notifications/").status_code == 401
    assert api_client.post(f"/api/v1/notifications/{sent.pk}/acknowledge/").status_code == 401
