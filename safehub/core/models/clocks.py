"""Partnership settings for statutory clocks: overrides of the defaults and local closures."""

from django.core.exceptions import ValidationError
from django.db import models

from safehub.core.models.organisations import Force


class ClockOverride(models.Model):
    """A partnership's own value for one clock (e.g. its MASH red timescale), with its source."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="clock_overrides")
    clock_id = models.SlugField(max_length=60)
    amount = models.PositiveIntegerField()
    day_start = models.TimeField(
        null=True, blank=True, help_text="Working or school day start, if it differs"
    )
    day_end = models.TimeField(null=True, blank=True, help_text="Working day end, if it differs")
    source = models.CharField(max_length=300, help_text="The local policy this comes from")
    effective_from = models.DateField()

    class Meta:
        ordering = ["clock_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "clock_id", "effective_from"], name="clockoverride_unique"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="clockoverride_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.clock_id} = {self.amount} ({self.force})"

    def clean(self) -> None:
        from safehub.core.clocks import CLOCKS

        if self.clock_id not in CLOCKS:
            raise ValidationError(
                {"clock_id": f"Unknown clock {self.clock_id!r}: use one of {', '.join(CLOCKS)}"}
            )
        if self.day_start and self.day_end and self.day_start >= self.day_end:
            raise ValidationError({"day_end": "The working day must end after it starts"})


class NonWorkingDay(models.Model):
    """A local closure that the national calendars do not know: a school INSET day, office closure."""

    class Calendar(models.TextChoices):
        WORKING = "working", "Working days (offices)"
        SCHOOL = "school", "School days"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="non_working_days")
    date = models.DateField()
    calendar = models.CharField(max_length=10, choices=Calendar.choices)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["force", "date", "calendar"], name="nonworkingday_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_calendar_display()}: {self.reason}"
