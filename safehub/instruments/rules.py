"""Risk instruments as data, and the one pure function that scores them.

An instrument definition is a JSON document (the shipped ones are in `definitions/`):
questions in sections, a scoring method with ordered bands, an override policy for professional
judgement, triggers and, for THRIVE, a grade mapping. `validate_definition` lists every problem
in a document by path; `parse_definition` turns a valid one into frozen dataclasses; `score`
turns answers (and an optional professional judgement) into a `Result`.

Scoring methods:
- `count_yes`: the score is the number of yes_no questions answered "yes" (DASH).
- `weighted_sum`: the score is the sum of the weights of "yes" answers and chosen options.
- `max_level`: every answer contributes a level; the result is the highest (THRIVE, missing).
In every method a question may also set a floor: `level_if_yes` on a yes_no question, `level`
on a choice option, and any `level` answer. The computed level is the higher of the band the
score falls in and the highest floor. Answers "not_known" and "not_asked" never count as "yes".

No ORM, no request: these functions are tested without a database and used by the CLI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from safehub.instruments.schema import (
    ANSWER_TYPES,
    LEVEL_VALUES,
    METHODS,
    PJ_LEVEL,
    PJ_REASON,
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    YES_NO_VALUES,
    Band,
    Definition,
    DefinitionError,
    GradeMapping,
    Option,
    OverridePolicy,
    Question,
    Section,
    Trigger,
    question_from_data,
)
from safehub.instruments.validation import validate_definition

__all__ = [
    "ANSWER_TYPES",
    "LEVEL_VALUES",
    "METHODS",
    "PJ_LEVEL",
    "PJ_REASON",
    "REASON_MAX_LENGTH",
    "TEXT_MAX_LENGTH",
    "YES_NO_VALUES",
    "AnswerError",
    "Band",
    "Definition",
    "DefinitionError",
    "GradeMapping",
    "Option",
    "OverrideError",
    "OverridePolicy",
    "Question",
    "Result",
    "ScoringError",
    "Section",
    "Trigger",
    "check_answers",
    "parse_definition",
    "score",
    "validate_definition",
]

# --- errors -----------------------------------------------------------------------------------


class ScoringError(ValueError):
    """Answers that cannot be scored; `errors` maps each field to one message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{name}: {message}" for name, message in self.errors.items()))


class AnswerError(ScoringError):
    """Unknown question ids, answers outside the allowed set, missing mandatory answers, or a
    professional judgement without a level or a reason."""


class OverrideError(ScoringError):
    """A professional judgement that lowers the level where the instrument forbids it."""


# --- parsing ----------------------------------------------------------------------------------


def parse_definition(data: Mapping[str, Any]) -> Definition:
    """A valid document as a Definition; DefinitionError listing every problem otherwise."""
    problems = validate_definition(data)
    if problems:
        raise DefinitionError(problems)
    scoring = data["scoring"]
    override = data["override"]
    return Definition(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        short_title=data.get("short_title") or data["title"],
        record_title=data.get("record_title") or f"{data.get('short_title') or data['title']} assessment",
        description=data.get("description", ""),
        notes=tuple(data.get("notes", [])),
        sources=tuple(dict(source) for source in data.get("sources", [])),
        sections=tuple(
            Section(
                id=section["id"],
                title=section["title"],
                help=section.get("help", ""),
                questions=tuple(question_from_data(q) for q in section["questions"]),
            )
            for section in data["sections"]
        ),
        method=scoring["method"],
        bands=tuple(
            Band(
                level=band["level"],
                label=band["label"],
                min_score=band.get("min_score", b),
                description=band.get("description", ""),
            )
            for b, band in enumerate(scoring["bands"])
        ),
        override=OverridePolicy(
            may_raise=override["may_raise"],
            may_lower=override["may_lower"],
            no_lower_at_or_above_score=override.get("no_lower_at_or_above_score"),
        ),
        triggers=tuple(
            Trigger(id=t["id"], when=dict(t["when"]), label=t.get("label", ""))
            for t in data.get("triggers", [])
        ),
        grade_mapping=tuple(
            GradeMapping(level=row["level"], grade=row["grade"], label=row["label"], note=row.get("note", ""))
            for row in data.get("grade_mapping", [])
        ),
        data=data,
    )


# --- scoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    instrument: str
    version: int
    score: int
    level: str
    label: str
    computed_level: str
    triggers: tuple[str, ...]
    reasons: tuple[str, ...]
    override_level: str | None = None
    override_reason: str = ""
    grade: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """What the CLI prints and the API returns for a score (the same keys, the same values)."""
        data: dict[str, Any] = {
            "instrument": self.instrument,
            "version": self.version,
            "score": self.score,
            "level": self.level,
            "label": self.label,
            "computed_level": self.computed_level,
            "override_level": self.override_level,
            "triggers": list(self.triggers),
            "reasons": list(self.reasons),
        }
        if self.grade is not None:
            data["grade"] = self.grade
        return data


def check_answers(definition: Definition, answers: Any) -> dict[str, str]:
    """Answers as {question id: value}, checked; AnswerError naming every bad field otherwise."""
    if not isinstance(answers, Mapping):
        raise AnswerError({"answers": "Answers must be an object of question ids and answers"})
    errors: dict[str, str] = {}
    for qid in answers:
        if definition.question(str(qid)) is None:
            errors[str(qid)] = f"Unknown question: {definition.id} version {definition.version} has no {qid}"
    for question in definition.questions:
        value = answers.get(question.id)
        if value is None or value == "":
            if question.mandatory:
                errors[question.id] = _missing_message(question)
            continue
        if question.answer_type == "text":
            if not isinstance(value, str):
                errors[question.id] = "Answer must be text"
            elif len(value) > TEXT_MAX_LENGTH:
                errors[question.id] = f"Answer must be {TEXT_MAX_LENGTH} characters or fewer"
        elif not isinstance(value, str) or value not in question.allowed_values:
            errors[question.id] = f"Answer must be one of {', '.join(question.allowed_values)}"
    if errors:
        raise AnswerError(errors)
    return {qid: value for qid, value in answers.items() if value not in (None, "")}


def _missing_message(question: Question) -> str:
    if question.answer_type == "yes_no":
        return "Answer this mandatory question: yes, no, not_known or not_asked"
    if question.answer_type == "text":
        return "Answer this mandatory question"
    return f"Answer this mandatory question: one of {', '.join(question.allowed_values)}"


def _check_judgement(definition: Definition, judgement: Any) -> tuple[str, str] | None:
    """(level, reason) of a professional judgement, None when there is none; AnswerError when malformed."""
    if judgement is None:
        return None
    if not isinstance(judgement, Mapping):
        raise AnswerError({"professional_judgement": "Must be an object with level and reason"})
    errors: dict[str, str] = {}
    for key in sorted(set(judgement) - {"level", "reason"}):
        errors[f"professional_judgement_{key}"] = "Unknown field: give only level and reason"
    level = judgement.get("level") or ""
    reason = judgement.get("reason") or ""
    if not isinstance(reason, str):
        errors[PJ_REASON] = "The reason must be text"
        reason = ""
    reason = reason.strip()
    if not level and not reason and not errors:
        return None
    if not level:
        errors[PJ_LEVEL] = "Select the level your professional judgement gives"
    elif level not in definition.levels:
        errors[PJ_LEVEL] = f"Level must be one of {', '.join(definition.levels)}"
    if not reason and PJ_REASON not in errors:
        errors[PJ_REASON] = "Enter the reason for your professional judgement"
    elif len(reason) > REASON_MAX_LENGTH:
        errors[PJ_REASON] = f"The reason must be {REASON_MAX_LENGTH} characters or fewer"
    if errors:
        raise AnswerError(errors)
    return level, reason


def _raw_score(definition: Definition, answers: Mapping[str, str]) -> int:
    total = 0
    for question in definition.questions:
        value = answers.get(question.id)
        if question.answer_type == "yes_no" and value == "yes":
            total += 1 if definition.method == "count_yes" else question.weight
        elif question.answer_type == "choice" and definition.method == "weighted_sum" and value:
            option = question.option(value)
            total += option.weight if option else 0
    return total


def _floors(definition: Definition, answers: Mapping[str, str]) -> list[tuple[int, str, str]]:
    """(rank, question id, answer) for every answer that sets a minimum level."""
    floors = []
    for question in definition.questions:
        value = answers.get(question.id)
        level: str | None = None
        if question.answer_type == "yes_no" and value == "yes":
            level = question.level_if_yes
        elif question.answer_type == "choice" and value:
            option = question.option(value)
            level = option.level if option else None
        elif question.answer_type == "level" and value:
            level = value
        if level is not None:
            floors.append((definition.rank(level), question.id, value or ""))
    return floors


def _score_reason(definition: Definition, score: int, answers: Mapping[str, str]) -> str:
    yes_no = [q for q in definition.questions if q.answer_type == "yes_no"]
    if definition.method == "count_yes":
        return f"{score} of {len(yes_no)} questions answered yes"
    if definition.method == "weighted_sum":
        return f"Weighted score {score} of a possible {definition.max_score}"
    return f"Highest level given: {definition.bands[score].label}"


def _forbidden_lowering(definition: Definition, score: int, computed: str, level: str) -> str | None:
    policy = definition.override
    name = definition.short_title
    if not policy.may_lower:
        return (
            f"{name} does not allow professional judgement to lower the level "
            f"(from {definition.band(computed).label} to {definition.band(level).label}): "
            "it may only raise it"
        )
    threshold = policy.no_lower_at_or_above_score
    if threshold is not None and score >= threshold:
        return (
            f"{name} score {score} is {threshold} or more: professional judgement may raise the level "
            "but not lower it"
        )
    return None


def score(definition: Definition, answers: Any, professional_judgement: Any = None) -> Result:
    """Score `answers` against `definition`, applying any professional judgement {level, reason}.

    Raises AnswerError (a dict of field -> message) for unknown ids, bad values, missing mandatory
    answers or a judgement without a level or reason; OverrideError for a forbidden lowering.
    """
    errors: dict[str, str] = {}
    checked: dict[str, str] = {}
    judgement = None
    try:
        checked = check_answers(definition, answers)
    except AnswerError as exc:
        errors.update(exc.errors)
    try:
        judgement = _check_judgement(definition, professional_judgement)
    except AnswerError as exc:
        errors.update(exc.errors)
    if errors:
        raise AnswerError(errors)

    floors = _floors(definition, checked)
    if definition.method == "max_level":
        total = max((rank for rank, _, _ in floors), default=0)
        computed_rank = total
    else:
        total = _raw_score(definition, checked)
        computed_rank = definition.rank(definition.band_for_score(total).level)
    reasons = [_score_reason(definition, total, checked)]
    unanswered = [
        q.id
        for q in definition.questions
        if q.answer_type == "yes_no" and checked.get(q.id) in ("not_known", "not_asked")
    ]
    if unanswered and definition.method != "max_level":
        reasons.append(f"{len(unanswered)} answered not known or not asked, counted as not yes")
    if definition.method != "max_level":
        band = definition.bands[computed_rank]
        reasons.append(f"Score {total} is in the band {band.label} (from {band.min_score})")
        for rank, qid, value in sorted(floors, reverse=True):
            if rank > computed_rank:
                reasons.append(
                    f"{qid} answered {value}: the level is at least {definition.bands[rank].label}"
                )
        computed_rank = max([computed_rank, *(rank for rank, _, _ in floors)])
    else:
        top = [qid for rank, qid, _ in floors if rank == computed_rank]
        if top:
            reasons.append(f"{definition.bands[computed_rank].label} from: {', '.join(top)}")
    computed = definition.bands[computed_rank].level

    level = computed
    override_level = None
    override_reason = ""
    if judgement is not None:
        override_level, override_reason = judgement
        wanted = definition.rank(override_level)
        if wanted > computed_rank:
            if not definition.override.may_raise:
                message = f"{definition.short_title} does not allow professional judgement to raise the level"
                raise OverrideError({PJ_LEVEL: message})
            reasons.append(
                f"Professional judgement raised the level from {definition.bands[computed_rank].label} "
                f"to {definition.bands[wanted].label}"
            )
        elif wanted < computed_rank:
            problem = _forbidden_lowering(definition, total, computed, override_level)
            if problem:
                raise OverrideError({PJ_LEVEL: problem})
            reasons.append(
                f"Professional judgement lowered the level from {definition.bands[computed_rank].label} "
                f"to {definition.bands[wanted].label}"
            )
        else:
            reasons.append(f"Professional judgement agrees with the level {definition.bands[wanted].label}")
        level = override_level

    context = {
        "score": total,
        "level": level,
        "computed_level": computed,
        "override_level": override_level,
        "answers": checked,
    }
    triggers = tuple(t.id for t in definition.triggers if _fires(definition, t.when, context))
    grade = definition.grade_for(level)
    return Result(
        instrument=definition.id,
        version=definition.version,
        score=total,
        level=level,
        label=definition.band(level).label,
        computed_level=computed,
        triggers=triggers,
        reasons=tuple(reasons),
        override_level=override_level,
        override_reason=override_reason,
        grade=grade.grade if grade else None,
    )


def _fires(definition: Definition, when: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
    """True when every condition of a trigger holds (conditions are ANDed)."""
    score_value = context["score"]
    if "score__gte" in when and not score_value >= when["score__gte"]:
        return False
    if "score__lt" in when and not score_value < when["score__lt"]:
        return False
    if "level" in when and context["level"] != when["level"]:
        return False
    if "level__gte" in when and definition.rank(context["level"]) < definition.rank(when["level__gte"]):
        return False
    if "override_level" in when and context["override_level"] != when["override_level"]:
        return False
    for qid, expected in (when.get("answers") or {}).items():
        allowed = expected if isinstance(expected, list) else [expected]
        if context["answers"].get(qid) not in allowed:
            return False
    return True
