"""GOV.UK forms for domestic abuse pages. Times are a date input and a 24-hour time; each form's
`service_data()` gives the service its keyword arguments, and `ERROR_FIELDS` maps a service's
field name back to the form field that holds it."""

from __future__ import annotations

from datetime import datetime, time

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Size
from django import forms
from django.utils import timezone

from safehub.core.forms import GdsFormMixin
from safehub.protection.models import (
    CjOutcome,
    ContactMethod,
    Decision,
    DisclosureStage,
    HearingOutcome,
    Rank,
    Route,
    Theme,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


def _date(label: str, what: str, required: bool = True) -> DateInputField:
    field = DateInputField(label=label, help_text="For example, 27 3 2026", required=required)
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


def _text(label: str, required: bool = True, message: str = "", rows: int = 0, **kwargs) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(
        label=label,
        required=required,
        widget=widget,
        error_messages={"required": message or f"Enter {label.lower()}"},
        **kwargs,
    )


def combine(day, at) -> datetime | None:
    if day is None or at is None:
        return None
    return timezone.make_aware(datetime.combine(day, at))


class _Form(GdsFormMixin, forms.Form):
    # service field -> (date field, time field)
    WHEN: dict[str, tuple[str, str]] = {}
    YES_NO_FIELDS: tuple[str, ...] = ()

    @property
    def ERROR_FIELDS(self) -> dict[str, str]:  # noqa: N802 (the name the views look up)
        return {name: pair[0] for name, pair in self.WHEN.items()}

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name, (day, at) in self.WHEN.items():
            data[name] = combine(data.pop(day), data.pop(at))
        for name in self.YES_NO_FIELDS:
            data[name] = data.get(name) == "yes"
        return data

    def when_fields(self, name: str) -> list:
        day, at = self.WHEN[name]
        return [Field(day), Field.text(at, field_width=5)]


class OrderForm(_Form):
    WHEN = {
        "authorised_at": ("authorised_date", "authorised_time"),
        "served_at": ("served_date", "served_time"),
    }

    district = forms.ModelChoiceField(
        label="District",
        queryset=None,
        empty_label="Select a district",
        error_messages={
            "required": "Select the district",
            "invalid_choice": "Select a district your force serves",
        },
    )
    authorised_by_name = _text(
        "Authorising officer", message="Enter the authorising officer's name", max_length=120
    )
    authorised_by_rank = forms.ChoiceField(
        label="Authorising officer's rank",
        choices=Rank.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the authorising officer's rank"},
    )
    authorised_date = _date("Date authorised", "the notice was authorised")
    authorised_time = _time("Time authorised", "the notice was authorised")
    grounds = _text(
        "Grounds",
        rows=3,
        message="Enter why the notice is necessary to protect the victim",
        help_text="Why the notice is necessary to protect the victim",
    )
    notice_conditions = _text(
        "Conditions of the notice", rows=3, message="Enter the conditions of the notice"
    )
    served_date = _date("Date served", "the notice was served")
    served_time = _time("Time served", "the notice was served")

    def __init__(self, *args, districts=None, notice="DVPN", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["authorised_by_rank"].help_text = (
            "A DVPN needs a superintendent or above"
            if notice == "DVPN"
            else "A DAPN needs an inspector or above"
        )
        self.helper = self.make_helper(
            Field.select("district"),
            Field.text("authorised_by_name"),
            Field.radios("authorised_by_rank", legend_size=Size.SMALL),
            *self.when_fields("authorised_at"),
            Field.textarea("grounds"),
            Field.textarea("notice_conditions"),
            *self.when_fields("served_at"),
        )


class ApplicationForm(_Form):
    WHEN = {"application_made_at": ("made_date", "made_time")}

    made_date = _date("Date the application was made", "the application was made")
    made_time = _time("Time the application was made", "the application was made")
    court = _text("Magistrates' court", message="Enter the magistrates' court", max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(*self.when_fields("application_made_at"), Field.text("court"))


class OutcomeForm(_Form):
    WHEN = {"hearing_at": ("hearing_date", "hearing_time")}

    hearing_date = _date("Date of the hearing", "of the hearing")
    hearing_time = _time("Time of the hearing", "of the hearing")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[c for c in HearingOutcome.choices if c[0] != HearingOutcome.PENDING],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the hearing"},
    )
    duration_days = forms.IntegerField(
        label="How many days the order lasts",
        required=False,
        min_value=1,
        max_value=3650,
        help_text="A DVPO lasts 14 to 28 days",
        error_messages={"invalid": "Enter the number of days as a whole number"},
    )
    order_conditions = _text("Conditions of the order", required=False, rows=3)
    outcome_reason = _text(
        "Reason given", required=False, rows=2, help_text="For a refusal, adjournment, withdrawal or lapse"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            *self.when_fields("hearing_at"),
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.text("duration_days", field_width=3),
            Field.textarea("order_conditions"),
            Field.textarea("outcome_reason"),
        )


class BreachForm(_Form):
    WHEN = {"at": ("breach_date", "breach_time")}

    breach_date = _date("Date of the breach", "of the breach")
    breach_time = _time("Time of the breach", "of the breach")
    description = _text("What happened", rows=3, message="Enter what happened")
    action_taken = _text("Action taken", required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            *self.when_fields("at"), Field.textarea("description"), Field.textarea("action_taken")
        )


class SupportForm(_Form):
    WHEN = {"contacted_at": ("contacted_date", "contacted_time")}
    YES_NO_FIELDS = ("support_accepted",)

    contacted_date = _date("Date of the contact", "of the contact")
    contacted_time = _time("Time of the contact", "of the contact")
    method = forms.ChoiceField(
        label="How",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the victim was contacted"},
    )
    support_accepted = forms.ChoiceField(
        label="Did the victim accept support?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the victim accepted support"},
    )
    safety_plan = _text("Safety plan", required=False, rows=4)
    notes = _text("Notes", required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            *self.when_fields("contacted_at"),
            Field.radios("method", legend_size=Size.SMALL),
            Field.radios("support_accepted", inline=True, legend_size=Size.SMALL),
            Field.textarea("safety_plan"),
            Field.textarea("notes"),
        )


class DisclosureForm(_Form):
    WHEN = {"received_at": ("received_date", "received_time")}

    route = forms.ChoiceField(
        label="Route",
        choices=Route.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select right to ask or right to know"},
    )
    district = forms.ModelChoiceField(
        label="District",
        queryset=None,
        empty_label="Select a district",
        error_messages={
            "required": "Select the district",
            "invalid_choice": "Select a district your force serves",
        },
    )
    received_date = _date("Date received", "the application was received")
    received_time = _time("Time received", "the application was received")
    applicant_name = _text(
        "Applicant (if not the person at risk)",
        required=False,
        max_length=120,
        help_text="A family member or friend who asked; leave blank when the person at risk asked",
    )
    applicant_relationship = _text(
        "Applicant's relationship to the person at risk", required=False, max_length=120
    )

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.helper = self.make_helper(
            Field.radios("route", inline=True, legend_size=Size.SMALL),
            Field.select("district"),
            *self.when_fields("received_at"),
            Field.text("applicant_name"),
            Field.text("applicant_relationship"),
        )


class StageForm(_Form):
    WHEN = {"at": ("stage_date", "stage_time")}

    stage = forms.ChoiceField(
        label="Stage reached",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the stage reached"},
    )
    stage_date = _date("Date", "of this stage")
    stage_time = _time("Time", "of this stage")
    decision = forms.ChoiceField(
        label="Multi-agency decision", choices=Decision.choices, required=False, widget=forms.RadioSelect
    )
    decision_reasons = _text(
        "Reasons for the decision",
        required=False,
        rows=3,
        help_text="Lawful, necessary and proportionate: why the panel decided as it did",
    )
    disclosed_to = _text(
        "Disclosed to", required=False, max_length=120, help_text="The person best placed to protect"
    )
    safety_plan = _text("Safety plan", required=False, rows=3)
    delay_reason = _text("Reason for any delay past 28 days", required=False, rows=2)

    def __init__(self, *args, stages=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(DisclosureStage.choices)
        self.fields["stage"].choices = [(s, labels[s]) for s in stages]
        self.helper = self.make_helper(
            Field.radios("stage", legend_size=Size.SMALL),
            *self.when_fields("at"),
            Field.radios("decision", inline=True, legend_size=Size.SMALL),
            Field.textarea("decision_reasons"),
            Field.text("disclosed_to"),
            Field.textarea("safety_plan"),
            Field.textarea("delay_reason"),
        )


class CjOutcomeForm(_Form):
    outcome = forms.ChoiceField(
        label="Criminal-justice outcome",
        choices=CjOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the criminal-justice outcome"},
    )
    outcome_date = _date("Date of the outcome", "of the outcome")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(Field.radios("outcome", legend_size=Size.SMALL), Field("outcome_date"))

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        day = data.pop("outcome_date")
        # A date only: the end of that day, or now for today (an outcome is never in the future).
        data["outcome_at"] = timezone.now() if day == timezone.localdate() else combine(day, time(23, 59))
        return data

    @property
    def ERROR_FIELDS(self) -> dict[str, str]:  # noqa: N802
        return {"outcome_at": "outcome_date"}


class DeploymentForm(_Form):
    WHEN = {"deployed_at": ("deployed_date", "deployed_time")}
    YES_NO_FIELDS = ("victim_engaged", "support_accepted", "safety_plan")

    contact_reference = _text(
        "Police reference",
        max_length=12,
        message="Enter the police reference",
        help_text="As given by the officers, for example C-1A2B3C4D",
    )
    incident_on = _date("Date of the incident", "of the incident")
    deployed_date = _date("Date deployed", "the car was deployed")
    deployed_time = _time("Time deployed", "the car was deployed")
    call_sign = _text("Call sign", required=False, max_length=20)
    victim_engaged = forms.ChoiceField(
        label="Did the victim engage with the IDVA?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the victim engaged"},
    )
    support_accepted = forms.ChoiceField(
        label="Did the victim accept IDVA support?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the victim accepted support"},
    )
    safety_plan = forms.ChoiceField(
        label="Was a safety plan started?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether a safety plan was started"},
    )
    notes = _text("Notes", required=False, rows=2, help_text="No names: the contact holds the details")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.text("contact_reference", field_width=10),
            Field("incident_on"),
            *self.when_fields("deployed_at"),
            Field.text("call_sign", field_width=10),
            Field.radios("victim_engaged", inline=True, legend_size=Size.SMALL),
            Field.radios("support_accepted", inline=True, legend_size=Size.SMALL),
            Field.radios("safety_plan", inline=True, legend_size=Size.SMALL),
            Field.textarea("notes"),
        )

    @property
    def ERROR_FIELDS(self) -> dict[str, str]:  # noqa: N802
        return {"deployed_at": "deployed_date"}


class SampleForm(_Form):
    YES_NO_FIELDS = ("exclude_live", "exclude_reviewed")

    title = _text("Title of the panel round", max_length=120, message="Enter a title for the panel round")
    period_start = _date("Contacts received from", "the period starts")
    period_end = _date("Contacts received up to", "the period ends")
    size = forms.IntegerField(
        label="Sample size",
        min_value=1,
        max_value=500,
        error_messages={
            "required": "Enter the sample size",
            "invalid": "Enter the sample size as a whole number",
            "min_value": "Enter a sample size of at least 1",
        },
    )
    seed = forms.IntegerField(
        label="Seed",
        min_value=0,
        max_value=2**31 - 1,
        help_text="Drawing with the same seed on the same cases gives the same sample",
        error_messages={"required": "Enter a seed", "invalid": "Enter the seed as a whole number"},
    )
    exclude_live = forms.ChoiceField(
        label="Leave out cases still under investigation?",
        choices=YES_NO,
        initial="yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether to leave out live investigations"},
    )
    exclude_reviewed = forms.ChoiceField(
        label="Leave out cases drawn in earlier rounds?",
        choices=YES_NO,
        initial="yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether to leave out cases reviewed before"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.text("title"),
            Field("period_start"),
            Field("period_end"),
            Field.text("size", field_width=3),
            Field.text("seed", field_width=10),
            Field.radios("exclude_live", inline=True, legend_size=Size.SMALL),
            Field.radios("exclude_reviewed", inline=True, legend_size=Size.SMALL),
        )


class FindingsForm(_Form):
    good_practice = _text("Good practice", required=False, rows=4)
    areas_for_development = _text("Areas for development", required=False, rows=4)
    themes = forms.MultipleChoiceField(
        label="Themes", choices=Theme.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.textarea("good_practice"),
            Field.textarea("areas_for_development"),
            Field.checkboxes("themes", legend_size=Size.SMALL),
        )


class PeriodForm(_Form):
    """The evaluation and timeliness filters (GET: counts only, nothing personal in the URL)."""

    start = _date("From", "the period starts")
    end = _date("To", "the period ends")
    district = forms.ModelChoiceField(
        label="District", queryset=None, required=False, empty_label="All districts"
    )
    period = forms.ChoiceField(
        label="Group by", choices=[("month", "Month"), ("quarter", "Quarter")], required=False
    )

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.helper = self.make_helper(
            Field("start"), Field("end"), Field.select("district"), Field.select("period")
        )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period must be after its start")
        return data


class RecommendationForm(_Form):
    text = _text("Recommendation", rows=3, message="Enter the recommendation")
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=None,
        empty_label="Select the owner",
        error_messages={"required": "Select who owns the recommendation"},
    )
    due_on = _date("Due date", "the recommendation is due")

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.helper = self.make_helper(Field.textarea("text"), Field.select("owner"), Field("due_on"))
