"""Notifications: send to a user or an agency, who sees and acknowledges, escalation, email."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from safehub.core import notify
from safehub.core.models import AuditEvent, Notification
from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def emails(owner, officer, analyst, mash):
    for user in (owner, officer, analyst, mash):
        user.email = f"{user.username}@example.org"
        user.save()


def to_owner(owner, **extra):
    return notify.send(owner, title="Referral needs a decision", url="/people/", **extra)


# --- send --------------------------------------------------------------------------------------


def test_send_to_a_user_stores_audits_and_emails(owner, officer, person, emails):
    sent = notify.send(
        owner,
        person,
        title="Case to review",
        body="A contact was recorded.",
        url=f"/people/{person.pk}/",
        actor=officer,
        kind="contact_recorded",
    )
    sent.refresh_from_db()
    assert (sent.recipient_user, sent.recipient_agency, sent.created_by, sent.kind) == (
        owner,
        None,
        officer,
        "contact_recorded",
    )
    assert (sent.object_type, sent.object_id, sent.person_id) == ("people.person", person.pk, person.pk)
    assert sent.ack_required and sent.acknowledged_at is None and sent.escalate_at is None
    assert sent.email_sent
    (email,) = mail.outbox
    assert email.to == ["owner@example.org"]
    assert email.subject == "Case to review"
    assert email.body == f"A contact was recorded.\n\n/people/{person.pk}/"
    assert "Amelia" not in email.body and "Testperson" not in email.body
    event = AuditEvent.objects.get(action="create", object_type="core.notification")
    assert (event.actor, event.object_id, event.person_id) == (officer, str(sent.pk), person.pk)


def test_send_to_an_agency_emails_its_person_level_members_only(agencies, officer, analyst, emails):
    sent = notify.send(agencies["police"], title="New PPN to review")
    assert sent.recipient_agency == agencies["police"] and sent.recipient_user is None
    assert [m.to for m in mail.outbox] == [["officer@example.org"]]
    assert sent.email_sent


def test_no_email_when_the_recipient_has_no_address(owner):
    sent = to_owner(owner)
    assert not sent.email_sent
    assert mail.outbox == []


def test_an_email_failure_keeps_the_notification(owner, emails, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    sent = to_owner(owner)
    assert Notification.objects.filter(pk=sent.pk, email_sent=False).exists()


@pytest.mark.parametrize(
    "url", ["https://example.org/x", "//example.org/x", "people/", "/people/?name=Amelia", "/a b/", "/\\evil"]
)
def test_url_must_be_an_internal_path_without_a_query(owner, url):
    with pytest.raises(ValidationError) as caught:
        notify.send(owner, title="Hello", url=url)
    assert "url" in caught.value.message_dict
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(object_type="core.notification").exists()


def test_a_title_is_required(owner):
    with pytest.raises(ValidationError) as caught:
        notify.send(owner, title="  ")
    assert "title" in caught.value.message_dict


def test_recipient_must_be_a_user_or_an_agency(owner, person):
    with pytest.raises(TypeError, match="recipient must be a User or an Agency"):
        notify.send(person, title="Hello")
    with pytest.raises(TypeError, match="escalate_to must be a User or an Agency"):
        notify.send(owner, title="Hello", escalate_to="manager", escalate_after=timedelta(hours=1))


@pytest.mark.parametrize(
    ("due", "after", "expected"),
    [
        (START + timedelta(hours=4), None, START + timedelta(hours=4)),
        (None, timedelta(hours=2), START + timedelta(hours=2)),
        (START + timedelta(hours=4), timedelta(hours=1), START + timedelta(hours=1)),
    ],
    ids=["due-only", "after-only", "after-wins-over-due"],
)
def test_escalate_at(owner, mash, due, after, expected):
    with time_machine.travel(START, tick=False):
        sent = to_owner(owner, due_at=due, escalate_after=after, escalate_to=mash)
    assert sent.escalate_at == expected
    assert sent.escalate_to_user == mash


def test_no_escalation_without_someone_to_escalate_to(owner):
    assert to_owner(owner, escalate_after=timedelta(hours=1)).escalate_at is None


def test_escalation_needs_a_time_and_an_acknowledgement(owner, mash):
    with pytest.raises(ValidationError, match="due_at or escalate_after"):
        to_owner(owner, escalate_to=mash)
    with pytest.raises(ValidationError, match="needs acknowledging"):
        to_owner(owner, escalate_to=mash, ack_required=False, escalate_after=timedelta(hours=1))
    assert not Notification.objects.exists()


# --- who sees and acknowledges -----------------------------------------------------------------


def test_notifications_for_the_user_and_their_agency(agencies, owner, officer, analyst, outsider):
    mine = to_owner(owner)
    police = notify.send(agencies["police"], title="Police work queue")
    to_analyst = notify.send(analyst, title="Your report is ready")
    assert list(notify.notifications_for(owner)) == [mine]
    assert list(notify.notifications_for(officer)) == [police]
    # An analyst sees what is sent to them, not what is sent to their agency's practitioners.
    assert list(notify.notifications_for(analyst)) == [to_analyst]
    assert list(notify.notifications_for(outsider)) == []


def test_newest_first(owner):
    with time_machine.travel(START, tick=False):
        older = to_owner(owner)
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        newer = to_owner(owner)
    assert list(notify.notifications_for(owner)) == [newer, older]


def test_recipient_acknowledges_once(owner):
    sent = to_owner(owner)
    with time_machine.travel(START, tick=False):
        notify.acknowledge(sent, actor=owner)
    sent.refresh_from_db()
    assert (sent.acknowledged_at, sent.acknowledged_by) == (START, owner)
    assert sent.status == "Acknowledged"
    event = AuditEvent.objects.get(action="update", object_type="core.notification")
    assert event.fields == ["acknowledged_at", "acknowledged_by"]
    with pytest.raises(ValidationError, match="already acknowledged"):
        notify.acknowledge(sent, actor=owner)
    with pytest.raises(ValidationError, match="already acknowledged"):
        notify.acknowledge(Notification.objects.get(pk=sent.pk), actor=owner)
    assert AuditEvent.objects.filter(action="update", object_type="core.notification").count() == 1


@pytest.mark.parametrize("persona", ["outsider", "partner", "analyst", "auditor"])
def test_others_cannot_acknowledge_a_users_notification(request, owner, persona):
    sent = to_owner(owner)
    with pytest.raises(PermissionDenied):
        notify.acknowledge(sent, actor=request.getfixturevalue(persona))
    sent.refresh_from_db()
    assert sent.acknowledged_at is None


def test_any_person_level_member_acknowledges_for_the_agency(agencies, officer, analyst, outsider):
    sent = notify.send(agencies["police"], title="Police work queue")
    for stranger in (analyst, outsider):
        with pytest.raises(PermissionDenied):
            notify.acknowledge(sent, actor=stranger)
    colleague = UserFactory(username="colleague", agency=agencies["police"], roles=[Role.CALL_HANDLER])
    notify.acknowledge(sent, actor=colleague)
    sent.refresh_from_db()
    assert sent.acknowledged_by == colleague
    with pytest.raises(ValidationError, match="already acknowledged"):
        notify.acknowledge(sent, actor=officer)


def test_overdue_and_status(owner):
    with time_machine.travel(START, tick=False):
        sent = to_owner(owner, due_at=START + timedelta(hours=1))
        info = to_owner(owner, ack_required=False, due_at=START - timedelta(hours=1))
        assert not sent.is_overdue and sent.status == "Waiting"
        assert not info.is_overdue and info.status == "For information"
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        assert sent.is_overdue and sent.status == "Overdue"
        assert notify.counts_for(owner) == {"waiting": 2, "overdue": 1}


# --- escalation --------------------------------------------------------------------------------


def test_escalation_after_time_is_sent_once(owner, mash, emails):
    with time_machine.travel(START, tick=False):
        sent = to_owner(owner, escalate_after=timedelta(hours=2), escalate_to=mash)
    with time_machine.travel(START + timedelta(hours=1, minutes=59), tick=False):
        assert notify.escalate_due() == []
    mail.outbox.clear()
    with time_machine.travel(START + timedelta(hours=2), tick=False):
        (escalated,) = notify.escalate_due()
        assert notify.escalate_due() == []
    assert escalated.pk == sent.pk
    sent.refresh_from_db()
    assert sent.escalated_at == START + timedelta(hours=2)
    alert = Notification.objects.get(kind="escalation")
    assert (alert.recipient_user, alert.title, alert.url) == (
        mash,
        "Not acknowledged: Referral needs a decision",
        "/people/",
    )
    assert alert.ack_required and alert.escalate_at is None and alert.created_by is None
    assert [m.subject for m in mail.outbox] == ["Not acknowledged: Referral needs a decision"]
    assert list(notify.notifications_for(mash)) == [alert]
    assert AuditEvent.objects.filter(
        actor_label="job:escalate_notifications", action="update", object_id=str(sent.pk)
    ).exists()
    with time_machine.travel(START + timedelta(days=3), tick=False):
        assert notify.escalate_due() == []
    assert Notification.objects.filter(kind="escalation").count() == 1


def test_acknowledged_in_time_does_not_escalate(owner, mash):
    with time_machine.travel(START, tick=False):
        sent = to_owner(owner, due_at=START + timedelta(hours=1), escalate_to=mash)
        notify.acknowledge(sent, actor=owner)
    with time_machine.travel(START + timedelta(hours=5), tick=False):
        assert notify.escalate_due() == []
    assert not Notification.objects.filter(kind="escalation").exists()


def test_escalation_to_an_agency_and_the_now_argument(owner, agencies, officer):
    with time_machine.travel(START, tick=False):
        to_owner(owner, due_at=START + timedelta(hours=1), escalate_to=agencies["police"])
    assert notify.escalate_due(now=START + timedelta(minutes=59)) == []
    assert len(notify.escalate_due(now=START + timedelta(hours=1))) == 1
    (alert,) = notify.notifications_for(officer)
    assert alert.recipient_agency == agencies["police"] and alert.kind == "escalation"


def test_escalate_notifications_command_prints_how_many(owner, mash):
    with time_machine.travel(START, tick=False):
        to_owner(owner, escalate_after=timedelta(minutes=10), escalate_to=mash)
        to_owner(owner, escalate_after=timedelta(minutes=20), escalate_to=mash)
    out = StringIO()
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        call_command("escalate_notifications", stdout=out)
        call_command("escalate_notifications", stdout=out)
    assert out.getvalue().splitlines() == ["Escalated 2 notifications", "Escalated 0 notifications"]
