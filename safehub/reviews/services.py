"""Writes for child safeguarding practice reviews. Each takes keyword arguments and an actor, runs
atomically, checks before writing (ValidationError naming the field, nothing saved), audits and
writes the child's chronology. Only a safeguarding partnership manager who may change the review
(its owning agency) runs it; other readers get 403 on a write.

Deadlines come only from the partnership's effective clocks (`core.clock_settings`), started on
the day the step happened.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safehub.core import audit
from safehub.core.clock_settings import effective_clock
from safehub.core.models import Agency, AuditAction, District, User
from safehub.core.roles import Role
from safehub.people import chronology
from safehub.people.models import Person
from safehub.recommendations import services as recommendation_services
from safehub.recommendations.models import Recommendation, SourceKind
from safehub.reviews import rules
from safehub.reviews.models import Decision, IncidentKind, LearningTheme, PracticeReview


def facts_of(review: PracticeReview) -> rules.Facts:
    return rules.Facts(
        notification_due_at=review.notification_due_at,
        notified_at=review.notified_at,
        rapid_review_due_at=review.rapid_review_due_at,
        rapid_review_on=review.rapid_review_on,
        decision=review.decision,
        lcspr_started_on=review.lcspr_started_on,
        publication_due_at=review.publication_due_at,
        published_on=review.published_on,
    )


def may_run_reviews(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_person_level_access
        and user.has_role(Role.PARTNERSHIP_MANAGER)
    )


def _require_runner(actor: Any, review: PracticeReview | None = None) -> None:
    if not may_run_reviews(actor):
        raise PermissionDenied("Only a safeguarding partnership manager runs practice reviews")
    if review is not None and not PracticeReview.objects.editable_by(actor).filter(pk=review.pk).exists():
        raise PermissionDenied("You can read this review but not change it")


def _lock(review: PracticeReview, expected: str) -> PracticeReview:
    locked = PracticeReview.objects.select_for_update().get(pk=review.pk)
    current = rules.stage(facts_of(locked))
    if current != expected:
        raise ValidationError(
            {"__all__": f"This review is at another stage ({dict(_STAGE_NAMES)[current]}): reload the page"}
        )
    return locked


_STAGE_NAMES = (
    ("notification", "notification due"),
    ("rapid_review", "rapid review due"),
    ("decision", "decision due"),
    ("lcspr", "local review in progress"),
    ("published", "published"),
    ("closed", "closed"),
)


def _clock(clock_id: str, review: PracticeReview, on: date):
    return effective_clock(clock_id, review.district.force, at=on)


def _save(actor: Any, review: PracticeReview, fields: list[str], *, create: bool = False) -> None:
    review.full_clean()
    review.save()
    audit.record(actor, AuditAction.CREATE if create else AuditAction.UPDATE, review, fields=fields)


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


@transaction.atomic
def review_create(
    *,
    actor: Any,
    person: Person,
    reference: str,
    incident_kind: str,
    incident_on: date | None,
    incident_summary: str,
    learned_at: datetime | None,
    district: District | None = None,
) -> PracticeReview:
    """Record a serious incident the partnership has learned of; the notification clock starts."""
    _require_runner(actor)
    if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise PermissionDenied("You cannot see this child's record")
    now = timezone.now()
    errors: dict[str, str] = {}
    if not (reference or "").strip():
        errors["reference"] = "Enter the review's name, such as Child T"
    if incident_kind not in IncidentKind.values:
        errors["incident_kind"] = "Select whether the child died or was seriously harmed"
    if not (incident_summary or "").strip():
        errors["incident_summary"] = "Enter what happened"
    if not isinstance(learned_at, datetime):
        errors["learned_at"] = "Enter when the partnership learned of the incident"
    elif learned_at > now:
        errors["learned_at"] = "The date the partnership learned of the incident cannot be in the future"
    if not isinstance(incident_on, date):
        errors["incident_on"] = "Enter the date of the incident"
    elif incident_on > timezone.localdate():
        errors["incident_on"] = "The date of the incident cannot be in the future"
    elif isinstance(learned_at, datetime) and incident_on > _local_date(learned_at):
        errors["incident_on"] = "The incident must be on or before the day the partnership learned of it"
    district = district or actor.district or person.district
    if not actor.agency.districts.filter(pk=district.pk).exists():
        errors["district"] = f"{actor.agency.name} does not serve {district.name}"
    if errors:
        raise ValidationError(errors)
    review = PracticeReview(
        person=person,
        owning_agency=actor.agency,
        district=district,
        reference=reference.strip(),
        incident_kind=incident_kind,
        incident_on=incident_on,
        incident_summary=incident_summary.strip(),
        learned_at=learned_at,
        created_by=actor,
    )
    clock = effective_clock(rules.NOTIFICATION_CLOCK, district.force, at=_local_date(learned_at))
    review.notification_due_at = rules.notification_due(clock, learned_at)
    _save(
        actor,
        review,
        ["reference", "incident_kind", "incident_on", "incident_summary", "learned_at"],
        create=True,
    )
    chronology.add(
        person,
        "serious_incident",
        learned_at,
        review,
        f"Serious incident ({review.get_incident_kind_display().lower()}): safeguarding partnership "
        f"practice review {review.reference} opened",
        agency=actor.agency,
    )
    return review


@transaction.atomic
def review_notify(
    *, actor: Any, review: PracticeReview, notified_at: datetime | None, panel_reference: str = ""
) -> PracticeReview:
    """The serious incident notification was sent to the national panel: the rapid review clock starts."""
    _require_runner(actor, review)
    locked = _lock(review, "notification")
    if not isinstance(notified_at, datetime):
        raise ValidationError({"notified_at": "Enter when the notification was sent"})
    if notified_at > timezone.now():
        raise ValidationError({"notified_at": "The notification cannot be sent in the future"})
    if notified_at < locked.learned_at:
        raise ValidationError(
            {"notified_at": "The notification must be sent after the partnership learned of the incident"}
        )
    locked.notified_at = notified_at
    locked.panel_reference = (panel_reference or "").strip()
    locked.rapid_review_due_at = rules.rapid_review_due(
        _clock(rules.RAPID_REVIEW_CLOCK, locked, _local_date(notified_at)), notified_at
    )
    _save(actor, locked, ["notified_at", "panel_reference", "rapid_review_due_at"])
    late = "" if rules.on_time(notified_at, locked.notification_due_at) else " (after the 5 working days)"
    chronology.add(
        locked.person,
        "serious_incident_notified",
        notified_at,
        locked,
        f"Serious incident notified to the Child Safeguarding Practice Review Panel{late}",
        agency=actor.agency,
    )
    return locked


@transaction.atomic
def review_rapid_review(
    *, actor: Any, review: PracticeReview, held_on: date | None, findings: str
) -> PracticeReview:
    """The rapid review was held: its findings and immediate actions."""
    _require_runner(actor, review)
    locked = _lock(review, "rapid_review")
    if not isinstance(held_on, date):
        raise ValidationError({"held_on": "Enter the date of the rapid review"})
    errors = rules.step_date_errors(
        earliest=_local_date(locked.notified_at),
        value=held_on,
        today=timezone.localdate(),
        field="held_on",
        after="the day the notification was sent",
    )
    if not (findings or "").strip():
        errors["findings"] = "Enter the rapid review's findings and the immediate actions"
    if errors:
        raise ValidationError(errors)
    locked.rapid_review_on = held_on
    locked.rapid_review_findings = findings.strip()
    _save(actor, locked, ["rapid_review_on", "rapid_review_findings"])
    chronology.add(
        locked.person,
        "rapid_review",
        timezone.make_aware(datetime.combine(held_on, datetime.min.time())),
        locked,
        f"Rapid review held (practice review {locked.reference})",
        agency=actor.agency,
    )
    return locked


@transaction.atomic
def review_decide(
    *,
    actor: Any,
    review: PracticeReview,
    decision: str,
    rationale: str,
    decided_on: date | None,
    started_on: date | None = None,
) -> PracticeReview:
    """Decide whether to hold a local review, and why; a local review's publication clock starts."""
    _require_runner(actor, review)
    locked = _lock(review, "decision")
    errors: dict[str, str] = {}
    if decision not in Decision.values:
        errors["decision"] = "Select the decision on a local review"
    if not (rationale or "").strip():
        errors["rationale"] = "Enter the rationale for the decision"
    if not isinstance(decided_on, date):
        errors["decided_on"] = "Enter the date of the decision"
    else:
        errors.update(
            rules.step_date_errors(
                earliest=locked.rapid_review_on,
                value=decided_on,
                today=timezone.localdate(),
                field="decided_on",
                after="the rapid review",
            )
        )
    if decision == Decision.LOCAL_REVIEW:
        if not isinstance(started_on, date):
            errors["started_on"] = "Enter the date the local review starts"
        elif isinstance(decided_on, date):
            errors.update(
                rules.step_date_errors(
                    earliest=decided_on,
                    value=started_on,
                    today=timezone.localdate(),
                    field="started_on",
                    after="the decision",
                )
            )
    if errors:
        raise ValidationError(errors)
    locked.decision = decision
    locked.decision_rationale = rationale.strip()
    locked.decided_on = decided_on
    fields = ["decision", "decision_rationale", "decided_on"]
    if decision == Decision.LOCAL_REVIEW:
        locked.lcspr_started_on = started_on
        locked.publication_due_at = rules.publication_due(
            _clock(rules.PUBLICATION_CLOCK, locked, started_on), started_on
        )
        fields += ["lcspr_started_on", "publication_due_at"]
    _save(actor, locked, fields)
    chronology.add(
        locked.person,
        "practice_review_decision",
        timezone.make_aware(datetime.combine(decided_on, datetime.min.time())),
        locked,
        f"Practice review {locked.reference}: {locked.get_decision_display()}",
        agency=actor.agency,
    )
    return locked


@transaction.atomic
def review_set_themes(*, actor: Any, review: PracticeReview, themes: list[str]) -> PracticeReview:
    _require_runner(actor, review)
    locked = PracticeReview.objects.select_for_update().get(pk=review.pk)
    unknown = [t for t in themes if t not in LearningTheme.values]
    if unknown:
        raise ValidationError({"learning_themes": f"Unknown learning theme {', '.join(unknown)}"})
    locked.learning_themes = sorted(set(themes), key=LearningTheme.values.index)
    _save(actor, locked, ["learning_themes"])
    return locked


@transaction.atomic
def review_publish(
    *,
    actor: Any,
    review: PracticeReview,
    sent_to_panel_on: date | None,
    published_on: date | None,
    publication_url: str = "",
) -> PracticeReview:
    """The LCSPR report was sent to the panel and the Secretary of State, then published."""
    _require_runner(actor, review)
    locked = _lock(review, "lcspr")
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if not isinstance(sent_to_panel_on, date):
        errors["sent_to_panel_on"] = (
            "Enter the date the report was sent to the panel and the Secretary of State"
        )
    else:
        errors.update(
            rules.step_date_errors(
                earliest=locked.lcspr_started_on,
                value=sent_to_panel_on,
                today=today,
                field="sent_to_panel_on",
                after="the start of the local review",
            )
        )
    if not isinstance(published_on, date):
        errors["published_on"] = "Enter the date the report was published"
    elif isinstance(sent_to_panel_on, date):
        errors.update(
            rules.step_date_errors(
                earliest=sent_to_panel_on,
                value=published_on,
                today=today,
                field="published_on",
                after="the day it was sent to the panel",
            )
        )
    if not locked.learning_themes:
        errors["__all__"] = "Record the review's learning themes before publishing it"
    if errors:
        raise ValidationError(errors)
    locked.sent_to_panel_on = sent_to_panel_on
    locked.published_on = published_on
    locked.publication_url = (publication_url or "").strip()
    _save(actor, locked, ["sent_to_panel_on", "published_on", "publication_url"])
    chronology.add(
        locked.person,
        "practice_review_published",
        timezone.make_aware(datetime.combine(published_on, datetime.min.time())),
        locked,
        f"Local child safeguarding practice review {locked.reference} published",
        agency=actor.agency,
    )
    return locked


@transaction.atomic
def review_recommendation_add(
    *,
    actor: Any,
    review: PracticeReview,
    text: str,
    owning_agency: Agency | None,
    owner: User | None,
    due_on: date | None,
    district: District | None = None,
) -> Recommendation:
    """A recommendation or action from the rapid review or the local review, on the one tracker."""
    _require_runner(actor, review)
    current = rules.stage(facts_of(review))
    if current in ("notification", "rapid_review"):
        raise ValidationError(
            {
                "__all__": "Recommendations come from the rapid review or the local review: "
                "record the rapid review first"
            }
        )
    where = "local review" if review.decision == Decision.LOCAL_REVIEW else "rapid review"
    made = recommendation_services.recommendation_create(
        actor=actor,
        source_kind=SourceKind.PRACTICE_REVIEW,
        source_reference=f"Practice review {review.reference} ({where})",
        text=text,
        owning_agency=owning_agency,
        owner=owner,
        due_on=due_on,
        district=district or review.district,
        source=review,
    )
    audit.record(actor, AuditAction.UPDATE, review, fields=["recommendations"])
    return made
