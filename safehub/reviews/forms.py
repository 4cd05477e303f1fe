"""GOV.UK forms for practice reviews. Services decide; forms parse input."""

from __future__ import annotations

from datetime import datetime

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field
from django import forms
from django.utils import timezone

from safehub.core.forms import GdsFormMixin
from safehub.reviews.models import Decision, IncidentKind, LearningTheme


def _date_field(
    label: str, *, required: bool = True, help_text: str = "For example, 27 3 2026"
) -> DateInputField:
    field = DateInputField(label=label, help_text=help_text, required=required)
    field.error_messages.update({"required": f"Enter the {label.lower()}", "invalid": "Enter a real date"})
    return field


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="Use the 24-hour clock, for example 14:30",
        error_messages={"required": "Enter the time", "invalid": "Enter a time like 14:30"},
    )


def _aware(day, at) -> datetime | None:
    if day is None or at is None:
        return None
    return timezone.make_aware(datetime.combine(day, at))


class ReviewForm(GdsFormMixin, forms.Form):
    reference = forms.CharField(
        label="Review name",
        max_length=60,
        help_text="The partnership's name for the review, such as Child T (never the child's real name)",
        error_messages={"required": "Enter the review's name, such as Child T"},
    )
    incident_kind = forms.ChoiceField(
        label="What happened to the child",
        choices=IncidentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the child died or was seriously harmed"},
    )
    incident_on = _date_field("Date of the incident")
    incident_summary = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why abuse or neglect is known or suspected",
        error_messages={"required": "Enter what happened"},
    )
    learned_date = _date_field("Date the partnership learned of it")
    learned_time = _time_field("Time the partnership learned of it")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.text("reference", field_width=20),
            Field.radios("incident_kind"),
            Field("incident_on"),
            Field.textarea("incident_summary"),
            Field("learned_date"),
            Field.text("learned_time", field_width=5),
        )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["learned_at"] = _aware(data.pop("learned_date"), data.pop("learned_time"))
        return data


class NotificationForm(GdsFormMixin, forms.Form):
    notified_date = _date_field("Date the notification was sent")
    notified_time = _time_field("Time the notification was sent")
    panel_reference = forms.CharField(label="Panel's reference (optional)", max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field("notified_date"),
            Field.text("notified_time", field_width=5),
            Field.text("panel_reference", field_width=20),
        )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["notified_at"] = _aware(data.pop("notified_date"), data.pop("notified_time"))
        return data


class RapidReviewForm(GdsFormMixin, forms.Form):
    held_on = _date_field("Date of the rapid review")
    findings = forms.CharField(
        label="Findings and immediate actions",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the rapid review's findings and the immediate actions"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(Field("held_on"), Field.textarea("findings"))

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class DecisionForm(GdsFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Decision on a local review",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the decision on a local review"},
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the rationale for the decision"},
    )
    decided_on = _date_field("Date of the decision")
    started_on = _date_field(
        "Date the local review starts",
        required=False,
        help_text="Only for a local review: publication is due 6 months from this date",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.radios("decision"), Field.textarea("rationale"), Field("decided_on"), Field("started_on")
        )

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class ThemesForm(GdsFormMixin, forms.Form):
    themes = forms.MultipleChoiceField(
        label="Learning themes",
        choices=LearningTheme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(Field.checkboxes("themes"))

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class PublicationForm(GdsFormMixin, forms.Form):
    sent_to_panel_on = _date_field(
        "Date sent to the panel and the Secretary of State",
        help_text="The report goes to them before it is published. For example, 27 3 2026",
    )
    published_on = _date_field("Date published")
    publication_url = forms.URLField(
        assume_scheme="https",
        label="Web address of the published report (optional)",
        required=False,
        error_messages={"invalid": "Enter a web address starting https://"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field("sent_to_panel_on"), Field("published_on"), Field.text("publication_url")
        )

    def service_data(self) -> dict:
        return dict(self.cleaned_data)
