"""Services: notices and orders, Clare's Law, IDVA deployments and outcomes, the scrutiny sample.
Bad input is refused naming the field, and nothing partial is saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safehub.core.models import AuditEvent, Notification, Share
from safehub.people.models import ChronologyEvent
from safehub.people.tests.factories import PersonFactory
from safehub.protection import rules, services
from safehub.protection.models import (
    DisclosureApplication,
    IdvaDeployment,
    ProtectionOrder,
    ScrutinyCase,
    ScrutinySample,
)
from safehub.protection.tests.conftest import da_contact, outcome

pytestmark = pytest.mark.django_db


def notice(officer, contact, victim, suspect, **overrides):
    served = overrides.pop("served_at", timezone.now() - timedelta(hours=1))
    data = {
        "actor": officer,
        "victim": victim,
        "subject": suspect,
        "district": contact.district,
        "contact": contact,
        "authorised_at": served - timedelta(minutes=30),
        "authorised_by_name": "Supt Example",
        "authorised_by_rank": "superintendent",
        "grounds": "Threats to kill; notice needed to protect her",
        "notice_conditions": "Not to enter the address",
        "served_at": served,
    }
    data.update(overrides)
    return services.order_create(**data)


def test_a_dvpn_is_due_for_hearing_on_the_clock_shared_with_the_idva_and_audited(
    officer, contact, victim, suspect, idva
):
    order = notice(officer, contact, victim, suspect)
    assert order.scheme == "dvpo"
    assert order.hearing_due_at == rules.hearing_due(
        services._clock("dvpo", contact.district.force, order.served_at), order.served_at
    )
    assert Share.objects.filter(object_id=order.pk, to_agency=idva.agency).exists()
    assert ProtectionOrder.objects.visible_to(idva).filter(pk=order.pk).exists()
    assert AuditEvent.objects.filter(object_id=str(order.pk), action="create").exists()
    assert ChronologyEvent.objects.filter(person=victim, kind="protection_notice").exists()
    assert Notification.objects.filter(object_id=order.pk, kind="protection_idva").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"authorised_by_rank": "inspector"}, "authorised_by_rank"),
        ({"grounds": " "}, "grounds"),
        ({"served_at": timezone.now() + timedelta(days=1)}, "served_at"),
    ],
)
def test_bad_notices_are_refused_naming_the_field_and_nothing_is_saved(
    officer, contact, victim, suspect, overrides, field
):
    with pytest.raises(ValidationError) as error:
        notice(officer, contact, victim, suspect, **overrides)
    assert field in error.value.message_dict
    assert not ProtectionOrder.objects.exists()
    assert not Share.objects.exists()


def test_a_dapn_needs_only_an_inspector(officer, contact, victim, suspect):
    order = notice(officer, contact, victim, suspect, scheme="dapo", authorised_by_rank="inspector")
    assert order.notice_name == "DAPN"


def test_only_officers_record_notices(idva, contact, victim, suspect):
    with pytest.raises(PermissionDenied):
        notice(idva, contact, victim, suspect)


@pytest.mark.parametrize(
    ("outcome_data", "field"),
    [
        (
            {"hearing_at": "before", "outcome": "granted", "duration_days": 28, "order_conditions": "x"},
            "hearing_at",
        ),
        ({"outcome": "granted", "duration_days": 29, "order_conditions": "x"}, "duration_days"),
        ({"outcome": "granted", "duration_days": 13, "order_conditions": "x"}, "duration_days"),
        ({"outcome": "granted", "duration_days": 20, "order_conditions": ""}, "order_conditions"),
        ({"outcome": "refused"}, "outcome_reason"),
    ],
)
def test_bad_hearing_outcomes_are_refused_and_the_order_is_unchanged(
    officer, contact, victim, suspect, outcome_data, field
):
    order = notice(officer, contact, victim, suspect, served_at=timezone.now() - timedelta(hours=30))
    data = dict(outcome_data)
    data["hearing_at"] = order.served_at - timedelta(hours=1) if data.get("hearing_at") else timezone.now()
    with pytest.raises(ValidationError) as error:
        services.order_outcome(actor=officer, order=order, **data)
    assert field in error.value.message_dict
    order.refresh_from_db()
    assert order.outcome == "pending" and order.hearing_at is None and order.duration_days is None


def test_an_order_made_for_28_days_expires_and_reminds_once(officer, contact, victim, suspect):
    order = notice(officer, contact, victim, suspect, served_at=timezone.now() - timedelta(hours=30))
    services.order_application(
        actor=officer, order=order, application_made_at=timezone.now() - timedelta(hours=20), court="Leeds"
    )
    order = services.order_outcome(
        actor=officer,
        order=order,
        hearing_at=timezone.now() - timedelta(hours=1),
        outcome="granted",
        duration_days=28,
        order_conditions="No contact",
    )
    assert order.expires_on == order.made_on + timedelta(days=27)
    assert order.heard_in_time is True
    assert services.expiry_reminders(today=order.expires_on - timedelta(days=5)) == []
    assert services.expiry_reminders(today=order.expires_on - timedelta(days=2)) == [order]
    assert services.expiry_reminders(today=order.expires_on - timedelta(days=1)) == []
    breach = services.order_breach_add(
        actor=officer, order=order, at=timezone.now(), description="Came to the house"
    )
    assert breach.order == order


def test_the_idva_records_victim_contact_and_needs_a_plan_when_support_is_accepted(
    officer, contact, victim, suspect, idva
):
    order = notice(officer, contact, victim, suspect)
    with pytest.raises(ValidationError) as error:
        services.idva_support_add(
            actor=idva, order=order, contacted_at=timezone.now(), method="phone", support_accepted=True
        )
    assert "safety_plan" in error.value.message_dict
    support = services.idva_support_add(
        actor=idva,
        order=order,
        contacted_at=timezone.now(),
        method="phone",
        support_accepted=True,
        safety_plan="Plan",
    )
    assert support.owning_agency == idva.agency


# --- Clare's Law -----------------------------------------------------------------------------------


def application(officer, victim, suspect, received_at=None):
    return services.disclosure_create(
        actor=officer,
        route="ask",
        person_at_risk=victim,
        subject=suspect,
        district=victim.district,
        received_at=received_at or timezone.now() - timedelta(days=2),
    )


def test_a_dvds_case_runs_to_disclosure_on_the_28_day_clock(officer, victim, suspect):
    case = application(officer, victim, suspect)
    assert case.due_at == timezone.localtime(case.received_at) + timedelta(days=28)  # 28 days on the clock
    for stage in ("initial_contact", "checks", "face_to_face"):
        case = services.disclosure_advance(
            actor=officer, application=case, stage=stage, at=timezone.now() - timedelta(hours=5)
        )
    with pytest.raises(ValidationError) as error:
        services.disclosure_advance(
            actor=officer, application=case, stage="decision", at=timezone.now(), decision="disclose"
        )
    assert "decision_reasons" in error.value.message_dict
    assert DisclosureApplication.objects.get(pk=case.pk).stage == "face_to_face"
    case = services.disclosure_advance(
        actor=officer,
        application=case,
        stage="decision",
        at=timezone.now(),
        decision="disclose",
        decision_reasons="Violence",
    )
    with pytest.raises(ValidationError) as error:
        services.disclosure_advance(actor=officer, application=case, stage="not_disclosed", at=timezone.now())
    assert "stage" in error.value.message_dict
    case = services.disclosure_advance(
        actor=officer,
        application=case,
        stage="disclosed",
        at=timezone.now(),
        disclosed_to="The person at risk",
    )
    assert case.completed_at is not None
    assert rules.within_window(case.completed_at, case.due_at, timezone.now()) is True


def test_a_case_closed_after_28_days_needs_the_reason_for_the_delay(officer, victim, suspect):
    case = application(officer, victim, suspect, received_at=timezone.now() - timedelta(days=40))
    case = services.disclosure_advance(
        actor=officer,
        application=case,
        stage="decision",
        at=timezone.now() - timedelta(days=1),
        decision="no_disclosure",
        decision_reasons="Nothing to disclose",
    )
    with pytest.raises(ValidationError) as error:
        services.disclosure_advance(actor=officer, application=case, stage="not_disclosed", at=timezone.now())
    assert "delay_reason" in error.value.message_dict
    case = services.disclosure_advance(
        actor=officer,
        application=case,
        stage="not_disclosed",
        at=timezone.now(),
        delay_reason="Awaiting another force",
    )
    assert case.stage == "not_disclosed"


def test_a_stage_cannot_go_back_or_be_dated_before_the_last(officer, victim, suspect):
    case = application(officer, victim, suspect)
    with pytest.raises(ValidationError) as error:
        services.disclosure_advance(
            actor=officer, application=case, stage="checks", at=case.received_at - timedelta(hours=1)
        )
    assert "at" in error.value.message_dict


# --- IDVA car and outcomes ---------------------------------------------------------------------------


def test_an_idva_records_a_deployment_by_police_reference_and_date(officer, idva, contact):
    on = timezone.localtime(contact.received_at).date()
    with pytest.raises(ValidationError) as error:
        services.deployment_create(
            actor=idva,
            contact_reference=contact.reference,
            incident_on=on - timedelta(days=1),
            deployed_at=timezone.now(),
        )
    assert "contact_reference" in error.value.message_dict
    deployment = services.deployment_create(
        actor=idva,
        contact_reference=contact.reference.lower(),
        incident_on=on,
        deployed_at=timezone.now(),
        victim_engaged=True,
    )
    assert deployment.contact == contact and deployment.owning_agency == idva.agency
    with pytest.raises(ValidationError):
        services.deployment_create(
            actor=idva, contact_reference=contact.reference, incident_on=on, deployed_at=timezone.now()
        )
    assert IdvaDeployment.objects.count() == 1


def test_outcomes_are_recorded_once_per_contact_and_changed_in_place(officer, contact):
    services.cj_outcome_record(
        actor=officer, contact=contact, outcome="under_investigation", outcome_at=timezone.now()
    )
    row = services.cj_outcome_record(
        actor=officer, contact=contact, outcome="charge", outcome_at=timezone.now()
    )
    assert row.outcome == "charge"
    with pytest.raises(ValidationError):
        services.cj_outcome_record(
            actor=officer,
            contact=contact,
            outcome="charge",
            outcome_at=contact.received_at - timedelta(days=1),
        )


# --- scrutiny sample ------------------------------------------------------------------------------------


@pytest.fixture
def closed_contacts(officer, districts, agencies):
    """12 closed Leeds contacts, 6 closed Bradford, 3 live Leeds investigations, 2 with no outcome."""
    made = {"leeds": [], "bradford": [], "live": [], "none": []}
    start = timezone.now() - timedelta(days=60)
    for index in range(23):
        district = districts["bradford"] if 12 <= index < 18 else districts["leeds"]
        victim = PersonFactory(
            owning_agency=agencies["police"],
            district=district,
            given_name=f"Victimname{index}",
            family_name="Sampletest",
        )
        suspect = PersonFactory(
            owning_agency=agencies["police"],
            district=district,
            given_name=f"Suspectname{index}",
            family_name="Accusedtest",
        )
        c = da_contact(
            officer,
            district,
            victim=victim,
            suspect=suspect,
            received_at=start + timedelta(days=index),
            narrative=f"Victimname{index} Sampletest reports Suspectname{index} smashed her phone.",
        )
        if index < 18:
            outcome(c, "charge" if index % 2 else "nfa", officer)
            made["bradford" if 12 <= index < 18 else "leeds"].append(c)
        elif index < 21:
            outcome(c, "under_investigation", officer)
            made["live"].append(c)
        else:
            made["none"].append(c)
    return made


def draw(officer, **overrides):
    data = {
        "actor": officer,
        "title": "Round 1",
        "period_start": timezone.localdate() - timedelta(days=90),
        "period_end": timezone.localdate(),
        "seed": 7,
        "size": 6,
    }
    data.update(overrides)
    return services.sample_draw(**data)


def test_the_sample_is_reproducible_honours_strata_and_exclusions(officer, closed_contacts):
    first = draw(officer, exclude_reviewed=False)
    second = draw(officer, exclude_reviewed=False)
    ids = lambda s: list(s.cases.order_by("number").values_list("contact_id", flat=True))  # noqa: E731
    assert ids(first) == ids(second)
    assert first.eligible_count == 18
    assert first.strata["excluded"] == {"no_outcome": 2, "live_investigation": 3, "reviewed_before": 0}
    assert first.strata["districts"] == {
        "bradford": {"eligible": 6, "drawn": 2},
        "leeds": {"eligible": 12, "drawn": 4},
    }
    live = {c.pk for c in closed_contacts["live"] + closed_contacts["none"]}
    assert not live & set(ids(first))
    assert ids(draw(officer, seed=8, exclude_reviewed=False)) != ids(first)


def test_cases_drawn_before_are_left_out_and_live_ones_can_be_included(officer, closed_contacts):
    first = draw(officer)
    later = draw(officer, size=12, exclude_live=False)
    assert later.eligible_count == 18 - 6 + 3
    assert not set(first.cases.values_list("contact_id", flat=True)) & set(
        later.cases.values_list("contact_id", flat=True)
    )


def test_a_sample_larger_than_the_eligible_cases_saves_nothing(officer, closed_contacts):
    with pytest.raises(ValidationError) as error:
        draw(officer, size=19)
    assert "larger than the 18 eligible" in error.value.message_dict["size"][0]
    assert not ScrutinySample.objects.exists() and not ScrutinyCase.objects.exists()


def test_the_case_pack_holds_no_names_and_uses_relative_dates(officer, closed_contacts):
    sample = draw(officer, size=18)
    for case in sample.cases.select_related("contact"):
        text = rules.pack_text(case.pack)
        assert "Victimname" not in text and "Suspectname" not in text
        assert "Sampletest" not in text and "Accusedtest" not in text
        assert str(timezone.localtime(case.contact.received_at).year) not in text
        assert case.pack["incident"]["day"] == "Day 0"
        assert case.pack["outcome"]["day"] == "Day +5"
        assert case.pack["incident"]["narrative"] == "Victim A reports Suspect B smashed her phone."


def test_findings_need_content_and_known_themes(officer, closed_contacts):
    case = draw(officer).cases.first()
    with pytest.raises(ValidationError):
        services.case_findings(
            actor=officer, case=case, good_practice="", areas_for_development="", themes=[]
        )
    with pytest.raises(ValidationError):
        services.case_findings(
            actor=officer, case=case, good_practice="Good", areas_for_development="", themes=["nope"]
        )
    case = services.case_findings(
        actor=officer, case=case, good_practice="Good", areas_for_development="", themes=["children"]
    )
    assert case.reviewed_at is not None


def test_the_period_cannot_end_in_the_future(officer, closed_contacts):
    with pytest.raises(ValidationError) as error:
        draw(officer, period_end=date.today() + timedelta(days=2))
    assert "period_end" in error.value.message_dict


def test_a_dapn_cannot_be_given_to_a_child(officer, contact, victim, agencies, districts):
    child = PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        date_of_birth=timezone.localdate() - timedelta(days=365 * 17),
    )
    with pytest.raises(ValidationError) as error:
        notice(officer, contact, victim, child, scheme="dapo", authorised_by_rank="inspector")
    assert error.value.message_dict["subject"] == ["A DAPN cannot be given to anyone under 18"]
