"""Shares (a record opened to a partner agency) and break-glass (emergency access)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safehub.core.models.organisations import Agency


class LawfulBasis(models.TextChoices):
    PUBLIC_TASK = "gdpr_6_1_e", "UK GDPR Art. 6(1)(e) public task"
    LEGAL_OBLIGATION = "gdpr_6_1_c", "UK GDPR Art. 6(1)(c) legal obligation"
    VITAL_INTERESTS = "gdpr_6_1_d", "UK GDPR Art. 6(1)(d) vital interests"
    CONSENT = "gdpr_6_1_a", "UK GDPR Art. 6(1)(a) consent"
    LAW_ENFORCEMENT = "dpa_part_3", "DPA 2018 Part 3 law enforcement processing"


class SpecialCategoryCondition(models.TextChoices):
    NONE = "", "No special category data"
    SAFEGUARDING = "dpa_sch1_18", "DPA 2018 Sch. 1 para 18 safeguarding of children and individuals at risk"
    SOCIAL_PROTECTION = (
        "dpa_sch1_1",
        "DPA 2018 Sch. 1 para 1 employment, social security and social protection",
    )
    HEALTH_SOCIAL_CARE = "dpa_sch1_2", "DPA 2018 Sch. 1 para 2 health or social care purposes"
    STATUTORY = "dpa_sch1_6", "DPA 2018 Sch. 1 para 6 statutory and government purposes"
    EXPLICIT_CONSENT = "gdpr_9_2_a", "UK GDPR Art. 9(2)(a) explicit consent"


class ConsentStatus(models.TextChoices):
    GIVEN = "given", "Consent given"
    REFUSED = "refused", "Consent refused (shared without it, reason recorded)"
    SOUGHT = "sought", "Consent sought, no answer yet"
    NOT_SOUGHT = "not_sought", "Consent not sought (reason recorded)"


class ShareQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True, starts_at__lte=at).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=at)
        )


class Share(models.Model):
    """A record opened, read-only, to a partner agency for a stated purpose and lawful basis.

    Every field the DfE's seventh golden rule asks for: what, with whom, why, on what basis,
    consent, who decided and when.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    object_type = models.CharField(max_length=80, help_text="app_label.model of the shared record")
    object_id = models.UUIDField()
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="shares_received")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="shares_given")
    purpose = models.TextField()
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    condition = models.CharField(max_length=20, choices=SpecialCategoryCondition.choices, blank=True)
    consent_status = models.CharField(max_length=20, choices=ConsentStatus.choices)
    consent_note = models.TextField(blank=True, help_text="Why consent was not sought, or was overridden")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShareQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # scope_filter: ids of records of one type shared with one agency.
            models.Index(fields=["object_type", "to_agency", "object_id"], name="share_scope"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("starts_at")),
                name="share_expiry_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Share of {self.object_type} with {self.to_agency}"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return (
            self.revoked_at is None
            and self.starts_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )


class BreakGlassQuerySet(models.QuerySet):
    def active(self, at=None):
        return self.filter(expires_at__gt=at or timezone.now())


class BreakGlassReview(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    JUSTIFIED = "justified", "Justified"
    NOT_JUSTIFIED = "not_justified", "Not justified: referred for investigation"


class BreakGlass(models.Model):
    """Emergency read access to one out-of-scope record, with a written reason, for a short time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glasses")
    object_type = models.CharField(max_length=80)
    object_id = models.UUIDField()
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    review = models.CharField(
        max_length=20, choices=BreakGlassReview.choices, default=BreakGlassReview.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    objects = BreakGlassQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # scope_filter: a user's active grants on one record type.
            models.Index(fields=["user", "object_type", "expires_at"], name="breakglass_scope"),
            # Auditor's review queue.
            models.Index(fields=["review", "-created_at"], name="breakglass_review_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="breakglass_expiry"
            )
        ]

    def __str__(self) -> str:
        return f"Emergency access by {self.user} to {self.object_type}"
