"""The partnership's activity register (conferences, training, campaigns, awareness weeks,
competitions, initiatives) and the establishment of its teams over time (capacity).

Neither holds personal data: activities are about organisations, audiences and counts, and an
establishment record counts posts (full-time equivalents), never names. So these are not
person-level (ScopedModel) records; each belongs to a force's partnership. Who sees and changes
them is in `services` (the safeguarding partnership manager manages; the commissioner and
analysts read; ADR 0019).

A campaign is an activity with a target measure: the demand series (an analytics series id, with
an optional category and district) it set out to move, which the analytics app's interrupted
time series evaluates from the campaign's start (`starts_on`). The activities app imports no
analytics: the series a campaign may target and the check that its start lies inside the series'
data are registered by analytics at start-up (`targets`).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from safehub.core.models import District, Force, Team


class ActivityKind(models.TextChoices):
    CONFERENCE = "conference", "Conference"
    TRAINING = "training", "Training"
    CAMPAIGN = "campaign", "Campaign"
    EVENT = "event", "Event or awareness week"
    COMPETITION = "competition", "Competition"
    INITIATIVE = "initiative", "Initiative or operation"


class Theme(models.TextChoices):
    CSE = "cse", "Child sexual exploitation"
    CCE = "cce", "Child criminal exploitation and county lines"
    CSA = "csa", "Child sexual abuse"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    VAWG = "vawg", "Violence against women and girls"
    MISSING = "missing", "Missing people"
    MODERN_SLAVERY = "modern_slavery", "Modern slavery and trafficking"
    ONLINE_SAFETY = "online_safety", "Online safety"
    ADULT_SAFEGUARDING = "adult_safeguarding", "Adult safeguarding"
    GENERAL = "general", "Safeguarding in general"


class ActivityQuerySet(models.QuerySet):
    def of_force(self, force_id):
        return self.filter(force_id=force_id)

    def campaigns(self):
        return self.filter(kind=ActivityKind.CAMPAIGN)


class Activity(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+", help_text="The partnership")
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    starts_on = models.DateField(
        help_text="For a campaign, the day it launched: the interruption in its series"
    )
    ends_on = models.DateField(null=True, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    lead_organisation = models.CharField(max_length=160)
    partner_organisations = models.JSONField(default=list, blank=True, help_text="Organisation names")
    districts = models.ManyToManyField(District, blank=True, related_name="+", help_text="None: force-wide")
    themes = models.JSONField(default=list, help_text="Theme codes (at least one)")
    audience = models.CharField(max_length=200, blank=True, help_text="e.g. first responders, schools")
    attendance = models.PositiveIntegerField(
        null=True, blank=True, help_text="People who attended, or entries to a competition"
    )
    attendance_noun = models.CharField(
        max_length=40,
        blank=True,
        help_text="What `attendance` counts: delegates, participants, projects entered",
    )
    reach = models.PositiveIntegerField(null=True, blank=True, help_text="People reached (campaigns)")
    cost = models.DecimalField(
        max_digits=11, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    funding_source = models.CharField(max_length=160, blank=True)
    outcomes = models.TextField(blank=True)
    # A campaign's target measure (analytics series id, optional category and district code).
    target_series = models.CharField(max_length=80, blank=True)
    target_category = models.CharField(max_length=120, blank=True)
    target_district = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="activity_dates"
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="activity_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(kind="campaign") | ~Q(target_series=""), name="activity_campaign_has_target"
            ),
        ]
        indexes = [
            models.Index(fields=["force", "kind", "starts_on"], name="activity_force_kind_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_campaign(self) -> bool:
        return self.kind == ActivityKind.CAMPAIGN


class Workload(models.TextChoices):
    """The kind of work a team does: analytics maps each to the demand series that measures it."""

    MASH = "mash", "MASH referrals"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    EXPLOITATION = "exploitation", "Child exploitation"
    MISSING = "missing", "Missing people"
    MARAC = "marac", "MARAC"
    MACE = "mace", "MACE"
    CONTACTS = "contacts", "Contact handling"


class TeamCapacity(models.Model):
    """What a team works on, for the demand-against-capacity view (one per team)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.OneToOneField(Team, on_delete=models.PROTECT, related_name="capacity")
    workload = models.CharField(max_length=30, choices=Workload.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team__agency__name", "team__name"]
        verbose_name_plural = "team capacities"

    def __str__(self) -> str:
        return f"{self.team}: {self.get_workload_display()}"


class Establishment(models.Model):
    """A team's establishment (funded posts) and people in post for one role, in full-time
    equivalents, from `effective_from` until the next record for the same team and role."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="establishment")
    role = models.CharField(max_length=120, help_text="e.g. Detective constable, Social worker")
    effective_from = models.DateField()
    establishment_fte = models.DecimalField(max_digits=7, decimal_places=2)
    in_post_fte = models.DecimalField(max_digits=7, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["team__name", "role", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "role", "effective_from"], name="establishment_once_a_day"
            ),
            models.CheckConstraint(
                condition=Q(establishment_fte__gte=0), name="establishment_fte_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(in_post_fte__gte=0), name="establishment_in_post_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["team", "effective_from"], name="establishment_team_from")]

    def __str__(self) -> str:
        return f"{self.role}, {self.team.name}, from {self.effective_from:%d %b %Y}"
