"""The dashboard measures: counts by district and month from the records, aggregates only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.protection import measures, services
from safehub.protection.models import DisclosureApplication
from safehub.protection.tests.conftest import da_contact, outcome

pytestmark = pytest.mark.django_db


def period():
    now = timezone.now()
    return now - timedelta(days=120), now + timedelta(days=1)


def test_every_measure_is_declared_with_a_definition_and_returns_plain_data(officer):
    ids = [m.id for m in measures.MEASURES]
    assert len(ids) == len(set(ids))
    for measure in measures.MEASURES:
        assert measure.definition
        measure.query(*period())


def test_orders_and_hearings_within_the_window(officer, contact, victim, suspect):
    served = timezone.now() - timedelta(days=5)
    order = services.order_create(
        actor=officer,
        victim=victim,
        subject=suspect,
        district=contact.district,
        contact=contact,
        authorised_at=served - timedelta(minutes=10),
        authorised_by_name="Supt",
        authorised_by_rank="superintendent",
        grounds="Threats",
        notice_conditions="No contact",
        served_at=served,
    )
    services.order_application(
        actor=officer, order=order, application_made_at=served + timedelta(hours=2), court="Leeds"
    )
    services.order_outcome(
        actor=officer,
        order=order,
        hearing_at=served + timedelta(hours=20),
        outcome="granted",
        duration_days=14,
        order_conditions="No contact",
    )
    rows = measures.orders_by_district(*period())
    assert rows == [
        {"district": "leeds", "scheme": "dvpo", "notices": 1, "applications": 1, "orders": 1, "breaches": 0}
    ]
    assert measures.heard_within_window(*period()) == {
        "due": 1,
        "in_time": 1,
        "late": 0,
        "not_heard": 0,
        "percent_in_time": 100.0,
    }


def test_dvds_within_28_days_by_district_and_month(officer, victim, suspect):
    received = timezone.now() - timedelta(days=60)
    for late in (False, True):
        application = services.disclosure_create(
            actor=officer,
            route="ask",
            person_at_risk=victim,
            subject=suspect,
            district=victim.district,
            received_at=received,
        )
        DisclosureApplication.objects.filter(pk=application.pk).update(
            completed_at=received + timedelta(days=40 if late else 20), stage="not_disclosed"
        )
    (row,) = measures.dvds_within_28_days(*period())
    assert (row["district"], row["received"], row["in_time"], row["measurable"], row["percent_in_time"]) == (
        "leeds",
        2,
        1,
        2,
        50.0,
    )


def test_idva_outcome_rates_and_engagement(officer, idva, districts):
    for index in range(4):
        contact = da_contact(
            officer, districts["leeds"], received_at=timezone.now() - timedelta(days=20 + index)
        )
        outcome(contact, "charge" if index < 2 else "nfa", officer)
        if index in (0, 2):
            services.deployment_create(
                actor=idva,
                contact_reference=contact.reference,
                incident_on=timezone.localtime(contact.received_at).date(),
                deployed_at=contact.received_at + timedelta(minutes=15),
                victim_engaged=index == 0,
            )
    rates = measures.idva_outcome_rates(*period())
    assert (
        rates["with_idva"],
        rates["with_idva_outcomes"],
        rates["without_idva"],
        rates["without_idva_outcomes"],
    ) == (
        2,
        1,
        2,
        1,
    )
    assert rates["difference_points"] == 0.0
    engagement = measures.idva_engagement(*period())
    assert (
        engagement["deployments"] == 2
        and engagement["engaged"] == 1
        and engagement["percent_engaged"] == 50.0
    )
