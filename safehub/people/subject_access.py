"""Subject access: everything Safehub holds about one person, with third-party data flagged.

The export is built from Django's model registry, not from a list kept by hand: every model in any
app with a foreign key (or many-to-many) to `Person` contributes the rows that point at the
subject, and each row's parent records (the contact a `ContactPerson` row belongs to, the
referral a subject row belongs to) come with it. So a new module's records are in the export the
day the module lands, without changing this file.

What a reviewer must look at before release is listed in `redaction_review`:
- other people (another person's id and name on the same record): third-party data;
- free text (narratives, rationales, minutes): may name third parties;
- staff names: the DPO decides whether to release them.
The export itself is never logged; building it writes one `export` audit event.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from safehub.core import audit
from safehub.core.models import AuditAction, AuditEvent
from safehub.people import holdings
from safehub.people.models import Person

FORMAT = "safehub-subject-access-1"
# Fields that hold secrets or machinery rather than information about the person.
_SKIP_FIELDS = {"password", "photo_data", "search_vector"}


@dataclass
class SubjectAccessExport:
    subject: dict[str, Any]
    records: list[dict[str, Any]] = field(default_factory=list)
    chronology: list[dict[str, Any]] = field(default_factory=list)
    disclosures: list[dict[str, Any]] = field(default_factory=list)
    redaction_review: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "generated_at": timezone.now().isoformat(),
            "subject": self.subject,
            "records": self.records,
            "chronology": self.chronology,
            "disclosures": self.disclosures,
            "redaction_review": self.redaction_review,
            "counts": {
                "records": len(self.records),
                "chronology": len(self.chronology),
                "disclosures": len(self.disclosures),
                "redaction_review": len(self.redaction_review),
            },
        }


def _value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return f"<{len(value)} bytes of binary data>"
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return value


def _label(obj: models.Model) -> str:
    return obj._meta.label


def _describe(obj: models.Model, subject: Person, export: SubjectAccessExport, where: str) -> dict[str, Any]:
    """A record's own fields; other people and free text on it go into the redaction list."""
    values: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in _SKIP_FIELDS:
            continue
        raw = getattr(obj, f.attname)
        if f.is_relation:
            if f.related_model is Person and raw is not None and raw != subject.pk:
                other = Person._base_manager.filter(pk=raw).first()
                export.redaction_review.append(
                    {
                        "record": where,
                        "field": f.name,
                        "why": "third party: another person on this record",
                        "person_id": str(raw),
                        "name": str(other) if other else "",
                    }
                )
            elif f.related_model is apps.get_model("core", "User") and raw is not None:
                export.redaction_review.append(
                    {"record": where, "field": f.name, "why": "staff member: decide whether to release"}
                )
            values[f.name] = _value(raw)
            continue
        if isinstance(f, models.TextField) and raw:
            export.redaction_review.append(
                {"record": where, "field": f.name, "why": "free text: read for third-party data"}
            )
        values[f.name] = _value(raw)
    return values


def build(person: Person) -> SubjectAccessExport:
    """Everything held about `person` (no access check: the caller is the data protection officer)."""
    export = SubjectAccessExport(subject={})
    export.subject = _describe(person, person, export, f"people.Person {person.pk}")
    seen: set[tuple[str, Any]] = {(_label(person), person.pk)}
    for model, link in holdings.linking_models():
        rows = model._base_manager.filter(**{link.name: person}).order_by("pk")
        for row in rows:
            key = (_label(row), row.pk)
            if key in seen:
                continue
            seen.add(key)
            where = f"{_label(row)} {row.pk}"
            entry = {
                "type": _label(row),
                "title": str(model._meta.verbose_name).capitalize(),
                "id": str(row.pk),
                "linked_by": link.name,
                "fields": _describe(row, person, export, where),
                "part_of": [],
            }
            for parent in holdings.parents_of(row):
                if (_label(parent), parent.pk) in seen:
                    continue
                seen.add((_label(parent), parent.pk))
                parent_where = f"{_label(parent)} {parent.pk}"
                entry["part_of"].append(
                    {
                        "type": _label(parent),
                        "id": str(parent.pk),
                        "fields": _describe(parent, person, export, parent_where),
                        "other_people": _others_on(parent, person, export, parent_where),
                    }
                )
            export.records.append(entry)
    for event in person.chronology.all().order_by("at"):
        export.chronology.append(
            {
                "at": _value(event.at),
                "kind": event.kind,
                "summary": event.summary,
                "source": event.source_type,
            }
        )
    # Who has seen or changed the record: agencies and when (a subject's right to know recipients).
    for row in (
        AuditEvent.objects.filter(person_id=person.pk)
        .order_by("at")
        .values("at", "action", "actor_agency_name", "object_type")
    ):
        export.disclosures.append(
            {
                "at": _value(row["at"]),
                "action": row["action"],
                "agency": row["actor_agency_name"],
                "record_type": row["object_type"],
            }
        )
    return export


def _others_on(parent: models.Model, subject: Person, export: SubjectAccessExport, where: str) -> list[str]:
    """Ids of other people linked to the same parent record (flagged, never described)."""
    others = sorted(str(other) for other in holdings.people_on(parent) if other != subject.pk)
    for other_id in others:
        export.redaction_review.append(
            {
                "record": where,
                "field": "people linked to this record",
                "why": "third party: another person on this record",
                "person_id": other_id,
            }
        )
    return others


def export_for(person: Person, *, actor: Any, reason: str) -> dict[str, Any]:
    """Build the export and write the audit event for it."""
    data = build(person).as_dict()
    audit.record(
        actor,
        AuditAction.EXPORT,
        person,
        reason=f"Subject access request: {reason}" if reason else "Subject access request",
    )
    return data
