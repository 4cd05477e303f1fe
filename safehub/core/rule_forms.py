"""Forms of the listing rules workbench: a new version's numbers (or its whole JSON), and a test history.

Every definition is checked with `rules.ruleset_from_dict`, the one judge of a valid ruleset: each
problem it names (`rules[3].window_days: ...`) is shown against the rule and field it is about.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from crispy_forms_gds.layout import HTML, Field, Fieldset, Size
from django import forms
from django.utils import timezone
from django.utils.html import format_html

from safehub.core.forms import GdsFormMixin
from safehub.core.rule_examples import HistoryError, history_from_text
from safehub.core.rules import (
    EVENT_TYPES,
    Rule,
    Ruleset,
    RulesetError,
    describe,
    ruleset_from_dict,
    ruleset_to_dict,
)

_PROBLEM = re.compile(r"^rules\[(\d+)\]\.([a-z_]+)(?:\.(\S+))?: (.*)$", re.S)
_OPERATOR_LABELS = {
    "eq": "{name}",
    "gte": "{name}: at least",
    "gt": "{name}: more than",
    "lte": "{name}: at most",
    "lt": "{name}: less than",
    "in": "{name}: one of",
}
_FIELD_LABELS = {"min_count": "Minimum count", "window_days": "Window in days", "description": "Description"}


def _split(key: str) -> tuple[str, str]:
    name, sep, operator = key.rpartition("__")
    return (name, operator) if sep else (key, "eq")


def _plural(event_types: tuple[str, ...]) -> str:
    return " or ".join(EVENT_TYPES.get(t, (t, t))[1] for t in event_types)


def _one(event_types: tuple[str, ...]) -> str:
    return " or ".join(EVENT_TYPES.get(t, (t, t))[0] for t in event_types)


def sentence(text: str) -> str:
    """`text` with a capital first letter (str.capitalize would lower-case DASH and MARAC)."""
    return text[:1].upper() + text[1:]


_NUMBER = forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})


def _numbers(item: dict) -> tuple:
    return item.get("min_count", 1), item.get("window_days"), item.get("where", {})


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


class ProposalFields(GdsFormMixin, forms.Form):
    """When the new version applies and who agreed it (both ways of proposing one ask for these)."""

    effective_from = forms.DateField(
        label="Effective from",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        help_text="The first day the new version applies, for example 1/4/2027. Today or later: "
        "earlier listings stay as they were decided.",
        error_messages={
            "required": "Enter the date the new version applies from",
            "invalid": "Enter the date the new version applies from as DD/MM/YYYY",
        },
    )
    notes = forms.CharField(
        label="Who agreed this change, and why",
        help_text="For example the board or meeting that agreed it, and its date. Kept with the version.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter who agreed this change, and why"},
    )

    def clean_effective_from(self):
        value = self.cleaned_data["effective_from"]
        if value < timezone.localdate():
            raise forms.ValidationError("The date the new version applies from must be today or later")
        return value

    def proposal_layout(self) -> list:
        return [Field.text("effective_from", field_width=10), Field.textarea("notes", rows=3)]


class RuleNumbersForm(ProposalFields):
    """One fieldset per rule of the version in force: its count, window and `where` thresholds."""

    def __init__(self, *args: Any, ruleset: Ruleset, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ruleset = ruleset
        self.definition: dict[str, Any] | None = None
        self._where_fields: dict[tuple[int, str], str] = {}
        fields = dict(self.fields)
        self.fields.clear()
        sections = []
        for index, rule in enumerate(ruleset.rules):
            sections.append(self._rule_fields(index, rule))
        self.fields.update(fields)
        self.helper = self.make_helper(*sections, *self.proposal_layout())

    @staticmethod
    def initial_from(ruleset: Ruleset, definition: dict[str, Any]) -> dict[str, Any]:
        """Initial values of the form for `ruleset` taken from a proposed definition (going back to it)."""
        proposed = {item.get("id"): item for item in definition.get("rules", []) if isinstance(item, dict)}
        initial: dict[str, Any] = {}
        for index, rule in enumerate(ruleset.rules):
            item = proposed.get(rule.id)
            if item is None:
                continue
            initial[f"rule_{index}_min_count"] = item.get("min_count", 1)
            initial[f"rule_{index}_window_days"] = item.get("window_days")
            initial[f"rule_{index}_description"] = item.get("description", "")
            where = item.get("where", {})
            for position, key in enumerate(rule.where):
                if key in where:
                    value = where[key]
                    text = ", ".join(map(str, value)) if isinstance(value, list) else value
                    initial[f"rule_{index}_where_{position}"] = text
        return initial

    def _rule_fields(self, index: int, rule: Rule) -> Fieldset:
        names = []
        what = _plural(rule.event_types)
        if rule.kind != "threshold":
            name = f"rule_{index}_min_count"
            self.fields[name] = forms.IntegerField(
                label=_FIELD_LABELS["min_count"],
                help_text=f"How many {what} it takes"
                + (f" after the latest {_one(rule.anchor_types)}" if rule.anchor_types else ""),
                initial=rule.min_count,
                widget=_NUMBER,
                error_messages={
                    "required": f"Enter the minimum count for {rule.title}",
                    "invalid": f"Enter the minimum count for {rule.title} as a whole number, like 3",
                },
            )
            names.append(Field.text(name, field_width=4))
        name = f"rule_{index}_window_days"
        if rule.kind == "within_window_of":
            window_hint = f"How many days after the latest {_one(rule.anchor_types)} count"
        elif rule.kind == "threshold":
            window_hint = "Only look at the latest event in this many days. Leave blank for the whole history"
        else:
            window_hint = (
                "Counted back from the moment the rule is checked, both ends included (365 is 12 months, "
                "182 about 6 months). Leave blank to count the whole history"
            )
        self.fields[name] = forms.IntegerField(
            label=_FIELD_LABELS["window_days"],
            help_text=window_hint,
            required=False,
            initial=rule.window_days,
            widget=_NUMBER,
            error_messages={"invalid": f"Enter the window for {rule.title} as a whole number of days"},
        )
        names.append(Field.text(name, field_width=4))
        for position, (key, value) in enumerate(rule.where.items()):
            name = f"rule_{index}_where_{position}"
            self._where_fields[(index, key)] = name
            self.fields[name] = self._where_field(rule, key, value)
            names.append(Field.text(name, field_width=10))
        name = f"rule_{index}_description"
        self.fields[name] = forms.CharField(
            label="Description",
            help_text="What the rule means, in words: change it to match new numbers",
            required=False,
            max_length=500,
            initial=rule.description,
        )
        names.append(Field.text(name))
        summary = HTML(format_html('<p class="govuk-body">Now: {}.</p>', sentence(describe(rule))))
        return Fieldset(summary, *names, legend=rule.title, legend_size=Size.MEDIUM)

    def _where_field(self, rule: Rule, key: str, value: Any) -> forms.Field:
        attr, operator = _split(key)
        label = _OPERATOR_LABELS.get(operator, "{name}").format(name=attr.replace("_", " ").capitalize())
        required = {"required": f"Enter the {attr.replace('_', ' ')} condition for {rule.title}"}
        if operator in ("gte", "gt", "lte", "lt"):
            return forms.DecimalField(
                label=label,
                initial=value,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
                error_messages={**required, "invalid": f"Enter the {attr} for {rule.title} as a number"},
            )
        if operator == "in":
            return forms.CharField(
                label=label,
                help_text="Separate the values with commas, for example high, significant",
                initial=", ".join(str(v) for v in value),
                error_messages=required,
            )
        return forms.CharField(label=label, initial=str(value), error_messages=required)

    def _where_value(self, key: str, raw: Any, before: Any) -> Any:
        operator = _split(key)[1]
        if operator in ("gte", "gt", "lte", "lt"):
            return _number(raw)
        if operator == "in":
            return [v.strip() for v in raw.split(",") if v.strip()]
        if isinstance(before, bool | int | float):  # an equals condition on a number or flag
            try:
                return json.loads(raw)
            except ValueError:
                return raw
        return raw.strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        definition = ruleset_to_dict(self.ruleset)
        originals = ruleset_to_dict(self.ruleset)["rules"]
        for index, (rule, item) in enumerate(zip(self.ruleset.rules, definition["rules"], strict=True)):
            if rule.kind != "threshold":
                item["min_count"] = data[f"rule_{index}_min_count"]
            window = data[f"rule_{index}_window_days"]
            if window is None:
                item.pop("window_days", None)
            else:
                item["window_days"] = window
            if rule.where:
                item["where"] = {
                    key: self._where_value(key, data[self._where_fields[(index, key)]], value)
                    for key, value in rule.where.items()
                }
            self._set_description(index, rule, item, originals[index])
        try:
            ruleset_from_dict(definition)
        except RulesetError as exc:
            for problem in exc.problems:
                self._add_problem(problem)
        if not self.errors:
            self.definition = definition
        return data

    def _set_description(self, index: int, rule: Rule, item: dict, original: dict) -> None:
        """The new description; one left as it was on a rule whose numbers changed is refused."""
        name = f"rule_{index}_description"
        description = (self.cleaned_data.get(name) or "").strip()
        item.pop("description", None)
        if description:
            item["description"] = description
        unchanged_words = bool(rule.description) and description == rule.description.strip()
        if unchanged_words and _numbers(item) != _numbers(original):
            self.add_error(
                name,
                f"{rule.title}, description: it still describes the old numbers ({rule.description}). "
                "Change it to match the new numbers, or clear it",
            )

    def _add_problem(self, problem: str) -> None:
        match = _PROBLEM.match(problem)
        if match is None:
            self.add_error(None, problem)
            return
        index, field, key, message = int(match[1]), match[2], match[3], match[4]
        rule = self.ruleset.rules[index] if index < len(self.ruleset.rules) else None
        name = None
        if rule is not None and field in _FIELD_LABELS:
            name = f"rule_{index}_{field}"
        elif rule is not None and field == "where" and key:
            name = self._where_fields.get((index, key))
        if rule is None:
            self.add_error(None, problem)
        elif name is None or name not in self.fields:
            self.add_error(None, f"{rule.title}, {field.replace('_', ' ')}: {message}")
        else:
            self.add_error(name, f"{rule.title}, {self.fields[name].label.lower()}: {message}")


class RulesetJsonForm(ProposalFields):
    """The whole definition as JSON, for changes the numbers form cannot make (a new rule, a kind)."""

    definition = forms.CharField(
        label="Definition (JSON)",
        help_text="The whole ruleset: id, title, source, notes and rules, as docs/rules.md describes. "
        "Its version number is set when it is saved.",
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}),
        max_length=50_000,
        error_messages={"required": "Enter the ruleset definition as JSON"},
    )

    def __init__(self, *args: Any, ruleset_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ruleset_id = ruleset_id
        self.helper = self.make_helper(Field.textarea("definition", rows=24), *self.proposal_layout())

    def clean_definition(self) -> dict[str, Any]:
        text = self.cleaned_data["definition"]
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                f"The definition is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            ) from None
        try:
            ruleset = ruleset_from_dict(data)
        except RulesetError as exc:
            raise forms.ValidationError([f"The definition's {p}" for p in exc.problems]) from None
        if ruleset.id != self.ruleset_id:
            raise forms.ValidationError(
                f"The definition's id is {ruleset.id!r}: a version of {self.ruleset_id!r} must keep its id"
            )
        return data


class HistoryForm(GdsFormMixin, forms.Form):
    """A history to test on, in the format of `safehub rules evaluate --history` (the same parser)."""

    history = forms.CharField(
        label="Your own example history (JSON)",
        help_text='As for safehub rules evaluate: {"as_of": "2026-11-23T12:00", "events": [{"type": '
        '"da_incident", "at": "2026-11-20T22:15"}, {"type": "dash", "at": "2026-11-20T22:30", '
        '"score": 15}]}. A date-time without an offset is UK time. Use made-up events only: '
        "never a real person's history.",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        max_length=100_000,
        error_messages={"required": "Enter a history as JSON"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parsed = None
        self.helper = self.make_helper(Field.textarea("history", rows=8))

    def clean_history(self) -> str:
        text = self.cleaned_data["history"]
        try:
            self.parsed = history_from_text(text)
        except HistoryError as exc:
            raise forms.ValidationError(exc.problems) from None
        return text
