"""What a risk instrument definition is: its vocabulary and its parts as frozen dataclasses.

An instrument definition is a JSON document (the shipped ones are in `definitions/`): questions
in sections, a scoring method with ordered bands, an override policy for professional judgement,
triggers and, for THRIVE, a grade mapping. `validation.validate_definition` checks a document;
`rules.parse_definition` turns a valid one into a `Definition`; `rules.score` scores answers.
Pure: no ORM.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

YES_NO_VALUES = ("yes", "no", "not_known", "not_asked")
LEVEL_VALUES = ("low", "medium", "high")
ANSWER_TYPES = ("yes_no", "choice", "level", "text")
METHODS = ("count_yes", "weighted_sum", "max_level")
MARKS = ("V", "S", "U")
TEXT_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 2000

# Error keys for the professional judgement (also the names of its form fields).
PJ_LEVEL = "professional_judgement_level"
PJ_REASON = "professional_judgement_reason"
RESERVED_IDS = frozenset(
    {"professional_judgement", "professional_judgement_level", "professional_judgement_reason"}
)

INSTRUMENT_ID = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
QUESTION_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
LEVEL_ID = re.compile(r"^[a-z][a-z0-9_]{0,29}$")
TRIGGER_ID = re.compile(r"^[a-z][a-z0-9_]*(:[a-z0-9_]+)*$")

TOP_KEYS = {
    "id",
    "version",
    "title",
    "short_title",
    "record_title",
    "description",
    "notes",
    "sources",
    "sections",
    "scoring",
    "override",
    "triggers",
    "grade_mapping",
}
SECTION_KEYS = {"id", "title", "help", "questions"}
QUESTION_KEYS = {
    "id",
    "text",
    "help",
    "answer_type",
    "mandatory",
    "weight",
    "level_if_yes",
    "options",
    "mark",
}
OPTION_KEYS = {"value", "label", "level", "weight"}
BAND_KEYS = {"level", "label", "min_score", "description"}
SCORING_KEYS = {"method", "bands"}
OVERRIDE_KEYS = {"may_raise", "may_lower", "no_lower_at_or_above_score"}
TRIGGER_KEYS = {"id", "label", "when"}
WHEN_KEYS = {"score__gte", "score__lt", "level", "level__gte", "override_level", "answers"}
SOURCE_KEYS = {"text", "url", "mark"}
GRADE_KEYS = {"level", "grade", "label", "note"}


class DefinitionError(ValueError):
    """An instrument document that does not validate; `problems` lists every one by path."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


# --- the definition as dataclasses ------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    level: str | None = None
    weight: int = 0


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    answer_type: str
    help: str = ""
    mandatory: bool = True
    weight: int = 1
    level_if_yes: str | None = None
    options: tuple[Option, ...] = ()
    mark: str = ""

    @property
    def allowed_values(self) -> tuple[str, ...]:
        if self.answer_type == "yes_no":
            return YES_NO_VALUES
        if self.answer_type == "level":
            return LEVEL_VALUES
        if self.answer_type == "choice":
            return tuple(option.value for option in self.options)
        return ()

    def option(self, value: str) -> Option | None:
        return next((option for option in self.options if option.value == value), None)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    questions: tuple[Question, ...]
    help: str = ""


@dataclass(frozen=True)
class Band:
    level: str
    label: str
    min_score: int
    description: str = ""


@dataclass(frozen=True)
class OverridePolicy:
    may_raise: bool = True
    may_lower: bool = True
    no_lower_at_or_above_score: int | None = None


@dataclass(frozen=True)
class Trigger:
    id: str
    when: Mapping[str, Any]
    label: str = ""


@dataclass(frozen=True)
class GradeMapping:
    level: str
    grade: str
    label: str
    note: str = ""


@dataclass(frozen=True)
class Definition:
    id: str
    version: int
    title: str
    short_title: str
    sections: tuple[Section, ...]
    method: str
    bands: tuple[Band, ...]
    override: OverridePolicy
    triggers: tuple[Trigger, ...] = ()
    notes: tuple[str, ...] = ()
    record_title: str = ""
    description: str = ""
    sources: tuple[Mapping[str, str], ...] = ()
    grade_mapping: tuple[GradeMapping, ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(question for section in self.sections for question in section.questions)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    @property
    def levels(self) -> tuple[str, ...]:
        return tuple(band.level for band in self.bands)

    def rank(self, level: str) -> int:
        return self.levels.index(level)

    def band(self, level: str) -> Band:
        return self.bands[self.rank(level)]

    def band_for_score(self, score: int) -> Band:
        chosen = self.bands[0]
        for band in self.bands:
            if score >= band.min_score:
                chosen = band
        return chosen

    def grade_for(self, level: str) -> GradeMapping | None:
        return next((row for row in self.grade_mapping if row.level == level), None)

    @property
    def max_score(self) -> int:
        return max_score_for(self.method, self.questions, len(self.bands))


def max_score_for(method: str, questions: tuple[Question, ...], band_count: int) -> int:
    if method == "count_yes":
        return sum(1 for q in questions if q.answer_type == "yes_no")
    if method == "weighted_sum":
        total = 0
        for q in questions:
            if q.answer_type == "yes_no":
                total += q.weight
            elif q.answer_type == "choice" and q.options:
                total += max(option.weight for option in q.options)
        return total
    return band_count - 1


# --- building parts from a document -----------------------------------------------------------


def is_whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def looks_like_question(data: Mapping[str, Any]) -> bool:
    return isinstance(data.get("id"), str) and data.get("answer_type") in ANSWER_TYPES


def question_from_data(data: Mapping[str, Any]) -> Question:
    options = tuple(
        Option(
            value=option["value"],
            label=option.get("label", option["value"]),
            level=option.get("level"),
            weight=option.get("weight", 0) if is_whole_number(option.get("weight", 0)) else 0,
        )
        for option in (data.get("options") or [])
        if isinstance(option, Mapping) and isinstance(option.get("value"), str)
    )
    weight = data.get("weight", 1)
    return Question(
        id=data["id"],
        text=data.get("text", ""),
        answer_type=data["answer_type"],
        help=data.get("help", ""),
        mandatory=data.get("mandatory", True),
        weight=weight if is_whole_number(weight) else 1,
        level_if_yes=data.get("level_if_yes"),
        options=options,
        mark=data.get("mark", ""),
    )
