"""The one way to write the audit trail: `record(actor, action, obj, fields=..., reason=...)`.

Services call it on every write and the scoped loaders in `safehub.core.access` on every read.
`actor` is a User, or a string naming a job ("job:import_policeuk"). Nothing here logs values.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from safehub.core.context import request_id_var, via_var
from safehub.core.models import AuditAction, AuditEvent


def object_label(obj: Any) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def person_id_of(obj: Any):
    """The person whose file `obj` is in, if any (the person itself, or its `person`)."""
    if obj is None:
        return None
    if object_label(obj) == "people.person":
        return obj.pk
    return getattr(obj, "person_id", None)


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or isinstance(actor, str):
        return {"actor": None, "actor_label": actor or "system", "actor_agency_name": ""}
    if not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_label": "anonymous", "actor_agency_name": ""}
    agency = actor.agency.name if actor.agency_id else ""
    return {"actor": actor, "actor_label": actor.username, "actor_agency_name": agency}


def record(
    actor: Any,
    action: str,
    obj: Any = None,
    *,
    fields: Iterable[str] = (),
    reason: str = "",
    flagged: bool = False,
    object_type: str = "",
    object_id: str = "",
    person_id: Any = None,
) -> AuditEvent:
    """Append one audit event. Field names only, never their values."""
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}")
    return AuditEvent.objects.create(
        at=timezone.now(),
        action=action,
        object_type=object_type or (object_label(obj) if obj is not None else ""),
        object_id=object_id or (str(obj.pk) if obj is not None else ""),
        person_id=person_id or person_id_of(obj),
        fields=sorted(set(fields)),
        reason=reason,
        flagged=flagged,
        request_id=request_id_var.get(),
        via=via_var.get() or ("job" if isinstance(actor, str) else "cli"),
        **_actor_fields(actor),
    )


def record_listed(actor: Any, objects: Iterable[Any]) -> int:
    """One `listed` event per record shown in a list or search result (one query)."""
    now = timezone.now()
    base = _actor_fields(actor)
    events = [
        AuditEvent(
            at=now,
            action=AuditAction.LISTED,
            object_type=object_label(obj),
            object_id=str(obj.pk),
            person_id=person_id_of(obj),
            request_id=request_id_var.get(),
            via=via_var.get() or "cli",
            **base,
        )
        for obj in objects
    ]
    AuditEvent.objects.bulk_create(events)
    return len(events)


def changed_fields(instance: Any, data: dict[str, Any]) -> list[str]:
    """Names of the fields in `data` whose value differs from `instance` (for update events)."""
    return sorted(name for name, value in data.items() if getattr(instance, name) != value)
