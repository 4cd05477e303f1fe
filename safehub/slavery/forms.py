"""GOV.UK forms for modern slavery pages. Times are a date input and a 24-hour time."""

from __future__ import annotations

from datetime import datetime, time

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Size
from django import forms
from django.utils import timezone

from safehub.core.forms import GdsFormMixin
from safehub.slavery import rules
from safehub.slavery.models import Authority, Consent, Decision, Outcome, Sex

YES_NO = [("yes", "Yes"), ("no", "No")]


def _date(label: str, what: str) -> DateInputField:
    field = DateInputField(label=label, help_text="For example, 27 3 2026")
    field.error_messages.update(
        {
            "required": f"Enter the date {what}",
            "invalid": f"Enter a real date {what}",
            "incomplete": f"Enter the date {what} in full",
        }
    )
    return field


def _time(label: str, what: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="Use the 24-hour clock, for example 14:30",
        error_messages={"required": f"Enter the time {what}", "invalid": "Enter a time like 14:30"},
    )


def combine(day, at) -> datetime | None:
    if day is None or at is None:
        return None
    return timezone.make_aware(datetime.combine(day, at))


def _age(label: str, required: bool) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=rules.MAX_AGE,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="In years; an estimate if it is not known" if required else "In years, if known",
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": "Enter the age in whole years, like 17",
            "min_value": f"Enter an age from 0 to {rules.MAX_AGE}",
            "max_value": f"Enter an age from 0 to {rules.MAX_AGE}",
        },
    )


class ReferralForm(GdsFormMixin, forms.Form):
    """An NRM referral (anonymous=False) or an anonymous Duty to Notify MS1 (anonymous=True)."""

    ERROR_FIELDS = {"referred_at": "referred_date", "kind": None, "person": None}

    district = forms.ModelChoiceField(
        label="District where the exploitation was identified",
        queryset=None,
        empty_label="Select a district",
        error_messages={
            "required": "Select the district",
            "invalid_choice": "Select a district your agency serves",
        },
    )
    exploitation_types = forms.MultipleChoiceField(
        label="Type of exploitation",
        help_text="Select all that apply",
        choices=rules.EXPLOITATION_TYPES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one type of exploitation"},
    )
    county_lines = forms.BooleanField(label="Criminal exploitation through county lines", required=False)
    nationality = forms.CharField(
        label="Nationality",
        max_length=60,
        help_text="For example British, Albanian, Vietnamese, or Not known",
        error_messages={"required": "Enter the nationality (or 'Not known')"},
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the sex"},
    )
    age_at_exploitation = _age("Age when the exploitation began", required=False)
    age_at_referral = _age("Age at referral", required=True)
    exploitation_in_uk = forms.ChoiceField(
        label="Was the person exploited in the UK?",
        choices=[("yes", "Yes, in the UK"), ("no", "No, overseas only")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the person was exploited in the UK"},
    )
    consent = forms.ChoiceField(
        label="Does the person consent to an NRM referral?",
        help_text="Children are always referred and need not consent",
        choices=[(Consent.GIVEN, "Yes, the adult consents"), (Consent.NOT_NEEDED, "Not needed: a child")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the person consents to an NRM referral"},
    )
    authority = forms.ChoiceField(
        label="Competent authority", choices=Authority.choices, widget=forms.RadioSelect, required=False
    )
    circumstances = forms.CharField(
        label="What indicates exploitation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    referred_date = _date("Date submitted", "the referral was submitted")
    referred_time = _time("Time submitted", "the referral was submitted")

    def __init__(self, *args, districts=None, anonymous=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.anonymous = anonymous
        self.fields["district"].queryset = districts
        fields = [
            Field.select("district"),
            Field.checkboxes("exploitation_types", legend_size=Size.SMALL),
            Field.checkbox("county_lines"),
            Field.text("nationality", field_width=20),
            Field.radios("sex", legend_size=Size.SMALL, inline=True),
            Field.text("age_at_exploitation", field_width=3),
            Field.text("age_at_referral", field_width=3),
            Field.radios("exploitation_in_uk", legend_size=Size.SMALL, inline=True),
        ]
        if anonymous:
            del self.fields["consent"], self.fields["authority"]
            self.fields[
                "circumstances"
            ].help_text = (
                "An MS1 is anonymous: no names, dates of birth, addresses, phone numbers or e-mail addresses"
            )
            self.fields["referred_date"].label = "Date the MS1 was sent"
            self.fields["referred_time"].label = "Time the MS1 was sent"
        else:
            self.fields["age_at_referral"].required = False
            self.fields[
                "age_at_referral"
            ].help_text = "Worked out from the date of birth if you leave it blank"
            fields += [
                Field.radios("consent", legend_size=Size.SMALL),
                Field.radios("authority", legend_size=Size.SMALL),
            ]
        fields += [
            Field.textarea("circumstances"),
            Field("referred_date"),
            Field.text("referred_time", field_width=5),
        ]
        self.helper = self.make_helper(*fields)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "district": data["district"],
            "exploitation_types": data["exploitation_types"],
            "county_lines": data["county_lines"],
            "nationality": data["nationality"],
            "sex": data["sex"],
            "age_at_exploitation": data["age_at_exploitation"],
            "age_at_referral": data["age_at_referral"],
            "exploitation_in_uk": data["exploitation_in_uk"] == "yes",
            "consent": Consent.REFUSED if self.anonymous else data["consent"],
            "authority": "" if self.anonymous else data.get("authority", ""),
            "circumstances": data["circumstances"],
            "referred_at": combine(data["referred_date"], data["referred_time"]),
        }


class DecisionForm(GdsFormMixin, forms.Form):
    ERROR_FIELDS = {"decided_at": "decided_date"}

    decision = forms.ChoiceField(
        label="Decision",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the decision is positive or negative"},
    )
    authority = forms.ChoiceField(
        label="Competent authority that decided",
        choices=Authority.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    decided_date = _date("Date of the decision", "of the decision")
    decided_time = _time("Time of the decision", "of the decision")

    def __init__(self, *args, with_authority=True, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [Field.radios("decision", legend_size=Size.SMALL, inline=True)]
        if with_authority:
            fields.append(Field.radios("authority", legend_size=Size.SMALL))
        else:
            del self.fields["authority"]
        fields += [Field("decided_date"), Field.text("decided_time", field_width=5)]
        self.helper = self.make_helper(*fields)

    @property
    def decided_at(self):
        return combine(self.cleaned_data["decided_date"], self.cleaned_data["decided_time"])


class OutcomeForm(GdsFormMixin, forms.Form):
    ERROR_FIELDS = {"at": "outcome_date"}

    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    outcome_date = _date("Date of the outcome", "of the outcome")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.radios("outcome", legend_size=Size.SMALL), Field("outcome_date"), Field.textarea("note")
        )

    @property
    def at(self):
        """The end of the outcome day, or now when that is today."""
        end_of_day = combine(self.cleaned_data["outcome_date"], time(23, 59))
        return min(end_of_day, timezone.now())
