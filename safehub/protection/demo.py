"""Synthetic domestic abuse records for the demo world, built on the contacts demo.

- Criminal-justice outcomes for the domestic abuse contacts: older contacts have a final outcome,
  the newest are under investigation or have none yet.
- IDVA car deployments to about a third of the contacts in Leeds, Bradford and Wakefield (the car
  runs there in the evenings); contacts the car attended end in a charge, caution or out-of-court
  disposal more often (6 in 10 against 3 in 10), so the evaluation shows the seeds' finding.
- DVPNs from contacts with a victim and suspect: most heard in time and granted for 14 to 28 days,
  some refused, a few still awaiting the hearing; some breaches; IDVA contact and safety plans.
- Clare's Law applications over the year in every district, most within 28 days, some late with a
  reason for the delay, some open.
- One scrutiny panel round drawn through the real service, with findings on half the cases.

Reproducible (random.Random(2029)); bulk_create in one transaction with one `job:demo` audit event
per record; a second call adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from safehub.contacts.models import Category, Contact, ContactPerson
from safehub.core import demo as core_demo
from safehub.core.clock_settings import effective_clock
from safehub.core.clocks import due
from safehub.core.models import (
    Agency,
    AgencyKind,
    AuditAction,
    AuditEvent,
    ConsentStatus,
    LawfulBasis,
    Share,
    User,
)
from safehub.core.roles import Role
from safehub.people.models import ChronologyEvent, Person
from safehub.protection import rules
from safehub.protection.models import (
    ContactMethod,
    CriminalJusticeOutcome,
    DisclosureApplication,
    HearingOutcome,
    IdvaDeployment,
    IdvaSupport,
    OrderBreach,
    ProtectionOrder,
    Rank,
    Route,
)

Progress = Callable[[str, int, int], None]

SIZES = {"small": 12, "full": 120}  # protection notices; Clare's Law applications are 1.5 times this
SEED = 2029
BATCH = 500
JOB = core_demo.DEMO_JOB
CAR_DISTRICTS = ("leeds", "bradford", "wakefield")
# Final outcomes dealt in turn within each group, so that even the small demo shows the seeds'
# finding: 6 in 10 sanctioned with the car (never under half), 3 in 10 without (never over a third).
OUTCOMES_WITH_CAR = [
    "charge",
    "nfa",
    "caution",
    "charge",
    "victim_withdrew",
    "out_of_court",
    "nfa",
    "charge",
    "charge",
    "victim_withdrew",
]
OUTCOMES_WITHOUT = [
    "nfa",
    "victim_withdrew",
    "charge",
    "nfa",
    "victim_withdrew",
    "caution",
    "nfa",
    "nfa",
    "out_of_court",
    "victim_withdrew",
]
DELAYS = [
    "Awaiting information from another force",
    "Applicant could not be contacted for the face-to-face meeting",
    "Multi-agency panel deferred the decision to its next sitting",
    "Subject's records held on a legacy system; checks took longer",
]
CONDITIONS = [
    "Not to contact the victim directly or indirectly; not to enter the street where the victim lives",
    "Not to come within 100 metres of the victim's home; not to molest the victim",
    "Not to attend the victim's address or workplace; no contact by phone or social media",
]
SAFETY_PLAN = "Safe word agreed with a neighbour; locks changed; IDVA and police numbers saved"
COURTS = [
    "Leeds Magistrates' Court",
    "Bradford and Keighley Magistrates' Court",
    "Kirklees Magistrates' Court",
]


def already_loaded() -> int:
    return core_demo.created_by_demo("protection.criminaljusticeoutcome") + core_demo.created_by_demo(
        "protection.protectionorder"
    )


@transaction.atomic
def load(*, size: str, progress: Progress) -> dict[str, Any]:
    target = core_demo.check_size(size, SIZES)
    existing = already_loaded()
    if existing:
        return {"already_loaded": existing}
    builder = _Builder(target)
    builder.build(progress)
    counts = builder.save(progress)
    counts["panel_cases"] = builder.panel(progress)
    return counts


class _Builder:
    def __init__(self, target: int) -> None:
        self.rng = random.Random(SEED)
        self.target = target
        self.now = timezone.now()
        self.police = Agency.objects.filter(kind=AgencyKind.POLICE).order_by("code").first()
        self.idva_agency = Agency.objects.filter(kind=AgencyKind.IDVA_SERVICE).order_by("code").first()
        self.officer = (
            User.objects.filter(role_grants__role=Role.OFFICER, agency=self.police)
            .order_by("username")
            .first()
        )
        self.idva = User.objects.filter(role_grants__role=Role.IDVA).order_by("username").first()
        if self.police is None or self.officer is None or self.idva is None or self.idva_agency is None:
            raise RuntimeError(
                "Load the core demo first (safehub.core.demo): the police, an officer and an IDVA"
            )
        self.contacts = list(
            Contact.objects.filter(category=Category.DOMESTIC)
            .select_related("district__force")
            .order_by("received_at", "id")
        )
        parties: dict[Any, dict[str, Any]] = {}
        for row in ContactPerson.objects.filter(
            contact__in=self.contacts, role__in=["victim", "suspect"]
        ).order_by("created_at"):
            parties.setdefault(row.contact_id, {}).setdefault(row.role, row.person_id)
        self.parties = parties
        self.outcomes: list[CriminalJusticeOutcome] = []
        self.dealt = {True: 0, False: 0}
        self.deployments: list[IdvaDeployment] = []
        self.orders: list[ProtectionOrder] = []
        self.breaches: list[OrderBreach] = []
        self.support: list[IdvaSupport] = []
        self.disclosures: list[DisclosureApplication] = []
        self.shares: list[Share] = []
        self.chronology: list[ChronologyEvent] = []

    def build(self, progress: Progress) -> None:
        total = len(self.contacts)
        for index, contact in enumerate(self.contacts, start=1):
            self._contact(contact)
            if index % 200 == 0 or index == total:
                progress("domestic abuse outcomes", index, total)
        self._orders()
        self._disclosures()

    def _contact(self, contact: Contact) -> None:
        rng = self.rng
        age = self.now - contact.received_at
        car = (
            contact.district.code in CAR_DISTRICTS
            and rng.random() < 0.35
            and contact.received_at.astimezone(timezone.get_current_timezone()).hour >= 14
        )
        if car:
            engaged = rng.random() < 0.8
            self.deployments.append(
                IdvaDeployment(
                    owning_agency=self.idva_agency,
                    district=contact.district,
                    contact=contact,
                    contact_reference=contact.reference,
                    deployed_at=min(contact.received_at + timedelta(minutes=rng.randint(10, 90)), self.now),
                    call_sign=f"IDVA{rng.randint(1, 3)}",
                    victim_engaged=engaged,
                    support_accepted=engaged and rng.random() < 0.7,
                    safety_plan=engaged and rng.random() < 0.6,
                    recorded_by=self.idva,
                )
            )
        if age < timedelta(days=3):
            return
        if age < timedelta(days=21) and rng.random() < 0.6:
            outcome = rules.LIVE_OUTCOME
        else:
            deck = OUTCOMES_WITH_CAR if car else OUTCOMES_WITHOUT
            outcome = deck[self.dealt[car] % len(deck)]
            self.dealt[car] += 1
        when = contact.received_at + min(age - timedelta(hours=1), timedelta(days=rng.randint(1, 20)))
        self.outcomes.append(
            CriminalJusticeOutcome(
                owning_agency=contact.owning_agency,
                district=contact.district,
                contact=contact,
                outcome=outcome,
                outcome_at=when,
                recorded_by=self.officer,
            )
        )

    def _orders(self) -> None:
        rng = self.rng
        candidates = [c for c in self.contacts if {"victim", "suspect"} <= set(self.parties.get(c.pk, {}))]
        chosen = candidates[-self.target * 3 :]
        rng.shuffle(chosen)
        chosen = sorted(chosen[: self.target], key=lambda c: c.received_at)
        people = Person.objects.in_bulk(
            [self.parties[c.pk][r] for c in chosen for r in ("victim", "suspect")]
        )
        for index, contact in enumerate(chosen):
            served = min(
                contact.received_at + timedelta(hours=rng.randint(3, 20)), self.now - timedelta(hours=2)
            )
            authorised = served - timedelta(minutes=rng.randint(20, 90))
            clock = effective_clock(
                "dvpo-hearing", contact.district.force, at=timezone.localtime(served).date()
            )
            due_at = due(clock, served)
            victim, subject = (
                people[self.parties[contact.pk]["victim"]],
                people[self.parties[contact.pk]["suspect"]],
            )
            order = ProtectionOrder(
                owning_agency=self.police,
                district=contact.district,
                scheme="dvpo",
                contact=contact,
                victim=victim,
                subject=subject,
                authorised_at=authorised,
                authorised_by_name=rng.choice(["Supt R. Demo", "Supt K. Sample", "Ch Supt A. Example"]),
                authorised_by_rank=rng.choice(
                    [Rank.SUPERINTENDENT, Rank.SUPERINTENDENT, Rank.CHIEF_SUPERINTENDENT]
                ),
                grounds="Reasonable belief of violence towards an associated person; needed to protect them",
                notice_conditions=rng.choice(CONDITIONS),
                served_at=served,
                hearing_due_at=due_at,
                recorded_by=self.officer,
            )
            pending = self.now < due_at or index >= len(chosen) - 2
            if not pending:
                order.application_made_at = served + timedelta(hours=rng.randint(2, 10))
                order.court = rng.choice(COURTS)
                late = rng.random() < 0.1
                order.hearing_at = (
                    due_at + timedelta(hours=rng.randint(1, 20))
                    if late
                    else due_at - timedelta(hours=rng.randint(2, 30))
                )
                order.hearing_at = max(order.hearing_at, order.application_made_at + timedelta(hours=1))
                if late:
                    order.outcome, order.outcome_reason = (
                        HearingOutcome.LAPSED,
                        "Court listing not available in time",
                    )
                elif rng.random() < 0.15:
                    order.outcome, order.outcome_reason = (
                        HearingOutcome.REFUSED,
                        "Court not satisfied on the balance",
                    )
                else:
                    order.outcome = HearingOutcome.GRANTED
                    order.duration_days = rng.choice([14, 21, 28, 28])
                    order.order_conditions = order.notice_conditions
                    order.made_on = timezone.localtime(order.hearing_at).date()
                    order.expires_on = rules.order_expires_on(order.made_on, order.duration_days)
                    if rng.random() < 0.2:
                        self.breaches.append(
                            OrderBreach(
                                order=order,
                                at=min(order.hearing_at + timedelta(days=rng.randint(1, 10)), self.now),
                                description="Attended the victim's address in breach of the order",
                                action_taken="Arrested; returned to the magistrates",
                                recorded_by=self.officer,
                            )
                        )
            self.orders.append(order)
            self.shares.append(
                Share(
                    object_type="protection.protectionorder",
                    object_id=order.pk,
                    to_agency=self.idva_agency,
                    from_agency=self.police,
                    purpose="Protection notice: IDVA contact with the victim and safety planning",
                    lawful_basis=LawfulBasis.PUBLIC_TASK,
                    condition="dpa_sch1_18",
                    consent_status=ConsentStatus.NOT_SOUGHT,
                    consent_note="Victim consent is not needed for a protection notice",
                    granted_by=self.officer,
                    expires_at=self.now + timedelta(days=120),
                )
            )
            if rng.random() < 0.7:
                accepted = rng.random() < 0.75
                self.support.append(
                    IdvaSupport(
                        owning_agency=self.idva_agency,
                        district=contact.district,
                        order=order,
                        contacted_at=min(served + timedelta(hours=rng.randint(2, 24)), self.now),
                        method=rng.choice(
                            [ContactMethod.PHONE, ContactMethod.IN_PERSON, ContactMethod.AT_COURT]
                        ),
                        support_accepted=accepted,
                        safety_plan=SAFETY_PLAN if accepted else "",
                        recorded_by=self.idva,
                    )
                )
            self.chronology.append(
                ChronologyEvent(
                    person=victim,
                    kind="protection_notice",
                    at=served,
                    summary="DVPN served to protect them",
                    source_type="protection.protectionorder",
                    source_id=str(order.pk),
                    recorded_by_agency=self.police,
                )
            )

    def _disclosures(self) -> None:
        rng = self.rng
        pairs = [
            (self.parties[c.pk]["victim"], self.parties[c.pk]["suspect"], c.district)
            for c in self.contacts
            if {"victim", "suspect"} <= set(self.parties.get(c.pk, {}))
        ]
        if not pairs:
            return
        for _ in range(int(self.target * 1.5)):
            at_risk, subject, district = rng.choice(pairs)
            received = self.now - timedelta(days=rng.randint(1, 360), hours=rng.randint(0, 12))
            clock = effective_clock("dvds", district.force, at=timezone.localtime(received).date())
            due_at = due(clock, received)
            route = Route.RIGHT_TO_ASK if rng.random() < 0.7 else Route.RIGHT_TO_KNOW
            third_party = route == Route.RIGHT_TO_ASK and rng.random() < 0.3
            application = DisclosureApplication(
                owning_agency=self.police,
                district=district,
                route=route,
                person_at_risk_id=at_risk,
                subject_id=subject,
                applicant_name="A relative (demo)" if third_party else "",
                applicant_relationship="Mother" if third_party else "",
                received_at=received,
                due_at=due_at,
                recorded_by=self.officer,
            )
            days = rng.choice([6, 10, 14, 18, 21, 25, 27, 33, 45, 60])
            steps = [received + timedelta(days=days * f) for f in (0.1, 0.4, 0.6, 0.8, 1.0)]
            if steps[-1] > self.now:
                # Still running: stop at the last stage already reached.
                reached = [s for s in steps[:4] if s <= self.now]
                stages = ["initial_contact", "checks", "face_to_face", "decision"][: len(reached)]
                for stage, at in zip(stages, reached, strict=True):
                    setattr(application, rules.STAGE_FIELDS[stage], at)
                    application.stage = stage
                if application.stage == "decision":
                    application.decision, application.decision_reasons = (
                        "disclose",
                        "Previous violence; risk to the applicant",
                    )
                if self.now > due_at:
                    application.delay_reason = rng.choice(DELAYS)
            else:
                disclose = rng.random() < 0.6
                application.initial_contact_at, application.checks_completed_at = steps[0], steps[1]
                application.face_to_face_at, application.decision_at = steps[2], steps[3]
                application.decision = "disclose" if disclose else "no_disclosure"
                application.decision_reasons = (
                    "Convictions for violence against previous partners; lawful, necessary and proportionate"
                    if disclose
                    else "No relevant history found; nothing to disclose"
                )
                application.stage = "disclosed" if disclose else "not_disclosed"
                application.completed_at = steps[4]
                application.disclosed_to = "The person at risk" if disclose else ""
                application.safety_plan = (
                    "Referred to the IDVA service; safety plan agreed" if disclose else ""
                )
                if application.completed_at > due_at:
                    application.delay_reason = rng.choice(DELAYS)
            self.disclosures.append(application)

    def audit_events(self) -> list[AuditEvent]:
        base = {"at": self.now, "actor": None, "actor_label": JOB, "actor_agency_name": "", "via": "job"}
        groups = [
            ("protection.criminaljusticeoutcome", self.outcomes, ["outcome", "outcome_at"], None),
            ("protection.idvadeployment", self.deployments, ["contact", "deployed_at"], None),
            (
                "protection.protectionorder",
                self.orders,
                ["scheme", "served_at", "hearing_due_at"],
                "victim_id",
            ),
            ("protection.idvasupport", self.support, ["contacted_at", "method"], None),
            (
                "protection.disclosureapplication",
                self.disclosures,
                ["route", "received_at"],
                "person_at_risk_id",
            ),
            ("core.share", self.shares, ["to_agency", "purpose"], None),
        ]
        return [
            AuditEvent(
                action=AuditAction.CREATE,
                object_type=label,
                object_id=str(obj.pk),
                person_id=getattr(obj, person, None) if person else None,
                fields=fields,
                **base,
            )
            for label, rows, fields, person in groups
            for obj in rows
        ]

    def save(self, progress: Progress) -> dict[str, Any]:
        groups: list[tuple[str, Any, list]] = [
            ("outcomes", CriminalJusticeOutcome, self.outcomes),
            ("idva_deployments", IdvaDeployment, self.deployments),
            ("protection_orders", ProtectionOrder, self.orders),
            ("breaches", OrderBreach, self.breaches),
            ("idva_support", IdvaSupport, self.support),
            ("disclosures", DisclosureApplication, self.disclosures),
            ("shares", Share, self.shares),
            ("chronology_events", ChronologyEvent, self.chronology),
            ("audit_events", AuditEvent, self.audit_events()),
        ]
        total = sum(len(rows) for _, _, rows in groups)
        done = 0
        for _, model, rows in groups:
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                model.objects.bulk_create(batch)
                done += len(batch)
                progress("saving domestic abuse records", done, total)
        counts: dict[str, Any] = {label: len(rows) for label, _, rows in groups}
        counts["late_disclosures"] = sum(1 for d in self.disclosures if d.delay_reason)
        return counts

    def panel(self, progress: Progress) -> int:
        """One panel round through the real service (its packs are built from the saved records)."""
        from safehub.protection import selectors, services

        today = timezone.localdate()
        start = today - timedelta(days=365)
        pool = selectors.sample_pool(self.officer, start, today, exclude_live=True, exclude_reviewed=True)
        size = min(len(pool.eligible), 6 if self.target <= SIZES["small"] else 20)
        if size == 0:
            return 0
        sample = services.sample_draw(
            actor=self.officer,
            title=f"Scrutiny panel, {today:%B %Y}",
            period_start=start,
            period_end=today,
            seed=SEED,
            size=size,
        )
        cases = list(sample.cases.order_by("number"))
        for case in cases[: len(cases) // 2]:
            services.case_findings(
                actor=self.officer,
                case=case,
                good_practice=self.rng.choice(
                    [
                        "Victim's account recorded in their own words; DASH completed at the scene",
                        "Prompt positive action and arrest; body-worn video secured",
                    ]
                ),
                areas_for_development=self.rng.choice(
                    [
                        "No record of checks on children in the household",
                        "Victim not updated on the outcome; no referral to the IDVA service",
                    ]
                ),
                themes=self.rng.sample(["risk_assessment", "children", "victim_contact", "investigation"], 2),
            )
        progress("scrutiny panel round", len(cases), len(cases))
        return len(cases)
