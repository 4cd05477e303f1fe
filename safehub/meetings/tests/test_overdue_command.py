"""The overdue-actions job: tells each owner once, with acknowledgement and escalation."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from safehub.core.models import Notification
from safehub.meetings import services

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("meeting_actions_overdue", stdout=out)
    return out.getvalue()


def test_an_overdue_action_notifies_its_owner_once(meeting, idva, officer, on_agenda, agencies):
    due = timezone.localtime(meeting.starts_at).date() + timedelta(days=2)
    action = services.action_create(
        actor=idva,
        case=on_agenda,
        description="Flag the address",
        owner_agency=agencies["police"],
        owner=officer,
        due_on=due,
    )
    done = services.action_create(
        actor=idva,
        case=on_agenda,
        description="Visit",
        owner_agency=agencies["police"],
        owner=officer,
        due_on=due,
    )
    services.action_update(actor=officer, action=done, status="done", update="Visited")
    assert "Notified 0" in run()  # not due yet
    with time_machine.travel(timezone.now() + timedelta(days=12)):
        output = run()
        assert "1 overdue action(s)" in output and "Notified 1 action owner(s)" in output
        assert "Notified 0" in run()  # idempotent
    notification = Notification.objects.get(kind="meeting_action_overdue")
    assert notification.recipient_user == officer and notification.ack_required
    assert notification.escalate_to_agency == meeting.series.coordinating_agency
    assert notification.url == f"/meetings/actions/{action.pk}/"
    assert "Victimson" not in notification.title + notification.body
    action.refresh_from_db()
    assert action.overdue_notified_at is not None
