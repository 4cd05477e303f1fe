"""Non-recent offences: the 12-month rule, the offence group on contacts (service, form, API, page)
and the measure by offence group and district."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safehub.contacts import measures, rules
from safehub.contacts.models import Contact

from .factories import record

LONDON = ZoneInfo("Europe/London")


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


# --- the rule ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offence", "received", "expected"),
    [
        (None, date(2026, 12, 2), False),
        (date(2025, 12, 2), date(2026, 12, 2), False),  # exactly 12 months
        (date(2025, 12, 1), date(2026, 12, 2), True),  # 12 months and 1 day
        (date(2025, 12, 3), date(2026, 12, 2), False),
        (date(2016, 1, 1), date(2026, 12, 2), True),
        (date(2026, 12, 2), date(2026, 12, 2), False),
        (date(2027, 2, 28), date(2028, 2, 29), False),  # leap day: 12 months back is 28 February
        (date(2027, 2, 27), date(2028, 2, 29), True),
        (date(2025, 3, 31), date(2026, 3, 31), False),
        (date(2025, 3, 30), date(2026, 3, 31), True),
        (date(2025, 2, 28), date(2026, 3, 1), True),  # 12 months and a day over a month end
        # datetimes compare on their dates: an hour earlier on the same date is still 12 months
        (datetime(2025, 12, 2, 9, 0), datetime(2026, 12, 2, 10, 0), False),
        (datetime(2025, 12, 1, 23, 59), datetime(2026, 12, 2, 0, 1), True),
    ],
)
def test_non_recent_is_more_than_12_calendar_months(offence, received, expected):
    assert rules.is_non_recent(offence, received) is expected


@pytest.mark.parametrize(
    ("group", "category", "expected"),
    [
        ("cse", "crime", "cse"),
        ("csa", "concern_for_welfare", "csa"),
        ("rape_sexual", "domestic", "rape_sexual"),  # its own group wins
        ("da", "crime", "da"),
        ("", "domestic", "da"),  # a domestic abuse contact with no group counts as DA
        ("", "crime", ""),
        ("other", "crime", ""),
        ("other", "domestic", ""),
    ],
)
def test_measured_group(group, category, expected):
    assert rules.measured_group(group, category) == expected


# --- recording -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_contact_records_its_offence_group_and_shows_non_recent(client, callhandler, districts):
    received = timezone.now() - timedelta(hours=1)
    old = record(
        callhandler,
        districts["leeds"],
        received_at=received,
        offence_at=received - timedelta(days=400),
        offence_group="cse",
    )
    recent = record(
        callhandler,
        districts["leeds"],
        received_at=received,
        offence_at=received - timedelta(days=200),
        offence_group="rape_sexual",
    )
    assert (old.offence_group, old.is_non_recent) == ("cse", True)
    assert (recent.offence_group, recent.is_non_recent) == ("rape_sexual", False)

    client.force_login(callhandler)
    html = client.get(reverse("contacts:detail", args=[old.pk])).content.decode()
    assert "Child sexual exploitation" in html
    assert 'govuk-tag--purple">Non-recent</strong>' in html
    html = client.get(reverse("contacts:detail", args=[recent.pk])).content.decode()
    assert "Rape and other sexual offences" in html
    assert "Non-recent</strong>" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"offence_at": timezone.now() + timedelta(days=2)}, "offence_at", "must be in the past"),
        (
            {
                "received_at": timezone.now() - timedelta(days=2),
                "offence_at": timezone.now() - timedelta(days=1),
            },
            "offence_at",
            "before the time of the call",
        ),
        ({"offence_group": "burglary"}, "offence_group", "Select the kind of offence"),
    ],
)
def test_bad_offence_details_are_refused_and_nothing_is_saved(
    callhandler, districts, changes, field, message
):
    with pytest.raises(ValidationError) as error:
        record(callhandler, districts["leeds"], **changes)
    assert message in " ".join(error.value.message_dict[field])
    assert not Contact.objects.exists()


def _form(district, **changes):
    now = timezone.localtime() - timedelta(minutes=3)
    data = {
        "district": district.pk,
        "received_date_0": now.day,
        "received_date_1": now.month,
        "received_date_2": now.year,
        "received_time": now.strftime("%H:%M"),
        "channel": "101",
        "category": "crime",
        "narrative": "Adult caller reports abuse as a child (synthetic).",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_the_form_records_the_offence_group_and_refuses_a_future_offence(client, callhandler, districts):
    client.force_login(callhandler)
    future = timezone.localtime() + timedelta(days=3)
    response = client.post(
        reverse("contacts:create"),
        _form(
            districts["leeds"],
            offence_group="csa",
            offence_date_0=future.day,
            offence_date_1=future.month,
            offence_date_2=future.year,
            offence_time="10:00",
        ),
    )
    assert response.status_code == 200
    assert "The time it happened must be in the past" in response.content.decode()
    assert not Contact.objects.exists()

    response = client.post(reverse("contacts:create"), _form(districts["leeds"], offence_group="weather"))
    assert "Select the kind of offence from the list" in response.content.decode()
    assert not Contact.objects.exists()

    response = client.post(
        reverse("contacts:create"),
        _form(
            districts["leeds"],
            offence_group="csa",
            offence_date_0=1,
            offence_date_1=6,
            offence_date_2=2010,
            offence_time="10:00",
        ),
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.offence_group == "csa" and contact.is_non_recent
    assert timezone.localtime(contact.offence_at).date() == date(2010, 6, 1)


@pytest.mark.django_db
def test_the_api_takes_the_offence_group_and_says_non_recent(api_as, callhandler):
    received = timezone.now() - timedelta(minutes=10)
    body = {
        "district": "leeds",
        "received_at": received.isoformat(),
        "channel": "101",
        "category": "crime",
        "narrative": "Adult caller reports being exploited as a teenager (synthetic).",
        "offence_group": "cse",
        "offence_at": (received - timedelta(days=3 * 365)).isoformat(),
    }
    client = api_as(callhandler)
    response = client.post("/api/v1/contacts/", body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["offence_group"], response.json()["non_recent"]) == ("cse", True)

    for changes, field in (
        ({"offence_group": "burglary"}, "offence_group"),
        ({"offence_at": (timezone.now() + timedelta(days=1)).isoformat()}, "offence_at"),
    ):
        response = client.post("/api/v1/contacts/", {**body, **changes}, format="json")
        assert response.status_code == 400
        assert field in response.json(), response.json()
    assert Contact.objects.count() == 1


# --- the measure ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_non_recent_by_group_counts_each_group_and_district(callhandler, districts):
    received = at(date(2026, 6, 15))
    leeds, bradford = districts["leeds"], districts["bradford"]

    def make(district, group, offence=None, category="crime", when=received):
        record(
            callhandler,
            district,
            category=category,
            received_at=when,
            offence_group=group,
            offence_at=offence,
        )

    make(leeds, "cse", at(date(2025, 6, 14)))  # 12 months and a day: non-recent
    make(leeds, "cse", at(date(2025, 6, 15)))  # exactly 12 months: recent
    make(leeds, "cse")  # no offence date: counted as recent
    make(leeds, "cse", at(date(2001, 1, 1)))
    make(bradford, "cse", at(date(2020, 5, 5)))
    make(leeds, "csa", at(date(2026, 6, 1)))
    make(leeds, "", at(date(2019, 1, 1)), category="domestic")  # DA by its category
    make(leeds, "da")
    make(leeds, "other", at(date(2000, 1, 1)))  # not counted
    make(leeds, "", category="crime")  # not counted
    make(leeds, "rape_sexual", at(date(2010, 1, 1)), when=at(date(2026, 7, 1)))  # outside the period

    rows = measures.non_recent_by_group(at(date(2026, 6, 1), 0), at(date(2026, 7, 1), 0))

    assert rows == [
        {
            "offence_group": "cse",
            "district": "bradford",
            "reported": 1,
            "non_recent": 1,
            "percent_non_recent": 100.0,
        },
        {
            "offence_group": "cse",
            "district": "leeds",
            "reported": 4,
            "non_recent": 2,
            "percent_non_recent": 50.0,
        },
        {
            "offence_group": "csa",
            "district": "leeds",
            "reported": 1,
            "non_recent": 0,
            "percent_non_recent": 0.0,
        },
        {
            "offence_group": "da",
            "district": "leeds",
            "reported": 2,
            "non_recent": 1,
            "percent_non_recent": 50.0,
        },
    ]


def test_the_measure_is_declared_with_its_caveats():
    measure = next(m for m in measures.MEASURES if m.id == "contacts.non_recent_by_group")
    assert "12 calendar months" in measure.definition
    assert "domestic abuse contact recorded with no offence group" in measure.definition
    assert "counted as recent" in measure.caveats and "received" in measure.caveats
    assert measure.denominator and measure.numerator
