"""Writes for domestic abuse powers and schemes. Each takes keyword arguments and an actor, runs
atomically, validates before writing (nothing partial is stored), audits, and writes the people's
chronology where their timeline changes. Deadlines come only from the clock engine.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safehub.contacts.models import Category, Contact
from safehub.core import audit, notify
from safehub.core.clock_settings import effective_clock
from safehub.core.models import Agency, AgencyKind, AuditAction, ConsentStatus, District, LawfulBasis, Share
from safehub.core.roles import Role
from safehub.people import chronology
from safehub.people.models import Person
from safehub.people.rules import age_on
from safehub.protection import rules
from safehub.protection.models import (
    CriminalJusticeOutcome,
    Decision,
    DisclosureApplication,
    DisclosureStage,
    ForceScheme,
    HearingOutcome,
    IdvaDeployment,
    IdvaSupport,
    OrderBreach,
    ProtectionOrder,
    Rank,
    Route,
    Scheme,
    ScrutinyCase,
    ScrutinySample,
    validate_themes,
)

ORDER_SHARE_PURPOSE = "Protection notice: IDVA contact with the victim and safety planning"
SLACK = timedelta(minutes=5)
# DVPN: superintendent or above (DOMAIN.md §6.1). DAPN: a "senior police officer", taken as
# inspector or above ([U] until s.22(8) Domestic Abuse Act 2021 is checked).
MIN_RANK = {Scheme.DVPO: Rank.SUPERINTENDENT, Scheme.DAPO: Rank.INSPECTOR}
RANK_ORDER = list(Rank.values)
REMINDER_JOB = "job:protection_order_expiry"


# --- who may do what -------------------------------------------------------------------------------


def _is_police(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_person_level_access
        and user.agency_id
        and user.agency.kind == AgencyKind.POLICE
    )


def may_record_police(user: Any) -> bool:
    """Police officers record notices, orders, Clare's Law cases and outcomes, and run the panel."""
    return _is_police(user) and user.has_role(Role.OFFICER)


def may_record_idva(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.has_person_level_access and user.has_role(Role.IDVA)
    )


def may_see_aggregates(user: Any) -> bool:
    """The evaluation and timeliness tables hold counts only."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_aggregate_only or may_record_police(user) or may_record_idva(user))
    )


def _require(check: bool, message: str) -> None:
    if not check:
        raise PermissionDenied(message)


def _require_writer(actor: Any, obj: Any) -> None:
    if not type(obj).objects.editable_by(actor).filter(pk=obj.pk).exists():
        raise PermissionDenied("You can read this record but not change it")


def _sees(actor: Any, person: Person, field: str) -> None:
    if person is None or not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise ValidationError({field: "Select a person you can see"})


def _not_future(errors: dict[str, str], field: str, value: datetime | None, what: str) -> None:
    if value is not None and value > timezone.now() + SLACK:
        errors[field] = f"The time {what} cannot be in the future"


def scheme_for(force: Any) -> str:
    row = ForceScheme.objects.filter(force=force).first() if force is not None else None
    return row.scheme if row else Scheme.DVPO


def _clock(scheme: str, force: Any, start: datetime):
    return effective_clock(rules.HEARING_CLOCKS[scheme], force, at=timezone.localtime(start).date())


def idva_service(district: District) -> Agency | None:
    return Agency.objects.filter(kind=AgencyKind.IDVA_SERVICE, districts=district).order_by("code").first()


def _share(actor: Any, obj: Any, to_agency: Agency, purpose: str) -> None:
    if to_agency.pk == actor.agency_id:
        return
    share = Share(
        object_type=audit.object_label(obj),
        object_id=obj.pk,
        to_agency=to_agency,
        from_agency=actor.agency,
        purpose=purpose,
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        condition="dpa_sch1_18",
        consent_status=ConsentStatus.NOT_SOUGHT,
        consent_note=(
            "Victim consent is not needed for a protection notice; the IDVA seeks it at first contact"
        ),
        granted_by=actor,
        expires_at=timezone.now() + timedelta(days=120),
    )
    share.full_clean()
    share.save()
    audit.record(
        actor,
        AuditAction.SHARE,
        obj,
        fields=["to_agency", "purpose"],
        reason=f"Shared with {to_agency.name}: {purpose}",
    )


def order_path(order: ProtectionOrder) -> str:
    return reverse("protection:order", args=[order.pk])


# --- protection notices and orders ---------------------------------------------------------------


@transaction.atomic
def order_create(
    *,
    actor: Any,
    victim: Person,
    subject: Person,
    district: District,
    authorised_at: datetime,
    authorised_by_name: str,
    authorised_by_rank: str,
    grounds: str,
    notice_conditions: str,
    served_at: datetime,
    contact: Contact | None = None,
    scheme: str | None = None,
) -> ProtectionOrder:
    """Record a notice authorised and served; the hearing falls due on the scheme's clock."""
    _require(may_record_police(actor), "Only police officers record protection notices")
    _sees(actor, victim, "victim")
    _sees(actor, subject, "subject")
    scheme = scheme or scheme_for(district.force)
    errors: dict[str, str] = {}
    if scheme not in Scheme.values:
        errors["scheme"] = "Select DVPN/DVPO or DAPN/DAPO"
    if victim.pk == subject.pk:
        errors["subject"] = "The person given the notice cannot be the person it protects"
    if scheme == Scheme.DAPO and served_at is not None:
        # A DAPN cannot be given to anyone under 18, and protects a person aged 16 or over (DOMAIN.md §6.2).
        on = timezone.localtime(served_at).date()
        subject_age, victim_age = age_on(subject.date_of_birth, on), age_on(victim.date_of_birth, on)
        if subject_age is not None and subject_age < 18:
            errors["subject"] = "A DAPN cannot be given to anyone under 18"
        if victim_age is not None and victim_age < 16:
            errors["victim"] = "A DAPN protects a person aged 16 or over: use child safeguarding procedures"
    if not actor.agency.districts.filter(pk=district.pk).exists():
        errors["district"] = "Select a district your force serves"
    if contact is not None and not Contact.objects.editable_by(actor).filter(pk=contact.pk).exists():
        errors["contact"] = "Select a contact your force holds"
    if authorised_by_rank not in Rank.values:
        errors["authorised_by_rank"] = "Select the authorising officer's rank"
    elif scheme in MIN_RANK and RANK_ORDER.index(authorised_by_rank) < RANK_ORDER.index(MIN_RANK[scheme]):
        name = "DVPN" if scheme == Scheme.DVPO else "DAPN"
        errors["authorised_by_rank"] = (
            f"A {name} is authorised by a {MIN_RANK[scheme].label.lower()} or above"
        )
    if not (authorised_by_name or "").strip():
        errors["authorised_by_name"] = "Enter the authorising officer's name"
    if not (grounds or "").strip():
        errors["grounds"] = "Enter why the notice is necessary to protect the victim"
    if not (notice_conditions or "").strip():
        errors["notice_conditions"] = "Enter the conditions of the notice"
    errors.update(
        rules.order_time_errors(
            authorised_at=authorised_at, served_at=served_at, hearing_at=None, now=timezone.now()
        )
    )
    if errors:
        raise ValidationError(errors)
    order = ProtectionOrder(
        owning_agency=actor.agency,
        district=district,
        scheme=scheme,
        contact=contact,
        victim=victim,
        subject=subject,
        authorised_at=authorised_at,
        authorised_by_name=authorised_by_name.strip(),
        authorised_by_rank=authorised_by_rank,
        grounds=grounds.strip(),
        notice_conditions=notice_conditions.strip(),
        served_at=served_at,
        hearing_due_at=rules.hearing_due(_clock(scheme, district.force, served_at), served_at),
        recorded_by=actor,
    )
    order.full_clean()
    order.save()
    audit.record(
        actor,
        AuditAction.CREATE,
        order,
        fields=[
            "scheme",
            "victim",
            "subject",
            "authorised_at",
            "authorised_by_rank",
            "served_at",
            "hearing_due_at",
        ],
    )
    due_text = f"{timezone.localtime(order.hearing_due_at):%d %b %Y at %H:%M}"
    chronology.add(
        victim,
        "protection_notice",
        served_at,
        order,
        f"{order.notice_name} served to protect them; hearing due by {due_text}",
        agency=actor.agency,
    )
    chronology.add(
        subject,
        "protection_notice_given",
        served_at,
        order,
        f"Given a {order.notice_name}",
        agency=actor.agency,
    )
    notify.send(
        actor,
        order,
        title=f"{order.order_name} application to be heard",
        body=f"{order.notice_name} {order.reference} was served. "
        f"The application must be heard by {due_text}.",
        url=order_path(order),
        due_at=order.hearing_due_at,
        ack_required=False,
        kind="protection_hearing",
        actor=actor,
    )
    service = idva_service(district)
    if service is not None:
        _share(actor, order, service, ORDER_SHARE_PURPOSE)
        notify.send(
            service,
            order,
            title=f"{order.notice_name} served: contact the victim",
            body=f"{order.notice_name} {order.reference} was served. "
            "Contact the victim and agree a safety plan.",
            url=order_path(order),
            kind="protection_idva",
            actor=actor,
        )
    return order


@transaction.atomic
def order_application(
    *, actor: Any, order: ProtectionOrder, application_made_at: datetime, court: str
) -> ProtectionOrder:
    _require(may_record_police(actor), "Only police officers apply for orders")
    _require_writer(actor, order)
    locked = ProtectionOrder.objects.select_for_update().get(pk=order.pk)
    errors: dict[str, str] = {}
    if application_made_at is None:
        errors["application_made_at"] = "Enter when the application was made"
    else:
        _not_future(errors, "application_made_at", application_made_at, "the application was made")
        if application_made_at < locked.served_at:
            errors["application_made_at"] = "The application cannot be made before the notice was served"
    if not (court or "").strip():
        errors["court"] = "Enter the magistrates' court"
    if errors:
        raise ValidationError(errors)
    locked.application_made_at = application_made_at
    locked.court = court.strip()
    locked.full_clean()
    locked.save()
    audit.record(actor, AuditAction.UPDATE, locked, fields=["application_made_at", "court"])
    return locked


@transaction.atomic
def order_outcome(
    *,
    actor: Any,
    order: ProtectionOrder,
    hearing_at: datetime,
    outcome: str,
    order_conditions: str = "",
    duration_days: int | None = None,
    outcome_reason: str = "",
) -> ProtectionOrder:
    """The hearing's outcome. A DVPO lasts 14 to 28 days; refusals and lapses need a reason."""
    _require(may_record_police(actor), "Only police officers record hearing outcomes")
    _require_writer(actor, order)
    locked = ProtectionOrder.objects.select_for_update().get(pk=order.pk)
    errors: dict[str, str] = {}
    if locked.outcome == HearingOutcome.GRANTED:
        raise ValidationError({"outcome": "The order has already been made"})
    if outcome not in HearingOutcome.values or outcome == HearingOutcome.PENDING:
        errors["outcome"] = "Select the outcome of the hearing"
    if hearing_at is None:
        errors["hearing_at"] = "Enter when the application was heard"
    else:
        errors.update(
            rules.order_time_errors(
                authorised_at=None, served_at=locked.served_at, hearing_at=hearing_at, now=timezone.now()
            )
        )
        if "hearing_at" in errors and hearing_at < locked.served_at:
            errors["hearing_at"] = f"The hearing cannot be before the {locked.notice_name} was served"
    if outcome == HearingOutcome.GRANTED:
        problem = rules.duration_error(locked.scheme, duration_days)
        if problem:
            errors["duration_days"] = problem
        if not (order_conditions or "").strip():
            errors["order_conditions"] = "Enter the conditions of the order"
    elif outcome in (
        HearingOutcome.REFUSED,
        HearingOutcome.WITHDRAWN,
        HearingOutcome.LAPSED,
        HearingOutcome.ADJOURNED,
    ):
        if not (outcome_reason or "").strip():
            errors["outcome_reason"] = "Enter the reason given"
        if duration_days:
            errors["duration_days"] = "Only an order that was made has a duration"
    if errors:
        raise ValidationError(errors)
    locked.hearing_at = hearing_at
    locked.outcome = outcome
    locked.outcome_reason = (outcome_reason or "").strip()
    if outcome == HearingOutcome.GRANTED:
        locked.order_conditions = order_conditions.strip()
        locked.duration_days = duration_days
        locked.made_on = timezone.localtime(hearing_at).date()
        locked.expires_on = rules.order_expires_on(locked.made_on, duration_days)
    locked.full_clean()
    locked.save()
    audit.record(
        actor,
        AuditAction.UPDATE,
        locked,
        fields=["hearing_at", "outcome", "outcome_reason", "order_conditions", "duration_days", "expires_on"],
    )
    summary = f"{locked.order_name}: {locked.get_outcome_display().lower()}"
    if locked.expires_on:
        summary += f", in force until {locked.expires_on:%d %b %Y}"
    for person in (locked.victim, locked.subject):
        chronology.add(person, "protection_order", hearing_at, locked, summary, agency=actor.agency)
    return locked


@transaction.atomic
def order_breach_add(
    *, actor: Any, order: ProtectionOrder, at: datetime, description: str, action_taken: str = ""
) -> OrderBreach:
    _require(may_record_police(actor), "Only police officers record breaches")
    _require_writer(actor, order)
    errors: dict[str, str] = {}
    if at is None:
        errors["at"] = "Enter when the breach happened"
    else:
        _not_future(errors, "at", at, "of the breach")
        if at < order.served_at:
            errors["at"] = f"A breach cannot be before the {order.notice_name} was served"
    if not (description or "").strip():
        errors["description"] = "Enter what happened"
    if errors:
        raise ValidationError(errors)
    breach = OrderBreach(
        order=order,
        at=at,
        description=description.strip(),
        action_taken=(action_taken or "").strip(),
        recorded_by=actor,
    )
    breach.full_clean()
    breach.save()
    audit.record(actor, AuditAction.CREATE, breach, fields=["at", "description", "action_taken"])
    name = order.order_name if order.outcome == HearingOutcome.GRANTED else order.notice_name
    chronology.add(order.subject, "protection_breach", at, order, f"Breach of a {name}", agency=actor.agency)
    chronology.add(
        order.victim,
        "protection_breach",
        at,
        order,
        f"Breach of a {name} protecting them",
        agency=actor.agency,
    )
    return breach


@transaction.atomic
def idva_support_add(
    *,
    actor: Any,
    order: ProtectionOrder,
    contacted_at: datetime,
    method: str,
    support_accepted: bool = False,
    safety_plan: str = "",
    notes: str = "",
) -> IdvaSupport:
    """The IDVA's contact with the victim of a notice (the order is shared with the IDVA service)."""
    _require(may_record_idva(actor), "Only IDVAs record victim contact and safety plans")
    if not ProtectionOrder.objects.visible_to(actor).filter(pk=order.pk).exists():
        raise PermissionDenied("You cannot see this order")
    errors: dict[str, str] = {}
    if contacted_at is None:
        errors["contacted_at"] = "Enter when the victim was contacted"
    else:
        _not_future(errors, "contacted_at", contacted_at, "of the contact")
        if contacted_at < order.served_at - timedelta(days=1):
            errors["contacted_at"] = "The contact cannot be long before the notice was served"
    if errors:
        raise ValidationError(errors)
    support = IdvaSupport(
        owning_agency=actor.agency,
        district=order.district,
        order=order,
        contacted_at=contacted_at,
        method=method,
        support_accepted=bool(support_accepted),
        safety_plan=(safety_plan or "").strip(),
        notes=(notes or "").strip(),
        recorded_by=actor,
    )
    support.full_clean()
    support.save()
    audit.record(
        actor,
        AuditAction.CREATE,
        support,
        fields=["contacted_at", "method", "support_accepted", "safety_plan"],
    )
    summary = f"IDVA contact ({support.get_method_display().lower()})"
    if support.support_accepted:
        summary += "; support accepted and safety plan agreed"
    chronology.add(order.victim, "idva_contact", contacted_at, support, summary, agency=actor.agency)
    return support


def expiry_reminders(*, today: date | None = None) -> list[ProtectionOrder]:
    """Tell the recording officer once about each made order in its last EXPIRY_REMINDER_DAYS."""
    today = today or timezone.localdate()
    sent = []
    window = today + timedelta(days=rules.EXPIRY_REMINDER_DAYS)
    for order in ProtectionOrder.objects.filter(
        outcome=HearingOutcome.GRANTED,
        expiry_reminded_at__isnull=True,
        expires_on__gte=today,
        expires_on__lte=window,
    ).select_related("recorded_by"):
        with transaction.atomic():
            notify.send(
                order.recorded_by,
                order,
                title=f"{order.order_name} ends soon",
                body=f"{order.order_name} {order.reference} is in force until {order.expires_on:%d %b %Y}. "
                "Review the victim's safety plan with the IDVA before it ends.",
                url=order_path(order),
                kind="protection_expiry",
                actor=REMINDER_JOB,
            )
            order.expiry_reminded_at = timezone.now()
            order.save(update_fields=["expiry_reminded_at"])
            audit.record(REMINDER_JOB, AuditAction.UPDATE, order, fields=["expiry_reminded_at"])
        sent.append(order)
    return sent


# --- Clare's Law -----------------------------------------------------------------------------------


@transaction.atomic
def disclosure_create(
    *,
    actor: Any,
    route: str,
    person_at_risk: Person,
    subject: Person,
    district: District,
    received_at: datetime,
    applicant_name: str = "",
    applicant_relationship: str = "",
) -> DisclosureApplication:
    """Open a Clare's Law case; the disclosure is due on the dvds clock (28 days)."""
    _require(may_record_police(actor), "Only police officers record Clare's Law applications")
    _sees(actor, person_at_risk, "person_at_risk")
    _sees(actor, subject, "subject")
    errors: dict[str, str] = {}
    if route not in Route.values:
        errors["route"] = "Select right to ask or right to know"
    if person_at_risk.pk == subject.pk:
        errors["subject"] = "The subject cannot be the person at risk"
    if not actor.agency.districts.filter(pk=district.pk).exists():
        errors["district"] = "Select a district your force serves"
    if received_at is None:
        errors["received_at"] = "Enter when the application was received"
    else:
        _not_future(errors, "received_at", received_at, "the application was received")
    if applicant_name.strip() and not applicant_relationship.strip():
        errors["applicant_relationship"] = "Enter the applicant's relationship to the person at risk"
    if errors:
        raise ValidationError(errors)
    clock = effective_clock(rules.DVDS_CLOCK, district.force, at=timezone.localtime(received_at).date())
    application = DisclosureApplication(
        owning_agency=actor.agency,
        district=district,
        route=route,
        person_at_risk=person_at_risk,
        subject=subject,
        applicant_name=applicant_name.strip(),
        applicant_relationship=applicant_relationship.strip(),
        received_at=received_at,
        due_at=rules.hearing_due(clock, received_at),
        recorded_by=actor,
    )
    application.full_clean()
    application.save()
    audit.record(
        actor,
        AuditAction.CREATE,
        application,
        fields=["route", "person_at_risk", "subject", "applicant_name", "received_at", "due_at"],
    )
    chronology.add(
        person_at_risk,
        "dvds_application",
        received_at,
        application,
        f"Clare's Law: {application.get_route_display().lower()} application received",
        agency=actor.agency,
    )
    return application


@transaction.atomic
def disclosure_advance(
    *,
    actor: Any,
    application: DisclosureApplication,
    stage: str,
    at: datetime,
    decision: str = "",
    decision_reasons: str = "",
    disclosed_to: str = "",
    safety_plan: str = "",
    delay_reason: str = "",
) -> DisclosureApplication:
    """Move a case to its next stage. The decision needs its reasons; a case closed after 28 days
    needs the reason for the delay."""
    _require(may_record_police(actor), "Only police officers record Clare's Law stages")
    _require_writer(actor, application)
    locked = DisclosureApplication.objects.select_for_update().get(pk=application.pk)
    errors: dict[str, str] = {}
    if stage not in rules.next_stages(locked.stage):
        allowed = (
            ", ".join(DisclosureStage(s).label.lower() for s in rules.next_stages(locked.stage)) or "none"
        )
        raise ValidationError(
            {"stage": f"From {locked.get_stage_display().lower()} the case can move to: {allowed}"}
        )
    previous = max(
        [
            t
            for t in (
                locked.received_at,
                locked.initial_contact_at,
                locked.checks_completed_at,
                locked.face_to_face_at,
                locked.decision_at,
            )
            if t
        ]
    )
    if at is None:
        errors["at"] = "Enter when this stage happened"
    else:
        _not_future(errors, "at", at, "of this stage")
        if at < previous:
            errors["at"] = "A stage cannot be before the stage recorded before it"
    if stage == DisclosureStage.DECISION:
        if decision not in Decision.values:
            errors["decision"] = "Select disclose or no disclosure"
        if not (decision_reasons or "").strip():
            errors["decision_reasons"] = "Enter the reasons for the decision"
    if stage in rules.CLOSED_STAGES:
        if stage == DisclosureStage.DISCLOSED and locked.decision != Decision.DISCLOSE:
            errors["stage"] = "The panel decided not to disclose: close the case as no disclosure"
        if stage == DisclosureStage.NOT_DISCLOSED and locked.decision != Decision.NO_DISCLOSURE:
            errors["stage"] = "The panel decided to disclose: record the disclosure"
        if stage == DisclosureStage.DISCLOSED and not (disclosed_to or "").strip():
            errors["disclosed_to"] = "Enter who the disclosure was made to"
        if at is not None and at > locked.due_at and not (delay_reason or locked.delay_reason).strip():
            errors["delay_reason"] = "The case is past its 28 days: enter the reason for the delay"
    if errors:
        raise ValidationError(errors)
    changed = ["stage"]
    locked.stage = stage
    if stage in rules.STAGE_FIELDS:
        setattr(locked, rules.STAGE_FIELDS[stage], at)
        changed.append(rules.STAGE_FIELDS[stage])
    if stage == DisclosureStage.DECISION:
        locked.decision, locked.decision_reasons = decision, decision_reasons.strip()
        changed += ["decision", "decision_reasons"]
    if stage in rules.CLOSED_STAGES:
        locked.completed_at = at
        locked.disclosed_to = (disclosed_to or "").strip()
        locked.safety_plan = (safety_plan or "").strip()
        changed += ["completed_at", "disclosed_to", "safety_plan"]
    if (delay_reason or "").strip():
        locked.delay_reason = delay_reason.strip()
        changed.append("delay_reason")
    locked.full_clean()
    locked.save()
    audit.record(actor, AuditAction.UPDATE, locked, fields=changed)
    if stage in (DisclosureStage.DECISION, *rules.CLOSED_STAGES):
        chronology.add(
            locked.person_at_risk,
            f"dvds_{stage}",
            at,
            locked,
            f"Clare's Law: {locked.get_stage_display().lower()}",
            agency=actor.agency,
        )
    return locked


@transaction.atomic
def disclosure_delay_reason(
    *, actor: Any, application: DisclosureApplication, delay_reason: str
) -> DisclosureApplication:
    _require(may_record_police(actor), "Only police officers record Clare's Law cases")
    _require_writer(actor, application)
    if not (delay_reason or "").strip():
        raise ValidationError({"delay_reason": "Enter the reason for the delay"})
    locked = DisclosureApplication.objects.select_for_update().get(pk=application.pk)
    locked.delay_reason = delay_reason.strip()
    locked.full_clean()
    locked.save()
    audit.record(actor, AuditAction.UPDATE, locked, fields=["delay_reason"])
    return locked


# --- criminal-justice outcomes and IDVA car deployments ------------------------------------------


@transaction.atomic
def cj_outcome_record(
    *, actor: Any, contact: Contact, outcome: str, outcome_at: datetime
) -> CriminalJusticeOutcome:
    """Record (or change) the criminal-justice outcome of a domestic abuse contact."""
    _require(may_record_police(actor), "Only police officers record criminal-justice outcomes")
    _require_writer(actor, contact)
    errors: dict[str, str] = {}
    if contact.category != Category.DOMESTIC:
        errors["contact"] = "Outcomes are recorded for domestic abuse contacts"
    if outcome not in rules.FINAL_OUTCOMES and outcome != rules.LIVE_OUTCOME:
        errors["outcome"] = "Select the criminal-justice outcome"
    if outcome_at is None:
        errors["outcome_at"] = "Enter the date of the outcome"
    else:
        _not_future(errors, "outcome_at", outcome_at, "of the outcome")
        if outcome_at < contact.received_at:
            errors["outcome_at"] = "The outcome cannot be before the contact"
    if errors:
        raise ValidationError(errors)
    row = CriminalJusticeOutcome.objects.filter(contact=contact).first()
    created = row is None
    if row is None:
        row = CriminalJusticeOutcome(
            owning_agency=contact.owning_agency, district=contact.district, contact=contact
        )
    row.outcome, row.outcome_at, row.recorded_by = outcome, outcome_at, actor
    row.full_clean()
    row.save()
    audit.record(
        actor, AuditAction.CREATE if created else AuditAction.UPDATE, row, fields=["outcome", "outcome_at"]
    )
    return row


def contact_by_reference(reference: str, incident_on: date) -> Contact | None:
    """The domestic abuse contact with this police reference received on this day, or None.

    Both must match, so a wrong reference tells the caller nothing about other contacts.
    """
    ref = (reference or "").strip().upper()
    if ref.startswith("C-"):
        ref = ref[2:]
    if len(ref) != 8 or any(c not in "0123456789ABCDEF" for c in ref) or incident_on is None:
        return None
    for contact in Contact.objects.filter(id__startswith=ref.lower(), category=Category.DOMESTIC):
        if timezone.localtime(contact.received_at).date() == incident_on:
            return contact
    return None


@transaction.atomic
def deployment_create(
    *,
    actor: Any,
    contact_reference: str,
    incident_on: date,
    deployed_at: datetime,
    call_sign: str = "",
    victim_engaged: bool = False,
    support_accepted: bool = False,
    safety_plan: bool = False,
    notes: str = "",
) -> IdvaDeployment:
    """An IDVA car attended a police domestic abuse contact (found by its reference and date)."""
    _require(may_record_idva(actor), "Only IDVAs record IDVA car deployments")
    errors: dict[str, str] = {}
    contact = contact_by_reference(contact_reference, incident_on)
    if contact is None:
        errors["contact_reference"] = "No domestic abuse contact has that police reference on that date"
    elif IdvaDeployment.objects.filter(contact=contact).exists():
        errors["contact_reference"] = "An IDVA car deployment is already recorded for this contact"
    if deployed_at is None:
        errors["deployed_at"] = "Enter when the IDVA car was deployed"
    else:
        _not_future(errors, "deployed_at", deployed_at, "of the deployment")
        if contact is not None and deployed_at < contact.received_at:
            errors["deployed_at"] = "The deployment cannot be before the call"
    if support_accepted and not victim_engaged:
        errors["support_accepted"] = "Support can only be accepted by a victim who engaged"
    if errors:
        raise ValidationError(errors)
    deployment = IdvaDeployment(
        owning_agency=actor.agency,
        district=contact.district,
        contact=contact,
        contact_reference=contact.reference,
        deployed_at=deployed_at,
        call_sign=(call_sign or "").strip(),
        victim_engaged=bool(victim_engaged),
        support_accepted=bool(support_accepted),
        safety_plan=bool(safety_plan),
        notes=(notes or "").strip(),
        recorded_by=actor,
    )
    deployment.full_clean()
    deployment.save()
    audit.record(
        actor,
        AuditAction.CREATE,
        deployment,
        fields=["contact", "deployed_at", "victim_engaged", "support_accepted", "safety_plan"],
    )
    return deployment


# --- the scrutiny panel ----------------------------------------------------------------------------


@transaction.atomic
def sample_draw(
    *,
    actor: Any,
    title: str,
    period_start: date,
    period_end: date,
    seed: int,
    size: int,
    exclude_live: bool = True,
    exclude_reviewed: bool = True,
) -> ScrutinySample:
    """Draw a reproducible sample of closed domestic abuse contacts, stratified by district, and
    freeze each case's anonymised pack."""
    from safehub.protection import packs, selectors

    _require(may_record_police(actor), "Only police officers draw scrutiny samples")
    errors: dict[str, str] = {}
    if not (title or "").strip():
        errors["title"] = "Enter a title for the panel round"
    if period_start is None or period_end is None:
        errors["period_end"] = "Enter the period to sample from"
    elif period_end < period_start:
        errors["period_end"] = "The end of the period must be after its start"
    elif period_end > timezone.localdate():
        errors["period_end"] = "The period cannot end in the future"
    if seed is None or seed < 0:
        errors["seed"] = "Enter a seed (a whole number, 0 or more)"
    if size is None or size < 1:
        errors["size"] = "Enter a sample size of at least 1"
    if errors:
        raise ValidationError(errors)
    pool = selectors.sample_pool(
        actor, period_start, period_end, exclude_live=exclude_live, exclude_reviewed=exclude_reviewed
    )
    try:
        drawn = rules.draw_sample([(str(c.pk), c.district.code) for c in pool.eligible], size, seed)
    except rules.SampleError as exc:
        raise ValidationError({"size": str(exc)}) from None
    strata: dict[str, dict[str, int]] = {}
    for contact in pool.eligible:
        strata.setdefault(contact.district.code, {"eligible": 0, "drawn": 0})["eligible"] += 1
    for _, stratum in drawn:
        strata[stratum]["drawn"] += 1
    sample = ScrutinySample(
        owning_agency=actor.agency,
        district=actor.district or pool.eligible[0].district,
        title=title.strip(),
        period_start=period_start,
        period_end=period_end,
        seed=seed,
        size=size,
        exclude_live=exclude_live,
        exclude_reviewed=exclude_reviewed,
        eligible_count=len(pool.eligible),
        excluded_count=sum(pool.excluded.values()),
        strata={"districts": strata, "excluded": pool.excluded},
        drawn_by=actor,
        drawn_at=timezone.now(),
    )
    sample.full_clean()
    sample.save()
    contacts = {str(c.pk): c for c in pool.eligible}
    for number, (contact_id, stratum) in enumerate(drawn, start=1):
        contact = contacts[contact_id]
        case = ScrutinyCase(
            sample=sample,
            number=number,
            contact=contact,
            district_code=stratum,
            pack=packs.case_pack(contact, number),
        )
        case.full_clean()
        case.save()
        audit.record(
            actor, AuditAction.READ, contact, reason=f"Drawn for scrutiny panel round {sample.title}"
        )
    audit.record(
        actor,
        AuditAction.CREATE,
        sample,
        fields=["title", "period_start", "period_end", "seed", "size", "exclude_live", "exclude_reviewed"],
    )
    return sample


@transaction.atomic
def case_findings(
    *, actor: Any, case: ScrutinyCase, good_practice: str, areas_for_development: str, themes: list[str]
) -> ScrutinyCase:
    _require(may_record_police(actor), "Only police officers record the panel's findings")
    _require_writer(actor, case.sample)
    errors: dict[str, str] = {}
    if not (good_practice or "").strip() and not (areas_for_development or "").strip():
        errors["good_practice"] = "Enter the good practice or the areas for development the panel found"
    try:
        validate_themes(list(themes or []))
    except ValidationError as exc:
        errors["themes"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    case.good_practice = (good_practice or "").strip()
    case.areas_for_development = (areas_for_development or "").strip()
    case.themes = list(dict.fromkeys(themes or []))
    case.reviewed_at = timezone.now()
    case.full_clean()
    case.save()
    audit.record(actor, AuditAction.UPDATE, case, fields=["good_practice", "areas_for_development", "themes"])
    return case


@transaction.atomic
def sample_recommendation(
    *,
    actor: Any,
    sample: ScrutinySample,
    text: str,
    owning_agency: Agency | None,
    owner: Any,
    due_on: date | None,
):
    """Feed a panel finding back as a recommendation on the one tracker (owner and due date)."""
    from safehub.recommendations import services as recommendation_services
    from safehub.recommendations.models import SourceKind

    _require(may_record_police(actor), "Only police officers record the panel's recommendations")
    _require_writer(actor, sample)
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": "The due date cannot be in the past"})
    made = recommendation_services.recommendation_create(
        actor=actor,
        source_kind=SourceKind.DA_SCRUTINY,
        source_reference=f"Domestic abuse scrutiny panel: {sample.title}",
        text=text,
        owning_agency=owning_agency,
        owner=owner,
        due_on=due_on,
        source=sample,
    )
    audit.record(actor, AuditAction.UPDATE, sample, fields=["recommendations"])
    return made
