"""Information requests (answered only by the agency asked; answers hidden from other partners)
and the hand-over: assignment notified, acknowledged, escalated to the manager when not."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from safehub.core import notify
from safehub.core.models import Notification
from safehub.referrals import selectors, services
from safehub.referrals.models import InformationRequest, MashSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def triaged(referral, mash):
    return services.referral_triage(
        actor=mash, referral=referral, expected_version=referral.version, rag="amber", reason="Neglect"
    )


def _ask(mash, referral, agency):
    return services.information_request_create(
        actor=mash,
        referral=referral,
        to_agency=agency,
        person=referral.subjects.first().person,
        question="What do you know?",
        purpose="MASH research",
        lawful_basis="gdpr_6_1_e",
        due_at=timezone.now() + timedelta(days=1),
    )


def test_answer_by_another_agency_is_404(client, api_as, triaged, mash, agencies, officer, health_user):
    request = _ask(mash, triaged, agencies["police"])
    client.force_login(health_user)
    assert client.get(reverse("referrals:answer", args=[request.pk])).status_code == 404
    assert client.post(reverse("referrals:answer", args=[request.pk]), {"answer": "x"}).status_code == 404
    response = api_as(health_user).post(
        f"/api/v1/information-requests/{request.pk}/respond/", {"answer": "x"}, format="json"
    )
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == "sent" and request.answer == ""


def test_answers_hidden_from_a_third_partner(
    api_as, triaged, mash, agencies, officer, health_user, school_user
):
    police_request = _ask(mash, triaged, agencies["police"])
    _ask(mash, triaged, health_user.agency)
    services.information_request_answer(actor=officer, request=police_request, answer="Police know X")
    # Health (asked too) sees only its own request, never the police answer.
    assert [r.to_agency for r in selectors.information_requests_for(health_user)] == [health_user.agency]
    listed = api_as(health_user).get("/api/v1/information-requests/").json()["results"]
    assert all(row["answer"] != "Police know X" for row in listed) and len(listed) == 1
    # The referrer (school) reads the referral through its share but sees no requests or answers.
    detail = api_as(school_user).get(f"/api/v1/referrals/{triaged.pk}/").json()
    assert detail["information_requests"] == [] and detail["decisions"] == []
    # The MASH sees the answer.
    detail = api_as(mash).get(f"/api/v1/referrals/{triaged.pk}/").json()
    assert any(r["answer"] == "Police know X" for r in detail["information_requests"])


def test_api_information_request_and_respond(api_as, triaged, mash, officer):
    client = api_as(mash)
    response = client.post(
        "/api/v1/information-requests/",
        {
            "referral": str(triaged.pk),
            "to_agency": "wyp",
            "question": "Any incidents?",
            "purpose": "MASH research",
            "lawful_basis": "gdpr_6_1_e",
            "due_at": (timezone.now() + timedelta(hours=4)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    request_id = response.json()["id"]
    assert Notification.objects.filter(recipient_agency__code="wyp", kind="information_request").exists()
    response = api_as(officer).post(
        f"/api/v1/information-requests/{request_id}/respond/", {"answer": ""}, format="json"
    )
    assert response.status_code == 400 and "answer" in response.json()
    response = api_as(officer).post(
        f"/api/v1/information-requests/{request_id}/respond/", {"answer": "One incident"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "answered"
    assert InformationRequest.objects.get().answered_by == officer


def test_assignment_notifies_and_escalates_to_manager(triaged, mash, mashmanager, districts):
    MashSettings.objects.create(force=districts["leeds"].force, ack_escalate_minutes=30)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.referral_assign(
            actor=mashmanager, referral=triaged, expected_version=triaged.version, assignee=mash
        )
    sent = Notification.objects.get(recipient_user=mash, kind="assignment")
    assert sent.title == f"Referral {triaged.reference} assigned to you"
    assert sent.ack_required and sent.escalate_to_user == mashmanager
    assert sent.url == reverse("referrals:detail", args=[triaged.pk])
    # Not yet due: nothing escalates.
    assert notify.escalate_due(now=start + timedelta(minutes=29)) == []
    # Unacknowledged after 30 minutes: the manager is told.
    escalated = notify.escalate_due(now=start + timedelta(minutes=31))
    assert [n.pk for n in escalated] == [sent.pk]
    assert Notification.objects.filter(
        recipient_user=mashmanager, kind="escalation", title__startswith="Not acknowledged"
    ).exists()
    # "waiting on others" for the manager who assigned it.
    assert sent in notify.notifications_sent_by(mashmanager)


def test_acknowledged_assignment_does_not_escalate(triaged, mash, mashmanager):
    services.referral_assign(
        actor=mashmanager, referral=triaged, expected_version=triaged.version, assignee=mash
    )
    sent = Notification.objects.get(recipient_user=mash, kind="assignment")
    notify.acknowledge(sent, actor=mash)
    assert notify.escalate_due(now=timezone.now() + timedelta(hours=5)) == []


def test_assignment_email_and_page(client, triaged, mash, mashmanager, settings):
    mash.email = "mash@example.org"
    mash.save()
    client.force_login(mashmanager)
    response = client.post(
        reverse("referrals:assign", args=[triaged.pk]), {"assignee": mash.pk, "version": triaged.version}
    )
    assert response.status_code == 302
    assert any(f"Referral {triaged.reference} assigned to you" == m.subject for m in mail.outbox)
    client.force_login(mash)
    page = client.get(reverse("core:notifications")).content.decode()
    assert f"Referral {triaged.reference} assigned to you" in page


def test_assign_only_to_mash_of_the_district(triaged, mashmanager, officer):
    with pytest.raises(services.ValidationError):
        services.referral_assign(
            actor=mashmanager, referral=triaged, expected_version=triaged.version, assignee=officer
        )
