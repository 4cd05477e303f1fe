"""The audit trail's hash chain: seal the events written since the last seal, and verify every seal.

Each `AuditSeal` holds the SHA-256 of the seal before it followed by one canonical line per event
in its run (by id). Sealing is a job (`safehub audit seal`, from cron every few minutes), not part
of each write, so writers never wait on one another for the chain's head. Only events older than a
grace period are sealed, so a transaction that took its id a moment ago but commits later is never
left outside a sealed run.

`verify()` recomputes every seal from the events: an event changed, removed or slipped into a
sealed run, or a seal changed, is reported with the first seal it breaks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from safehub.core.models import AuditEvent, AuditSeal

GRACE = timedelta(minutes=2)
BATCH = 5_000
_FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_label",
    "actor_agency_name",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "fields",
    "reason",
    "flagged",
    "request_id",
    "via",
)


def canonical(row: dict[str, Any]) -> bytes:
    """One event as the bytes the chain hashes: stable across databases, backups and restores."""
    values = dict(row)
    at = values["at"]
    values["at"] = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    for key in ("actor_id", "person_id"):
        values[key] = str(values[key]) if values[key] is not None else None
    values["fields"] = list(values["fields"] or [])
    return json.dumps([values[name] for name in _FIELDS], separators=(",", ":"), ensure_ascii=False).encode()


def digest_of(previous_digest: str, rows: Iterable[dict[str, Any]]) -> tuple[str, int]:
    """The digest of a run of events after `previous_digest`, and how many events it covered."""
    hasher = hashlib.sha256(previous_digest.encode())
    count = 0
    for row in rows:
        hasher.update(b"\n")
        hasher.update(canonical(row))
        count += 1
    return hasher.hexdigest(), count


def _rows(first_id: int, last_id: int):
    return (
        AuditEvent.objects.filter(id__gte=first_id, id__lte=last_id)
        .order_by("id")
        .values(*_FIELDS)
        .iterator(chunk_size=BATCH)
    )


def head() -> AuditSeal | None:
    return AuditSeal.objects.order_by("-id").first()


def seal(*, now=None, grace: timedelta = GRACE) -> AuditSeal | None:
    """Append one seal over every unsealed event older than `grace`; None when there is none."""
    now = now or timezone.now()
    with transaction.atomic():
        last = AuditSeal.objects.select_for_update().order_by("-id").first()
        after = last.last_event_id if last else 0
        pending = AuditEvent.objects.filter(id__gt=after, at__lt=now - grace)
        bounds = pending.order_by("id").values_list("id", flat=True)
        first_id = bounds.first()
        if first_id is None:
            return None
        last_id = bounds.last()
        previous = last.digest if last else ""
        digest, count = digest_of(previous, _rows(first_id, last_id))
        return AuditSeal.objects.create(
            sealed_at=now,
            first_event_id=first_id,
            last_event_id=last_id,
            event_count=count,
            previous_digest=previous,
            digest=digest,
        )


@dataclass
class Verification:
    seals: int = 0
    events: int = 0
    unsealed: int = 0
    head_digest: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "seals": self.seals,
            "sealed_events": self.events,
            "unsealed_events": self.unsealed,
            "head_digest": self.head_digest,
            "problems": self.problems,
        }


def verify(progress: Callable[[int, int], None] | None = None) -> Verification:
    """Recompute every seal in order; report each break (the chain is read, never changed)."""
    result = Verification()
    previous = ""
    after = 0
    total = AuditSeal.objects.count()
    for number, link in enumerate(AuditSeal.objects.order_by("id").iterator(), start=1):
        if link.previous_digest != previous:
            result.problems.append(f"Seal {link.id} does not follow the seal before it (the chain was cut)")
        if link.first_event_id <= after:
            result.problems.append(f"Seal {link.id} overlaps the events of the seal before it")
        gap = AuditEvent.objects.filter(id__gt=after, id__lt=link.first_event_id).count()
        if gap:
            result.problems.append(
                f"{gap} event(s) between seal {link.id} and the one before were never sealed"
            )
        digest, count = digest_of(link.previous_digest, _rows(link.first_event_id, link.last_event_id))
        if count != link.event_count:
            result.problems.append(
                f"Seal {link.id} covered {link.event_count} event(s); {count} are there now "
                f"(events {link.first_event_id}–{link.last_event_id} were removed or added)"
            )
        elif digest != link.digest:
            result.problems.append(
                f"Seal {link.id}: events {link.first_event_id}–{link.last_event_id} "
                "were changed after sealing"
            )
        result.seals += 1
        result.events += count
        previous, after = link.digest, link.last_event_id
        if progress:
            progress(number, total)
    result.head_digest = previous
    result.unsealed = AuditEvent.objects.filter(id__gt=after).count()
    return result
