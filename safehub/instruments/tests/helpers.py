"""Answers for the shipped instruments, for the tests."""

from __future__ import annotations

from safehub.instruments import rules
from safehub.instruments.definitions import shipped_definition


def definition(instrument_id: str) -> rules.Definition:
    return rules.parse_definition(shipped_definition(instrument_id, 1))


def dash_answers(yes: int, *, not_known: int = 0, rest: str = "no") -> dict[str, str]:
    """q1..q<yes> yes, the next `not_known` not known, the rest `rest`."""
    answers = {}
    for number in range(1, 28):
        if number <= yes:
            answers[f"q{number}"] = "yes"
        elif number <= yes + not_known:
            answers[f"q{number}"] = "not_known"
        else:
            answers[f"q{number}"] = rest
    return answers


def yes_to(instrument_id: str, *ids: str, **choices: str) -> dict[str, str]:
    """Every mandatory question answered: the yes_no ones in `ids` yes, other yes_no no, choices
    from `choices` (else the first option), levels low."""
    answers = {}
    for question in definition(instrument_id).questions:
        if question.answer_type == "yes_no":
            answers[question.id] = "yes" if question.id in ids else "no"
        elif question.answer_type == "choice":
            answers[question.id] = choices.get(question.id, question.options[0].value)
        elif question.answer_type == "level":
            answers[question.id] = choices.get(question.id, "low")
    return answers
