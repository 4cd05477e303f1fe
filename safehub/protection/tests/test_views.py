"""Pages: officers record notices, outcomes and Clare's Law; the IDVA records deployments and victim
contact; outsiders get 404; analysts and commissioners see only the evaluation and timeliness."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.core.models import AuditEvent
from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.protection import services
from safehub.protection.models import CriminalJusticeOutcome, DisclosureApplication, ProtectionOrder
from safehub.protection.tests.conftest import da_contact, outcome

pytestmark = pytest.mark.django_db


def when(prefix, moment):
    local = timezone.localtime(moment)
    return {
        f"{prefix}_date_0": local.day,
        f"{prefix}_date_1": local.month,
        f"{prefix}_date_2": local.year,
        f"{prefix}_time": local.strftime("%H:%M"),
    }


@pytest.fixture
def police_outsider(districts):
    from safehub.core.models import AgencyKind
    from safehub.core.tests.factories import AgencyFactory

    other = AgencyFactory(
        code="other-police", name="Other Police", kind=AgencyKind.POLICE, districts=[districts["bradford"]]
    )
    return UserFactory(
        username="otherofficer", agency=other, district=districts["bradford"], roles=[Role.OFFICER]
    )


def order_for(officer, contact, victim, suspect):
    served = timezone.now() - timedelta(hours=3)
    return services.order_create(
        actor=officer,
        victim=victim,
        subject=suspect,
        district=contact.district,
        contact=contact,
        authorised_at=served - timedelta(minutes=20),
        authorised_by_name="Supt Example",
        authorised_by_rank="superintendent",
        grounds="Threats",
        notice_conditions="No contact",
        served_at=served,
    )


def test_an_officer_records_a_dvpn_from_the_contact_and_sees_the_hearing_due(client, officer, contact):
    client.force_login(officer)
    page = client.get("/protection/contacts/")
    assert contact.reference in page.content.decode()
    served = timezone.now() - timedelta(hours=1)
    data = {
        "district": contact.district_id,
        "authorised_by_name": "Supt Example",
        "authorised_by_rank": "superintendent",
        "grounds": "Threats to kill",
        "notice_conditions": "Not to enter the street",
        **when("authorised", served - timedelta(minutes=30)),
        **when("served", served),
    }
    response = client.post(f"/protection/contacts/{contact.pk}/notice/", data, follow=True)
    order = ProtectionOrder.objects.get()
    body = response.content.decode()
    assert "Hearing due by" in body and timezone.localtime(order.hearing_due_at).strftime("%d %b %Y") in body


def test_a_bad_notice_shows_the_error_on_the_field_and_saves_nothing(client, officer, contact):
    client.force_login(officer)
    served = timezone.now() - timedelta(hours=1)
    data = {
        "district": contact.district_id,
        "authorised_by_name": "Insp Example",
        "authorised_by_rank": "inspector",
        "grounds": "Threats",
        "notice_conditions": "No contact",
        **when("authorised", served + timedelta(minutes=30)),
        **when("served", served),
    }
    response = client.post(f"/protection/contacts/{contact.pk}/notice/", data)
    body = response.content.decode()
    assert "A DVPN is authorised by a superintendent or above" in body
    assert "The notice cannot be served before it was authorised" in body
    assert not ProtectionOrder.objects.exists()


def test_the_hearing_outcome_page_refuses_a_hearing_before_the_notice(
    client, officer, contact, victim, suspect
):
    order = order_for(officer, contact, victim, suspect)
    client.force_login(officer)
    data = {
        "outcome": "granted",
        "duration_days": 28,
        "order_conditions": "No contact",
        **when("hearing", order.served_at - timedelta(hours=2)),
    }
    response = client.post(f"/protection/orders/{order.pk}/outcome/", data)
    assert "The hearing cannot be before the DVPN was served" in response.content.decode()
    data.update(when("hearing", timezone.now() - timedelta(minutes=5)), duration_days=35)
    assert (
        "A DVPO lasts between 14 and 28 days"
        in client.post(f"/protection/orders/{order.pk}/outcome/", data).content.decode()
    )
    data["duration_days"] = 21
    client.post(f"/protection/orders/{order.pk}/outcome/", data)
    order.refresh_from_db()
    assert order.outcome == "granted" and order.duration_days == 21


def test_outsiders_get_404_and_aggregate_roles_403_on_person_level_pages(
    client, officer, contact, victim, suspect, police_outsider, outsider, analyst, commissioner
):
    order = order_for(officer, contact, victim, suspect)
    for user in (police_outsider, outsider):
        client.force_login(user)
        assert client.get(f"/protection/orders/{order.pk}/").status_code == 404
    client.force_login(police_outsider)
    assert client.get(f"/protection/contacts/{contact.pk}/notice/").status_code == 404
    assert client.get("/protection/orders/not-a-uuid/").status_code == 404
    for user in (analyst, commissioner):
        client.force_login(user)
        for path in (
            f"/protection/orders/{order.pk}/",
            "/protection/orders/",
            "/protection/contacts/",
            "/protection/idva/",
            "/protection/scrutiny/",
        ):
            assert client.get(path).status_code == 403, path
        assert client.get("/protection/idva/evaluation/").status_code == 200
        assert client.get("/protection/disclosures/timeliness/").status_code == 200


def test_the_idva_reads_the_shared_notice_and_records_contact_but_cannot_change_the_order(
    client, officer, contact, victim, suspect, idva
):
    order = order_for(officer, contact, victim, suspect)
    client.force_login(idva)
    assert client.get(f"/protection/orders/{order.pk}/").status_code == 200
    assert AuditEvent.objects.filter(actor=idva, action="read", object_id=str(order.pk)).exists()
    assert client.post(f"/protection/orders/{order.pk}/outcome/", {}).status_code == 403
    data = {
        "method": "phone",
        "support_accepted": "yes",
        "safety_plan": "Safe word agreed",
        **when("contacted", timezone.now()),
    }
    client.post(f"/protection/orders/{order.pk}/idva-contact/", data)
    assert order.idva_support.count() == 1


def test_a_dvds_application_runs_to_disclosure_with_the_clock_shown(client, officer, victim, suspect):
    client.force_login(officer)
    start = client.post("/protection/disclosures/new/", {"query": "Testvictim"})
    assert "Select as person at risk" in start.content.decode()
    received = timezone.now() - timedelta(days=1)
    data = {"route": "ask", "district": victim.district_id, **when("received", received)}
    response = client.post(f"/protection/disclosures/new/{victim.pk}/{suspect.pk}/", data, follow=True)
    application = DisclosureApplication.objects.get()
    assert "28-day clock due by" in response.content.decode()
    decision = {"stage": "decision", "decision": "disclose", **when("stage", timezone.now())}
    assert (
        "Enter the reasons for the decision"
        in client.post(f"/protection/disclosures/{application.pk}/stage/", decision).content.decode()
    )
    decision["decision_reasons"] = "Previous convictions"
    client.post(f"/protection/disclosures/{application.pk}/stage/", decision)
    client.post(
        f"/protection/disclosures/{application.pk}/stage/",
        {"stage": "disclosed", "disclosed_to": "The person at risk", **when("stage", timezone.now())},
    )
    application.refresh_from_db()
    assert application.stage == "disclosed"
    assert "Met" in client.get(f"/protection/disclosures/{application.pk}/").content.decode()


def test_an_officer_records_the_outcome_of_a_contact(client, officer, contact):
    client.force_login(officer)
    today = timezone.localdate()
    client.post(
        f"/protection/contacts/{contact.pk}/outcome/",
        {
            "outcome": "charge",
            "outcome_date_0": today.day,
            "outcome_date_1": today.month,
            "outcome_date_2": today.year,
        },
    )
    assert CriminalJusticeOutcome.objects.get(contact=contact).outcome == "charge"


def test_the_idva_records_a_deployment_from_the_police_reference(client, idva, contact):
    client.force_login(idva)
    on = timezone.localtime(contact.received_at).date()
    data = {
        "contact_reference": contact.reference,
        "incident_on_0": on.day,
        "incident_on_1": on.month,
        "incident_on_2": on.year,
        "victim_engaged": "yes",
        "support_accepted": "yes",
        "safety_plan": "no",
        **when("deployed", timezone.now()),
    }
    response = client.post("/protection/idva/new/", data, follow=True)
    assert f"Deployment to {contact.reference} recorded" in response.content.decode()
    data["contact_reference"] = "C-00000000"
    assert (
        "No domestic abuse contact has that police reference"
        in client.post("/protection/idva/new/", data).content.decode()
    )


def test_the_evaluation_page_shows_counts_rates_and_the_interval(client, analyst, officer, idva, districts):
    for index in range(12):
        contact = da_contact(
            officer, districts["leeds"], received_at=timezone.now() - timedelta(days=30 + index)
        )
        outcome(contact, "charge" if index < 7 else "nfa", officer)
        if index % 2 == 0:
            services.deployment_create(
                actor=idva,
                contact_reference=contact.reference,
                incident_on=timezone.localtime(contact.received_at).date(),
                deployed_at=contact.received_at + timedelta(minutes=20),
            )
    client.force_login(analyst)
    body = client.get("/protection/idva/evaluation/").content.decode()
    # With the car: indexes 0,2,4,6 charged, 8,10 not -> 4/6; without: 1,3,5 charged, 7,9,11 not -> 3/6.
    assert "66.7%" in body and "50.0%" in body and "+16.7 points" in body and "95% CI" in body


def test_the_findings_report_is_anonymised_and_open_to_the_commissioner(
    client, officer, commissioner, contact
):
    outcome(contact, "charge", officer)
    sample = services.sample_draw(
        actor=officer,
        title="Round",
        period_start=timezone.localdate() - timedelta(days=5),
        period_end=timezone.localdate(),
        seed=1,
        size=1,
    )
    case = sample.cases.get()
    client.force_login(officer)
    page = client.get(f"/protection/scrutiny/cases/{case.pk}/").content.decode()
    assert "Victim A" in page and "Testvictim" not in page
    client.post(
        f"/protection/scrutiny/cases/{case.pk}/",
        {"good_practice": "Quick arrest", "themes": ["investigation"]},
    )
    assert "Quick arrest" in client.get(f"/protection/scrutiny/{sample.pk}/report/").content.decode()
    client.force_login(commissioner)
    assert client.get(f"/protection/scrutiny/{sample.pk}/").status_code == 403
    assert client.get(f"/protection/scrutiny/{sample.pk}/report/").status_code == 403
    report = client.get("/protection/scrutiny/findings/").content.decode()
    assert "Quick arrest" in report and "Investigation and evidence" in report and "Testvictim" not in report


def test_a_panel_finding_is_fed_back_to_the_recommendations_tracker(client, officer, contact):
    from safehub.recommendations.models import Recommendation

    outcome(contact, "nfa", officer)
    sample = services.sample_draw(
        actor=officer,
        title="Round",
        period_start=timezone.localdate() - timedelta(days=5),
        period_end=timezone.localdate(),
        seed=1,
        size=1,
    )
    client.force_login(officer)
    due = timezone.localdate() + timedelta(days=60)
    data = {
        "text": "Check on children in the household at every domestic abuse call",
        "owner": officer.pk,
        "due_on_0": due.day,
        "due_on_1": due.month,
        "due_on_2": due.year,
    }
    response = client.post(f"/protection/scrutiny/{sample.pk}/recommendations/new/", data, follow=True)
    made = Recommendation.objects.get()
    assert made.source_kind == "da_scrutiny" and made.source_id == sample.pk
    assert "Check on children in the household" in response.content.decode()
