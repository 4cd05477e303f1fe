"""The scrutiny panel's anonymised case pack for one domestic abuse contact.

Names of everyone on the contact become stable pseudonyms ("Victim A", "Suspect B") everywhere in
the pack, identifiers are scrubbed, and every date is shown relative to the incident ("Day 0",
"Day +3"). Officers and staff are named only by their agency. The pack is built once, when the
sample is drawn, and stored with the case.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from safehub.contacts.models import Contact, ContactPerson, PublicProtectionNotice, ThriveGrading
from safehub.people.models import ChronologyEvent
from safehub.people.rules import age_on
from safehub.protection import rules
from safehub.protection.models import (
    CriminalJusticeOutcome,
    DisclosureApplication,
    IdvaDeployment,
    ProtectionOrder,
)

ROLE_LABELS = {
    "victim": "Victim",
    "suspect": "Suspect",
    "witness": "Witness",
    "subject": "Person",
    "child_present": "Child",
}
HISTORY_BEFORE = timedelta(days=365)
HISTORY_AFTER = timedelta(days=180)


def case_pack(contact: Contact, number: int) -> dict[str, Any]:
    day_zero = timezone.localtime(contact.received_at).date()
    names = rules.Pseudonymiser()
    order = list(ROLE_LABELS)  # the victim is always "Victim A"
    roles = sorted(
        ContactPerson.objects.filter(contact=contact).select_related("person").order_by("created_at"),
        key=lambda row: order.index(row.role) if row.role in order else len(order),
    )
    people = []
    for row in roles:
        person = row.person
        label = names.add(
            str(person.pk),
            ROLE_LABELS.get(row.role, "Person"),
            [
                person.given_name,
                person.family_name,
                person.middle_names,
                person.full_name,
                person.phone,
                person.email,
            ],
        )
        people.append(
            {
                "pseudonym": label,
                "role": row.get_role_display(),
                "age_band": rules.age_band(age_on(person.date_of_birth, day_zero)),
                "sex": person.get_sex_display(),
            }
        )
    person_ids = [row.person_id for row in roles]

    def day(moment) -> str:
        return rules.relative_day(timezone.localtime(moment), day_zero)

    grading = (
        ThriveGrading.objects.filter(contact=contact).select_related("grade").order_by("-sequence").first()
    )
    outcome = CriminalJusticeOutcome.objects.filter(contact=contact).first()
    deployment = IdvaDeployment.objects.filter(contact=contact).first()
    orders = ProtectionOrder.objects.filter(victim_id__in=person_ids).order_by("served_at")
    disclosures = DisclosureApplication.objects.filter(person_at_risk_id__in=person_ids).order_by(
        "received_at"
    )
    ppns = PublicProtectionNotice.objects.filter(contact=contact)
    for application in disclosures:
        names.add(f"applicant:{application.pk}", "Applicant", [application.applicant_name])
    events = (
        ChronologyEvent.objects.filter(
            person_id__in=person_ids,
            at__gte=contact.received_at - HISTORY_BEFORE,
            at__lte=contact.received_at + HISTORY_AFTER,
        )
        .select_related("recorded_by_agency")
        .order_by("at")
    )
    return {
        "case": f"Case {number}",
        "incident": {
            "day": "Day 0",
            "category": contact.get_category_display(),
            "channel": contact.get_channel_display(),
            "serious_harm": contact.serious_harm,
            "grade": contact.grade.name if contact.grade_id else "",
            "attended": day(contact.arrived_at) if contact.arrived_at else "Not attended",
            "narrative": names.text(contact.narrative),
        },
        "thrive": (
            {
                "threat": grading.get_threat_level_display(),
                "harm": grading.get_harm_level_display(),
                "risk": grading.get_risk_level_display(),
                "investigation": grading.get_investigation_level_display(),
                "vulnerability": grading.get_vulnerability_level_display(),
                "engagement": grading.get_engagement_level_display(),
                "rationale": names.text(grading.risk_rationale),
            }
            if grading
            else {}
        ),
        "people": people,
        "ppns": [
            {"concern": p.get_concern_type_display(), "rag": p.get_rag_display(), "day": day(p.raised_at)}
            for p in ppns
        ],
        "idva_car": (
            {
                "day": day(deployment.deployed_at),
                "victim_engaged": deployment.victim_engaged,
                "support_accepted": deployment.support_accepted,
                "safety_plan": deployment.safety_plan,
            }
            if deployment
            else None
        ),
        "protection_orders": [
            {
                "notice": order.notice_name,
                "served": day(order.served_at),
                "heard": day(order.hearing_at) if order.hearing_at else "Not heard",
                "heard_in_time": order.heard_in_time,
                "outcome": order.get_outcome_display(),
                "duration_days": order.duration_days,
                "breaches": order.breaches.count(),
            }
            for order in orders
        ],
        "disclosures": [
            {
                "route": application.get_route_display(),
                "received": day(application.received_at),
                "stage": application.get_stage_display(),
                "within_28_days": rules.within_window(
                    application.completed_at, application.due_at, timezone.now()
                ),
                "decision_reasons": names.text(application.decision_reasons),
            }
            for application in disclosures
        ],
        "outcome": (
            {"outcome": outcome.get_outcome_display(), "day": day(outcome.outcome_at)} if outcome else None
        ),
        "history": [
            {
                "day": day(event.at),
                "who": names.label(str(event.person_id)) or "Person",
                "agency": event.recorded_by_agency.get_kind_display() if event.recorded_by_agency else "",
                "event": names.text(event.summary),
            }
            for event in events
        ],
    }
