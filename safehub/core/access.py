"""Scoped access: who may see and change which person-level record.

A user with a person-level role sees a record when any of these holds:
- the record's owning agency is the user's agency;
- the user holds a district-wide role (MASH) in the record's district;
- an active share opens the record (or the person's file it sits in) to the user's agency;
- the user has active break-glass (emergency) access to it.
Writes need the first or second. Aggregate roles (analyst, commissioner) and roles without
person-level access (auditor, admin) see no person-level record at all.

Views and API endpoints load records only through `load_for` (or a model's `visible_to`);
out-of-scope and malformed ids raise Http404 so existence is never leaked, and an in-scope record
the user may only read raises PermissionDenied (403) on a write.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from safehub.core import audit
from safehub.core.context import method_var
from safehub.core.models import AuditAction, BreakGlass, Share


def scope_filter(model: Any, user: Any, *, write: bool) -> Q | None:
    """The Q object selecting the records of `model` that `user` may read (or write); None for none."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.has_person_level_access:
        return None
    path = model.scope_path
    label = model.scope_label or f"{model._meta.app_label}.{model._meta.model_name}"
    condition = Q(**{f"{path}owning_agency_id": user.agency_id})
    if user.district_wide_roles and user.district_id:
        condition |= Q(**{f"{path}district_id": user.district_id})
    if not write:
        shared_ids = (
            Share.objects.active().filter(object_type=label, to_agency_id=user.agency_id).values("object_id")
        )
        glass_ids = BreakGlass.objects.active().filter(object_type=label, user=user).values("object_id")
        key = f"{path}id__in" if path else "id__in"
        condition |= Q(**{key: shared_ids}) | Q(**{key: glass_ids})
    return condition


def parse_id(value: Any) -> uuid.UUID:
    """A UUID from a URL or payload; anything else is a 404, never a 500."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError) as exc:
        raise Http404("No such record") from exc


def load_for(user: Any, model: Any, pk: Any, *, write: bool = False, audit_read: bool = True) -> Any:
    """Load one person-level record within the user's scope, or raise Http404/PermissionDenied.

    A read writes one audit event (`read`). A load for change on a GET (the form that shows the
    record before it is changed) is a read too; on any other method it only checks, and the
    service that makes the change writes the audit event.
    """
    if not getattr(user, "is_authenticated", False) or not user.has_person_level_access:
        raise PermissionDenied("Your role does not give access to person-level records")
    obj = model.objects.visible_to(user).filter(pk=parse_id(pk)).first()
    if obj is None:
        raise Http404("No such record")
    if write and not model.objects.editable_by(user).filter(pk=obj.pk).exists():
        raise PermissionDenied("You can read this record but not change it")
    if audit_read and (not write or method_var.get() in ("GET", "HEAD")):
        glass = access_route(user, obj) == "break_glass"
        audit.record(user, AuditAction.READ, obj, flagged=glass, reason="emergency access" if glass else "")
    return obj


def holds_role(user: Any, *roles: str) -> bool:
    """A signed-in user of an agency holding any of `roles`: who may open a partnership register
    that holds no personal data (the fund, the activity register), where agency scoping does not
    apply."""
    return bool(getattr(user, "is_authenticated", False) and user.agency_id and user.has_role(*roles))


def require_person_level(user: Any) -> None:
    """403 for a user whose role gives no person-level access (aggregate roles, auditors, admins)."""
    if not user.has_person_level_access:
        raise PermissionDenied("Your role does not give access to person-level records")


def access_route(user: Any, obj: Any) -> str:
    """How `user` sees `obj`: owner, district, share, break_glass or none (for display and audit)."""
    model = type(obj)
    path = model.scope_path
    root = obj
    for part in [p for p in path.split("__") if p]:
        root = getattr(root, part)
    if user.agency_id == root.owning_agency_id:
        return "owner"
    if user.district_wide_roles and user.district_id == root.district_id:
        return "district"
    label = model.scope_label or f"{model._meta.app_label}.{model._meta.model_name}"
    if (
        Share.objects.active()
        .filter(object_type=label, object_id=root.pk, to_agency_id=user.agency_id)
        .exists()
    ):
        return "share"
    if BreakGlass.objects.active().filter(object_type=label, object_id=root.pk, user=user).exists():
        return "break_glass"
    return "none"


def can_edit(user: Any, obj: Any) -> bool:
    return access_route(user, obj) in ("owner", "district")


@transaction.atomic
def break_glass_open(*, user: Any, obj: Any, reason: str) -> BreakGlass:
    """Grant `user` emergency read access to `obj` for a short time; flagged for the auditor."""
    reason = (reason or "").strip()
    if len(reason) < 20:
        from django.core.exceptions import ValidationError

        raise ValidationError({"reason": "Enter the reason for emergency access in at least 20 characters"})
    if not user.has_person_level_access:
        raise PermissionDenied("Your role does not give access to person-level records")
    now = timezone.now()
    grant = BreakGlass.objects.create(
        user=user,
        object_type=audit.object_label(obj),
        object_id=obj.pk,
        reason=reason,
        created_at=now,
        expires_at=now + timedelta(minutes=settings.BREAK_GLASS_MINUTES),
    )
    audit.record(user, AuditAction.BREAK_GLASS, obj, reason=reason, flagged=True)
    return grant
