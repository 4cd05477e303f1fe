"""Writes: assessments, new instrument versions, loading the shipped definitions.

Each takes an actor (a user, or "job:<name>" for a job), runs atomically, validates, audits, and
for an assessment writes the person's chronology.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from safehub.core import audit
from safehub.core.models import AuditAction
from safehub.core.roles import Role
from safehub.instruments import rules, selectors
from safehub.instruments.definitions import shipped
from safehub.instruments.models import Assessment, Instrument, InstrumentVersion
from safehub.people import chronology
from safehub.people.models import Person

LOAD_JOB = "job:load_instruments"


def _context(context: Any) -> tuple[str, str]:
    """("app_label.model_name", id) for the record that prompted an assessment."""
    if context is None:
        return "", ""
    if isinstance(context, tuple):
        label, pk = context
        return str(label), str(pk)
    return f"{context._meta.app_label}.{context._meta.model_name}", str(context.pk)


def _summary(definition: rules.Definition, result: rules.Result) -> str:
    """The chronology line, e.g. "DASH risk assessment: high (15 yes)"."""
    if definition.method == "count_yes":
        detail = f"{result.score} yes"
    elif definition.method == "weighted_sum":
        detail = f"score {result.score}"
    else:
        detail = ""
    if result.override_level and result.override_level != result.computed_level:
        detail = f"{detail}, professional judgement" if detail else "professional judgement"
    label = result.label[0].lower() + result.label[1:]
    return f"{definition.record_title}: {label}" + (f" ({detail})" if detail else "")


@transaction.atomic
def assessment_create(
    *,
    actor: Any,
    person: Person,
    instrument_id: str,
    answers: Any,
    professional_judgement: Any = None,
    context: Any = None,
    assessed_at: datetime | None = None,
) -> Assessment:
    """Score `answers` with the current version of `instrument_id` and store the assessment.

    The actor needs read access to the person (a partner with a share may assess). Bad answers or
    a forbidden override raise ValidationError keyed by the field ("q5",
    "professional_judgement_level"...) and store nothing. `context` is the record that prompted
    the assessment (any model instance, or a ("app_label.model_name", id) pair).
    """
    if not getattr(actor, "has_person_level_access", False):
        raise PermissionDenied("Your role does not give access to person-level records")
    if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise PermissionDenied("You cannot see this person's record")
    version = selectors.instrument_current(instrument_id)
    if version is None:
        known = ", ".join(Instrument.objects.values_list("id", flat=True))
        raise ValidationError({"instrument": f"Unknown instrument {instrument_id!r}: use one of {known}"})
    assessed_at = assessed_at or timezone.now()
    if assessed_at > timezone.now():
        raise ValidationError({"assessed_at": "The time of the assessment must be now or in the past"})
    definition = version.parsed
    try:
        result = rules.score(definition, answers, professional_judgement)
    except rules.ScoringError as exc:
        raise ValidationError(exc.errors) from exc
    context_type, context_id = _context(context)
    assessment = Assessment(
        person=person,
        instrument_version=version,
        answers=rules.check_answers(definition, answers),
        score=result.score,
        computed_level=result.computed_level,
        level=result.level,
        triggers=list(result.triggers),
        reasons=list(result.reasons),
        override_level=result.override_level or "",
        override_reason=result.override_reason,
        assessor=actor,
        assessor_agency=actor.agency,
        assessed_at=assessed_at,
        context_type=context_type,
        context_id=context_id,
    )
    assessment.full_clean()
    assessment.save()
    fields = ["answers", "score", "level", "triggers"]
    if result.override_level:
        fields += ["override_level", "override_reason"]
    audit.record(actor, AuditAction.CREATE, assessment, fields=fields)
    chronology.add(
        person, "assessment", assessed_at, assessment, _summary(definition, result), agency=actor.agency
    )
    return assessment


def _may_change_instruments(actor: Any) -> bool:
    if isinstance(actor, str):
        return actor.startswith("job:")
    return bool(getattr(actor, "is_superuser", False) or actor.has_role(Role.ADMIN))


def _actor_fields(actor: Any) -> dict[str, Any]:
    if isinstance(actor, str):
        return {"created_by": None, "created_by_label": actor}
    return {"created_by": actor, "created_by_label": actor.username}


@transaction.atomic
def instrument_version_create(*, actor: Any, instrument_id: str, definition: Any) -> InstrumentVersion:
    """Save `definition` as the next version of `instrument_id` and make it current.

    The version number is set here (the highest so far plus one). A document that does not
    validate is refused: ValidationError({"definition": [every problem]}). Assessments already
    made keep the version they were scored with.
    """
    if not _may_change_instruments(actor):
        raise PermissionDenied("Only administrators can change an instrument")
    instrument = Instrument.objects.select_for_update().filter(pk=instrument_id).first()
    if instrument is None:
        raise ValidationError({"instrument": f"Unknown instrument {instrument_id!r}"})
    if not isinstance(definition, dict):
        raise ValidationError({"definition": ["definition: must be a JSON object"]})
    document = copy.deepcopy(definition)
    if document.get("id") != instrument_id:
        raise ValidationError(
            {"definition": [f"id: must be {instrument_id} (a new version keeps the instrument's id)"]}
        )
    latest = instrument.versions.aggregate(latest=Max("version"))["latest"] or 0
    document["version"] = latest + 1
    problems = rules.validate_definition(document)
    if problems:
        raise ValidationError({"definition": problems})
    return _save_version(actor, instrument, document, make_current=True)


def _save_version(
    actor: Any, instrument: Instrument, document: dict[str, Any], *, make_current: bool
) -> InstrumentVersion:
    if make_current:
        instrument.versions.filter(is_current=True).update(is_current=False)
    version = InstrumentVersion(
        instrument=instrument,
        version=document["version"],
        definition=document,
        is_current=make_current,
        **_actor_fields(actor),
    )
    version.full_clean()
    version.save()
    if make_current and instrument.title != document["title"]:
        instrument.title = document["title"]
        instrument.save(update_fields=["title"])
    audit.record(actor, AuditAction.CREATE, version, fields=["definition"])
    return version


@transaction.atomic
def instruments_load_shipped(*, actor: Any = LOAD_JOB) -> list[str]:
    """Load every shipped definition file that is not in the database yet (idempotent).

    A shipped version newer than an instrument's current version becomes current. A file that
    does not validate refuses the whole load: rules.DefinitionError naming the file's problems.
    Returns one line per file saying what happened.
    """
    report = []
    documents = shipped()
    for instrument_id in sorted(documents):
        for number in sorted(documents[instrument_id], key=lambda v: (not isinstance(v, int), v)):
            document = documents[instrument_id][number]
            problems = rules.validate_definition(document)
            if problems:
                raise rules.DefinitionError([f"{instrument_id} v{number}: {p}" for p in problems])
            instrument, _ = Instrument.objects.get_or_create(
                pk=instrument_id, defaults={"title": document["title"]}
            )
            existing = instrument.versions.filter(version=number).first()
            if existing is not None:
                same = existing.definition == document
                report.append(
                    f"{instrument_id} v{number}: already loaded"
                    + ("" if same else " (the database copy differs from the shipped file: kept)")
                )
                continue
            current = instrument.versions.filter(is_current=True).first()
            make_current = current is None or current.version < number
            _save_version(actor, instrument, document, make_current=make_current)
            report.append(f"{instrument_id} v{number}: loaded" + (" (current)" if make_current else ""))
    return report
