"""One tracker of the recommendations and actions made to the partnership, whatever made them: an
HMICFRS inspection, a child safeguarding practice review, the domestic abuse scrutiny panel, a
select committee, an internal audit or anything else (ADR 0012).

A recommendation is not a person-level record: its text is about practice, never about a person,
and a link to the record it came from (a practice review, say) is that record's type and id only,
so the tracker imports no other app. Who sees one (`RecommendationQuerySet.visible_to`):
- a person-level user of the owning agency (each owner sees their agency's);
- a safeguarding partnership manager, every recommendation in their partnership (force area).
Aggregate roles see the measures only.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safehub.core.models import Agency, District, Force
from safehub.core.roles import Role


class SourceKind(models.TextChoices):
    HMICFRS = "hmicfrs", "HMICFRS inspection"
    PRACTICE_REVIEW = "practice_review", "Child safeguarding practice review"
    DA_SCRUTINY = "da_scrutiny", "Domestic abuse scrutiny panel"
    SELECT_COMMITTEE = "select_committee", "Select committee"
    INTERNAL_AUDIT = "internal_audit", "Internal audit"
    OTHER = "other", "Other"


class Finding(models.TextChoices):
    """What the source called it: HMICFRS distinguishes causes of concern (with recommendations)
    from areas for improvement; reviews and panels make recommendations; meetings agree actions."""

    RECOMMENDATION = "recommendation", "Recommendation"
    AREA_FOR_IMPROVEMENT = "area_for_improvement", "Area for improvement"
    CAUSE_OF_CONCERN = "cause_of_concern", "Cause of concern"
    ACTION = "action", "Action"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed with evidence"
    NOT_ACCEPTED = "not_accepted", "Closed: not accepted"


OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)
CLOSED_STATUSES = (Status.COMPLETED, Status.NOT_ACCEPTED)


def is_partnership_manager(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_person_level_access
        and user.has_role(Role.PARTNERSHIP_MANAGER)
    )


def scope_q(user) -> Q | None:
    """The recommendations `user` may see (and update): None for none."""
    if not getattr(user, "is_authenticated", False) or not user.has_person_level_access:
        return None
    if is_partnership_manager(user):
        return Q(force_id=user.agency.force_id)
    return Q(owning_agency_id=user.agency_id)


class RecommendationQuerySet(models.QuerySet):
    def visible_to(self, user):
        condition = scope_q(user)
        return self.none() if condition is None else self.filter(condition)

    def editable_by(self, user):
        return self.visible_to(user)

    def still_open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: date | None = None):
        return self.still_open().filter(due_on__lt=today or timezone.localdate())


class Recommendation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+", help_text="The partnership")
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The district it concerns; blank for the whole partnership",
    )
    source_kind = models.CharField(max_length=30, choices=SourceKind.choices)
    source_reference = models.CharField(
        max_length=200, help_text="Which inspection, review or panel, and its number for this recommendation"
    )
    # The record it came from, when another app made it (a practice review): type label and id only.
    source_type = models.CharField(max_length=80, blank=True)
    source_id = models.UUIDField(null=True, blank=True)
    finding = models.CharField(max_length=30, choices=Finding.choices, default=Finding.RECOMMENDATION)
    text = models.TextField()
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="recommendations")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recommendations"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source_type="") & Q(source_id__isnull=True))
                | (~Q(source_type="") & Q(source_id__isnull=False)),
                name="recommendation_source_type_and_id_together",
            ),
            models.CheckConstraint(
                condition=(Q(status__in=CLOSED_STATUSES) & Q(closed_at__isnull=False))
                | (Q(status__in=OPEN_STATUSES) & Q(closed_at__isnull=True)),
                name="recommendation_closed_at_iff_closed",
            ),
        ]
        indexes = [
            # The tracker for an owner: open items of one agency by due date; overdue notices.
            models.Index(fields=["owning_agency", "status", "due_on"], name="recommendation_agency_due"),
            # The tracker for a partnership manager: the partnership's open items by due date.
            models.Index(fields=["force", "status", "due_on"], name="recommendation_force_due"),
            # A source record's recommendations (a practice review's page).
            models.Index(fields=["source_type", "source_id"], name="recommendation_source"),
        ]

    def __str__(self) -> str:
        return f"Recommendation due {self.due_on:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())


class EvidenceNote(models.Model):
    """A progress or evidence note, with the status it left the recommendation in."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="notes")
    at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"Note of {self.at:%d %b %Y}"
