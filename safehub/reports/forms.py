from __future__ import annotations

from django import forms
from django.utils import timezone

from safehub.analytics import rules, selectors
from safehub.reports import render


def period_choices() -> list[tuple[str, str]]:
    today = timezone.localdate()
    years = set()
    for series in selectors.series_with_data():
        first, last = selectors.data_range(series)
        if first and last:
            years.update(range(rules.financial_year_of(first), rules.financial_year_of(last) + 1))
    years = {y for y in years if rules.financial_year_bounds(y)[0] <= today}
    return [
        (rules.financial_year_label(y), f"{rules.financial_year_label(y)} (April {y} to March {y + 1})")
        for y in sorted(years, reverse=True)
    ]


class ScrutinyReportForm(forms.Form):
    period = forms.ChoiceField(label="Financial year", error_messages={"required": "Select a financial year"})
    format = forms.ChoiceField(
        label="Format",
        choices=[("pdf", "PDF"), ("docx", "Word (DOCX)"), ("html", "Web page (HTML)")],
        initial="pdf",
        error_messages={"required": "Select a format"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices()
        assert set(render.FORMATS) == {value for value, _ in self.fields["format"].choices}
