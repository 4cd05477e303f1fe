"""Writes to modern slavery records: keyword-only, with an actor, atomic, validated before anything
is stored, audited, and (for an NRM referral, never an anonymous MS1) on the person's chronology."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safehub.core import audit, notify
from safehub.core.clock_settings import effective_clock
from safehub.core.models import AuditAction, District
from safehub.people import chronology
from safehub.people import rules as people_rules
from safehub.people.models import Person
from safehub.slavery import rules
from safehub.slavery.models import Consent, Decision, Kind, NrmReferral, Outcome, Sex, Status

CLOCK_ID = "nrm-reasonable-grounds"
ALERT_JOB = "job:nrm_overdue"
# The NRM began on 1 April 2009; the duty to notify on 1 November 2015.
NRM_STARTED = datetime(2009, 4, 1, tzinfo=UTC)
DTN_STARTED = datetime(2015, 11, 1, tzinfo=UTC)


def may_record(user: Any) -> bool:
    """A person-level user in a first responder organisation (police, local authority, named NGO)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_person_level_access
        and user.agency.kind in rules.FIRST_RESPONDER_KINDS
    )


def _require_recorder(actor: Any) -> None:
    if not may_record(actor):
        raise PermissionDenied(
            "Only first responder organisations refer to the NRM or notify the Home Office"
        )


def _require_writer(actor: Any, referral: NrmReferral) -> None:
    if not getattr(actor, "has_person_level_access", False):
        raise PermissionDenied("Your role does not give access to person-level records")
    if not NrmReferral.objects.editable_by(actor).filter(pk=referral.pk).exists():
        raise PermissionDenied("You can read this referral but not change it")


def _when_errors(field: str, moment: datetime | None, *, after: datetime, after_text: str) -> dict[str, str]:
    if moment is None:
        return {field: "Enter the date and time"}
    if not rules.not_future(moment, timezone.now()):
        return {field: "The date cannot be in the future"}
    if moment < after:
        return {field: f"The date cannot be before {after_text}"}
    return {}


@transaction.atomic
def referral_create(
    *,
    actor: Any,
    kind: str,
    district: District,
    exploitation_types: list[str],
    nationality: str,
    consent: str,
    referred_at: datetime,
    person: Person | None = None,
    county_lines: bool = False,
    sex: str = Sex.NOT_KNOWN,
    age_at_exploitation: int | None = None,
    age_at_referral: int | None = None,
    exploitation_in_uk: bool = True,
    circumstances: str = "",
    authority: str = "",
) -> NrmReferral:
    """Record an NRM referral (a person; a child always, an adult with consent) or an anonymous
    Duty to Notify MS1 (an adult without consent). The NRM referral starts the reasonable grounds clock."""
    _require_recorder(actor)
    errors: dict[str, str] = {}
    types = list(dict.fromkeys(exploitation_types or []))
    circumstances = (circumstances or "").strip()
    if kind not in Kind.values:
        raise ValidationError({"kind": "Select an NRM referral or a Duty to Notify (MS1)"})
    if kind == Kind.NRM:
        if person is None:
            errors["person"] = "Select the person referred to the NRM"
        elif not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
            errors["person"] = "Select a person you can see"
        elif age_at_referral is None and person.date_of_birth and referred_at:
            age_at_referral = people_rules.age_on(
                person.date_of_birth, timezone.localtime(referred_at).date()
            )
    else:
        if person is not None:
            errors["person"] = "An MS1 Duty to Notify is anonymous: it cannot name or link to a person"
        found = rules.identifying_details(circumstances)
        if found:
            errors["circumstances"] = (
                f"An MS1 Duty to Notify is anonymous: remove {' and '.join(found)} from the circumstances"
            )
        if kind == Kind.DTN and actor.agency.kind not in rules.DUTY_TO_NOTIFY_KINDS:
            errors["kind"] = "Only the police and local authorities have the duty to notify"
    if not consent and rules.is_child(age_at_referral):
        consent = Consent.NOT_NEEDED
    if age_at_referral is None:
        errors["age_at_referral"] = "Enter the age at referral (an estimate if it is not known)"
    if not actor.agency.districts.filter(pk=district.pk).exists():
        errors["district"] = "Select a district your agency serves"
    if not (nationality or "").strip():
        errors["nationality"] = "Enter the nationality (or 'Not known')"
    if sex not in Sex.values:
        errors["sex"] = "Select the sex"
    if consent not in Consent.values:
        errors["consent"] = "Select whether the person consents to an NRM referral"
    if authority and authority not in ("sca", "ieca"):
        errors["authority"] = "Select the SCA or the IECA"
    started = DTN_STARTED if kind == Kind.DTN else NRM_STARTED
    errors |= _when_errors(
        "referred_at", referred_at, after=started, after_text=f"{started:%d %B %Y}, when it began"
    )
    errors |= rules.exploitation_errors(types, county_lines)
    errors |= rules.age_errors(age_at_exploitation, age_at_referral)
    if "age_at_referral" not in errors and "consent" not in errors:
        if rules.is_child(age_at_referral):
            consent = Consent.NOT_NEEDED
        elif consent == Consent.NOT_NEEDED:
            errors["consent"] = "An adult must consent to an NRM referral: select whether they consent"
        errors |= {
            k: v
            for k, v in rules.route_errors(
                kind=kind, age_at_referral=age_at_referral, consent=consent
            ).items()
            if k not in errors
        }
    if errors:
        raise ValidationError(errors)
    referral = NrmReferral(
        kind=kind,
        person=person if kind == Kind.NRM else None,
        owning_agency=actor.agency,
        district=district,
        first_responder=actor.agency,
        exploitation_types=types,
        county_lines=county_lines,
        nationality=nationality.strip(),
        sex=sex,
        age_at_exploitation=age_at_exploitation,
        age_at_referral=age_at_referral,
        exploitation_in_uk=exploitation_in_uk,
        consent=consent,
        circumstances=circumstances,
        referred_at=referred_at,
        authority=authority if kind == Kind.NRM else "",
        status=Status.NOTIFIED if kind == Kind.DTN else Status.AWAITING_RG,
        recorded_by=actor,
    )
    if kind == Kind.NRM:
        clock = effective_clock(CLOCK_ID, district.force, at=timezone.localtime(referred_at).date())
        referral.rg_due_at = rules.reasonable_grounds_due(clock, referred_at)
    referral.full_clean()
    referral.save()
    audit.record(
        actor,
        AuditAction.CREATE,
        referral,
        fields=[
            "kind",
            "district",
            "exploitation_types",
            "county_lines",
            "nationality",
            "sex",
            "age_at_exploitation",
            "age_at_referral",
            "consent",
            "circumstances",
            "referred_at",
            *(["person", "rg_due_at", "authority"] if kind == Kind.NRM else []),
        ],
    )
    if kind == Kind.NRM:
        chronology.add(
            person,
            "nrm_referral",
            referred_at,
            referral,
            f"Referred to the NRM ({', '.join(referral.exploitation_labels).lower()}); "
            f"reasonable grounds decision due {timezone.localtime(referral.rg_due_at):%d %b %Y}",
            agency=actor.agency,
        )
    return referral


def _locked_nrm(referral: NrmReferral) -> NrmReferral:
    locked = NrmReferral.objects.select_for_update().get(pk=referral.pk)
    if locked.kind != Kind.NRM:
        raise ValidationError({"kind": "An MS1 Duty to Notify has no NRM decisions"})
    return locked


@transaction.atomic
def reasonable_grounds_record(
    *, actor: Any, referral: NrmReferral, decision: str, decided_at: datetime, authority: str = ""
) -> NrmReferral:
    """The competent authority's reasonable grounds decision; a positive one starts the recovery period."""
    _require_writer(actor, referral)
    locked = _locked_nrm(referral)
    if locked.rg_decision:
        raise ValidationError({"decision": "The reasonable grounds decision is already recorded"})
    if locked.status == Status.WITHDRAWN:
        raise ValidationError({"decision": "This referral was withdrawn"})
    errors: dict[str, str] = {}
    if decision not in Decision.values:
        errors["decision"] = "Select whether the reasonable grounds decision is positive or negative"
    if authority and authority not in ("sca", "ieca"):
        errors["authority"] = "Select the SCA or the IECA"
    errors |= _when_errors("decided_at", decided_at, after=locked.referred_at, after_text="the referral")
    if errors:
        raise ValidationError(errors)
    locked.rg_decision = decision
    locked.rg_decided_at = decided_at
    if authority:
        locked.authority = authority
    if decision == Decision.POSITIVE:
        locked.status = Status.RECOVERY
        locked.recovery_ends_at = rules.recovery_period_ends(decided_at)
    else:
        locked.status = Status.NEGATIVE_RG
    locked.full_clean()
    locked.save()
    audit.record(
        actor,
        AuditAction.UPDATE,
        locked,
        fields=["rg_decision", "rg_decided_at", "status", "recovery_ends_at"],
    )
    on_time = "on target" if locked.rg_on_time else "after the 5 working day target"
    chronology.add(
        locked.person,
        "nrm_reasonable_grounds",
        decided_at,
        locked,
        f"NRM reasonable grounds decision: {locked.get_rg_decision_display().lower()} ({on_time})",
        agency=actor.agency,
    )
    return locked


@transaction.atomic
def conclusive_grounds_record(
    *, actor: Any, referral: NrmReferral, decision: str, decided_at: datetime
) -> NrmReferral:
    """The conclusive grounds decision: after a positive reasonable grounds decision and recovery period."""
    _require_writer(actor, referral)
    locked = _locked_nrm(referral)
    if locked.cg_decision:
        raise ValidationError({"decision": "The conclusive grounds decision is already recorded"})
    errors: dict[str, str] = {}
    if decision not in Decision.values:
        errors["decision"] = "Select whether the conclusive grounds decision is positive or negative"
    if decided_at is None:
        errors["decided_at"] = "Enter the date and time"
    elif not rules.not_future(decided_at, timezone.now()):
        errors["decided_at"] = "The date cannot be in the future"
    if not errors:
        errors = rules.conclusive_errors(
            rg_decision=locked.rg_decision,
            rg_decided_at=locked.rg_decided_at,
            recovery_ends=locked.recovery_ends_at,
            decided_at=decided_at,
        )
    if errors:
        raise ValidationError(errors)
    locked.cg_decision = decision
    locked.cg_decided_at = decided_at
    locked.status = Status.POSITIVE_CG if decision == Decision.POSITIVE else Status.NEGATIVE_CG
    locked.full_clean()
    locked.save()
    audit.record(actor, AuditAction.UPDATE, locked, fields=["cg_decision", "cg_decided_at", "status"])
    chronology.add(
        locked.person,
        "nrm_conclusive_grounds",
        decided_at,
        locked,
        f"NRM conclusive grounds decision: {locked.get_cg_decision_display().lower()}",
        agency=actor.agency,
    )
    return locked


@transaction.atomic
def outcome_record(
    *, actor: Any, referral: NrmReferral, outcome: str, at: datetime | None = None, note: str = ""
) -> NrmReferral:
    """What happened next (support, leave, reconsideration, withdrawal...)."""
    _require_writer(actor, referral)
    locked = _locked_nrm(referral)
    at = at or timezone.now()
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = "Select the outcome"
    elif outcome == Outcome.MOVE_ON_SUPPORT and locked.cg_decision != Decision.POSITIVE:
        errors["outcome"] = "Move-on support follows a positive conclusive grounds decision"
    elif outcome == Outcome.OTHER and not (note or "").strip():
        errors["note"] = "Enter what the outcome was"
    errors |= _when_errors("at", at, after=locked.referred_at, after_text="the referral")
    if errors:
        raise ValidationError(errors)
    locked.outcome = outcome
    locked.outcome_at = at
    locked.outcome_note = (note or "").strip()
    if outcome == Outcome.WITHDRAWN:
        locked.status = Status.WITHDRAWN
    locked.full_clean()
    locked.save()
    audit.record(
        actor, AuditAction.UPDATE, locked, fields=["outcome", "outcome_at", "outcome_note", "status"]
    )
    chronology.add(
        locked.person,
        "nrm_outcome",
        at,
        locked,
        f"NRM outcome: {locked.get_outcome_display()}",
        agency=actor.agency,
    )
    return locked


def overdue_reasonable_grounds_alerts(*, now: datetime | None = None) -> list[NrmReferral]:
    """Tell the first responder once about each NRM referral whose reasonable grounds decision is
    past its 5 working day target, so they can chase the competent authority.

    Idempotent: each referral is marked rg_overdue_notified_at, and a second run skips it. The
    notification names the reference only, never the person.
    """
    now = now or timezone.now()
    due = (
        NrmReferral.objects.filter(
            kind=Kind.NRM, status=Status.AWAITING_RG, rg_due_at__lte=now, rg_overdue_notified_at__isnull=True
        )
        .select_related("owning_agency")
        .order_by("rg_due_at")
    )
    alerted = []
    for referral in list(due):
        with transaction.atomic():
            if not NrmReferral.objects.filter(pk=referral.pk, rg_overdue_notified_at__isnull=True).update(
                rg_overdue_notified_at=now
            ):
                continue
            audit.record(ALERT_JOB, AuditAction.UPDATE, referral, fields=["rg_overdue_notified_at"])
            notify.send(
                referral.owning_agency,
                referral,
                title="NRM reasonable grounds decision overdue",
                body=f"The reasonable grounds decision on NRM referral {referral.reference} was due by "
                f"{timezone.localtime(referral.rg_due_at):%d %b %Y at %H:%M} (5 working days). Chase the "
                "competent authority and record the decision when it arrives.",
                url=reverse("slavery:detail", args=[referral.pk]),
                due_at=referral.rg_due_at,
                kind="nrm_rg_overdue",
                actor=ALERT_JOB,
            )
        alerted.append(referral)
    return alerted
