"""The API: protection orders, disclosures, IDVA deployments (and evaluation), outcomes and scrutiny
samples. Outsiders 404, aggregate roles 403 on person-level endpoints, bad input 400 naming the field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.protection.models import DisclosureApplication, ProtectionOrder, ScrutinySample
from safehub.protection.tests.conftest import da_contact, outcome

pytestmark = pytest.mark.django_db


def order_payload(contact, victim, suspect, **overrides):
    served = timezone.now() - timedelta(hours=2)
    data = {
        "victim": str(victim.pk),
        "subject": str(suspect.pk),
        "contact": str(contact.pk),
        "district": contact.district.code,
        "authorised_at": (served - timedelta(minutes=15)).isoformat(),
        "authorised_by_name": "Supt Example",
        "authorised_by_rank": "superintendent",
        "grounds": "Threats to kill",
        "notice_conditions": "No contact",
        "served_at": served.isoformat(),
    }
    data.update(overrides)
    return data


def test_an_officer_creates_and_reads_an_order_with_its_hearing_due(
    api_as, officer, contact, victim, suspect
):
    client = api_as(officer)
    response = client.post(
        "/api/v1/protection-orders/", order_payload(contact, victim, suspect), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["scheme"] == "dvpo" and body["hearing_due_at"] and body["outcome"] == "pending"
    order_id = body["id"]
    hearing = timezone.now().isoformat()
    bad = client.post(
        f"/api/v1/protection-orders/{order_id}/outcome/",
        {"hearing_at": hearing, "outcome": "granted", "duration_days": 30, "order_conditions": "No contact"},
        format="json",
    )
    assert bad.status_code == 400 and "duration_days" in bad.json()
    made = client.post(
        f"/api/v1/protection-orders/{order_id}/outcome/",
        {"hearing_at": hearing, "outcome": "granted", "duration_days": 14, "order_conditions": "No contact"},
        format="json",
    )
    assert made.status_code == 200 and made.json()["expires_on"]
    assert client.get("/api/v1/protection-orders/").json()["count"] == 1


def test_a_hearing_before_the_notice_is_400(api_as, officer, contact, victim, suspect):
    client = api_as(officer)
    order = client.post(
        "/api/v1/protection-orders/", order_payload(contact, victim, suspect), format="json"
    ).json()
    before = (timezone.now() - timedelta(hours=5)).isoformat()
    response = client.post(
        f"/api/v1/protection-orders/{order['id']}/outcome/",
        {"hearing_at": before, "outcome": "refused", "outcome_reason": "No"},
        format="json",
    )
    assert response.status_code == 400 and "hearing_at" in response.json()


def test_outsiders_404_aggregate_roles_403_and_the_idva_cannot_write_the_order(
    api_as, officer, contact, victim, suspect, outsider, analyst, idva
):
    order = (
        api_as(officer)
        .post("/api/v1/protection-orders/", order_payload(contact, victim, suspect), format="json")
        .json()
    )
    assert api_as(outsider).get(f"/api/v1/protection-orders/{order['id']}/").status_code == 404
    analyst_client = api_as(analyst)
    for path in (
        "/api/v1/protection-orders/",
        "/api/v1/disclosures/",
        "/api/v1/idva-deployments/",
        "/api/v1/scrutiny-samples/",
    ):
        assert analyst_client.get(path).status_code == 403, path
    idva_client = api_as(idva)
    assert idva_client.get(f"/api/v1/protection-orders/{order['id']}/").status_code == 200
    assert (
        idva_client.post(f"/api/v1/protection-orders/{order['id']}/breaches/", {}, format="json").status_code
        == 403
    )
    assert (
        idva_client.post(
            "/api/v1/protection-orders/", order_payload(contact, victim, suspect), format="json"
        ).status_code
        == 403
    )
    contacted = idva_client.post(
        f"/api/v1/protection-orders/{order['id']}/idva-contacts/",
        {
            "contacted_at": timezone.now().isoformat(),
            "method": "phone",
            "support_accepted": True,
            "safety_plan": "Plan",
        },
        format="json",
    )
    assert contacted.status_code == 201


def test_disclosures_api_with_a_decision_needing_reasons(api_as, officer, victim, suspect):
    client = api_as(officer)
    created = client.post(
        "/api/v1/disclosures/",
        {
            "route": "ask",
            "person_at_risk": str(victim.pk),
            "subject": str(suspect.pk),
            "district": "leeds",
            "received_at": (timezone.now() - timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    assert created.json()["within_28_days"] is None
    no_reasons = client.post(
        f"/api/v1/disclosures/{app_id}/stage/",
        {"stage": "decision", "at": timezone.now().isoformat(), "decision": "disclose"},
        format="json",
    )
    assert no_reasons.status_code == 400 and "decision_reasons" in no_reasons.json()
    assert DisclosureApplication.objects.get().stage == "received"
    future = client.post(
        "/api/v1/disclosures/",
        {
            "route": "ask",
            "person_at_risk": str(victim.pk),
            "subject": str(suspect.pk),
            "district": "leeds",
            "received_at": (timezone.now() + timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert future.status_code == 400 and "received_at" in future.json()


def test_timeliness_and_evaluation_are_open_to_analysts_only_as_counts(
    api_as, analyst, officer, idva, districts
):
    contact = da_contact(officer, districts["leeds"], received_at=timezone.now() - timedelta(days=10))
    outcome(contact, "charge", officer)
    idva_client = api_as(idva)
    deployed = idva_client.post(
        "/api/v1/idva-deployments/",
        {
            "contact_reference": contact.reference,
            "incident_on": timezone.localtime(contact.received_at).date().isoformat(),
            "deployed_at": (contact.received_at + timedelta(minutes=30)).isoformat(),
            "victim_engaged": True,
        },
        format="json",
    )
    assert deployed.status_code == 201, deployed.content
    client = api_as(analyst)
    start, end = (timezone.localdate() - timedelta(days=30)).isoformat(), timezone.localdate().isoformat()
    evaluation = client.get(f"/api/v1/idva-deployments/evaluation/?start={start}&end={end}")
    assert evaluation.status_code == 200
    assert evaluation.json()["overall"]["positive"]["with_count"] == 1
    assert client.get(f"/api/v1/disclosures/timeliness/?start={start}&end={end}").status_code == 200
    assert client.get(f"/api/v1/disclosures/timeliness/?start={end}&end={start}").status_code == 400


def test_scrutiny_samples_are_created_with_seed_and_size_and_return_the_cases(
    api_as, officer, districts, agencies
):
    for index in range(5):
        contact = da_contact(
            officer,
            districts["leeds" if index < 3 else "bradford"],
            received_at=timezone.now() - timedelta(days=10 + index),
        )
        outcome(contact, "nfa", officer, days=1)
    client = api_as(officer)
    payload = {
        "title": "Round 1",
        "period_start": (timezone.localdate() - timedelta(days=40)).isoformat(),
        "period_end": timezone.localdate().isoformat(),
        "seed": 99,
        "size": 3,
        "exclude_reviewed": False,
    }
    first = client.post("/api/v1/scrutiny-samples/", payload, format="json")
    assert first.status_code == 201, first.content
    second = client.post("/api/v1/scrutiny-samples/", payload, format="json").json()
    numbers = lambda body: [c["contact"] for c in body["cases"]]  # noqa: E731
    assert numbers(first.json()) == numbers(second)
    detail = client.get(f"/api/v1/scrutiny-samples/{second['id']}/").json()
    assert detail["strata"]["districts"] == {
        "bradford": {"eligible": 2, "drawn": 1},
        "leeds": {"eligible": 3, "drawn": 2},
    }
    case = client.get(f"/api/v1/scrutiny-cases/{detail['cases'][0]['id']}/").json()
    assert case["pack"]["incident"]["day"] == "Day 0"
    too_many = client.post("/api/v1/scrutiny-samples/", {**payload, "size": 6}, format="json")
    assert too_many.status_code == 400 and "size" in too_many.json()
    assert ScrutinySample.objects.count() == 2
    other = UserFactory(
        username="otherforce",
        agency=agencies["leeds_csc"],
        district=districts["leeds"],
        roles=[Role.PARTNER_PRACTITIONER],
    )
    assert api_as(other).get(f"/api/v1/scrutiny-samples/{second['id']}/").status_code == 404


def test_unknown_ids_are_404_not_500(api_as, officer):
    client = api_as(officer)
    assert client.get("/api/v1/protection-orders/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert ProtectionOrder.objects.count() == 0


def test_aggregate_roles_read_the_anonymised_findings_but_not_a_round(api_as, officer, commissioner, contact):
    outcome(contact, "charge", officer)
    client = api_as(officer)
    payload = {
        "title": "Round 1",
        "period_start": (timezone.localdate() - timedelta(days=5)).isoformat(),
        "period_end": timezone.localdate().isoformat(),
        "seed": 3,
        "size": 1,
    }
    sample = client.post("/api/v1/scrutiny-samples/", payload, format="json").json()
    case_id = sample["cases"][0]["id"]
    assert (
        client.patch(f"/api/v1/scrutiny-cases/{case_id}/", {"themes": ["bogus"]}, format="json").status_code
        == 400
    )
    client.patch(
        f"/api/v1/scrutiny-cases/{case_id}/",
        {"good_practice": "Swift arrest", "themes": ["investigation"]},
        format="json",
    )
    assert client.get(f"/api/v1/scrutiny-samples/{sample['id']}/report/").json()["reviewed"] == 1
    reader = api_as(commissioner)
    assert reader.get(f"/api/v1/scrutiny-samples/{sample['id']}/report/").status_code == 403
    findings = reader.get("/api/v1/scrutiny-findings/").json()
    assert findings[0]["findings"][0]["good_practice"] == "Swift arrest"
    assert "Testvictim" not in str(findings)
