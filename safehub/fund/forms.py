"""GOV.UK forms for the fund's pages. Money is typed as pounds and pence ("1,234.56" or "£1234.56")."""

from __future__ import annotations

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Size
from django import forms

from safehub.core.forms import GdsFormMixin
from safehub.fund import rules
from safehub.fund.models import ApplicationStatus


def _date(label: str, what: str) -> DateInputField:
    field = DateInputField(label=label, help_text="For example, 27 3 2026")
    field.error_messages.update(
        {
            "required": f"Enter {what}",
            "invalid": f"Enter a real date for {what}",
            "incomplete": f"Enter {what} in full",
        }
    )
    return field


def _money(label: str, what: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=20,
        help_text="In pounds and pence, for example 12500.00",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={"required": f"Enter {what}"},
    )


def _count(label: str, what: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"Enter {what} as a whole number",
            "min_value": f"Enter {what} as 0 or more",
        },
    )


class RoundForm(GdsFormMixin, forms.Form):
    number = forms.IntegerField(
        label="Round number",
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": "Enter the round number", "invalid": "Enter the round number, like 6"},
    )
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter the name of the round"}
    )
    opens_on = _date("Opens", "the date the round opens")
    closes_on = _date("Closes", "the date the round closes")
    budget = _money("Budget", "the budget")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.text("number", field_width=3),
            Field.text("name"),
            Field("opens_on"),
            Field("closes_on"),
            Field.text("budget", field_width=10),
        )


class ApplicationForm(GdsFormMixin, forms.Form):
    organisation = forms.CharField(
        label="Applicant organisation",
        max_length=160,
        help_text="The organisation's name only: no personal names or contact details",
        error_messages={"required": "Enter the applicant organisation"},
    )
    project = forms.CharField(
        label="Project", max_length=200, error_messages={"required": "Enter the project name"}
    )
    theme = forms.ChoiceField(
        label="Theme",
        choices=rules.THEMES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the theme"},
    )
    districts = forms.ModelMultipleChoiceField(
        label="Districts the project serves",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one district the project serves"},
    )
    amount_requested = _money("Amount requested", "the amount requested")
    projected_people = _count("People the project expects to reach", "the number of people")
    submitted_on = _date("Date submitted", "the date the application was submitted")

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = districts
        self.helper = self.make_helper(
            Field.text("organisation"),
            Field.text("project"),
            Field.radios("theme", legend_size=Size.SMALL),
            Field.checkboxes("districts", legend_size=Size.SMALL),
            Field.text("amount_requested", field_width=10),
            Field.text("projected_people", field_width=5),
            Field("submitted_on"),
        )


class AwardForm(GdsFormMixin, forms.Form):
    amount = _money("Amount awarded", "the amount awarded")
    awarded_on = _date("Date of the award", "the date of the award")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(Field.text("amount", field_width=10), Field("awarded_on"))


class DecisionForm(GdsFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Decision",
        choices=[(ApplicationStatus.DECLINED, "Not funded"), (ApplicationStatus.WITHDRAWN, "Withdrawn")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the decision"},
    )
    decided_on = _date("Date of the decision", "the date of the decision")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(Field.radios("status", legend_size=Size.SMALL), Field("decided_on"))


class ReturnForm(GdsFormMixin, forms.Form):
    period_end = _date("Last day of the period", "the last day of the period")
    people_reached = _count("People reached in the period", "the number of people reached")
    spend = _money("Spent in the period", "the amount spent")
    narrative = forms.CharField(
        label="Progress",
        required=False,
        help_text="In the organisation's words; no personal data",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field("period_end"),
            Field.text("people_reached", field_width=5),
            Field.text("spend", field_width=10),
            Field.textarea("narrative"),
        )
