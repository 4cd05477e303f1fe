"""Partner extracts, their records, the review queue and merges of person records.

Extracts, reviews and merges are person-level: each has an owning agency and district and is read
only through `safehub.core.access`. The Splink model itself is a versioned file under VAR_DIR
(see `safehub.linkage.modelstore`), not a table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safehub.core.models.base import ScopedChildModel, ScopedModel
from safehub.people.models import Person


class PartnerKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    HEALTH = "health", "Health"
    SCHOOL = "school", "School or education"
    POLICE = "police", "Police"
    OTHER = "other", "Other partner"


class ExtractStatus(models.TextChoices):
    CHECKED = "checked", "Checked: waiting for you to accept"
    LINKING = "linking", "Linking"
    LINKED = "linked", "Linked"
    CANCELLED = "cancelled", "Cancelled"


class PartnerExtract(ScopedModel):
    """One CSV of people from a partner system, checked row by row before anything is linked."""

    partner_name = models.CharField(max_length=120)
    partner_kind = models.CharField(max_length=20, choices=PartnerKind.choices)
    filename = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=ExtractStatus.choices, default=ExtractStatus.CHECKED)
    total_rows = models.PositiveIntegerField(default=0)
    good_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    # [{"row": 7, "field": "dob", "problem": "..."}]: field names and reasons, never values.
    problems = models.JSONField(default=list, blank=True)
    # Counts once linked: auto_linked, queued, no_match.
    summary = models.JSONField(default=dict, blank=True)
    model_version = models.CharField(max_length=40, blank=True)
    auto_link_threshold = models.FloatField()
    review_threshold = models.FloatField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    linked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        # extract_list: an agency's or district's extracts, newest first.
        indexes = [models.Index(fields=["owning_agency", "district", "-created_at"], name="extract_scope")]

    def __str__(self) -> str:
        return f"Extract from {self.partner_name}"


class RecordOutcome(models.TextChoices):
    WAITING = "waiting", "Waiting to be linked"
    AUTO_LINKED = "auto_linked", "Linked automatically"
    QUEUED = "queued", "In the review queue"
    CONFIRMED = "confirmed", "Linked by a reviewer"
    NO_MATCH = "no_match", "Not found in the index"


class ExtractRecord(ScopedChildModel):
    """One good row of an extract (bad rows are only reported, never stored); scoped by its extract."""

    extract = models.ForeignKey(PartnerExtract, on_delete=models.CASCADE, related_name="records")
    row_number = models.PositiveIntegerField()
    partner_reference = models.CharField(max_length=60, blank=True)
    first_name = models.CharField(max_length=100)
    surname = models.CharField(max_length=100)
    dob = models.DateField()
    sex = models.CharField(max_length=20, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=80, blank=True)
    email = models.CharField(max_length=200, blank=True)
    identifier = models.CharField(max_length=40, blank=True)
    outcome = models.CharField(max_length=12, choices=RecordOutcome.choices, default=RecordOutcome.WAITING)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    best_probability = models.FloatField(null=True, blank=True)

    scope_path = "extract__"
    scope_label = "linkage.partnerextract"

    class Meta:
        ordering = ["row_number"]
        constraints = [
            models.UniqueConstraint(fields=["extract", "row_number"], name="extract_record_row_unique")
        ]

    def __str__(self) -> str:
        return f"Row {self.row_number}"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    CONFIRMED = "confirmed", "Same person"
    REJECTED = "rejected", "Not the same person"


class MatchReview(ScopedModel):
    """A pair in the uncertain band: an extract record and an index person, decided by a reviewer.

    Decisions are the model's training labels (`safehub linkage train` reads them).
    """

    record = models.ForeignKey(ExtractRecord, on_delete=models.CASCADE, related_name="reviews")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField()
    explanation = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-probability", "created_at"]
        constraints = [models.UniqueConstraint(fields=["record", "person"], name="review_pair_unique")]
        # review_queue: pending pairs in a scope, most likely first.
        indexes = [models.Index(fields=["status", "district", "-probability"], name="review_queue")]

    def __str__(self) -> str:
        return f"Review of row {self.record.row_number}"


class Merge(ScopedModel):
    """`duplicate` merged into `survivor`; `moved` lists every re-pointed row so undo is exact.

    Owned by the survivor's agency and district.
    """

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    duplicate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    # [{"model": "people.identifier", "field": "person", "ids": ["..."]}]
    moved = models.JSONField(default=list, blank=True)
    # Rows that could not move without breaking a uniqueness rule (kept on the duplicate).
    kept = models.JSONField(default=list, blank=True)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(survivor=models.F("duplicate")), name="merge_not_self"
            ),
        ]

    def __str__(self) -> str:
        return "Merge of two person records"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None
