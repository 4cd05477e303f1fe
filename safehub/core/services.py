"""Writes to core records: shares and break-glass reviews. Each is atomic and audited."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safehub.core import audit
from safehub.core.access import can_edit
from safehub.core.models import Agency, AuditAction, BreakGlass, ConsentStatus, Share
from safehub.core.models.sharing import BreakGlassReview
from safehub.core.roles import Role


@transaction.atomic
def share_create(
    *,
    actor: Any,
    obj: Any,
    to_agency: Agency,
    purpose: str,
    lawful_basis: str,
    consent_status: str,
    condition: str = "",
    consent_note: str = "",
    expires_at: datetime | None = None,
) -> Share:
    """Open `obj` (read-only) to `to_agency`. Only those who may change the record may share it."""
    if not can_edit(actor, obj):
        raise PermissionDenied("Only the owning agency or its district MASH can share this record")
    errors = {}
    if to_agency.pk == actor.agency_id:
        errors["to_agency"] = "Select a partner agency: your own agency can already see this record"
    if consent_status in (ConsentStatus.REFUSED, ConsentStatus.NOT_SOUGHT) and not consent_note.strip():
        errors["consent_note"] = "Enter why you are sharing without consent"
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = "The share must end in the future"
    if errors:
        raise ValidationError(errors)
    share = Share(
        object_type=audit.object_label(obj),
        object_id=obj.pk,
        to_agency=to_agency,
        from_agency=actor.agency,
        purpose=purpose.strip(),
        lawful_basis=lawful_basis,
        condition=condition,
        consent_status=consent_status,
        consent_note=consent_note.strip(),
        granted_by=actor,
        expires_at=expires_at,
    )
    share.full_clean()
    share.save()
    audit.record(
        actor,
        AuditAction.SHARE,
        obj,
        fields=["to_agency", "purpose", "lawful_basis", "consent_status"],
        reason=f"Shared with {to_agency.name}: {share.purpose}",
    )
    return share


@transaction.atomic
def share_revoke(*, actor: Any, share: Share, obj: Any) -> Share:
    if not can_edit(actor, obj):
        raise PermissionDenied("Only the owning agency or its district MASH can revoke a share")
    if share.revoked_at is not None:
        raise ValidationError("This share has already been revoked")
    share.revoked_at = timezone.now()
    share.revoked_by = actor
    share.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(actor, AuditAction.REVOKE_SHARE, obj, reason=f"Share with {share.to_agency.name} revoked")
    return share


@transaction.atomic
def break_glass_review(*, actor: Any, grant: BreakGlass, outcome: str, note: str) -> BreakGlass:
    if not actor.has_role(Role.AUDITOR):
        raise PermissionDenied("Only an auditor can review emergency access")
    if outcome not in (BreakGlassReview.JUSTIFIED, BreakGlassReview.NOT_JUSTIFIED):
        raise ValidationError({"outcome": "Select whether the emergency access was justified"})
    if grant.review != BreakGlassReview.PENDING:
        raise ValidationError("This emergency access has already been reviewed")
    if outcome == BreakGlassReview.NOT_JUSTIFIED and not note.strip():
        raise ValidationError({"note": "Enter why the emergency access was not justified"})
    grant.review = outcome
    grant.reviewed_by = actor
    grant.reviewed_at = timezone.now()
    grant.review_note = note.strip()
    grant.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_note"])
    audit.record(
        actor,
        AuditAction.BREAK_GLASS_REVIEW,
        grant,
        object_type=grant.object_type,
        object_id=str(grant.object_id),
        person_id=grant.object_id if grant.object_type == "people.person" else None,
        reason=f"{grant.get_review_display()}: {grant.review_note}",
    )
    return grant
