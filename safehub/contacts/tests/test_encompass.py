"""Operation Encompass: who is notified, when it is due, acknowledgement, escalation, scope."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from safehub.contacts import selectors
from safehub.contacts.models import EncompassNotification
from safehub.core import notify
from safehub.core.models import Notification

from .factories import child_at_school, record

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def london(*args):
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture
def school(agencies):
    return agencies["leeds_school"]


def da_contact(actor, districts, child, *, at, role="child_present", category="domestic", victim=None):
    people = [{"person": child, "role": role}]
    if victim is not None:
        people.insert(0, {"person": victim, "role": "victim"})
    return record(actor, districts["leeds"], category=category, received_at=at, people=people)


def make_child(agencies, districts, school, dob):
    return child_at_school(
        owner=agencies["police"],
        district=districts["leeds"],
        school=school,
        dob=dob,
        given_name="Poppy",
        family_name="Pupilson",
    )


@pytest.mark.parametrize(
    ("call", "due"),
    [
        (london(2026, 3, 10, 15, 0), london(2026, 3, 11, 8, 30)),  # Tuesday afternoon: Wednesday
        (london(2026, 3, 10, 7, 0), london(2026, 3, 10, 8, 30)),  # before school: the same morning
        (london(2026, 3, 6, 19, 0), london(2026, 3, 9, 8, 30)),  # Friday evening: Monday
        (london(2026, 3, 7, 12, 0), london(2026, 3, 9, 8, 30)),  # Saturday: Monday
        (
            london(2026, 4, 2, 20, 0),
            london(2026, 4, 7, 8, 30),
        ),  # before Good Friday and Easter Monday: Tuesday
    ],
)
def test_due_before_the_start_of_the_next_school_day(
    callhandler, agencies, districts, school, victim, call, due
):
    child = make_child(agencies, districts, school, date(2017, 5, 1))
    with time_machine.travel(call + timedelta(minutes=20), tick=False):
        contact = da_contact(callhandler, districts, child, at=call, victim=victim)
    row = EncompassNotification.objects.get(contact=contact)
    assert row.due_at == due
    assert row.school == school
    assert row.child_present is True
    assert row.police_reference == contact.reference
    assert row.notification.recipient_agency == school
    assert row.notification.due_at == due
    assert row.notification.escalate_to_agency == agencies["leeds_csc"]
    assert "Poppy" not in row.notification.title + row.notification.body


def test_a_school_closure_moves_the_due_time(callhandler, agencies, districts, school, victim):
    from safehub.core.models import NonWorkingDay

    NonWorkingDay.objects.create(
        force=districts["leeds"].force,
        date=date(2026, 3, 11),
        calendar=NonWorkingDay.Calendar.SCHOOL,
        reason="INSET day",
    )
    child = make_child(agencies, districts, school, date(2017, 5, 1))
    with time_machine.travel(london(2026, 3, 10, 16, 0), tick=False):
        contact = da_contact(callhandler, districts, child, at=london(2026, 3, 10, 15, 0))
    assert EncompassNotification.objects.get(contact=contact).due_at == london(2026, 3, 12, 8, 30)


@pytest.mark.parametrize(
    ("dob", "category", "notified"),
    [
        (date(2022, 3, 11), "domestic", False),  # 3 on the incident date (4 the next day)
        (date(2022, 3, 10), "domestic", True),  # 4 that day
        (date(2008, 3, 11), "domestic", True),  # 17
        (date(2008, 3, 10), "domestic", False),  # 18 that day
        (date(2015, 1, 1), "crime", False),  # not domestic abuse
        (date(2015, 1, 1), "concern_for_welfare", False),
    ],
)
def test_who_is_notified(callhandler, agencies, districts, school, dob, category, notified):
    child = make_child(agencies, districts, school, dob)
    with time_machine.travel(london(2026, 3, 10, 16, 0), tick=False):
        da_contact(callhandler, districts, child, at=london(2026, 3, 10, 15, 0), category=category)
    assert EncompassNotification.objects.exists() is notified
    assert Notification.objects.filter(kind="encompass").exists() is notified


def test_a_child_not_linked_to_a_school_is_not_notified(callhandler, agencies, districts):
    from safehub.people.tests.factories import PersonFactory

    child = PersonFactory(
        owning_agency=agencies["police"], district=districts["leeds"], date_of_birth=date(2015, 1, 1)
    )
    da_contact(callhandler, districts, child, at=None)
    assert not EncompassNotification.objects.exists()


def test_the_child_need_not_have_been_present(callhandler, agencies, districts, school):
    child = make_child(agencies, districts, school, date(2015, 1, 1))
    contact = da_contact(callhandler, districts, child, at=None, role="subject")
    row = EncompassNotification.objects.get(contact=contact)
    assert row.child_present is False


def test_each_school_is_told_once_per_contact_and_child(callhandler, agencies, districts, school):
    from safehub.contacts import services

    child = make_child(agencies, districts, school, date(2015, 1, 1))
    contact = da_contact(callhandler, districts, child, at=None, role="subject")
    assert EncompassNotification.objects.get(contact=contact).child_present is False
    services.contact_person_add(actor=callhandler, contact=contact, person=child, role="witness")
    assert EncompassNotification.objects.filter(contact=contact).count() == 1
    assert EncompassNotification.objects.get(contact=contact).child_present is True


def test_school_sees_and_acknowledges(client, callhandler, partner, agencies, districts, school):
    child = make_child(agencies, districts, school, date(2015, 1, 1))
    # A Tuesday afternoon call, due before school on Wednesday: still "Waiting" when the school
    # looks. (Run at "now", a call at 08:25 was due at 08:30 and already overdue at 08:35.)
    call = london(2026, 3, 10, 15, 0)
    with time_machine.travel(call + timedelta(minutes=20), tick=True):
        contact = da_contact(callhandler, districts, child, at=call)
        row = EncompassNotification.objects.get(contact=contact)
        client.force_login(partner)
        page = client.get(reverse("contacts:encompass")).content.decode()
        assert "Poppy Pupilson" in page and contact.reference in page and "Waiting" in page
        assert contact.narrative not in page
        response = client.post(reverse("contacts:encompass_acknowledge", args=[row.pk]))
        assert response.status_code == 302
        row.notification.refresh_from_db()
        assert row.notification.acknowledged_by == partner
        assert selectors.encompass_status(row) == "acknowledged"
        assert "Acknowledged" in client.get(reverse("contacts:encompass")).content.decode()


@pytest.mark.parametrize("persona", ["outsider", "mash", "owner"])
def test_others_cannot_see_or_acknowledge_a_schools_notification(
    request, client, callhandler, agencies, districts, school, persona
):
    child = make_child(agencies, districts, school, date(2015, 1, 1))
    contact = da_contact(callhandler, districts, child, at=None)
    row = EncompassNotification.objects.get(contact=contact)
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("contacts:encompass_acknowledge", args=[row.pk])).status_code == 404
    row.notification.refresh_from_db()
    assert row.notification.acknowledged_at is None
    if persona == "outsider":
        assert "Poppy" not in client.get(reverse("contacts:encompass")).content.decode()


def test_unacknowledged_notifications_escalate_and_show_overdue(
    client, callhandler, mash, agencies, districts, school
):
    child = make_child(agencies, districts, school, date(2015, 1, 1))
    with time_machine.travel(london(2026, 3, 10, 16, 0), tick=False):
        contact = da_contact(callhandler, districts, child, at=london(2026, 3, 10, 15, 0))
    row = EncompassNotification.objects.get(contact=contact)
    with time_machine.travel(london(2026, 3, 11, 8, 0), tick=False):
        assert notify.escalate_due() == []
        assert selectors.encompass_status(row) == "due"
    with time_machine.travel(london(2026, 3, 11, 9, 0), tick=False):
        escalated = notify.escalate_due()
        assert [n.pk for n in escalated] == [row.notification_id]
        row.refresh_from_db()
        assert selectors.encompass_status(row) == "escalated"
        assert notify.notifications_for(mash).filter(kind="escalation").exists()
        client.force_login(callhandler)
        page = client.get(reverse("contacts:encompass")).content.decode()
        assert "Overdue" in page and contact.reference in page


def test_a_non_recent_report_does_not_notify_the_school(callhandler, agencies, districts, school, victim):
    child = make_child(agencies, districts, school, date(2015, 5, 1))
    call = london(2026, 3, 10, 15, 0)
    with time_machine.travel(call + timedelta(minutes=20), tick=False):
        late = record(
            callhandler,
            districts["leeds"],
            category="domestic",
            received_at=call,
            offence_at=london(2024, 6, 1, 22, 0),  # 21 months before the call
            people=[{"person": victim, "role": "victim"}, {"person": child, "role": "subject"}],
        )
        recent = record(
            callhandler,
            districts["leeds"],
            category="domestic",
            received_at=call,
            offence_at=london(2025, 4, 1, 22, 0),  # 11 months before: still Encompass
            people=[{"person": victim, "role": "victim"}, {"person": child, "role": "subject"}],
        )
    assert late.is_non_recent and not recent.is_non_recent
    assert not EncompassNotification.objects.filter(contact=late).exists()
    assert EncompassNotification.objects.filter(contact=recent).count() == 1
