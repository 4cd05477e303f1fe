"""The review decision form (GOV.UK radios, textarea and date)."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from safehub.core.forms import GdsFormMixin


class DecisionForm(GdsFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[
            ("retain", "Retain: still needed for a policing purpose"),
            ("dispose", "Dispose of: remove the personal data, keep the statistics"),
        ],
        error_messages={"required": "Select whether to retain or dispose of the records"},
    )
    group = forms.ChoiceField(label="Review group", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason for the decision",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the reason for the decision (MoPI requires review decisions to be recorded)"
        },
    )
    next_review_on = forms.DateField(
        label="Next review date (DD/MM/YYYY), if retained",
        required=False,
        error_messages={"invalid": "Enter the next review date as DD/MM/YYYY"},
    )

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.code, g.name) for g in groups]
        self.helper = self.make_helper(
            Field.radios("decision"), Field.radios("group"), Field.textarea("reason"), Field("next_review_on")
        )
