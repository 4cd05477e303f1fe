"""MoPI review groups, each person's review, and the record of a disposal."""

from django.conf import settings
from django.db import models

from safehub.core.models import Force
from safehub.core.models.base import ScopedChildModel
from safehub.people.models import Person
from safehub.retention import rules


class RetentionGroup(models.Model):
    """A MoPI review group; force=None holds the defaults, a force's own row replaces one."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    code = models.SlugField(max_length=30)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    clear_period_years = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Reviewed after this many years with nothing new; empty for group 1"
    )
    review_interval_years = models.PositiveSmallIntegerField(
        help_text="A retained record is reviewed again after this many years"
    )
    keep_until_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Never disposed of before the person is this old"
    )
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["force", "code"], name="retention_group_unique")]

    def __str__(self) -> str:
        return self.name

    def as_rule(self) -> rules.Group:
        return rules.Group(
            code=self.code,
            name=self.name,
            description=self.description,
            order=self.order,
            clear_period_years=self.clear_period_years,
            review_interval_years=self.review_interval_years,
            keep_until_age=self.keep_until_age,
            source=self.source,
        )


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Awaiting review"
    RETAINED = "retained", "Retained"
    DISPOSED = "disposed", "Disposed of"


class RetentionReview(ScopedChildModel):
    """One review of a person's records: pending until a records manager retains or disposes."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="retention_reviews")
    group = models.ForeignKey(RetentionGroup, on_delete=models.PROTECT, related_name="+")
    group_decided = models.BooleanField(
        default=False, help_text="A reviewer placed the records in this group"
    )
    last_activity_on = models.DateField()
    due_on = models.DateField()
    special_consideration = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    next_review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(status="pending"), name="retention_one_pending_review"
            )
        ]
        # The queue: pending reviews by due date.
        indexes = [models.Index(fields=["status", "due_on"], name="retention_status_due")]

    def __str__(self) -> str:
        return f"MoPI review due {self.due_on:%d/%m/%Y}"


class Disposal(ScopedChildModel):
    """What a disposal removed (kinds and numbers, no content), kept with the anonymised person."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="disposal")
    review = models.OneToOneField(RetentionReview, on_delete=models.PROTECT, related_name="disposal")
    disposed_at = models.DateTimeField()
    disposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    group_code = models.SlugField(max_length=30)
    removed = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Disposed of {self.disposed_at:%d/%m/%Y}"
