"""Writes to missing-person records. Each takes keyword arguments and an actor, runs atomically,
validates before writing, audits, and writes the person's chronology where the timeline changes.
Nothing is stored unless everything is valid.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safehub.core import audit, histories, notify, rulesets
from safehub.core.clock_settings import effective_clock
from safehub.core.models import Agency, AgencyKind, AuditAction, ConsentStatus, District, LawfulBasis, Share
from safehub.core.roles import Role
from safehub.missing import rules, selectors
from safehub.missing.models import (
    EpisodeAction,
    EpisodeStatus,
    InterviewStatus,
    MissingEpisode,
    PlanAction,
    PlanActionStatus,
    PlanReview,
    ProblemPlan,
    ProfileKind,
    ProtocolProfile,
    ReturnInterview,
    RiskGrading,
    Routing,
)
from safehub.people import chronology
from safehub.people.models import Person

RECORDING_ROLES = (Role.MISSING_COORDINATOR, Role.OFFICER, Role.CALL_HANDLER)
EPISODE_SHARE_PURPOSE = "Missing child: return home interview and missing coordination"
INTERVIEW_SHARE_PURPOSE = "Return home interview findings for the missing person coordinator"
ALERT_JOB = "job:missing_alerts"


# --- who may do what -------------------------------------------------------------------------


def may_record(user: Any) -> bool:
    """Police officers, call handlers and missing person coordinators record episodes."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_person_level_access
        and user.has_role(*RECORDING_ROLES)
    )


def _require_person_level(actor: Any) -> None:
    if not getattr(actor, "has_person_level_access", False):
        raise PermissionDenied("Your role does not give access to person-level records")


def _require_writer(actor: Any, obj: Any) -> None:
    _require_person_level(actor)
    if not type(obj).objects.editable_by(actor).filter(pk=obj.pk).exists():
        raise PermissionDenied("You can read this record but not change it")


def _require_sees_person(actor: Any, person: Person) -> None:
    if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise ValidationError({"person": "Select a person you can see"})


def responsible_authority(district: District) -> Agency | None:
    """The local authority that offers return home interviews: children's social care of the district."""
    return (
        Agency.objects.filter(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, districts=district)
        .order_by("code")
        .first()
    )


def episode_path(episode: MissingEpisode) -> str:
    return reverse("missing:detail", args=[episode.pk])


def _share(actor: Any, obj: Any, *, to_agency: Agency, from_agency: Agency, purpose: str) -> None:
    if to_agency.pk == from_agency.pk:
        return
    share = Share(
        object_type=audit.object_label(obj),
        object_id=obj.pk,
        to_agency=to_agency,
        from_agency=from_agency,
        purpose=purpose,
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        condition="dpa_sch1_18",
        consent_status=ConsentStatus.NOT_SOUGHT,
        consent_note="Statutory duty to safeguard a missing child (DfE 2014 guidance)",
        granted_by=actor,
    )
    share.full_clean()
    share.save()
    audit.record(
        actor,
        AuditAction.SHARE,
        obj,
        fields=["to_agency", "purpose", "lawful_basis"],
        reason=f"Shared with {to_agency.name}: {purpose}",
    )


def _level(force: Any, code: str) -> Any:
    found = selectors.risk_level(force, code)
    if found is None:
        names = ", ".join(level.code for level in selectors.risk_levels(force))
        raise ValidationError({"risk_level": f"Select a risk level ({names})"})
    return found


# --- episodes --------------------------------------------------------------------------------


def repeat_status(person: Person, force: Any, as_of: datetime):
    """The repeat-missing rule fired for `person` as of `as_of` (from every app's history), or None."""
    history = histories.for_people([person.pk], until=as_of, types=("missing_episode",)).get(person.pk, [])
    ruleset = rulesets.ruleset_for(rules.REPEAT_RULESET, force, at=as_of)
    return rules.repeat_missing(ruleset, history, as_of)


@transaction.atomic
def episode_create(
    *,
    actor: Any,
    person: Person,
    district: District,
    reported_by_name: str,
    last_seen_at: datetime,
    last_seen_place: str,
    missing_from: str,
    risk_level: str,
    risk_rationale: str,
    reported_at: datetime | None = None,
    reported_by_relationship: str = "",
    reported_by_agency: Agency | None = None,
    last_seen_with: str = "",
    missing_from_detail: str = "",
    circumstances: str = "",
    immediate_risk_stated: bool = False,
    is_child: bool | None = None,
) -> MissingEpisode:
    """Record a report of a missing person, graded, routed (hospital rule) and with the person's
    current protocol profile attached. A child's episode is shared with the local authority."""
    if not may_record(actor):
        raise PermissionDenied("Only police officers and missing person coordinators record missing episodes")
    _require_sees_person(actor, person)
    if not actor.agency.districts.filter(pk=district.pk).exists():
        raise ValidationError({"district": "Select a district your agency serves"})
    reported = reported_at or timezone.now()
    if reported > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"reported_at": "The time reported cannot be in the future"})
    level = _level(district.force, risk_level)
    if not (risk_rationale or "").strip():
        raise ValidationError({"risk_rationale": "Enter the rationale for the risk grading"})
    if is_child is None:
        known = rules.is_child_on(person.date_of_birth, timezone.localtime(reported).date())
        is_child = True if known is None else known
    decision = rules.route_episode(
        missing_from=missing_from, immediate_risk_stated=bool(immediate_risk_stated)
    )
    episode = MissingEpisode(
        owning_agency=actor.agency,
        district=district,
        person=person,
        is_child=is_child,
        reported_at=reported,
        reported_by_name=(reported_by_name or "").strip(),
        reported_by_relationship=(reported_by_relationship or "").strip(),
        reported_by_agency=reported_by_agency,
        last_seen_at=last_seen_at,
        last_seen_place=(last_seen_place or "").strip(),
        last_seen_with=(last_seen_with or "").strip(),
        missing_from=missing_from,
        missing_from_detail=(missing_from_detail or "").strip(),
        circumstances=(circumstances or "").strip(),
        risk_level=level.code,
        immediate_risk_stated=bool(immediate_risk_stated),
        routing=decision.routing,
        routing_reason=decision.reason,
        routing_decided_at=timezone.now(),
        routing_decided_by=actor,
        profile=selectors.current_profile(person),
        recorded_by=actor,
    )
    episode.full_clean()
    episode.save()
    grading = RiskGrading(
        episode=episode,
        level=level.code,
        level_name=level.name,
        rationale=risk_rationale.strip(),
        graded_at=reported,
        graded_by=actor,
        is_initial=True,
    )
    grading.full_clean()
    grading.save()
    fired = repeat_status(person, district.force, reported)
    if fired is not None:
        episode.repeat_missing, episode.repeat_reason = True, fired.reason[:300]
        episode.save(update_fields=["repeat_missing", "repeat_reason"])
    audit.record(
        actor,
        AuditAction.CREATE,
        episode,
        fields=[
            "reported_at",
            "reported_by_name",
            "last_seen_at",
            "last_seen_place",
            "missing_from",
            "risk_level",
            "routing",
            "routing_reason",
            "profile",
        ],
    )
    if episode.profile is not None:
        audit.record(
            actor,
            AuditAction.READ,
            episode.profile,
            reason=f"Attached to missing episode {episode.reference} when reported",
        )
    if is_child:
        authority = responsible_authority(district)
        if authority is not None:
            _share(
                actor, episode, to_agency=authority, from_agency=actor.agency, purpose=EPISODE_SHARE_PURPOSE
            )
    summary = (
        f"Reported missing from {episode.get_missing_from_display().lower()}, graded {level.name.lower()}"
    )
    if episode.routing == Routing.NHS_TRUST:
        summary += "; NHS trust to locate (no police deployment)"
    if episode.repeat_missing:
        summary += "; repeat missing"
    chronology.add(person, "missing_reported", reported, episode, summary, agency=actor.agency)
    return episode


@transaction.atomic
def episode_regrade(
    *, actor: Any, episode: MissingEpisode, level: str, rationale: str, graded_at: datetime | None = None
) -> RiskGrading:
    """Grade the episode again; every grading is kept with its time, and the rationale is required."""
    _require_writer(actor, episode)
    locked = MissingEpisode.objects.select_for_update().get(pk=episode.pk)
    found = _level(locked.district.force, level)
    if not (rationale or "").strip():
        raise ValidationError({"rationale": "Enter the rationale for the new risk grading"})
    grading = RiskGrading(
        episode=locked,
        level=found.code,
        level_name=found.name,
        rationale=rationale.strip(),
        graded_at=graded_at or timezone.now(),
        graded_by=actor,
    )
    grading.full_clean()
    grading.save()
    previous = locked.risk_level
    locked.risk_level = found.code
    locked.save(update_fields=["risk_level", "updated_at"])
    episode.risk_level = found.code
    audit.record(actor, AuditAction.UPDATE, locked, fields=["risk_level"], reason="Risk regraded")
    if previous != found.code:
        chronology.add(
            locked.person,
            "missing_regraded",
            grading.graded_at,
            locked,
            f"Missing episode regraded to {found.name.lower()}",
            agency=actor.agency,
        )
    return grading


@transaction.atomic
def episode_action_add(
    *,
    actor: Any,
    episode: MissingEpisode,
    kind: str,
    description: str,
    result: str = "",
    at: datetime | None = None,
) -> EpisodeAction:
    _require_writer(actor, episode)
    if at is not None:
        earliest = episode.last_seen_at or episode.reported_at
        if earliest and at < earliest:
            raise ValidationError({"at": "The action must be at or after the time the person was last seen"})
        if at > timezone.now() + timedelta(minutes=5):
            raise ValidationError({"at": "The action's time cannot be in the future"})
    action = EpisodeAction(
        episode=episode,
        kind=kind,
        description=(description or "").strip(),
        result=(result or "").strip(),
        at=at or timezone.now(),
        recorded_by=actor,
    )
    action.full_clean()
    action.save()
    audit.record(actor, AuditAction.CREATE, action, fields=["kind", "description", "result"])
    return action


@transaction.atomic
def episode_found(
    *,
    actor: Any,
    episode: MissingEpisode,
    found_at: datetime,
    found_place: str,
    found_by: str,
    condition_on_return: list[str],
    return_notes: str = "",
) -> MissingEpisode:
    """Record the return. A child's return home interview becomes due on the `rhi` clock."""
    _require_writer(actor, episode)
    locked = MissingEpisode.objects.select_for_update().get(pk=episode.pk)
    if locked.status == EpisodeStatus.FOUND:
        raise ValidationError("This person has already been recorded as found")
    errors = {}
    if found_at is None:
        errors["found_at"] = "Enter when the person was found"
    elif found_at > timezone.now() + timedelta(minutes=5):
        errors["found_at"] = "The time found cannot be in the future"
    if not (found_place or "").strip():
        errors["found_place"] = "Enter where the person was found"
    if not (found_by or "").strip():
        errors["found_by"] = "Enter who found the person, or how they returned"
    if not condition_on_return:
        errors["condition_on_return"] = "Select the person's condition on return"
    if errors:
        raise ValidationError(errors)
    locked.status = EpisodeStatus.FOUND
    locked.found_at = found_at
    locked.found_place = found_place.strip()
    locked.found_by = found_by.strip()
    locked.condition_on_return = list(dict.fromkeys(condition_on_return))
    locked.return_notes = (return_notes or "").strip()
    locked.full_clean()
    locked.save()
    audit.record(
        actor,
        AuditAction.UPDATE,
        locked,
        fields=["status", "found_at", "found_place", "found_by", "condition_on_return", "return_notes"],
    )
    chronology.add(
        locked.person,
        "missing_found",
        found_at,
        locked,
        f"Found after {rules.duration_text(locked.duration).lower()}: "
        + ", ".join(label.lower() for label in locked.condition_labels),
        agency=actor.agency,
    )
    if locked.is_child:
        _interview_create(actor, locked)
    episode.refresh_from_db()
    return locked


def _interview_create(actor: Any, episode: MissingEpisode) -> ReturnInterview:
    if not episode.is_child:
        raise ValidationError(
            {"episode": "Return home interviews are for children: this episode is recorded as an adult's"}
        )
    if episode.found_at is None:
        raise ValidationError({"episode": "Record the return before the return home interview"})
    if ReturnInterview.objects.filter(episode=episode).exists():
        raise ValidationError({"episode": "This episode already has a return home interview"})
    authority = responsible_authority(episode.district) or episode.owning_agency
    clock = effective_clock("rhi", episode.district.force, at=timezone.localtime(episode.found_at).date())
    interview = ReturnInterview(
        owning_agency=authority,
        district=episode.district,
        episode=episode,
        person=episode.person,
        due_at=rules.interview_due(clock, episode.found_at),
    )
    interview.full_clean()
    interview.save()
    audit.record(actor, AuditAction.CREATE, interview, fields=["episode", "due_at", "status"])
    _share(
        actor,
        interview,
        to_agency=episode.owning_agency,
        from_agency=authority,
        purpose=INTERVIEW_SHARE_PURPOSE,
    )
    notify.send(
        authority,
        interview,
        title="Return home interview to offer",
        body=f"A child was found after missing episode {episode.reference}. Offer an independent return "
        f"home interview by {timezone.localtime(interview.due_at):%d %b %Y at %H:%M}.",
        url=reverse("missing:interview", args=[interview.pk]),
        due_at=interview.due_at,
        kind="missing_rhi",
        actor=actor,
    )
    return interview


@transaction.atomic
def return_interview_create(*, actor: Any, episode: MissingEpisode) -> ReturnInterview:
    """Open the return home interview for a found child's episode (done automatically on return)."""
    _require_writer(actor, episode)
    return _interview_create(actor, episode)


INTERVIEW_FIELDS = (
    "interviewer_name",
    "interviewer_organisation",
    "interviewer_independent",
    "decline_reason",
    "where_stayed",
    "who_with",
    "push_factors",
    "pull_factors",
    "exploitation_indicators",
    "child_words",
    "notes",
)


@transaction.atomic
def return_interview_update(
    *,
    actor: Any,
    interview: ReturnInterview,
    status: str | None = None,
    at: datetime | None = None,
    **fields: Any,
) -> ReturnInterview:
    """Move the interview on (offered, accepted or declined, completed) and record its themes."""
    _require_writer(actor, interview)
    unknown = sorted(set(fields) - set(INTERVIEW_FIELDS))
    if unknown:
        raise ValidationError({name: "This field cannot be changed here" for name in unknown})
    locked = ReturnInterview.objects.select_for_update().get(pk=interview.pk)
    when = at or timezone.now()
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    if status and status != locked.status:
        if status not in rules.next_statuses(locked.status):
            raise ValidationError(
                {
                    "status": f"An interview that is {locked.get_status_display().lower()} "
                    f"cannot become {status}"
                }
            )
        if when < locked.episode.found_at:
            raise ValidationError({"at": "The time must be after the child was found"})
        locked.status = status
        changed.append("status")
        if status == InterviewStatus.OFFERED:
            locked.offered_at = when
        elif status in (InterviewStatus.ACCEPTED, InterviewStatus.DECLINED):
            locked.responded_at = when
        elif status == InterviewStatus.COMPLETED:
            locked.completed_at = when
            locked.responded_at = locked.responded_at or when
    locked.full_clean()
    locked.save()
    audit.record(actor, AuditAction.UPDATE, locked, fields=changed)
    if "status" in changed:
        chronology.add(
            locked.person,
            f"missing_rhi_{locked.status}",
            when,
            locked,
            f"Return home interview {locked.get_status_display().lower()}",
            agency=actor.agency,
        )
    return locked


# --- protocol profiles -----------------------------------------------------------------------


def _photo(photo: bytes | None) -> tuple[bytes | None, str]:
    if photo is None:
        return None, ""
    try:
        return bytes(photo), rules.photo_content_type(bytes(photo))
    except rules.PhotoError as exc:
        raise ValidationError({"photo": str(exc)}) from None


PROFILE_FIELDS = ("description", "medical_needs", "places", "contacts", "previous_addresses", "routines")


@transaction.atomic
def profile_create(
    *, actor: Any, person: Person, kind: str, description: str, photo: bytes | None = None, **fields: Any
) -> ProtocolProfile:
    """Hold a Philomena or Herbert profile in advance; it replaces the person's earlier profile from
    the same agency. Owned by the actor's agency (care provider, local authority or family's agency)."""
    _require_person_level(actor)
    _require_sees_person(actor, person)
    unknown = sorted(set(fields) - set(PROFILE_FIELDS))
    if unknown:
        raise ValidationError({name: "Unknown profile field" for name in unknown})
    if kind not in ProfileKind.values:
        raise ValidationError({"kind": "Select Philomena or Herbert protocol"})
    data, content_type = _photo(photo)
    profile = ProtocolProfile(
        owning_agency=actor.agency,
        district=person.district,
        person=person,
        kind=kind,
        description=(description or "").strip(),
        photo=data,
        photo_content_type=content_type,
        recorded_by=actor,
        **{name: (value or "").strip() for name, value in fields.items()},
    )
    profile.full_clean()
    earlier = ProtocolProfile.objects.filter(person=person, owning_agency=actor.agency, active=True)
    earlier.update(active=False)
    profile.save()
    audit.record(actor, AuditAction.CREATE, profile, fields=["kind", "description", "photo", *fields])
    chronology.add(
        person,
        "protocol_profile",
        profile.reviewed_at,
        profile,
        f"{profile.get_kind_display()} completed",
        agency=actor.agency,
    )
    return profile


@transaction.atomic
def profile_update(
    *, actor: Any, profile: ProtocolProfile, photo: bytes | None = None, **fields: Any
) -> ProtocolProfile:
    _require_writer(actor, profile)
    unknown = sorted(set(fields) - set(PROFILE_FIELDS))
    if unknown:
        raise ValidationError({name: "Unknown profile field" for name in unknown})
    changed = [name for name, value in fields.items() if getattr(profile, name) != (value or "").strip()]
    for name, value in fields.items():
        setattr(profile, name, (value or "").strip())
    if photo is not None:
        profile.photo, profile.photo_content_type = _photo(photo)
        changed.append("photo")
    profile.reviewed_at = timezone.now()
    profile.full_clean()
    profile.save()
    audit.record(actor, AuditAction.UPDATE, profile, fields=changed)
    return profile


# --- problem-solving plans -------------------------------------------------------------------


PLAN_FIELDS = ("scan", "analyse", "respond", "assess", "owner", "review_date")
PLAN_ACTION_FIELDS = ("status", "done_on", "done_note", "owner", "review_date", "description")


def _review_date_errors(review_date: date | None, field: str = "review_date") -> dict[str, str]:
    if review_date is None:
        return {field: "Enter the review date"}
    if review_date < timezone.localdate():
        return {field: "The review date must be today or in the future"}
    return {}


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    person: Person,
    owner: str,
    review_date: date,
    scan: str = "",
    analyse: str = "",
    respond: str = "",
    assess: str = "",
) -> ProblemPlan:
    _require_person_level(actor)
    if not MissingEpisode.objects.visible_to(actor).filter(person=person).exists():
        raise ValidationError({"person": "Select a person whose missing episodes you can see"})
    errors = _review_date_errors(review_date)
    if errors:
        raise ValidationError(errors)
    plan = ProblemPlan(
        owning_agency=actor.agency,
        district=person.district,
        person=person,
        scan=(scan or "").strip(),
        analyse=(analyse or "").strip(),
        respond=(respond or "").strip(),
        assess=(assess or "").strip(),
        owner=(owner or "").strip(),
        review_date=review_date,
        created_by=actor,
    )
    plan.full_clean()
    plan.save()
    audit.record(actor, AuditAction.CREATE, plan, fields=list(PLAN_FIELDS))
    chronology.add(
        person,
        "missing_plan",
        timezone.now(),
        plan,
        "Repeat-missing problem-solving plan agreed",
        agency=actor.agency,
    )
    return plan


@transaction.atomic
def plan_update(*, actor: Any, plan: ProblemPlan, **fields: Any) -> ProblemPlan:
    """Change the plan's SARA text, owner or review date (a new review date may not be in the past)."""
    _require_writer(actor, plan)
    unknown = sorted(set(fields) - set(PLAN_FIELDS))
    if unknown:
        raise ValidationError({name: "Unknown plan field" for name in unknown})
    locked = ProblemPlan.objects.select_for_update().get(pk=plan.pk)
    values = {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}
    changed = audit.changed_fields(locked, values)
    if "review_date" in changed:
        errors = _review_date_errors(values["review_date"])
        if errors:
            raise ValidationError(errors)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    audit.record(actor, AuditAction.UPDATE, locked, fields=changed)
    if changed:
        chronology.add(
            locked.person,
            "missing_plan_updated",
            timezone.now(),
            locked,
            "Repeat-missing problem-solving plan updated",
            agency=actor.agency,
        )
    plan.refresh_from_db()
    return locked


@transaction.atomic
def plan_review_record(
    *, actor: Any, plan: ProblemPlan, note: str, next_review_date: date, reviewed_on: date | None = None
) -> PlanReview:
    """Record that the plan was reviewed (what changed) and move its review date on."""
    _require_writer(actor, plan)
    locked = ProblemPlan.objects.select_for_update().get(pk=plan.pk)
    today = timezone.localdate()
    reviewed_on = reviewed_on or today
    errors = _review_date_errors(next_review_date, "next_review_date")
    if reviewed_on > today:
        errors["reviewed_on"] = "The review date cannot be in the future"
    if errors:
        raise ValidationError(errors)
    review = PlanReview(
        plan=locked,
        reviewed_on=reviewed_on,
        reviewed_by=actor,
        note=(note or "").strip(),
        previous_review_date=locked.review_date,
        next_review_date=next_review_date,
    )
    review.full_clean()
    review.save()
    locked.review_date = next_review_date
    locked.full_clean()
    locked.save(update_fields=["review_date", "updated_at"])
    audit.record(actor, AuditAction.CREATE, review, fields=["reviewed_on", "note", "next_review_date"])
    audit.record(actor, AuditAction.UPDATE, locked, fields=["review_date"], reason="Plan reviewed")
    chronology.add(
        locked.person,
        "missing_plan_reviewed",
        timezone.now(),
        locked,
        f"Repeat-missing problem-solving plan reviewed; next review {next_review_date:%-d %b %Y}",
        agency=actor.agency,
    )
    plan.refresh_from_db()
    return review


@transaction.atomic
def plan_action_add(
    *, actor: Any, plan: ProblemPlan, stage: str, description: str, owner: str, review_date: date
) -> PlanAction:
    _require_writer(actor, plan)
    action = PlanAction(
        plan=plan,
        stage=stage,
        description=(description or "").strip(),
        owner=(owner or "").strip(),
        review_date=review_date,
    )
    action.full_clean()
    action.save()
    audit.record(actor, AuditAction.CREATE, action, fields=["stage", "description", "owner", "review_date"])
    return action


@transaction.atomic
def plan_action_update(*, actor: Any, action: PlanAction, **fields: Any) -> PlanAction:
    """Tick an action off (done, with the date and a note), reopen it, or change its owner or review date.

    Reopening clears the done date. Completing an action writes the person's chronology."""
    _require_writer(actor, action)
    unknown = sorted(set(fields) - set(PLAN_ACTION_FIELDS))
    if unknown:
        raise ValidationError({name: "Unknown plan action field" for name in unknown})
    locked = PlanAction.objects.select_for_update().select_related("plan").get(pk=action.pk)
    values = {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}
    errors = {}
    status = values.get("status", locked.status)
    if status not in PlanActionStatus.values:
        errors["status"] = "Select open or done"
    done_on = values.get("done_on")
    if done_on is not None and done_on > timezone.localdate():
        errors["done_on"] = "The date done cannot be in the future"
    if errors:
        raise ValidationError(errors)
    if status == PlanActionStatus.OPEN:
        values["done_on"] = None
    elif "done_on" not in values and locked.status != PlanActionStatus.DONE:
        values["done_on"] = timezone.localdate()
    was_done = locked.status == PlanActionStatus.DONE
    changed = audit.changed_fields(locked, values)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    audit.record(actor, AuditAction.UPDATE, locked, fields=changed)
    if locked.status == PlanActionStatus.DONE and not was_done:
        chronology.add(
            locked.plan.person,
            "missing_plan_action_done",
            timezone.now(),
            locked.plan,
            f"Problem-solving plan action done ({locked.get_stage_display().lower()} stage)",
            agency=actor.agency,
        )
    action.refresh_from_db()
    return locked


# --- jobs --------------------------------------------------------------------------------------


def overdue_interview_alerts(*, now: datetime | None = None) -> list[ReturnInterview]:
    """Notify the responsible authority once about each interview not offered by its due time.

    Idempotent: each interview is marked overdue_notified_at, and a second run skips it.
    """
    now = now or timezone.now()
    due = (
        ReturnInterview.objects.filter(
            status=InterviewStatus.PENDING, due_at__lte=now, overdue_notified_at__isnull=True
        )
        .select_related("episode", "owning_agency")
        .order_by("due_at")
    )
    alerted = []
    for interview in list(due):
        with transaction.atomic():
            if not ReturnInterview.objects.filter(pk=interview.pk, overdue_notified_at__isnull=True).update(
                overdue_notified_at=now
            ):
                continue
            audit.record(ALERT_JOB, AuditAction.UPDATE, interview, fields=["overdue_notified_at"])
            notify.send(
                interview.owning_agency,
                interview,
                title="Return home interview overdue",
                body=f"The return home interview after missing episode {interview.episode.reference} was due "
                f"by {timezone.localtime(interview.due_at):%d %b %Y at %H:%M} and has not been offered.",
                url=reverse("missing:interview", args=[interview.pk]),
                due_at=interview.due_at,
                kind="missing_rhi_overdue",
                actor=ALERT_JOB,
            )
        alerted.append(interview)
    return alerted
