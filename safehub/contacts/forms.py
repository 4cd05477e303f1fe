"""GOV.UK forms for contacts: details, people, THRIVE, arrival, PPN."""

from __future__ import annotations

from datetime import datetime

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import HTML, Field, Size
from django import forms
from django.utils import timezone

from safehub.contacts import rules
from safehub.contacts.models import (
    Category,
    Channel,
    ConcernType,
    Level,
    OffenceGroup,
    Rag,
    RcrpOutcome,
    ResponseGrade,
    Role,
)
from safehub.core.forms import GdsFormMixin
from safehub.people.forms import PersonForm

TIME_HELP = "Use the 24-hour clock, for example 14:30"


def _time(label: str, required: bool = True) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=TIME_HELP,
        error_messages={"required": f"Enter the {label.lower()}", "invalid": "Enter a time like 14:30"},
    )


def _date(label: str, required: bool = True) -> DateInputField:
    field = DateInputField(label=label, required=required, help_text="For example, 27 3 2026")
    field.error_messages.update(
        {"required": f"Enter the {label.lower()}", "invalid": f"Enter a real {label.lower()}"}
    )
    return field


def combine(day, at) -> datetime | None:
    if day is None or at is None:
        return None
    return timezone.make_aware(datetime.combine(day, at))


class ContactForm(GdsFormMixin, forms.Form):
    # Service errors on these names are shown against these form fields.
    ERROR_FIELDS = {"received_at": "received_time", "offence_at": "offence_time"}

    district = forms.ModelChoiceField(
        label="District of the incident",
        queryset=None,
        empty_label="Select a district",
        error_messages={
            "required": "Select the district",
            "invalid_choice": "Select a district your agency serves",
        },
    )
    received_date = _date("Date received")
    received_time = _time("Time received")
    offence_date = _date("Date it happened", required=False)
    offence_time = _time("Time it happened", required=False)
    channel = forms.ChoiceField(
        label="How was it reported?",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how it was reported"},
    )
    category = forms.ChoiceField(
        label="Incident category",
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the incident category"},
    )
    offence_group = forms.ChoiceField(
        label="Kind of offence",
        choices=[("", "Not a crime report, or not known"), *OffenceGroup.choices],
        required=False,
        help_text="For a crime report. A domestic abuse contact left blank counts as domestic abuse.",
        error_messages={"invalid_choice": "Select the kind of offence from the list, or leave it blank"},
    )
    location_text = forms.CharField(label="Location", max_length=200, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    lsoa_code = forms.CharField(
        label="LSOA code", max_length=9, required=False, help_text="If known, for example E01011234"
    )
    narrative = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what happened"},
    )
    serious_harm = forms.BooleanField(label="Someone suffered serious harm", required=False)

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        now = timezone.localtime()
        self.fields["received_date"].initial = now.date()
        self.fields["received_time"].initial = now.strftime("%H:%M")
        self.helper = self.make_helper(
            Field.select("district"),
            Field("received_date"),
            Field.text("received_time", field_width=5),
            HTML(
                '<p class="govuk-body">If it happened earlier than the call (a report of a past '
                "incident), give the date and time it happened: the earliest, if it went on over a "
                "period. Leave them blank if it is happening now or has just happened. A report more "
                "than 12 months after the offence is counted as non-recent.</p>"
            ),
            Field("offence_date"),
            Field.text("offence_time", field_width=5),
            Field.radios("channel", legend_size=Size.SMALL),
            Field.radios("category", legend_size=Size.SMALL),
            Field.select("offence_group"),
            Field.text("location_text"),
            Field.text("postcode", field_width=10),
            Field.text("lsoa_code", field_width=10),
            Field.textarea("narrative"),
            Field.checkbox("serious_harm"),
        )

    def clean(self):
        data = super().clean()
        if bool(data.get("offence_date")) != bool(data.get("offence_time")) and not self.errors.get(
            "offence_date"
        ):
            missing = "offence_time" if data.get("offence_date") else "offence_date"
            self.add_error(missing, "Enter both the date and the time it happened, or neither")
        return data

    def contact_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["received_at"] = combine(data.pop("received_date"), data.pop("received_time"))
        data["offence_at"] = combine(data.pop("offence_date", None), data.pop("offence_time", None))
        return data


class PersonPickForm(forms.Form):
    """One search result added to the contact in a role (the person is loaded in scope by the view)."""

    person = forms.UUIDField(error_messages={"required": "Select a person", "invalid": "Select a person"})
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        error_messages={"required": "Select the person's role", "invalid_choice": "Select the person's role"},
    )


class NewPersonForm(PersonForm):
    """A new person for the contact: their role, then the person index fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"] = forms.ChoiceField(
            label="Their role in the contact",
            choices=Role.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Select the person's role"},
        )
        self.helper.layout.fields.insert(0, Field.radios("role", legend_size=Size.SMALL))

    def clean(self):
        data = super().clean()
        if (
            data.get("role") == Role.CHILD_PRESENT
            and not data.get("date_of_birth")
            and "date_of_birth" not in self.errors
        ):
            self.add_error("date_of_birth", "Enter the date of birth of the child present")
        return data

    def person_data(self) -> dict:
        data = super().person_data()
        data.pop("role", None)
        return data


class ThriveForm(GdsFormMixin, forms.Form):
    grade = forms.ModelChoiceField(
        label="Response grade",
        queryset=ResponseGrade.objects.none(),
        required=False,
        empty_label="Use the grade the THRIVE rule suggests",
    )
    override_reason = forms.CharField(
        label="Why a different grade?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed only when you choose a grade other than the suggested one",
    )

    def __init__(self, *args, grades=None, rcrp=False, regrade=False, **kwargs):
        super().__init__(*args, **kwargs)
        layout = []
        for name in rules.ELEMENTS:
            label = rules.ELEMENT_LABELS[name]
            self.fields[f"{name}_level"] = forms.ChoiceField(
                label=f"{label} level",
                choices=Level.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select the {label.lower()} level"},
            )
            self.fields[f"{name}_rationale"] = forms.CharField(
                label=f"{label}: rationale",
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": f"Enter the rationale for the {label.lower()} level"},
            )
            layout += [
                HTML(f'<h2 class="govuk-heading-m">{label}</h2>'),
                Field.radios(f"{name}_level", inline=True, legend_size=Size.SMALL),
                Field.textarea(f"{name}_rationale"),
            ]
        if rcrp:
            self.fields["rcrp_outcome"] = forms.ChoiceField(
                label="Right Care, Right Person outcome",
                choices=RcrpOutcome.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Select the Right Care, Right Person outcome for this call"},
            )
            layout.append(Field.radios("rcrp_outcome", legend_size=Size.MEDIUM))
        self.fields["grade"].queryset = grades if grades is not None else ResponseGrade.objects.none()
        layout += [Field.select("grade"), Field.textarea("override_reason")]
        if regrade:
            self.fields["regrade_reason"] = forms.CharField(
                label="Why are you grading it again?",
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": "Enter why the contact is being graded again"},
            )
            layout.insert(0, Field.textarea("regrade_reason"))
        self.helper = self.make_helper(*layout)


class ArrivalForm(GdsFormMixin, forms.Form):
    ERROR_FIELDS = {"arrived_at": "arrived_time"}

    arrived_date = _date("Date officers arrived")
    arrived_time = _time("Time officers arrived")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(Field("arrived_date"), Field.text("arrived_time", field_width=5))

    def arrived_at(self) -> datetime | None:
        return combine(self.cleaned_data["arrived_date"], self.cleaned_data["arrived_time"])


class PpnForm(GdsFormMixin, forms.Form):
    concern_type = forms.ChoiceField(
        label="Concern",
        choices=ConcernType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the concern"},
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the RAG rating"},
    )
    summary = forms.CharField(
        label="Summary for the MASH",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter a summary of the concern for the MASH"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.radios("concern_type", legend_size=Size.SMALL),
            Field.radios("rag", inline=True, legend_size=Size.SMALL),
            Field.textarea("summary"),
        )


class ContactFilterForm(forms.Form):
    category = forms.ChoiceField(
        label="Category", choices=[("", "All categories"), *Category.choices], required=False
    )
    district = forms.ModelChoiceField(
        label="District", queryset=None, required=False, empty_label="All districts"
    )

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
