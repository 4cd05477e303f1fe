"""Check an instrument definition document: every problem, each named by its path.

`validate_definition(data)` returns [] for a valid document, or messages such as
"sections[0].questions[3].id: duplicate id q4". Pure: no ORM.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from safehub.instruments.schema import (
    ANSWER_TYPES,
    BAND_KEYS,
    GRADE_KEYS,
    INSTRUMENT_ID,
    LEVEL_ID,
    LEVEL_VALUES,
    MARKS,
    METHODS,
    OPTION_KEYS,
    OVERRIDE_KEYS,
    QUESTION_ID,
    QUESTION_KEYS,
    RESERVED_IDS,
    SCORING_KEYS,
    SECTION_KEYS,
    SOURCE_KEYS,
    TOP_KEYS,
    TRIGGER_ID,
    TRIGGER_KEYS,
    WHEN_KEYS,
    is_whole_number,
    looks_like_question,
    max_score_for,
    question_from_data,
)


def _text(problems: list[str], path: str, value: Any, *, required: bool = True) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str) or (required and not value.strip()):
        problems.append(f"{path}: enter some text" if required else f"{path}: must be text")


def _unknown_keys(problems: list[str], path: str, data: Mapping[str, Any], allowed: set[str]) -> None:
    for key in sorted(set(data) - allowed):
        problems.append(f"{path}.{key}: unknown key" if path else f"{key}: unknown key")


def validate_definition(data: Any) -> list[str]:
    """Every problem with an instrument document, each naming its path; [] when it is valid."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        return ["definition: must be a JSON object"]
    _unknown_keys(problems, "", data, TOP_KEYS)
    if not isinstance(data.get("id"), str) or not INSTRUMENT_ID.match(data["id"]):
        problems.append("id: must be lower-case letters, digits and hyphens, such as dash")
    if not is_whole_number(data.get("version")) or data["version"] < 1:
        problems.append("version: must be a whole number of 1 or more")
    _text(problems, "title", data.get("title"))
    _text(problems, "short_title", data.get("short_title"), required=False)
    _text(problems, "record_title", data.get("record_title"), required=False)
    _text(problems, "description", data.get("description"), required=False)
    notes = data.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(note, str) for note in notes):
        problems.append("notes: must be a list of paragraphs of text")
    _validate_sources(problems, data.get("sources", []))

    questions = _validate_sections(problems, data.get("sections"))
    levels = _validate_scoring(problems, data.get("scoring"), questions)
    if levels is not None:
        _validate_levels_used(problems, questions, levels)
    _validate_override(problems, data.get("override"))
    _validate_triggers(problems, data.get("triggers", []), questions, levels)
    _validate_grades(problems, data.get("grade_mapping", []), levels)
    return problems


def _validate_sources(problems: list[str], sources: Any) -> None:
    if not isinstance(sources, list):
        problems.append("sources: must be a list")
        return
    for i, source in enumerate(sources):
        path = f"sources[{i}]"
        if not isinstance(source, Mapping):
            problems.append(f"{path}: must be an object with text, url and mark")
            continue
        _unknown_keys(problems, path, source, SOURCE_KEYS)
        _text(problems, f"{path}.text", source.get("text"))
        _text(problems, f"{path}.url", source.get("url"), required=False)
        if "mark" in source and source["mark"] not in MARKS:
            problems.append(f"{path}.mark: must be one of {', '.join(MARKS)}")


def _validate_sections(problems: list[str], sections: Any) -> dict[str, tuple[str, Mapping[str, Any]]]:
    """Checks sections and questions; returns {question id: (path, question)} for later checks."""
    found: dict[str, tuple[str, Mapping[str, Any]]] = {}
    if not isinstance(sections, list) or not sections:
        problems.append("sections: must be a list of at least one section")
        return found
    section_ids: set[str] = set()
    for s, section in enumerate(sections):
        spath = f"sections[{s}]"
        if not isinstance(section, Mapping):
            problems.append(f"{spath}: must be an object")
            continue
        _unknown_keys(problems, spath, section, SECTION_KEYS)
        sid = section.get("id")
        if not isinstance(sid, str) or not QUESTION_ID.match(sid):
            problems.append(f"{spath}.id: must be lower-case letters, digits and underscores")
        elif sid in section_ids:
            problems.append(f"{spath}.id: duplicate id {sid}")
        else:
            section_ids.add(sid)
        _text(problems, f"{spath}.title", section.get("title"))
        _text(problems, f"{spath}.help", section.get("help"), required=False)
        questions = section.get("questions")
        if not isinstance(questions, list) or not questions:
            problems.append(f"{spath}.questions: must be a list of at least one question")
            continue
        for q, question in enumerate(questions):
            _validate_question(problems, f"{spath}.questions[{q}]", question, found)
    return found


def _validate_question(
    problems: list[str], path: str, question: Any, found: dict[str, tuple[str, Mapping[str, Any]]]
) -> None:
    if not isinstance(question, Mapping):
        problems.append(f"{path}: must be an object")
        return
    _unknown_keys(problems, path, question, QUESTION_KEYS)
    qid = question.get("id")
    if not isinstance(qid, str) or not QUESTION_ID.match(qid):
        problems.append(f"{path}.id: must be lower-case letters, digits and underscores, such as q1")
    elif qid in RESERVED_IDS:
        problems.append(f"{path}.id: {qid} is reserved for the professional judgement")
    elif qid in found:
        problems.append(f"{path}.id: duplicate id {qid}")
    else:
        found[qid] = (path, question)
    _text(problems, f"{path}.text", question.get("text"))
    _text(problems, f"{path}.help", question.get("help"), required=False)
    answer_type = question.get("answer_type")
    if answer_type not in ANSWER_TYPES:
        problems.append(f"{path}.answer_type: must be one of {', '.join(ANSWER_TYPES)}")
    if "mandatory" in question and not isinstance(question["mandatory"], bool):
        problems.append(f"{path}.mandatory: must be true or false")
    if "weight" in question and (not is_whole_number(question["weight"]) or question["weight"] < 0):
        problems.append(f"{path}.weight: must be a whole number of 0 or more")
    if "mark" in question and question["mark"] not in MARKS:
        problems.append(f"{path}.mark: must be one of {', '.join(MARKS)}")
    if "level_if_yes" in question and answer_type != "yes_no":
        problems.append(f"{path}.level_if_yes: only a yes_no question can set a level for yes")
    options = question.get("options")
    if answer_type == "choice":
        if not isinstance(options, list) or not options:
            problems.append(f"{path}.options: a choice question needs a list of options")
            return
        values: set[str] = set()
        for o, option in enumerate(options):
            opath = f"{path}.options[{o}]"
            if not isinstance(option, Mapping):
                problems.append(f"{opath}: must be an object with value and label")
                continue
            _unknown_keys(problems, opath, option, OPTION_KEYS)
            value = option.get("value")
            if not isinstance(value, str) or not QUESTION_ID.match(value):
                problems.append(f"{opath}.value: must be lower-case letters, digits and underscores")
            elif value in values:
                problems.append(f"{opath}.value: duplicate value {value}")
            else:
                values.add(value)
            _text(problems, f"{opath}.label", option.get("label"))
            if "weight" in option and (not is_whole_number(option["weight"]) or option["weight"] < 0):
                problems.append(f"{opath}.weight: must be a whole number of 0 or more")
    elif options is not None:
        problems.append(f"{path}.options: only a choice question has options")


def _validate_scoring(
    problems: list[str], scoring: Any, questions: dict[str, tuple[str, Mapping[str, Any]]]
) -> list[str] | None:
    """Checks the method and bands; returns the band levels in order (None when unusable)."""
    if not isinstance(scoring, Mapping):
        problems.append("scoring: must be an object with method and bands")
        return None
    _unknown_keys(problems, "scoring", scoring, SCORING_KEYS)
    method = scoring.get("method")
    if method not in METHODS:
        problems.append(f"scoring.method: must be one of {', '.join(METHODS)}")
    bands = scoring.get("bands")
    if not isinstance(bands, list) or not bands:
        problems.append("scoring.bands: must be a list of at least one band, lowest first")
        return None
    levels: list[str] = []
    previous: int | None = None
    for b, band in enumerate(bands):
        path = f"scoring.bands[{b}]"
        if not isinstance(band, Mapping):
            problems.append(f"{path}: must be an object with level, label and min_score")
            continue
        _unknown_keys(problems, path, band, BAND_KEYS)
        level = band.get("level")
        if not isinstance(level, str) or not LEVEL_ID.match(level):
            problems.append(f"{path}.level: must be lower-case letters, digits and underscores")
        elif level in levels:
            problems.append(f"{path}.level: duplicate level {level}")
        else:
            levels.append(level)
        _text(problems, f"{path}.label", band.get("label"))
        _text(problems, f"{path}.description", band.get("description"), required=False)
        min_score = band.get("min_score", b if method == "max_level" else None)
        if not is_whole_number(min_score) or min_score < 0:
            problems.append(f"{path}.min_score: must be a whole number of 0 or more")
            continue
        if b == 0 and min_score != 0:
            problems.append(f"{path}.min_score: the first band must start at 0")
        if method == "max_level" and min_score != b:
            problems.append(f"{path}.min_score: with max_level the bands are ranks, so this must be {b}")
        if previous is not None and min_score <= previous:
            problems.append(f"{path}.min_score: must be higher than the band before ({previous})")
        previous = min_score
    if method in ("count_yes", "weighted_sum") and questions and previous is not None:
        parsed = tuple(question_from_data(q) for _, q in questions.values() if looks_like_question(q))
        highest = max_score_for(method, parsed, len(bands))
        if previous > highest:
            problems.append(
                f"scoring.bands[{len(bands) - 1}].min_score: {previous} cannot be reached "
                f"(the highest possible score is {highest})"
            )
    if method == "count_yes" and not any(q.get("answer_type") == "yes_no" for _, q in questions.values()):
        problems.append("scoring.method: count_yes needs at least one yes_no question")
    return levels if len(levels) == len(bands) else None


def _validate_levels_used(
    problems: list[str], questions: dict[str, tuple[str, Mapping[str, Any]]], levels: list[str]
) -> None:
    known = ", ".join(levels)
    for path, question in questions.values():
        if "level_if_yes" in question and question["level_if_yes"] not in levels:
            problems.append(f"{path}.level_if_yes: must be one of the band levels ({known})")
        if question.get("answer_type") == "level":
            missing = [level for level in LEVEL_VALUES if level not in levels]
            if missing:
                problems.append(
                    f"{path}.answer_type: level answers are low, medium and high, but the bands "
                    f"have no {', '.join(missing)}"
                )
        for o, option in enumerate(question.get("options") or []):
            if isinstance(option, Mapping) and "level" in option and option["level"] not in levels:
                problems.append(f"{path}.options[{o}].level: must be one of the band levels ({known})")


def _validate_override(problems: list[str], override: Any) -> None:
    if not isinstance(override, Mapping):
        problems.append("override: must be an object with may_raise and may_lower")
        return
    _unknown_keys(problems, "override", override, OVERRIDE_KEYS)
    for key in ("may_raise", "may_lower"):
        if not isinstance(override.get(key), bool):
            problems.append(f"override.{key}: must be true or false")
    threshold = override.get("no_lower_at_or_above_score")
    if threshold is not None and (not is_whole_number(threshold) or threshold < 0):
        problems.append("override.no_lower_at_or_above_score: must be a whole number of 0 or more")


def _validate_triggers(
    problems: list[str],
    triggers: Any,
    questions: dict[str, tuple[str, Mapping[str, Any]]],
    levels: list[str] | None,
) -> None:
    if not isinstance(triggers, list):
        problems.append("triggers: must be a list")
        return
    ids: set[str] = set()
    for t, trigger in enumerate(triggers):
        path = f"triggers[{t}]"
        if not isinstance(trigger, Mapping):
            problems.append(f"{path}: must be an object with id and when")
            continue
        _unknown_keys(problems, path, trigger, TRIGGER_KEYS)
        tid = trigger.get("id")
        if not isinstance(tid, str) or not TRIGGER_ID.match(tid):
            problems.append(f"{path}.id: must look like marac:visible_high_risk")
        elif tid in ids:
            problems.append(f"{path}.id: duplicate id {tid}")
        else:
            ids.add(tid)
        _text(problems, f"{path}.label", trigger.get("label"), required=False)
        when = trigger.get("when")
        if not isinstance(when, Mapping) or not when:
            problems.append(f"{path}.when: must be an object with at least one condition")
            continue
        _validate_when(problems, f"{path}.when", when, questions, levels)


def _validate_when(
    problems: list[str],
    path: str,
    when: Mapping[str, Any],
    questions: dict[str, tuple[str, Mapping[str, Any]]],
    levels: list[str] | None,
) -> None:
    for key in sorted(set(when) - WHEN_KEYS):
        problems.append(f"{path}.{key}: unknown condition (use {', '.join(sorted(WHEN_KEYS))})")
    for key in ("score__gte", "score__lt"):
        if key in when and not is_whole_number(when[key]):
            problems.append(f"{path}.{key}: must be a whole number")
    for key in ("level", "level__gte", "override_level"):
        if key in when and levels is not None and when[key] not in levels:
            problems.append(f"{path}.{key}: must be one of the band levels ({', '.join(levels)})")
    answers = when.get("answers")
    if answers is None:
        return
    if not isinstance(answers, Mapping) or not answers:
        problems.append(f"{path}.answers: must map question ids to an answer or a list of answers")
        return
    for qid, expected in answers.items():
        if qid not in questions:
            problems.append(f"{path}.answers.{qid}: no such question")
            continue
        question = question_from_data(questions[qid][1]) if looks_like_question(questions[qid][1]) else None
        values = expected if isinstance(expected, list) else [expected]
        allowed = question.allowed_values if question else ()
        for value in values:
            if not isinstance(value, str) or (allowed and value not in allowed):
                problems.append(f"{path}.answers.{qid}: {value!r} is not an allowed answer")


def _validate_grades(problems: list[str], grades: Any, levels: list[str] | None) -> None:
    if not isinstance(grades, list):
        problems.append("grade_mapping: must be a list")
        return
    seen: set[str] = set()
    for g, row in enumerate(grades):
        path = f"grade_mapping[{g}]"
        if not isinstance(row, Mapping):
            problems.append(f"{path}: must be an object with level, grade and label")
            continue
        _unknown_keys(problems, path, row, GRADE_KEYS)
        level = row.get("level")
        if not isinstance(level, str) or (levels is not None and level not in levels):
            problems.append(f"{path}.level: must be one of the band levels ({', '.join(levels or [])})")
        elif level in seen:
            problems.append(f"{path}.level: duplicate level {level}")
        else:
            seen.add(level)
        if not isinstance(row.get("grade"), str) or not QUESTION_ID.match(row.get("grade") or ""):
            problems.append(f"{path}.grade: must be lower-case letters, digits and underscores")
        _text(problems, f"{path}.label", row.get("label"))
        _text(problems, f"{path}.note", row.get("note"), required=False)
