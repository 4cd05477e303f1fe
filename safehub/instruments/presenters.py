"""Turn instruments, assessments and calibration into what templates and the API show."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from safehub.core.roles import Role
from safehub.instruments import outcomes, rules
from safehub.instruments.forms import question_label
from safehub.instruments.models import Assessment, Instrument, InstrumentVersion
from safehub.instruments.selectors import Calibration, CalibrationRow

ANSWER_LABELS = {
    "yes": "Yes",
    "no": "No",
    "not_known": "Not known",
    "not_asked": "Not asked",
    "low": "Low",
    "medium": "Medium",
    "high": "High",
}
ANSWER_TYPE_LABELS = {
    "yes_no": "Yes, no, not known or not asked",
    "level": "Low, medium or high",
    "choice": "One of the options",
    "text": "Text (not scored)",
}
METHOD_LABELS = {
    "count_yes": "The number of questions answered yes",
    "weighted_sum": "The sum of the weights of the indicators answered yes",
    "max_level": "The highest level any answer gives",
}
SUPPRESSED = "fewer than 5"
SUPPRESS_BELOW = 5


# --- who may see calibration ------------------------------------------------------------------


def may_calibrate(user: Any) -> bool:
    """Person-level users, analysts and commissioners: calibration is aggregate."""
    return bool(user.has_person_level_access or user.has_role(Role.ANALYST, Role.COMMISSIONER))


def require_calibration_access(user: Any) -> None:
    if not may_calibrate(user):
        raise PermissionDenied("Your role does not give access to calibration figures")


def suppresses_small_counts(user: Any) -> bool:
    """Commissioners (and no other role they hold) see counts of 1 to 4 as "fewer than 5"."""
    return user.has_role(Role.COMMISSIONER) and not (
        user.has_person_level_access or user.has_role(Role.ANALYST)
    )


# --- instruments and versions -----------------------------------------------------------------


def version_links(version: InstrumentVersion) -> dict[str, str]:
    args = [version.instrument_id, version.version]
    return {
        "url": reverse("instruments:version", args=args),
        "calibration_url": reverse("instruments:calibration", args=args),
    }


def instrument_rows(instruments: list[Instrument]) -> list[dict[str, Any]]:
    rows = []
    for instrument in instruments:
        versions = sorted(instrument.versions.all(), key=lambda v: -v.version)
        current = next((v for v in versions if v.is_current), None)
        rows.append(
            {
                "id": instrument.id,
                "title": instrument.title,
                "current": {"version": current.version, **version_links(current)} if current else None,
                "versions": [
                    {
                        "version": v.version,
                        "is_current": v.is_current,
                        "created_at": v.created_at,
                        **version_links(v),
                    }
                    for v in versions
                ],
            }
        )
    return rows


def when_text(definition: rules.Definition, when: dict[str, Any]) -> str:
    """A trigger's conditions in words: "score 14 or more and q8 answered yes"."""
    parts = []
    if "score__gte" in when:
        parts.append(f"score {when['score__gte']} or more")
    if "score__lt" in when:
        parts.append(f"score below {when['score__lt']}")
    if "level" in when:
        parts.append(f"level {definition.band(when['level']).label}")
    if "level__gte" in when:
        parts.append(f"level {definition.band(when['level__gte']).label} or higher")
    if "override_level" in when:
        parts.append(f"professional judgement gives {definition.band(when['override_level']).label}")
    for qid, expected in (when.get("answers") or {}).items():
        values = expected if isinstance(expected, list) else [expected]
        parts.append(f"{qid} answered {' or '.join(ANSWER_LABELS.get(v, v).lower() for v in values)}")
    return " and ".join(parts)


def _question_row(definition: rules.Definition, question: rules.Question) -> dict[str, Any]:
    scoring = []
    if question.answer_type == "yes_no" and definition.method == "weighted_sum":
        scoring.append(f"weight {question.weight}")
    if question.level_if_yes:
        scoring.append(f"yes: at least {definition.band(question.level_if_yes).label}")
    return {
        "id": question.id,
        "label": question_label(question),
        "help": question.help,
        "answers": ANSWER_TYPE_LABELS[question.answer_type],
        "options": [
            {
                "label": option.label,
                "effect": ", ".join(
                    part
                    for part in (
                        f"weight {option.weight}"
                        if definition.method == "weighted_sum" and option.weight
                        else "",
                        f"at least {definition.band(option.level).label}" if option.level else "",
                    )
                    if part
                ),
            }
            for option in question.options
        ],
        "mandatory": question.mandatory,
        "scoring": ", ".join(scoring),
        "unverified": question.mark == "U",
    }


def override_text(definition: rules.Definition) -> str:
    policy = definition.override
    raise_text = "may raise the level" if policy.may_raise else "may not raise the level"
    if not policy.may_lower:
        return f"Professional judgement {raise_text} but may not lower it. A reason is always required."
    if policy.no_lower_at_or_above_score is not None:
        return (
            f"Professional judgement {raise_text}; it may lower it only when the score is below "
            f"{policy.no_lower_at_or_above_score}. A reason is always required."
        )
    return f"Professional judgement {raise_text} and may lower it. A reason is always required."


def version_page(version: InstrumentVersion, user: Any) -> dict[str, Any]:
    definition = version.parsed
    return {
        "version": version,
        "definition": definition,
        "method": METHOD_LABELS[definition.method],
        "sections": [
            {
                "title": s.title,
                "help": s.help,
                "questions": [_question_row(definition, q) for q in s.questions],
            }
            for s in definition.sections
        ],
        "bands": [
            {
                "label": band.label,
                "level": band.level,
                "from": band.min_score if definition.method != "max_level" else None,
                "description": band.description,
            }
            for band in definition.bands
        ],
        "triggers": [
            {"id": t.id, "label": t.label, "when": when_text(definition, dict(t.when))}
            for t in definition.triggers
        ],
        "grades": definition.grade_mapping,
        "override": override_text(definition),
        "created_by": version.created_by_label,
        "can_calibrate": may_calibrate(user),
        **version_links(version),
    }


# --- assessments ------------------------------------------------------------------------------


def _answer_text(question: rules.Question, value: str) -> str:
    if question.answer_type == "choice":
        option = question.option(value)
        return option.label if option else value
    return ANSWER_LABELS.get(value, value)


def assessment_page(assessment: Assessment) -> dict[str, Any]:
    definition = assessment.instrument_version.parsed
    labels = {t.id: t.label or t.id for t in definition.triggers}
    grade = definition.grade_for(assessment.level)
    return {
        "assessment": assessment,
        "person": assessment.person,
        "title": definition.title,
        "record_title": definition.record_title,
        "version": assessment.instrument_version.version,
        "is_current_version": assessment.instrument_version.is_current,
        "version_url": reverse(
            "instruments:version", args=[assessment.instrument_version.instrument_id, assessment.version]
        ),
        "level": definition.band(assessment.level).label,
        "computed_level": definition.band(assessment.computed_level).label,
        "override_level": definition.band(assessment.override_level).label
        if assessment.override_level
        else "",
        "grade": grade,
        "triggers": [{"id": tid, "label": labels.get(tid, tid)} for tid in assessment.triggers],
        "answers": [
            {
                "section": section.title,
                "rows": [
                    (
                        question_label(q),
                        _answer_text(q, assessment.answers[q.id]) if q.id in assessment.answers else "",
                    )
                    for q in section.questions
                ],
            }
            for section in definition.sections
        ],
        "assessed_at": timezone.localtime(assessment.assessed_at),
    }


def assessment_rows(assessments: list[Assessment]) -> list[dict[str, Any]]:
    rows = []
    for assessment in assessments:
        definition = assessment.instrument_version.parsed
        rows.append(
            {
                "url": reverse("instruments:assessment", args=[assessment.pk]),
                "title": definition.record_title,
                "version": assessment.instrument_version.version,
                "level": definition.band(assessment.level).label,
                "score": assessment.score,
                "overridden": bool(assessment.override_level),
                "assessed_at": timezone.localtime(assessment.assessed_at),
                "agency": assessment.assessor_agency.name,
            }
        )
    return rows


# --- calibration ------------------------------------------------------------------------------


def _columns(calibration: Calibration) -> list[str]:
    return ["assessed", "followed_up", "with_outcome", *(f"kind:{kind}" for kind in calibration.kinds)]


def _value(row: CalibrationRow, column: str) -> int:
    if column.startswith("kind:"):
        return row.by_kind.get(column[5:], 0)
    return int(getattr(row, column))


def calibration_table(calibration: Calibration, *, suppress: bool) -> dict[str, Any]:
    """Rows of counts and rates; with `suppress`, counts of 1 to 4 become None (shown as "fewer
    than 5"), and the total of any column with a suppressed band is suppressed too, so that it
    cannot be worked out by subtraction."""
    columns = _columns(calibration)
    hidden: dict[int, set[str]] = {id(row): set() for row in [*calibration.rows, calibration.total]}
    if suppress:
        for column in columns:
            small = [row for row in calibration.rows if 0 < _value(row, column) < SUPPRESS_BELOW]
            for row in small:
                hidden[id(row)].add(column)
            if small or 0 < _value(calibration.total, column) < SUPPRESS_BELOW:
                hidden[id(calibration.total)].add(column)

    def present(row: CalibrationRow) -> dict[str, Any]:
        cut = hidden[id(row)]
        values = {column: (None if column in cut else _value(row, column)) for column in columns}
        rate_hidden = bool(cut & {"assessed", "with_outcome"})
        return {
            "level": row.level,
            "label": row.label,
            "assessed": values["assessed"],
            "followed_up": values["followed_up"],
            "with_outcome": values["with_outcome"],
            "rate": None if rate_hidden else row.rate,
            "by_kind": {kind: values[f"kind:{kind}"] for kind in calibration.kinds},
            "suppressed": sorted([c.removeprefix("kind:") for c in cut] + (["rate"] if rate_hidden else [])),
        }

    return {
        "instrument": calibration.instrument_id,
        "version": calibration.version,
        "title": calibration.title,
        "as_of": calibration.as_of,
        "follow_up_days": 365,
        "suppressed_below": SUPPRESS_BELOW if suppress else None,
        "kinds": [{"kind": kind, "label": outcomes.kind_label(kind)} for kind in calibration.kinds],
        "bands": [present(row) for row in calibration.rows],
        "total": present(calibration.total),
    }


def _shown(value: int | None) -> str:
    return SUPPRESSED if value is None else f"{value:,}"


def calibration_page(calibration: Calibration, *, suppress: bool) -> dict[str, Any]:
    table = calibration_table(calibration, suppress=suppress)

    def cells(row: dict[str, Any]) -> list[str]:
        if row["rate"] is None:
            rate = "suppressed" if "rate" in row["suppressed"] else "no one assessed"
        else:
            rate = f"{row['rate']:.1f}%"
        return [
            _shown(row["assessed"]),
            _shown(row["followed_up"]),
            _shown(row["with_outcome"]),
            rate,
            *(_shown(row["by_kind"][kind["kind"]]) for kind in table["kinds"]),
        ]

    return {
        "table": table,
        "rows": [{"label": row["label"], "cells": cells(row)} for row in table["bands"]],
        "total": {"label": table["total"]["label"], "cells": cells(table["total"])},
        "kind_labels": [kind["label"] for kind in table["kinds"]],
        "suppress": suppress,
    }
