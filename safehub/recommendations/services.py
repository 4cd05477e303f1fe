"""Writes to the recommendations tracker, and the service other apps call to record the
recommendations their records make (`recommendation_create(..., source=record)`).

Each function takes keyword arguments and an actor, runs atomically, checks before writing
(ValidationError naming the field, nothing saved) and audits.
- Without `source`, only a safeguarding partnership manager of the partnership records one
  (HMICFRS, select committee, internal audit ...).
- With `source`, the calling app has already checked that the actor may change that record
  (the reviews app checks its partnership manager); the tracker checks the owner and due date.
- A recommendation with no owner or no due date is refused.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safehub.core import audit, notify
from safehub.core.models import Agency, AuditAction, District, Force, User
from safehub.recommendations import rules
from safehub.recommendations.models import (
    CLOSED_STATUSES,
    EvidenceNote,
    Finding,
    Recommendation,
    SourceKind,
    Status,
    is_partnership_manager,
)

OVERDUE_JOB = "job:recommendations_overdue"
# Local default, not a national figure: an overdue notice nobody acknowledges goes to the
# partnership manager who recorded the recommendation after this long.
OVERDUE_ESCALATE_AFTER = timedelta(days=2)
FIELDS = [
    "source_kind",
    "source_reference",
    "finding",
    "text",
    "owning_agency",
    "owner",
    "due_on",
    "district",
]


def _require_manager(actor: Any, force: Force) -> None:
    if not is_partnership_manager(actor) or actor.agency.force_id != force.pk:
        raise PermissionDenied("Only the safeguarding partnership manager can do this")


def _check_owner(
    *, force: Force, owning_agency: Any, owner: Any, due_on: Any, errors: dict[str, str]
) -> None:
    if not isinstance(owning_agency, Agency):
        errors["owning_agency"] = "Select the agency that owns the recommendation"
    elif owning_agency.force_id != force.pk:
        errors["owning_agency"] = "Select an agency in this partnership"
    if not isinstance(owner, User):
        errors["owner"] = "Select the person who owns the recommendation"
    elif not owner.is_active or not owner.has_person_level_access:
        errors["owner"] = "Select an active person with a practitioner or manager role"
    elif isinstance(owning_agency, Agency) and owner.agency_id != owning_agency.pk:
        errors["owner"] = f"Select a person in {owning_agency.name}"
    if not isinstance(due_on, date):
        errors["due_on"] = "Enter the due date"


@transaction.atomic
def recommendation_create(
    *,
    actor: Any,
    source_kind: str,
    source_reference: str,
    text: str,
    owning_agency: Agency | None,
    owner: User | None,
    due_on: date | None,
    district: District | None = None,
    source: Any = None,
    force: Force | None = None,
    finding: str = Finding.RECOMMENDATION,
) -> Recommendation:
    """Record one recommendation (or action) with its owner and due date; linked to `source` if given."""
    if not getattr(actor, "has_person_level_access", False):
        raise PermissionDenied("Your role cannot record recommendations")
    force = force or (district.force if district is not None else actor.agency.force)
    if source is None:
        _require_manager(actor, force)
    errors: dict[str, str] = {}
    if source_kind not in SourceKind.values:
        errors["source_kind"] = "Select where the recommendation came from"
    if finding not in Finding.values:
        errors["finding"] = (
            "Select whether it is a recommendation, an area for improvement, a cause of concern or an action"
        )
    if not (source_reference or "").strip():
        errors["source_reference"] = "Enter the inspection, review or panel and the recommendation's number"
    if not (text or "").strip():
        errors["text"] = "Enter the recommendation"
    if district is not None and district.force_id != force.pk:
        errors["district"] = "Select a district in this partnership"
    _check_owner(force=force, owning_agency=owning_agency, owner=owner, due_on=due_on, errors=errors)
    if errors:
        raise ValidationError(errors)
    recommendation = Recommendation(
        force=force,
        district=district,
        source_kind=source_kind,
        source_reference=source_reference.strip(),
        finding=finding,
        source_type=audit.object_label(source) if source is not None else "",
        source_id=source.pk if source is not None else None,
        text=text.strip(),
        owning_agency=owning_agency,
        owner=owner,
        due_on=due_on,
        created_by=actor,
    )
    recommendation.full_clean()
    recommendation.save()
    audit.record(actor, AuditAction.CREATE, recommendation, fields=FIELDS)
    return recommendation


@transaction.atomic
def recommendation_update(
    *, actor: Any, recommendation: Recommendation, status: str, note: str
) -> EvidenceNote:
    """Add a progress or evidence note and set the status (completed needs its evidence)."""
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if not Recommendation.objects.editable_by(actor).filter(pk=locked.pk).exists():
        raise PermissionDenied("You cannot update this recommendation")
    manager = is_partnership_manager(actor) and actor.agency.force_id == locked.force_id
    errors = rules.status_change_errors(current=locked.status, new=status, note=note, manager=manager)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    changed = ["status"] if locked.status != status else []
    locked.status = status
    locked.closed_at = (locked.closed_at or now) if status in CLOSED_STATUSES else None
    locked.full_clean()
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    entry = EvidenceNote(
        recommendation=locked,
        at=now,
        author=actor,
        author_agency=actor.agency,
        text=note.strip(),
        status=status,
    )
    entry.full_clean()
    entry.save()
    audit.record(actor, AuditAction.UPDATE, locked, fields=[*changed, "notes"])
    recommendation.status, recommendation.closed_at = locked.status, locked.closed_at
    return entry


@transaction.atomic
def recommendation_reassign(
    *,
    actor: Any,
    recommendation: Recommendation,
    owning_agency: Agency | None,
    owner: User | None,
    due_on: date | None,
) -> Recommendation:
    """Change the owner or due date (partnership manager). A new due date is told again when it passes."""
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    _require_manager(actor, locked.force)
    if locked.status in CLOSED_STATUSES:
        raise ValidationError({"status": "This recommendation is closed: reopen it first"})
    errors: dict[str, str] = {}
    _check_owner(force=locked.force, owning_agency=owning_agency, owner=owner, due_on=due_on, errors=errors)
    if errors:
        raise ValidationError(errors)
    fields = audit.changed_fields(locked, {"owning_agency": owning_agency, "owner": owner, "due_on": due_on})
    locked.owning_agency, locked.owner, locked.due_on = owning_agency, owner, due_on
    if fields:
        locked.overdue_notified_at = None
    locked.full_clean()
    locked.save()
    audit.record(actor, AuditAction.UPDATE, locked, fields=fields)
    return locked


def overdue_recommendations(today: date | None = None):
    """Open items past their due date whose owner has not been told (index recommendation_agency_due)."""
    return (
        Recommendation.objects.overdue(today)
        .filter(overdue_notified_at__isnull=True)
        .select_related("owner", "created_by", "owning_agency")
        .order_by("due_on", "created_at")
    )


@transaction.atomic
def recommendation_overdue_notify(*, recommendation: Recommendation, actor: Any = OVERDUE_JOB) -> bool:
    """Tell the owner once (acknowledge; escalates to the partnership manager who recorded it).
    False when the owner was already told."""
    locked = (
        Recommendation.objects.select_for_update()
        .filter(pk=recommendation.pk, overdue_notified_at__isnull=True)
        .first()
    )
    if locked is None:
        return False
    escalate_to = recommendation.created_by if is_partnership_manager(recommendation.created_by) else None
    notify.send(
        recommendation.owner,
        recommendation,
        title="Recommendation overdue",
        body=f"A recommendation your agency owns ({recommendation.get_source_kind_display()}) was due on "
        f"{recommendation.due_on.day} {recommendation.due_on:%B %Y}. Open it, add the evidence or a "
        "progress note, and acknowledge this notification.",
        url=reverse("recommendations:detail", args=[recommendation.pk]),
        ack_required=True,
        escalate_after=OVERDUE_ESCALATE_AFTER if escalate_to else None,
        escalate_to=escalate_to,
        kind="recommendation_overdue",
        actor=actor if isinstance(actor, User) else None,
    )
    locked.overdue_notified_at = timezone.now()
    locked.save(update_fields=["overdue_notified_at"])
    audit.record(actor, AuditAction.UPDATE, locked, fields=["overdue_notified_at"])
    recommendation.overdue_notified_at = locked.overdue_notified_at
    return True


__all__ = [
    "Status",
    "overdue_recommendations",
    "recommendation_create",
    "recommendation_overdue_notify",
    "recommendation_reassign",
    "recommendation_update",
]
