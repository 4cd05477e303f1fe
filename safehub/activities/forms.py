"""GOV.UK forms for the activity register and team establishment. The services validate in full;
these forms only parse what the browser sends (dates, numbers) and give GOV.UK error wording."""

from __future__ import annotations

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from safehub.activities import targets
from safehub.activities.models import ActivityKind, Theme, Workload
from safehub.core.forms import GdsFormMixin


def _date(label: str, what: str, *, required: bool = True) -> DateInputField:
    field = DateInputField(label=label, help_text="For example, 27 3 2026", required=required)
    field.error_messages.update(
        {
            "required": f"Enter {what}",
            "invalid": f"Enter a real date for {what}",
            "incomplete": f"Enter {what} in full",
        }
    )
    return field


def _count(label: str, what: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": f"Enter {what} as a whole number",
            "min_value": f"Enter {what} as 0 or more",
        },
    )


class ActivityForm(GdsFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Kind of activity",
        choices=ActivityKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of activity"},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the title of the activity"}
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    themes = forms.MultipleChoiceField(
        label="Themes",
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one theme"},
    )
    starts_on = _date("Start date", "the date the activity started (or starts)")
    ends_on = _date("End date (if it ran over more than one day)", "the end date", required=False)
    venue = forms.CharField(label="Venue", required=False, max_length=200)
    districts = forms.ModelMultipleChoiceField(
        label="Districts",
        queryset=None,
        required=False,
        help_text="Leave all unticked for an activity across the whole force area",
        widget=forms.CheckboxSelectMultiple,
    )
    lead_organisation = forms.CharField(
        label="Lead organisation",
        max_length=160,
        error_messages={"required": "Enter the organisation that led the activity"},
    )
    partner_organisations = forms.CharField(
        label="Partner organisations",
        required=False,
        help_text="One organisation a line; no personal names",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    audience = forms.CharField(
        label="Audience", required=False, max_length=200, help_text="For example, first responders or schools"
    )
    attendance = _count(
        "Attendance", "attendance", "People who attended, or entries to a competition (once it has started)"
    )
    attendance_noun = forms.CharField(
        label="What the attendance counts",
        required=False,
        max_length=40,
        help_text="For example, delegates, participants or projects entered",
    )
    reach = _count("People reached", "the number of people reached", "For a campaign, for example")
    cost = forms.CharField(
        label="Cost",
        required=False,
        max_length=20,
        help_text="In pounds and pence, for example 1250.00",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )
    funding_source = forms.CharField(label="Funding source", required=False, max_length=160)
    outcomes = forms.CharField(label="Outcomes", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    target_series = forms.ChoiceField(
        label="Measure the campaign set out to change", required=False, choices=()
    )
    target_category = forms.ChoiceField(
        label="Category of the measure",
        required=False,
        choices=(),
        help_text="Listed under each measure that has categories; the whole measure if none",
    )
    target_district = forms.ChoiceField(label="District of the measure", required=False, choices=())

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = districts
        self.fields["target_series"].choices = [("", "Not a campaign, or choose a measure")] + list(
            targets.choices()
        )
        self.fields["target_district"].choices = [("", "Force-wide")] + [(d.code, d.name) for d in districts]
        grouped = targets.categories()
        held = {code for _, options in grouped for code, _ in options}
        current = (self.initial.get("target_category") or self.data.get("target_category") or "").strip()
        if current and current not in held:  # a category the data no longer holds: keep it, check() says why
            grouped = [*grouped, ("Not in the data now", [(current, current)])]
        self.fields["target_category"].choices = [("", "The whole measure")] + grouped
        self.helper = self.make_helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("title"),
            Field.textarea("description"),
            Field.checkboxes("themes", legend_size=Size.SMALL, small=True),
            Field("starts_on"),
            Field("ends_on"),
            Field.text("venue"),
            Field.checkboxes("districts", legend_size=Size.SMALL, small=True),
            Field.text("lead_organisation"),
            Field.textarea("partner_organisations"),
            Field.text("audience"),
            Field.text("attendance", field_width=5),
            Field.text("attendance_noun", field_width=20),
            Field.text("reach", field_width=10),
            Field.text("cost", field_width=10),
            Field.text("funding_source"),
            Field.textarea("outcomes"),
            Fieldset(
                Field.select("target_series"),
                Field.select("target_category"),
                Field.select("target_district"),
                legend="For a campaign: its target measure",
                legend_size=Size.MEDIUM,
            ),
        )

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["districts"] = list(data["districts"])
        data["partner_organisations"] = data["partner_organisations"].splitlines()
        return data

    @staticmethod
    def initial_from(activity) -> dict:
        return {
            "kind": activity.kind,
            "title": activity.title,
            "description": activity.description,
            "themes": activity.themes,
            "starts_on": activity.starts_on,
            "ends_on": activity.ends_on,
            "venue": activity.venue,
            "districts": list(activity.districts.all()),
            "lead_organisation": activity.lead_organisation,
            "partner_organisations": "\n".join(activity.partner_organisations),
            "audience": activity.audience,
            "attendance": activity.attendance,
            "attendance_noun": activity.attendance_noun,
            "reach": activity.reach,
            "cost": f"{activity.cost}" if activity.cost is not None else "",
            "funding_source": activity.funding_source,
            "outcomes": activity.outcomes,
            "target_series": activity.target_series,
            "target_category": activity.target_category,
            "target_district": activity.target_district,
        }


class EstablishmentForm(GdsFormMixin, forms.Form):
    team = forms.ModelChoiceField(
        label="Team",
        queryset=None,
        empty_label="Choose a team",
        error_messages={"required": "Select the team"},
    )
    role = forms.CharField(
        label="Role",
        max_length=120,
        help_text="For example, Social worker or Detective constable",
        error_messages={"required": "Enter the role, like Social worker"},
    )
    effective_from = _date("From", "the date the figures apply from")
    establishment_fte = forms.CharField(
        label="Establishment (full-time equivalent posts)",
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"required": "Enter the establishment in full-time equivalents, like 8 or 7.5"},
    )
    in_post_fte = forms.CharField(
        label="In post (full-time equivalent)",
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"required": "Enter the number in post in full-time equivalents, like 8 or 7.5"},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=300,
        help_text="Needed when more are in post than the establishment (for example, cover)",
    )

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.helper = self.make_helper(
            Field.select("team"),
            Field.text("role", field_width=20),
            Field("effective_from"),
            Field.text("establishment_fte", field_width=5),
            Field.text("in_post_fte", field_width=5),
            Field.text("note"),
        )


class WorkloadForm(GdsFormMixin, forms.Form):
    team = forms.ModelChoiceField(
        label="Team",
        queryset=None,
        empty_label="Choose a team",
        error_messages={"required": "Select the team"},
    )
    workload = forms.ChoiceField(
        label="Kind of work",
        choices=Workload.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of work the team does"},
    )

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.helper = self.make_helper(Field.select("team"), Field.radios("workload", legend_size=Size.SMALL))
