"""GOV.UK forms for MARAC and MACE pages. Services make the decisions; forms parse input."""

from __future__ import annotations

from datetime import datetime, time

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Size
from django import forms
from django.utils import timezone

from safehub.core.forms import GdsFormMixin
from safehub.core.models import Agency, District
from safehub.meetings.models import RISK_LEVELS_FOR_KIND, ActionStatus, Decision, Kind, MeetingSeries


def _date_field(
    label: str, *, required: bool = True, help_text: str = "For example, 27 3 2026"
) -> DateInputField:
    field = DateInputField(label=label, help_text=help_text, required=required)
    field.error_messages.update({"required": f"Enter the {label.lower()}", "invalid": "Enter a real date"})
    return field


def _time_field(label: str, initial: time, *, required: bool = True) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=["%H:%M", "%H.%M"],
        initial=initial,
        required=required,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="Use the 24-hour clock, for example 14:30",
        error_messages={"required": "Enter the time", "invalid": "Enter a time like 14:30"},
    )


def _aware(day, at) -> datetime | None:
    if day is None or at is None:
        return None
    return timezone.make_aware(datetime.combine(day, at))


class MeetingForm(GdsFormMixin, forms.Form):
    date = _date_field("Date of the meeting")
    start_time = _time_field("Start time", time(10, 0))
    location = forms.CharField(
        label="Where", max_length=200, required=False, help_text="A room or 'Microsoft Teams'"
    )
    research_date = _date_field(
        "Research due by", required=False, help_text="Optional. For example, 25 3 2026"
    )

    ERROR_FIELDS = {"starts_at": "date", "research_due_at": "research_date"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field("date"),
            Field.text("start_time", field_width=5),
            Field.text("location"),
            Field("research_date"),
        )

    def starts_at(self) -> datetime | None:
        return _aware(self.cleaned_data.get("date"), self.cleaned_data.get("start_time"))

    def research_due_at(self) -> datetime | None:
        return _aware(self.cleaned_data.get("research_date"), time(17, 0))


class PersonPickForm(forms.Form):
    person = forms.UUIDField(error_messages={"required": "Select a person", "invalid": "Select a person"})


class ManualAddForm(GdsFormMixin, forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput, error_messages={"required": "Select a person"})
    reason = forms.CharField(
        label="Why add this person to the agenda?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why you are adding this person to the agenda"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(Field.textarea("reason"))


class ReasonForm(GdsFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why is the case removed from the agenda?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the case is removed from the agenda"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(Field.textarea("reason"))


class InviteForm(GdsFormMixin, forms.Form):
    user = forms.ModelChoiceField(
        label="Person to invite",
        queryset=None,
        empty_label="Select a person",
        error_messages={
            "required": "Select a person to invite",
            "invalid_choice": "Select a member of the series",
        },
    )

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: f"{u} ({u.agency.name})"
        self.helper = self.make_helper(Field.select("user"))


class AttendanceForm(GdsFormMixin, forms.Form):
    attended = forms.MultipleChoiceField(
        label="Who attended?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )

    def __init__(self, *args, attendances=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(str(a.pk), f"{a.user} ({a.agency.name})") for a in attendances]
        self.fields["attended"].initial = [str(a.pk) for a in attendances if a.attended]
        self.helper = self.make_helper(Field.checkboxes("attended", legend_size=Size.SMALL))


class ResearchForm(GdsFormMixin, forms.Form):
    nothing_known = forms.BooleanField(label="My agency holds nothing about this person", required=False)
    summary = forms.CharField(
        label="What your agency knows", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    risks = forms.CharField(
        label="Risks your agency sees", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.textarea("summary"), Field.textarea("risks"), Field.checkbox("nothing_known")
        )


class MinutesForm(GdsFormMixin, forms.Form):
    minutes = forms.CharField(label="Minutes", widget=forms.Textarea(attrs={"rows": 6}), required=False)
    risk_level_after = forms.ChoiceField(label="Risk level after discussion", required=False)
    decision = forms.ChoiceField(label="Decision", required=False, widget=forms.RadioSelect)
    decision_reason = forms.CharField(
        label="Reason for the decision", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    transfer_to_series = forms.ModelChoiceField(
        label="Transfer to (a MARAC in the partnership)", queryset=None, required=False, empty_label="None"
    )
    transfer_to_area = forms.CharField(
        label="Or transfer to an area outside the partnership", max_length=200, required=False
    )

    def __init__(self, *args, kind: str, series: MeetingSeries, **kwargs):
        super().__init__(*args, **kwargs)
        levels = RISK_LEVELS_FOR_KIND[kind]
        self.fields["risk_level_after"].choices = [("", "Not yet set"), *[(str(v), v.label) for v in levels]]
        decisions = [
            (v, label) for v, label in Decision.choices if kind == Kind.MARAC or v != Decision.TRANSFER
        ]
        self.fields["decision"].choices = decisions
        self.fields["transfer_to_series"].queryset = MeetingSeries.objects.filter(
            kind=Kind.MARAC, active=True
        ).exclude(pk=series.pk)
        layout = [
            Field.textarea("minutes"),
            Field.select("risk_level_after"),
            Field.radios("decision", legend_size=Size.SMALL),
            Field.textarea("decision_reason"),
        ]
        if kind == Kind.MARAC:
            layout += [Field.select("transfer_to_series"), Field.text("transfer_to_area")]
        else:
            del self.fields["transfer_to_series"], self.fields["transfer_to_area"]
        self.helper = self.make_helper(*layout)


class ActionForm(GdsFormMixin, forms.Form):
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what is to be done"},
    )
    owner_agency = forms.ModelChoiceField(
        label="Owning agency",
        queryset=None,
        empty_label="Select an agency",
        error_messages={"required": "Select the agency that owns the action"},
    )
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=None,
        empty_label="Select a person",
        error_messages={"required": "Select the person who owns the action"},
    )
    due_on = _date_field("Due date")

    def __init__(self, *args, agencies=(), users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = Agency.objects.filter(
            pk__in=[a.pk for a in agencies]
        ).order_by("name")
        self.fields["owner"].queryset = users
        self.fields["owner"].label_from_instance = lambda u: f"{u} ({u.agency.name})"
        self.helper = self.make_helper(
            Field.textarea("description"),
            Field.select("owner_agency"),
            Field.select("owner"),
            Field("due_on"),
        )


class ActionUpdateForm(GdsFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a status"},
    )
    update = forms.CharField(
        label="Progress or reason", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.radios("status", legend_size=Size.SMALL), Field.textarea("update")
        )


class ReferralForm(GdsFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Refer to",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select MARAC or MACE"},
    )
    district = forms.ModelChoiceField(
        label="District whose meeting should hear the case",
        queryset=None,
        empty_label="Select a district",
        error_messages={
            "required": "Select the district",
            "invalid_choice": "Select a district your agency serves",
        },
    )
    reasons = forms.CharField(
        label="Concerns and why they meet the threshold",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the concerns and why they meet the threshold"},
    )

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts if districts is not None else District.objects.none()
        self.helper = self.make_helper(
            Field.radios("kind", inline=True, legend_size=Size.SMALL),
            Field.select("district"),
            Field.textarea("reasons"),
        )
