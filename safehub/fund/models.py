"""The Mayor's Safer Communities Fund: rounds with a budget, applications from organisations,
awards and their monitoring returns. No personal data: organisations, projects and counts only,
so these are not person-level (ScopedModel) records; a round belongs to a force's partnership.

Money is Decimal pounds and pence (DecimalField, 2 places) everywhere, never a float.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from safehub.core.models import District, Force
from safehub.fund import rules

ZERO = Decimal("0.00")


class FundRound(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    name = models.CharField(max_length=120)
    opens_on = models.DateField()
    closes_on = models.DateField()
    budget = models.DecimalField(max_digits=11, decimal_places=2)
    synthetic = models.BooleanField(default=False, help_text="Made-up demo figures, not the fund's real ones")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["force", "number"], name="fund_round_force_number"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="fund_round_budget_not_negative"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="fund_round_dates"),
        ]

    def __str__(self) -> str:
        return f"Round {self.number}: {self.name}"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    AWARDED = "awarded", "Awarded"
    DECLINED = "declined", "Not funded"
    WITHDRAWN = "withdrawn", "Withdrawn"


class FundApplication(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(FundRound, on_delete=models.PROTECT, related_name="applications")
    organisation = models.CharField(
        max_length=160, help_text="The applicant organisation (no personal names)"
    )
    project = models.CharField(max_length=200)
    theme = models.CharField(max_length=30, choices=rules.THEMES)
    districts = models.ManyToManyField(District, related_name="+")
    amount_requested = models.DecimalField(max_digits=11, decimal_places=2)
    projected_people = models.PositiveIntegerField(help_text="People the project expects to reach")
    submitted_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    decided_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["round__number", "organisation", "project"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__gt=0), name="fund_application_amount_positive"
            ),
        ]
        indexes = [
            # The round page: its applications by status.
            models.Index(fields=["round", "status"], name="fund_application_round_status"),
        ]

    def __str__(self) -> str:
        return f"{self.project} ({self.organisation})"


class FundAward(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.OneToOneField(FundApplication, on_delete=models.PROTECT, related_name="award")
    round = models.ForeignKey(FundRound, on_delete=models.PROTECT, related_name="awards")
    amount = models.DecimalField(max_digits=11, decimal_places=2)
    awarded_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["round__number", "application__organisation"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="fund_award_amount_positive")]

    def __str__(self) -> str:
        return f"{rules.pounds(self.amount)} to {self.application}"


class MonitoringReturn(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    award = models.ForeignKey(FundAward, on_delete=models.PROTECT, related_name="returns")
    period_end = models.DateField(help_text="The last day the return covers")
    people_reached = models.PositiveIntegerField(help_text="People reached in the period")
    spend = models.DecimalField(max_digits=11, decimal_places=2, help_text="Spent in the period")
    narrative = models.TextField(
        blank=True, help_text="Progress, in the organisation's words (no personal data)"
    )
    submitted_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["award", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["award", "period_end"], name="fund_return_award_period"),
            models.CheckConstraint(condition=Q(spend__gte=0), name="fund_return_spend_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Return to {self.period_end:%d %b %Y}"
