"""The dashboard's filter (GET: series, district, months; no personal data in the URL)."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone

from safehub.analytics import catalogue, rules, selectors

MAX_MONTHS = 120


def series_choices() -> list[tuple[str, str]]:
    with_data = set(selectors.series_with_data())
    items = [d for d in catalogue.series_definitions() if d.id in with_data] or list(catalogue.SERIES)
    return [(d.id, d.title) for d in items]


def district_choices() -> list[tuple[str, str]]:
    return [("", "All districts"), *sorted(selectors.district_names().items(), key=lambda item: item[1])]


class DashboardFilterForm(forms.Form):
    series = forms.ChoiceField(label="Figures", required=False)
    district = forms.ChoiceField(label="District", required=False)
    start = forms.CharField(label="From (YYYY-MM)", required=False, max_length=7)
    end = forms.CharField(label="To (YYYY-MM)", required=False, max_length=7)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].choices = series_choices()
        self.fields["district"].choices = district_choices()

    def _month(self, name: str) -> date | None:
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            return None
        try:
            month = rules.parse_month(value)
        except ValueError as exc:
            raise forms.ValidationError(f"Enter a month like 2025-04 ({exc})") from exc
        today = timezone.localdate()
        if month > date(today.year, today.month, 1):
            raise forms.ValidationError("The month must not be in the future")
        return month

    def clean_start(self):
        return self._month("start")

    def clean_end(self):
        return self._month("end")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "The 'to' month must be the same as or after the 'from' month")
        elif start and end and len(rules.months_between(start, end + relativedelta(months=1))) > MAX_MONTHS:
            self.add_error("start", f"Choose at most {MAX_MONTHS} months")
        return data

    def query(self) -> selectors.Query:
        """The query for valid input; the series' latest 12 months by default."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        series = data.get("series") or (
            self.fields["series"].choices[0][0] if self.fields["series"].choices else ""
        )
        start, end = selectors.default_period(series, timezone.localdate())
        if data.get("start"):
            start = data["start"]
        if data.get("end"):
            end = data["end"] + relativedelta(months=1)
        if start >= end:
            start = end - relativedelta(months=12)
        return selectors.Query(series, start, end, data.get("district") or "")
