"""GOV.UK forms for instruments: the assessment form is built from the instrument's definition."""

from __future__ import annotations

import json
import re
from typing import Any

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from safehub.core.forms import GdsFormMixin
from safehub.instruments import rules

YES_NO_CHOICES = [("yes", "Yes"), ("no", "No"), ("not_known", "Not known"), ("not_asked", "Not asked")]
LEVEL_CHOICES = [("low", "Low"), ("medium", "Medium"), ("high", "High")]
NUMBERED = re.compile(r"^q(\d+)$")


def question_label(question: rules.Question) -> str:
    match = NUMBERED.match(question.id)
    return f"{match.group(1)}. {question.text}" if match else question.text


def question_ref(question: rules.Question) -> str:
    """How an error message names a question: "question 5", or its text."""
    match = NUMBERED.match(question.id)
    return f"question {match.group(1)}" if match else f"“{question.text}”"


def _field(question: rules.Question) -> forms.Field:
    help_text = question.help
    if question.mark == "U":
        help_text = f"{help_text} Wording or numbering not yet verified.".strip()
    common: dict[str, Any] = {
        "label": question_label(question),
        "required": question.mandatory,
        "help_text": help_text,
    }
    ref = question_ref(question)
    if question.answer_type == "text":
        return forms.CharField(
            max_length=rules.TEXT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={
                "required": f"Enter an answer to {ref}",
                "max_length": f"The answer to {ref} must be {rules.TEXT_MAX_LENGTH} characters or fewer",
            },
            **common,
        )
    if question.answer_type == "yes_no":
        choices, message = YES_NO_CHOICES, f"Select yes, no, not known or not asked for {ref}"
    elif question.answer_type == "level":
        choices, message = LEVEL_CHOICES, f"Select low, medium or high for {ref}"
    else:
        choices, message = [(o.value, o.label) for o in question.options], f"Select an answer for {ref}"
    return forms.ChoiceField(
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
        **common,
    )


class AssessmentForm(GdsFormMixin, forms.Form):
    """One radio group (or text box) per question, in sections, then the professional judgement."""

    def __init__(self, *args: Any, definition: rules.Definition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        fieldsets = []
        for section in definition.sections:
            for question in section.questions:
                self.fields[question.id] = _field(question)
            fieldsets.append(
                Fieldset(
                    *[self._layout_field(question) for question in section.questions],
                    legend=section.title,
                    legend_size=Size.MEDIUM,
                )
            )
        self.fields[rules.PJ_LEVEL] = forms.ChoiceField(
            label="Does your professional judgement give a different level?",
            required=False,
            choices=[("", "No: use the computed level")] + [(b.level, b.label) for b in definition.bands],
            widget=forms.RadioSelect,
            initial="",
            help_text=self._override_help(definition),
            error_messages={"invalid_choice": "Select a level from the list"},
        )
        self.fields[rules.PJ_REASON] = forms.CharField(
            label="Reason for your professional judgement",
            required=False,
            max_length=rules.REASON_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text="Required when you choose a level. State your concerns and what they rest on.",
        )
        fieldsets.append(
            Fieldset(
                Field.radios(rules.PJ_LEVEL, legend_size=Size.SMALL),
                Field.textarea(rules.PJ_REASON),
                legend="Professional judgement",
                legend_size=Size.MEDIUM,
            )
        )
        self.helper = self.make_helper()
        self.helper.layout = Layout(*fieldsets)

    @staticmethod
    def _layout_field(question: rules.Question) -> Field:
        if question.answer_type == "text":
            return Field.textarea(question.id)
        inline = question.answer_type in ("yes_no", "level")
        return Field.radios(question.id, legend_size=Size.SMALL, inline=inline, small=inline)

    @staticmethod
    def _override_help(definition: rules.Definition) -> str:
        policy = definition.override
        if not policy.may_lower:
            return "You may raise the level, not lower it."
        if policy.no_lower_at_or_above_score is not None:
            return (
                f"You may raise the level. You may lower it only when the score is below "
                f"{policy.no_lower_at_or_above_score}."
            )
        return "You may raise or lower the level, giving your reasons."

    def answers(self) -> dict[str, str]:
        return {
            question.id: self.cleaned_data[question.id]
            for question in self.definition.questions
            if self.cleaned_data.get(question.id)
        }

    def professional_judgement(self) -> dict[str, str] | None:
        level = self.cleaned_data.get(rules.PJ_LEVEL) or ""
        reason = self.cleaned_data.get(rules.PJ_REASON) or ""
        if not level and not reason.strip():
            return None
        return {"level": level, "reason": reason}


class PersonRecordForm(GdsFormMixin, forms.Form):
    record_id = forms.UUIDField(
        label="Record id of the person",
        help_text="Shown on the person's page, under their name.",
        error_messages={
            "required": "Enter the record id of the person",
            "invalid": "Enter the record id in the form shown on the person's page",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(Field.text("record_id", field_width=30))


class NewVersionForm(forms.Form):
    """The admin's "new version" form: the whole definition as JSON."""

    definition = forms.CharField(
        label="Definition (JSON)",
        widget=forms.Textarea(attrs={"rows": 40, "cols": 120, "spellcheck": "false"}),
        help_text="Edit the current version. The version number is set for you when you save.",
    )

    def clean_definition(self) -> Any:
        text = self.cleaned_data["definition"]
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"This is not valid JSON: {exc}") from exc
