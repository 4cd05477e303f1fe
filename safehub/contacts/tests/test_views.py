"""Contact pages against the standard cast, and the call handler's journey."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from safehub.contacts import services
from safehub.contacts.models import Contact, ContactPerson, EncompassNotification, PublicProtectionNotice
from safehub.core.models import AuditEvent
from safehub.people.models import Person

from .factories import child_at_school, record, thrive

pytestmark = pytest.mark.django_db

# persona -> (read page, write page)
EXPECTED = {
    "callhandler": (200, 200),
    "officer": (200, 200),
    "mash": (200, 403),
    "partner": (404, 404),
    "outsider": (404, 404),
    "owner": (404, 404),
    "analyst": (403, 403),
    "commissioner": (403, 403),
    "auditor": (403, 403),
}


@pytest.fixture
def contact(callhandler, districts, victim):
    contact = record(
        callhandler,
        districts["leeds"],
        category="domestic",
        narrative="Neighbour heard shouting (synthetic)",
        people=[{"person": victim, "role": "victim"}],
    )
    services.thrive_grade(actor=callhandler, contact=contact, **thrive({"threat": "high"}))
    return contact


def pages(contact, victim):
    return [
        ("contacts:detail", [contact.pk], True),
        ("contacts:people", [contact.pk], False),
        ("contacts:person_new", [contact.pk], False),
        ("contacts:grade", [contact.pk], False),
        ("contacts:arrival", [contact.pk], False),
        ("contacts:ppn", [contact.pk, victim.pk], False),
    ]


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_contact_pages_by_persona(request, client, contact, victim, persona):
    client.force_login(request.getfixturevalue(persona))
    read, write = EXPECTED[persona]
    search = client.post(reverse("contacts:people", args=[contact.pk]), {"query": "Victimson"})
    assert search.status_code == write  # the search comes before adding a new person
    for name, args, is_read in pages(contact, victim):
        expected = read if is_read else write
        response = client.get(reverse(name, args=args))
        assert response.status_code == expected, name
        assert ("Neighbour heard shouting" in response.content.decode()) == (is_read and expected == 200)
        if not is_read and expected != 200:
            assert client.post(reverse(name, args=args), {}).status_code == expected, name


@pytest.mark.parametrize(
    ("persona", "list_status", "create_status"),
    [
        ("callhandler", 200, 200),
        ("mash", 200, 403),
        ("outsider", 200, 403),
        ("analyst", 403, 403),
        ("auditor", 403, 403),
    ],
)
def test_list_and_create_pages_by_persona(request, client, contact, persona, list_status, create_status):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("contacts:list"))
    assert response.status_code == list_status
    if list_status == 200:
        assert (contact.reference in response.content.decode()) == (persona in ("callhandler", "mash"))
    assert client.get(reverse("contacts:create")).status_code == create_status


def test_detail_read_is_audited(client, callhandler, contact):
    client.force_login(callhandler)
    client.get(reverse("contacts:detail", args=[contact.pk]))
    assert AuditEvent.objects.filter(object_id=str(contact.pk), action="read", actor=callhandler).count() == 1


def test_list_filters_by_category_and_district(client, callhandler, districts, contact):
    other = record(callhandler, districts["bradford"], category="asb")
    client.force_login(callhandler)
    page = client.get(reverse("contacts:list"), {"category": "asb"}).content.decode()
    assert other.reference in page and contact.reference not in page
    page = client.get(reverse("contacts:list"), {"district": districts["leeds"].pk}).content.decode()
    assert contact.reference in page and other.reference not in page


def test_anonymous_is_sent_to_sign_in(client, contact, victim):
    for name, args, _ in pages(contact, victim):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "/sign-in/" in response.url


def contact_form(district, **changes):
    now = timezone.localtime() - timedelta(minutes=3)
    data = {
        "district": district.pk,
        "received_date_0": now.day,
        "received_date_1": now.month,
        "received_date_2": now.year,
        "received_time": now.strftime("%H:%M"),
        "channel": "999",
        "category": "domestic",
        "location_text": "Outside a house (synthetic)",
        "postcode": "LS6 1AA",
        "lsoa_code": "",
        "narrative": "Caller reports her partner assaulted her; children in the house (synthetic).",
    }
    data.update(changes)
    return data


def test_record_page_errors_name_the_field_and_store_nothing(client, callhandler, districts):
    client.force_login(callhandler)
    response = client.post(
        reverse("contacts:create"), contact_form(districts["leeds"], narrative="", channel="")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "There is a problem" in html
        and "Enter what happened" in html
        and "Select how it was reported" in html
    )
    future = timezone.localtime() + timedelta(days=1)
    response = client.post(
        reverse("contacts:create"),
        contact_form(
            districts["leeds"],
            received_date_0=future.day,
            received_date_1=future.month,
            received_date_2=future.year,
        ),
    )
    assert "must be now or in the past" in response.content.decode()
    assert not Contact.objects.exists()


def test_arrival_before_the_call_is_refused_on_the_page(client, callhandler, contact):
    client.force_login(callhandler)
    before = timezone.localtime(contact.received_at) - timedelta(hours=1)
    response = client.post(
        reverse("contacts:arrival", args=[contact.pk]),
        {
            "arrived_date_0": before.day,
            "arrived_date_1": before.month,
            "arrived_date_2": before.year,
            "arrived_time": before.strftime("%H:%M"),
        },
    )
    assert response.status_code == 200
    assert "after the time the call was received" in response.content.decode()
    contact.refresh_from_db()
    assert contact.arrived_at is None


def test_a_new_person_needs_a_search_first(client, callhandler, contact):
    client.force_login(callhandler)
    response = client.get(reverse("contacts:person_new", args=[contact.pk]))
    assert response.status_code == 302 and response.url == reverse("contacts:people", args=[contact.pk])
    assert (
        "Add a new person" not in client.get(reverse("contacts:people", args=[contact.pk])).content.decode()
    )
    page = client.post(reverse("contacts:people", args=[contact.pk]), {"query": "Nobody"}).content.decode()
    assert "Add a new person" in page
    assert client.get(reverse("contacts:person_new", args=[contact.pk])).status_code == 200


def test_new_child_present_without_date_of_birth_on_the_page(client, callhandler, contact, districts):
    client.force_login(callhandler)
    client.post(reverse("contacts:people", args=[contact.pk]), {"query": "Nodob"})
    response = client.post(
        reverse("contacts:person_new", args=[contact.pk]),
        {
            "role": "child_present",
            "district": districts["leeds"].pk,
            "given_name": "Kit",
            "family_name": "Nodob",
            "dob_precision": "exact",
            "sex": "not_known",
            "gender": "not_known",
            "ethnicity": "not_stated",
            "disability": "not_known",
        },
    )
    assert "Enter the date of birth of the child present" in response.content.decode()
    assert not Person.objects.filter(family_name="Nodob").exists()


@pytest.fixture
def tuesday_afternoon():
    """A call at 15:00 on a school day: its Encompass notice is "Waiting" until 08:30 tomorrow
    (on the real clock a call at 08:25 is due at 08:30, and overdue by the time the page is read)."""
    with time_machine.travel(datetime(2026, 3, 10, 15, 0, tzinfo=ZoneInfo("Europe/London")), tick=True):
        yield


def test_call_handler_journey(
    tuesday_afternoon, client, callhandler, officer, partner, agencies, districts, victim
):
    """Record a DA contact, add people after searching, grade it, complete DASH, see the repeat-victim
    flag, raise a PPN, and see the Encompass notification it produced."""
    from safehub.instruments.services import assessment_create, instruments_load_shipped

    instruments_load_shipped()
    leeds = districts["leeds"]
    for days in (200, 40):  # two earlier contacts as a victim
        record(
            callhandler,
            leeds,
            received_at=timezone.now() - timedelta(days=days),
            people=[{"person": victim, "role": "victim"}],
        )
    child = child_at_school(
        owner=agencies["police"],
        district=leeds,
        school=agencies["leeds_school"],
        dob=date(2016, 9, 1),
        given_name="Poppy",
        family_name="Pupilson",
    )
    client.force_login(callhandler)

    response = client.post(reverse("contacts:create"), contact_form(leeds))
    contact = Contact.objects.get(category="domestic")
    assert response.url == reverse("contacts:people", args=[contact.pk])

    results = client.post(
        reverse("contacts:people", args=[contact.pk]), {"query": "Victimson"}
    ).content.decode()
    assert "Vera Victimson" in results
    client.post(reverse("contacts:person_pick", args=[contact.pk]), {"person": victim.pk, "role": "victim"})
    client.post(reverse("contacts:people", args=[contact.pk]), {"query": "Pupilson"})
    client.post(
        reverse("contacts:person_pick", args=[contact.pk]), {"person": child.pk, "role": "child_present"}
    )
    assert set(ContactPerson.objects.filter(contact=contact).values_list("role", flat=True)) == {
        "victim",
        "child_present",
    }

    grade_data = {
        f"{name}_{part}": (
            "high" if part == "level" and name == "risk" else "low" if part == "level" else "Because"
        )
        for name in ("threat", "harm", "risk", "investigation", "vulnerability", "engagement")
        for part in ("level", "rationale")
    }
    response = client.post(reverse("contacts:grade", args=[contact.pk]), grade_data)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.grade.code == "immediate"

    detail = client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    assert f"/instruments/dash/assess/{victim.pk}/?context=contacts.contact%3A{contact.pk}" in detail
    answers = {f"q{n}": ("yes" if n <= 15 else "no") for n in range(1, 28)}
    assessment_create(
        actor=callhandler, person=victim, instrument_id="dash", answers=answers, context=contact
    )

    response = client.post(
        reverse("contacts:ppn", args=[contact.pk, child.pk]),
        {"concern_type": "child_at_risk", "rag": "amber", "summary": "Child present at a DA incident"},
    )
    assert response.status_code == 302
    assert PublicProtectionNotice.objects.get(contact=contact, person=child).status == "awaiting_mash"

    detail = client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    assert "Repeat victim: Vera Victimson" in detail
    assert "3 contacts recording the person as a victim" in detail
    assert "DASH for Vera Victimson: <strong>high</strong>" in detail
    assert "Amber</strong> Poppy Pupilson" in detail
    assert "Aire Valley Primary School" in detail and "Waiting" in detail
    assert EncompassNotification.objects.filter(contact=contact, school=agencies["leeds_school"]).exists()

    client.force_login(partner)
    assert "Poppy Pupilson" in client.get(reverse("contacts:encompass")).content.decode()


def test_people_on_a_contact_show_with_it_but_their_file_links_only_in_scope(
    client, callhandler, districts, person
):
    """`person` is held by Leeds children's social care: the call handler saw it through a share
    when adding it; the contact still names them, and a PPN can be raised, with no file link."""
    contact = record(callhandler, districts["leeds"], category="domestic")
    ContactPerson.objects.create(contact=contact, person=person, role="victim", added_by=callhandler)
    client.force_login(callhandler)
    page = client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    assert "Amelia Testperson" in page
    assert reverse("people:detail", args=[person.pk]) not in page
    response = client.post(
        reverse("contacts:ppn", args=[contact.pk, person.pk]),
        {"concern_type": "domestic_abuse", "rag": "red", "summary": "Serious assault"},
    )
    assert response.status_code == 302
    assert PublicProtectionNotice.objects.filter(contact=contact, person=person).exists()
    other = record(callhandler, districts["leeds"])
    assert client.get(reverse("contacts:ppn", args=[other.pk, person.pk])).status_code == 404


def test_a_dash_not_prompted_by_the_contact_is_not_shown_on_it(client, callhandler, contact, victim):
    from safehub.instruments.services import assessment_create, instruments_load_shipped

    instruments_load_shipped()
    answers = {f"q{n}": ("yes" if n <= 4 else "no") for n in range(1, 28)}
    assessment_create(actor=callhandler, person=victim, instrument_id="dash", answers=answers)
    client.force_login(callhandler)
    page = client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    assert "DASH for Vera Victimson" not in page and "None completed from this contact" in page


def test_picking_a_child_present_without_date_of_birth_shows_the_error(client, callhandler, contact, suspect):
    suspect.date_of_birth = None
    suspect.save()
    client.force_login(callhandler)
    url = reverse("contacts:person_pick", args=[contact.pk])
    response = client.post(url, {"person": suspect.pk, "role": "child_present"}, follow=True)
    assert "Add the child&#x27;s date of birth to their record first" in response.content.decode()
    assert not ContactPerson.objects.filter(person=suspect).exists()


def test_the_repeat_victim_flag_shows_while_adding_people(client, callhandler, districts, victim):
    for days in (60, 30):
        record(
            callhandler,
            districts["leeds"],
            received_at=timezone.now() - timedelta(days=days),
            people=[{"person": victim, "role": "victim"}],
        )
    contact = record(callhandler, districts["leeds"])
    client.force_login(callhandler)
    client.post(reverse("contacts:person_pick", args=[contact.pk]), {"person": victim.pk, "role": "victim"})
    page = client.get(reverse("contacts:people", args=[contact.pk])).content.decode()
    assert "Repeat victim: Vera Victimson" in page


def test_acknowledging_twice_is_not_an_error(client, callhandler, partner, agencies, districts):
    child = child_at_school(
        owner=agencies["police"],
        district=districts["leeds"],
        school=agencies["leeds_school"],
        dob=date(2015, 1, 1),
    )
    contact = record(
        callhandler, districts["leeds"], category="domestic", people=[{"person": child, "role": "subject"}]
    )
    row = EncompassNotification.objects.get(contact=contact)
    client.force_login(partner)
    url = reverse("contacts:encompass_acknowledge", args=[row.pk])
    assert client.post(url).status_code == 302
    response = client.post(url, follow=True)
    assert "was already acknowledged" in response.content.decode()
