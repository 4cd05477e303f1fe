"""Writes to MASH referrals. Each takes keyword arguments and an actor, runs atomically,
validates before writing, audits, and writes the subjects' chronology.

Every change to a referral's state takes `expected_version` (optimistic locking): the update
applies only if nobody changed the referral since the actor loaded it, otherwise `StaleReferral`
(carrying the current referral) is raised and nothing is written.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from safehub.core import audit, clocks, notify, rules, rulesets
from safehub.core.clock_settings import effective_clock
from safehub.core.models import (
    Agency,
    AgencyKind,
    AuditAction,
    ConsentStatus,
    District,
    LawfulBasis,
    Share,
    User,
)
from safehub.core.roles import Role
from safehub.people import chronology
from safehub.people import services as people_services
from safehub.people.models import Person
from safehub.referrals.models import (
    DECIDED_STATUSES,
    OPEN_STATUSES,
    ApprovalStatus,
    ChildSeen,
    ConcernCategory,
    Decision,
    InformationRequest,
    MashSettings,
    Outcome,
    Rag,
    Referral,
    ReferralSubject,
    RequestStatus,
    Source,
    Status,
)

STALE_MESSAGE = (
    "Someone else changed this referral while you were working on it. "
    "Here is the current version; check it and try again."
)
REFERRER_SHARE_PURPOSE = "Referrer feedback"
ESCALATION_RULESET = "mash-escalation"


class StaleReferral(ValidationError):
    """The referral changed since the actor loaded it: `current` is the referral as it is now."""

    def __init__(self, current: Referral) -> None:
        super().__init__(STALE_MESSAGE, code="stale")
        self.current = current


# --- who may do what -------------------------------------------------------------------------


def is_mash_for(user: Any, referral: Referral) -> bool:
    """A MASH practitioner or manager of the referral's district."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_person_level_access
        and user.district_wide_roles
        and user.district_id == referral.district_id
    )


def is_manager_for(user: Any, referral: Referral) -> bool:
    return is_mash_for(user, referral) and user.has_role(Role.MASH_MANAGER)


def sees_answers(user: Any, referral: Referral) -> bool:
    """The MASH of the district and the host agency see information requests and their answers."""
    return is_mash_for(user, referral) or (
        getattr(user, "has_person_level_access", False) and user.agency_id == referral.owning_agency_id
    )


def _require_mash(actor: Any, referral: Referral) -> None:
    if not is_mash_for(actor, referral):
        raise PermissionDenied("Only the district MASH can do this")


def _require_manager(actor: Any, referral: Referral) -> None:
    if not is_manager_for(actor, referral):
        raise PermissionDenied("Only a MASH manager of the district can approve decisions")


# --- settings and lookups --------------------------------------------------------------------


def settings_for(district: District) -> MashSettings:
    """The district's MASH settings, else the force's, else the defaults (unsaved)."""
    found = (
        MashSettings.objects.filter(force_id=district.force_id, district=district).first()
        or MashSettings.objects.filter(force_id=district.force_id, district__isnull=True).first()
    )
    return found or MashSettings(force_id=district.force_id)


def host_agency(district: District, *, adults_only: bool = False) -> Agency | None:
    """The MASH host: the social care agency serving the district (adult social care for adults)."""
    kinds = [AgencyKind.CHILDRENS_SOCIAL_CARE]
    if adults_only:
        kinds.insert(0, AgencyKind.ADULT_SOCIAL_CARE)
    for kind in kinds:
        agency = Agency.objects.filter(kind=kind, districts=district).order_by("code").first()
        if agency is not None:
            return agency
    return None


def mash_users(district: District, *roles: str):
    return (
        User.objects.filter(
            is_active=True,
            district=district,
            role_grants__role__in=roles or (Role.MASH_PRACTITIONER, Role.MASH_MANAGER),
        )
        .distinct()
        .order_by("username")
    )


def mash_manager(district: District, *, besides: Any = None) -> User | None:
    managers = list(mash_users(district, Role.MASH_MANAGER))
    others = [m for m in managers if besides is None or m.pk != besides.pk]
    return (others or managers or [None])[0]


def source_for(agency: Agency) -> str:
    return {
        AgencyKind.POLICE: Source.POLICE_PPN,
        AgencyKind.SCHOOL: Source.SCHOOL,
        AgencyKind.HEALTH: Source.HEALTH,
        AgencyKind.CHILDRENS_SOCIAL_CARE: Source.SOCIAL_CARE,
        AgencyKind.ADULT_SOCIAL_CARE: Source.SOCIAL_CARE,
        AgencyKind.PROBATION: Source.PROBATION,
        AgencyKind.HOUSING: Source.HOUSING,
        AgencyKind.VOLUNTARY_SECTOR: Source.VOLUNTARY_SECTOR,
    }.get(agency.kind, Source.PUBLIC)


def detail_path(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


def _age_is_child(person: Person, on: datetime) -> bool:
    dob = person.date_of_birth
    if dob is None:
        return True  # unknown age: treat as a child until the MASH knows otherwise
    day = timezone.localtime(on).date()
    age = day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
    return age < 18


def _summary(referral: Referral) -> str:
    return ", ".join(label.lower() for label in referral.category_labels)


def _chronology(referral: Referral, kind: str, at: datetime, summary: str, agency: Any) -> None:
    for subject in referral.subjects.select_related("person"):
        chronology.add(subject.person, kind, at, referral, summary, agency=agency)


# --- optimistic locking ------------------------------------------------------------------------


def _check_version(expected_version: Any) -> int:
    try:
        return int(expected_version)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            {"version": "Reload the referral: the version it was loaded at is missing"}
        ) from exc


def _claim(referral: Referral, expected_version: Any, **changes: Any) -> Referral:
    """Apply `changes` and bump the version if nobody changed the referral since `expected_version`."""
    version = _check_version(expected_version)
    updated = Referral.objects.filter(pk=referral.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if not updated:
        raise StaleReferral(Referral.objects.get(pk=referral.pk))
    referral.refresh_from_db()
    return referral


def _bump(referral: Referral, **changes: Any) -> Referral:
    """Apply `changes` and bump the version unconditionally (actions that take no version)."""
    Referral.objects.filter(pk=referral.pk).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    referral.refresh_from_db()
    return referral


# --- create ----------------------------------------------------------------------------------


def _subject_entries(actor: Any, district: District, subjects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not subjects:
        raise ValidationError({"subjects": "Add at least one person the referral is about"})
    entries = []
    seen = set()
    for index, item in enumerate(subjects):
        person = item.get("person")
        new_person = item.get("new_person")
        if (person is None) == (new_person is None):
            raise ValidationError({"subjects": f"subjects[{index}]: give either a person or a new person"})
        if person is not None:
            if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
                raise ValidationError({"subjects": f"subjects[{index}]: select a person you can see"})
            if person.pk in seen:
                raise ValidationError({"subjects": f"subjects[{index}]: this person is already added"})
            seen.add(person.pk)
        entries.append({"person": person, "new_person": new_person, "is_child": item.get("is_child")})
    return entries


@transaction.atomic
def referral_create(
    *,
    actor: Any,
    district: District,
    categories: list[str],
    what_happened: str,
    consent_status: str,
    lawful_basis: str,
    subjects: list[dict[str, Any]],
    source: str = "",
    risks: str = "",
    strengths: str = "",
    consent_note: str = "",
    condition: str = "",
    child_seen: str = ChildSeen.NOT_APPLICABLE,
    seen_alone: str = "",
    wishes_and_feelings: str = "",
    received_at: datetime | None = None,
    ppn_id: Any = None,
) -> Referral:
    """Make a referral to the district MASH about one or more people (each a Person or new_person).

    `subjects` items: {"person": Person} or {"new_person": {person fields}}, with optional "is_child".
    Nothing is stored unless everything is valid.
    """
    if not getattr(actor, "has_person_level_access", False):
        raise PermissionDenied("Your role does not give access to person-level records")
    if not actor.agency.districts.filter(pk=district.pk).exists():
        raise ValidationError({"district": "Select a district your agency serves"})
    entries = _subject_entries(actor, district, subjects)
    now = timezone.now()
    received = received_at or now
    adults_only = all(e["is_child"] is False for e in entries) or (
        all(e["person"] is not None for e in entries)
        and all(
            e["is_child"] is False or (e["is_child"] is None and not _age_is_child(e["person"], received))
            for e in entries
        )
    )
    host = host_agency(district, adults_only=adults_only)
    if host is None:
        raise ValidationError({"district": "No MASH host agency (social care) serves this district"})
    referral = Referral(
        owning_agency=host,
        district=district,
        referring_agency=actor.agency,
        referrer=actor,
        received_at=received,
        source=source or source_for(actor.agency),
        categories=list(categories or []),
        what_happened=(what_happened or "").strip(),
        risks=(risks or "").strip(),
        strengths=(strengths or "").strip(),
        consent_status=consent_status,
        consent_note=(consent_note or "").strip(),
        lawful_basis=lawful_basis,
        condition=condition or "",
        child_seen=child_seen or ChildSeen.NOT_APPLICABLE,
        seen_alone=seen_alone or "",
        wishes_and_feelings=(wishes_and_feelings or "").strip(),
        ppn_id=ppn_id,
    )
    referral.full_clean()
    referral.save()
    children = False
    for entry in entries:
        person = entry["person"]
        if person is None:
            new = dict(entry["new_person"])
            new_district = new.pop("district", None) or district
            person = people_services.person_create(actor=actor, district=new_district, **new)
        is_child = entry["is_child"] if entry["is_child"] is not None else _age_is_child(person, received)
        children = children or is_child
        subject = ReferralSubject(referral=referral, person=person, is_child=is_child)
        subject.full_clean()
        subject.save()
    if children:
        force = district.force
        referral.decision_due_at = clocks.due(effective_clock("referral-decision", force), received)
        referral.save(update_fields=["decision_due_at"])
    audit.record(
        actor,
        AuditAction.CREATE,
        referral,
        fields=["source", "categories", "what_happened", "risks", "strengths", "consent_status", "subjects"],
    )
    if actor.agency_id != host.pk:
        share = Share(
            object_type=audit.object_label(referral),
            object_id=referral.pk,
            to_agency=actor.agency,
            from_agency=host,
            purpose=REFERRER_SHARE_PURPOSE,
            lawful_basis=LawfulBasis.PUBLIC_TASK,
            consent_status=referral.consent_status,
            consent_note=referral.consent_note or "The referrer's own referral, shared back for feedback",
            granted_by=actor,
        )
        share.full_clean()
        share.save()
        audit.record(
            actor,
            AuditAction.SHARE,
            referral,
            fields=["to_agency", "purpose", "lawful_basis"],
            reason=f"Shared with {actor.agency.name}: {REFERRER_SHARE_PURPOSE}",
        )
    _chronology(
        referral,
        "mash_referral",
        received,
        f"MASH referral received ({referral.get_source_display().lower()}): {_summary(referral)}",
        actor.agency,
    )
    return referral


@transaction.atomic
def referral_from_ppn(*, actor: Any, ppn: Any) -> Referral:
    """Take a police PPN awaiting the MASH into the queue as a referral; mark the PPN referred."""
    from safehub.contacts.models import ConcernType, PpnStatus, PublicProtectionNotice

    locked = PublicProtectionNotice.objects.select_for_update().get(pk=ppn.pk)
    if not (actor.district_wide_roles and actor.district_id == locked.district_id):
        raise PermissionDenied("Only the district MASH takes PPNs into its queue")
    if locked.status != PpnStatus.AWAITING_MASH:
        raise ValidationError("This PPN is already in the MASH queue")
    category = {
        ConcernType.DOMESTIC_ABUSE: ConcernCategory.DOMESTIC_ABUSE,
        ConcernType.CHILD_AT_RISK: ConcernCategory.NEGLECT,
        ConcernType.EXPLOITATION: ConcernCategory.CCE,
        ConcernType.MENTAL_HEALTH: ConcernCategory.MENTAL_HEALTH,
        ConcernType.MISSING: ConcernCategory.MISSING,
    }.get(locked.concern_type, ConcernCategory.OTHER)
    raiser = locked.raised_by
    referral = Referral(
        owning_agency=host_agency(locked.district, adults_only=locked.age_group == "adult")
        or locked.owning_agency,
        district=locked.district,
        referring_agency=locked.owning_agency,
        referrer=raiser,
        received_at=locked.raised_at,
        source=Source.POLICE_PPN,
        categories=[category],
        what_happened=locked.summary,
        consent_status=ConsentStatus.NOT_SOUGHT,
        consent_note="Public protection notice: police share to safeguard without consent",
        lawful_basis=LawfulBasis.LAW_ENFORCEMENT,
        ppn_id=locked.pk,
    )
    referral.full_clean()
    referral.save()
    is_child = locked.age_group != "adult"
    ReferralSubject.objects.create(referral=referral, person=locked.person, is_child=is_child)
    if is_child:
        referral.decision_due_at = clocks.due(
            effective_clock("referral-decision", locked.district.force), referral.received_at
        )
        referral.save(update_fields=["decision_due_at"])
    if referral.owning_agency_id != locked.owning_agency_id:
        Share.objects.create(
            object_type=audit.object_label(referral),
            object_id=referral.pk,
            to_agency=locked.owning_agency,
            from_agency=referral.owning_agency,
            purpose=REFERRER_SHARE_PURPOSE,
            lawful_basis=LawfulBasis.PUBLIC_TASK,
            consent_status=ConsentStatus.NOT_SOUGHT,
            consent_note="The referrer's own referral, shared back for feedback",
            granted_by=actor,
        )
    locked.status = PpnStatus.REFERRED
    locked.referral_id = referral.pk
    locked.save(update_fields=["status", "referral_id", "updated_at"])
    audit.record(actor, AuditAction.CREATE, referral, fields=["ppn_id", "source", "categories"])
    audit.record(actor, AuditAction.UPDATE, locked, fields=["status", "referral_id"])
    _chronology(
        referral,
        "mash_referral",
        referral.received_at,
        f"MASH referral received (police PPN): {_summary(referral)}",
        actor.agency,
    )
    return referral


# --- triage ----------------------------------------------------------------------------------


def escalation_for(referral: Referral, rag: str) -> rules.Fired | None:
    """The escalation rule that fires for a child subject of `referral` rated `rag`, if any."""
    ruleset = rulesets.ruleset_for(ESCALATION_RULESET, referral.district.force, at=referral.received_at)
    for subject in referral.subjects.filter(is_child=True):
        earlier = (
            Referral.objects.filter(subjects__person_id=subject.person_id)
            .exclude(pk=referral.pk)
            .exclude(rag="")
            .distinct()
        )
        history = [
            rules.Event(
                "mash_referral",
                other.received_at,
                {"rag": Rag.GREEN if other.escalated else other.rag},
                str(other.pk),
            )
            for other in earlier
        ]
        history.append(rules.Event("mash_referral", referral.received_at, {"rag": rag}, str(referral.pk)))
        fired = rules.evaluate(ruleset, history, as_of=referral.received_at)
        if fired:
            return fired[0]
    return None


@transaction.atomic
def referral_triage(
    *, actor: Any, referral: Referral, expected_version: Any, rag: str, reason: str
) -> Referral:
    """RAG-rate the referral; its due time runs from receipt on the RAG's clock. Green referrals
    that meet the escalation rule (3 green about one child in 90 days) are raised to amber."""
    _require_mash(actor, referral)
    errors = {}
    if rag not in Rag.values:
        errors["rag"] = "Select a RAG rating"
    if not (reason or "").strip():
        errors["reason"] = "Enter the reason for the rating"
    if referral.status in DECIDED_STATUSES:
        errors["rag"] = "This referral is decided: it cannot be triaged again"
    if errors:
        raise ValidationError(errors)
    escalated, escalation_reason, final = False, "", rag
    if rag == Rag.GREEN:
        fired = escalation_for(referral, rag)
        if fired is not None:
            escalated, escalation_reason, final = (
                True,
                f"Raised from green to amber: {fired.reason}",
                Rag.AMBER,
            )
    force = referral.district.force
    due_at = clocks.due(effective_clock(f"mash-{final}", force), referral.received_at)
    now = timezone.now()
    status = referral.status if referral.status == Status.AWAITING_INFORMATION else Status.TRIAGED
    _claim(
        referral,
        expected_version,
        rag=final,
        rag_reason=reason.strip(),
        escalated=escalated,
        escalation_reason=escalation_reason,
        triaged_at=now,
        triaged_by=actor,
        due_at=due_at,
        status=status,
    )
    audit.record(
        actor,
        AuditAction.UPDATE,
        referral,
        fields=["rag", "rag_reason", "escalated", "escalation_reason", "due_at", "status"],
    )
    summary = f"MASH triage: {referral.get_rag_display().lower()}"
    if escalated:
        summary += " (escalated: repeated green referrals)"
    _chronology(referral, "mash_triage", now, summary, actor.agency)
    return referral


@transaction.atomic
def referral_assign(*, actor: Any, referral: Referral, expected_version: Any, assignee: Any) -> Referral:
    """Hand the referral to a MASH practitioner: they are notified and must acknowledge; if they do
    not within the partnership's time, a MASH manager of the district is told."""
    _require_mash(actor, referral)
    if not isinstance(assignee, User) or not mash_users(referral.district).filter(pk=assignee.pk).exists():
        raise ValidationError({"assignee": "Select a MASH practitioner or manager of this district"})
    if referral.status in (Status.APPROVED, Status.CLOSED):
        raise ValidationError({"assignee": "This referral is finished: it cannot be assigned"})
    _claim(referral, expected_version, assigned_to=assignee)
    audit.record(actor, AuditAction.UPDATE, referral, fields=["assigned_to"])
    minutes = settings_for(referral.district).ack_escalate_minutes
    manager = mash_manager(referral.district, besides=assignee)
    notify.send(
        assignee,
        referral,
        title=f"Referral {referral.reference} assigned to you",
        body="Open the referral in Safehub and acknowledge that you have it.",
        url=detail_path(referral),
        ack_required=True,
        due_at=referral.due_at,
        escalate_after=timedelta(minutes=minutes) if manager else None,
        escalate_to=manager,
        kind="assignment",
        actor=actor,
    )
    return referral


# --- information requests ----------------------------------------------------------------------


@transaction.atomic
def information_request_create(
    *,
    actor: Any,
    referral: Referral,
    to_agency: Agency,
    question: str,
    purpose: str,
    lawful_basis: str,
    due_at: datetime,
    person: Person | None = None,
    condition: str = "",
    expected_version: Any = None,
) -> InformationRequest:
    """The MASH asks a partner agency what it knows (purpose and lawful basis recorded: golden rule 7)."""
    _require_mash(actor, referral)
    errors = {}
    if referral.status not in OPEN_STATUSES:
        errors["referral"] = "This referral is decided: ask before the decision"
    if to_agency is None:
        errors["to_agency"] = "Select the agency to ask"
    if person is not None and not referral.subjects.filter(person=person).exists():
        errors["person"] = "Select a person the referral is about"
    if due_at is not None and due_at <= timezone.now():
        errors["due_at"] = "The answer must be due in the future"
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    request = InformationRequest(
        referral=referral,
        to_agency=to_agency,
        person=person,
        question=(question or "").strip(),
        purpose=(purpose or "").strip(),
        lawful_basis=lawful_basis,
        condition=condition or "",
        due_at=due_at,
        requested_by=actor,
        requested_at=now,
    )
    request.full_clean()
    request.save()
    changes = {"status": Status.AWAITING_INFORMATION}
    if expected_version is not None and expected_version != "":
        _claim(referral, expected_version, **changes)
    else:
        _bump(referral, **changes)
    audit.record(
        actor,
        AuditAction.SHARE,
        referral,
        fields=["question", "purpose", "lawful_basis", "due_at"],
        reason=f"Information requested from {to_agency.name}: {request.purpose}",
    )
    notify.send(
        to_agency,
        request,
        title=f"Request for information from the MASH ({referral.reference})",
        body="Open Requests for information in Safehub to answer it.",
        url=reverse("referrals:information_requests"),
        ack_required=True,
        due_at=due_at,
        kind="information_request",
        actor=actor,
    )
    return request


@transaction.atomic
def information_request_answer(*, actor: Any, request: InformationRequest, answer: str) -> InformationRequest:
    """The recipient agency answers; the MASH is told. Only the agency asked may answer."""
    if not getattr(actor, "has_person_level_access", False) or actor.agency_id != request.to_agency_id:
        raise PermissionDenied("Only the agency that was asked can answer")
    if not (answer or "").strip():
        raise ValidationError({"answer": "Enter what your agency knows"})
    now = timezone.now()
    claimed = InformationRequest.objects.filter(pk=request.pk, status=RequestStatus.SENT).update(
        answer=answer.strip(), answered_by=actor, answered_at=now, status=RequestStatus.ANSWERED
    )
    if not claimed:
        raise ValidationError({"answer": "This request has already been answered"})
    request.refresh_from_db()
    referral = request.referral
    audit.record(actor, AuditAction.UPDATE, request, fields=["answer"], person_id=request.person_id)
    waiting = referral.information_requests.filter(status=RequestStatus.SENT).exists()
    if not waiting and referral.status == Status.AWAITING_INFORMATION:
        _bump(referral, status=Status.TRIAGED)
    else:
        _bump(referral)
    notify.send(
        request.requested_by,
        referral,
        title=f"Information received for referral {referral.reference}",
        body=f"{actor.agency.name} answered your request.",
        url=detail_path(referral),
        ack_required=False,
        kind="information_answer",
        actor=actor,
    )
    if request.person_id:
        chronology.add(
            request.person,
            "mash_information",
            now,
            referral,
            f"Information shared with the MASH by {actor.agency.name}",
            agency=actor.agency,
        )
    return request


# --- decisions -------------------------------------------------------------------------------


def current_decision(referral: Referral) -> Decision | None:
    return referral.decisions.exclude(approval_status=ApprovalStatus.RETURNED).order_by("-decided_at").first()


def _notify_referrer(referral: Referral, decision: Decision, actor: Any) -> None:
    notify.send(
        referral.referrer,
        referral,
        title=f"Referral {referral.reference}: the MASH has decided",
        body="Open My referrals in Safehub to see the outcome and the feedback.",
        url=reverse("referrals:mine"),
        ack_required=False,
        kind="referral_feedback",
        actor=actor,
    )


@transaction.atomic
def decision_record(
    *,
    actor: Any,
    referral: Referral,
    expected_version: Any,
    outcome: str,
    rationale: str,
    feedback_text: str = "",
) -> Decision:
    """Record the MASH decision with its rationale; a manager approves it where the partnership
    requires, else the referrer is told at once."""
    _require_mash(actor, referral)
    errors = {}
    if outcome not in Outcome.values:
        errors["outcome"] = "Select the outcome"
    if not (rationale or "").strip():
        errors["rationale"] = "Enter the rationale for the decision"
    if referral.status not in OPEN_STATUSES:
        errors["outcome"] = "This referral already has a decision"
    if not referral.rag:
        errors["outcome"] = "Triage the referral (RAG rating) before deciding"
    if errors:
        raise ValidationError(errors)
    needs_approval = settings_for(referral.district).needs_approval(outcome)
    now = timezone.now()
    status = Status.AWAITING_APPROVAL if needs_approval else Status.DECIDED
    _claim(referral, expected_version, status=status)
    decision = Decision(
        referral=referral,
        outcome=outcome,
        rationale=rationale.strip(),
        feedback_text=(feedback_text or "").strip(),
        decided_by=actor,
        decided_at=now,
        approval_required=needs_approval,
        approval_status=ApprovalStatus.PENDING if needs_approval else ApprovalStatus.NOT_REQUIRED,
    )
    decision.full_clean()
    decision.save()
    audit.record(actor, AuditAction.CREATE, decision, fields=["outcome", "rationale", "feedback_text"])
    _chronology(
        referral, "mash_decision", now, f"MASH decision: {decision.get_outcome_display()}", actor.agency
    )
    if needs_approval:
        manager = mash_manager(referral.district, besides=actor)
        if manager is not None:
            notify.send(
                manager,
                referral,
                title=f"Referral {referral.reference}: decision needs your approval",
                url=detail_path(referral),
                ack_required=True,
                kind="approval",
                actor=actor,
            )
    else:
        _notify_referrer(referral, decision, actor)
    return decision


@transaction.atomic
def decision_approve(
    *, actor: Any, referral: Referral, expected_version: Any, approve: bool = True, note: str = ""
) -> Decision:
    """A MASH manager approves the decision (the referrer is told) or returns it for a new one."""
    _require_manager(actor, referral)
    decision = (
        referral.decisions.filter(approval_status=ApprovalStatus.PENDING).order_by("-decided_at").first()
    )
    if decision is None or referral.status != Status.AWAITING_APPROVAL:
        raise ValidationError({"approve": "There is no decision waiting for approval"})
    if not approve and not (note or "").strip():
        raise ValidationError({"note": "Enter why the decision is returned"})
    now = timezone.now()
    _claim(referral, expected_version, status=Status.APPROVED if approve else Status.TRIAGED)
    decision.approval_status = ApprovalStatus.APPROVED if approve else ApprovalStatus.RETURNED
    decision.approved_by = actor
    decision.approved_at = now
    decision.approval_note = (note or "").strip()
    decision.full_clean()
    decision.save()
    audit.record(actor, AuditAction.UPDATE, decision, fields=["approval_status", "approval_note"])
    if approve:
        _chronology(
            referral,
            "mash_decision",
            now,
            f"MASH decision approved: {decision.get_outcome_display()}",
            actor.agency,
        )
        _notify_referrer(referral, decision, actor)
    else:
        notify.send(
            decision.decided_by,
            referral,
            title=f"Referral {referral.reference}: decision returned by a manager",
            url=detail_path(referral),
            ack_required=True,
            kind="approval_returned",
            actor=actor,
        )
    return decision


def default_due(start: datetime | None = None) -> datetime:
    """A default due time for an information request: the end of the next working day."""
    start = start or timezone.now()
    return clocks.due(effective_clock("referral-decision"), start)
