"""The analytics store: aggregate counts only. No model here holds a person or a person-level field.

- `DataImport`: one imported open-data file (police.uk, Home Office, census) with its hash, what it
  held and what was wrong with it. A second import of the same bytes changes nothing.
- `MonthlyCount`: the rollup every dashboard figure reads: a count for a series, a month, a district
  (blank: not broken down by district; "unknown": outside the five districts or not located) and a
  category (blank: not broken down by category). Written by the open-data importers and by
  `safehub analytics refresh` from each app's `measures.py`.
- `DistrictPopulation` and `PopulationGroup`: the denominators for rates per 1,000 and for
  disproportionality ratios.
- `MeasureSnapshot`: the latest result of each app's measure over the dashboard's standard periods.
- `Forecast`: a series' forecast with its chosen model and rolling-origin backtest.
"""

from __future__ import annotations

import uuid

from django.db import models

UNKNOWN_DISTRICT = "unknown"


class Source(models.TextChoices):
    POLICEUK = "policeuk", "police.uk street-level crime"
    HOMEOFFICE = "homeoffice", "Home Office recorded crime"
    CENSUS = "census", "ONS 2011 Census population"
    POPULATION = "population", "Population breakdown"


class DataImport(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source = models.CharField(max_length=20, choices=Source.choices)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    periods = models.JSONField(default=list, help_text="Months or financial years the file held")
    rows_read = models.PositiveIntegerField(default=0)
    rows_counted = models.PositiveIntegerField(default=0)
    rows_unknown_district = models.PositiveIntegerField(default=0)
    rows_no_location = models.PositiveIntegerField(default=0)
    unknown_lsoas = models.JSONField(default=list)
    replaced = models.BooleanField(default=False, help_text="Replaced an earlier file for the same periods")
    imported_by = models.CharField(max_length=150)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        constraints = [models.UniqueConstraint(fields=["source", "sha256"], name="dataimport_unique_file")]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.file_name}"


class MonthlyCount(models.Model):
    series = models.CharField(max_length=80)
    month = models.DateField(
        help_text="The 1st of the month (the 1st of the quarter's first month for quarters)"
    )
    district = models.CharField(max_length=40, blank=True)
    category = models.CharField(max_length=120, blank=True)
    count = models.PositiveIntegerField()
    data_import = models.ForeignKey(DataImport, on_delete=models.CASCADE, null=True, blank=True)

    class Meta:
        ordering = ["series", "month", "district", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "month", "district", "category"], name="monthlycount_unique_cell"
            )
        ]
        # Every dashboard query: one series over a range of months, grouped by a dimension.
        indexes = [models.Index(fields=["series", "month"], name="monthlycount_series_month")]

    def __str__(self) -> str:
        return f"{self.series} {self.month:%Y-%m} {self.district or '*'} {self.category or '*'}: {self.count}"


class DistrictPopulation(models.Model):
    district = models.CharField(max_length=40, unique=True, help_text="District code")
    ons_code = models.CharField(max_length=9)
    population = models.PositiveIntegerField()
    year = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=200)
    data_import = models.ForeignKey(DataImport, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["district"]

    def __str__(self) -> str:
        return f"{self.district}: {self.population} ({self.year})"


class PopulationGroup(models.Model):
    """Population by one equality dimension (ethnicity, sex, age band) and district (blank: all)."""

    dimension = models.CharField(max_length=20)
    group = models.CharField(max_length=60)
    district = models.CharField(max_length=40, blank=True)
    population = models.PositiveIntegerField()
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["dimension", "district", "group"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "group", "district"], name="populationgroup_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.group} {self.district or 'all'}: {self.population}"


class MeasureSnapshot(models.Model):
    measure = models.CharField(max_length=120)
    period = models.CharField(max_length=20, help_text="e.g. 'last-12-months' or '2025-26'")
    period_start = models.DateField()
    period_end = models.DateField(help_text="Exclusive")
    result = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["measure", "period"]
        constraints = [models.UniqueConstraint(fields=["measure", "period"], name="measuresnapshot_unique")]

    def __str__(self) -> str:
        return f"{self.measure} {self.period}"


class Forecast(models.Model):
    series = models.CharField(max_length=80)
    district = models.CharField(max_length=40, blank=True)
    category = models.CharField(max_length=120, blank=True)
    model = models.CharField(max_length=60, help_text="The model the backtest chose")
    history = models.JSONField(help_text="[[month, count], ...] the model was fitted on")
    points = models.JSONField(help_text="[{month, mean, lo80, hi80, lo95, hi95}, ...]")
    backtest = models.JSONField(help_text="{model: {mae, mape, origins}} for every candidate")
    sentence = models.CharField(max_length=400)
    generated_at = models.DateTimeField()

    class Meta:
        ordering = ["series", "district", "category"]
        constraints = [
            models.UniqueConstraint(fields=["series", "district", "category"], name="forecast_unique_series")
        ]

    def __str__(self) -> str:
        return f"Forecast {self.series} {self.district or 'all'} {self.category or 'all'}"
