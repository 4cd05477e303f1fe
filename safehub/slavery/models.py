"""Modern slavery: potential victims referred to the National Referral Mechanism, and anonymous
Duty to Notify (MS1) reports (DOMAIN.md section 7).

One `NrmReferral` row is either
- an NRM referral (`kind=nrm`) of a person in the person index: a child always, an adult with
  consent; it carries the reasonable grounds clock, the recovery period, the conclusive grounds
  decision and the outcome; or
- a Duty to Notify (`kind=dtn`): an adult who does not consent, notified on the anonymous MS1.
  It has no person and no identifying field at all (the model holds none: the person link is
  empty by a database constraint), only the non-identifying facts the Home Office counts.

Owned by the first responder organisation that made it, in the district where the exploitation
was identified.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehub.core.models import Agency, BreakGlass, Share
from safehub.core.models.base import ScopedModel, ScopedQuerySet
from safehub.slavery import rules


class Kind(models.TextChoices):
    NRM = "nrm", "NRM referral"
    DTN = "dtn", "Duty to Notify (MS1, anonymous)"


class Consent(models.TextChoices):
    GIVEN = "given", "Consents to an NRM referral"
    REFUSED = "refused", "Does not consent"
    NOT_NEEDED = "not_needed", "Not needed (a child)"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    NOT_KNOWN = "not_known", "Not known"


class Authority(models.TextChoices):
    SCA = "sca", "Single Competent Authority (SCA)"
    IECA = "ieca", "Immigration Enforcement Competent Authority (IECA)"


class Decision(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"


class Status(models.TextChoices):
    NOTIFIED = "notified", "Duty to Notify sent"
    AWAITING_RG = "awaiting_rg", "Awaiting reasonable grounds decision"
    RECOVERY = "recovery", "Positive reasonable grounds: recovery period"
    NEGATIVE_RG = "negative_rg", "Negative reasonable grounds"
    POSITIVE_CG = "positive_cg", "Positive conclusive grounds"
    NEGATIVE_CG = "negative_cg", "Negative conclusive grounds"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Outcome(models.TextChoices):
    MOVE_ON_SUPPORT = "move_on_support", "Move-on support after a positive conclusive decision"
    LEAVE_GRANTED = "leave_granted", "Temporary permission to stay granted"
    SUPPORT_ENDED = "support_ended", "Support ended after a negative decision"
    RECONSIDERATION = "reconsideration", "Reconsideration requested"
    VOLUNTARY_RETURN = "voluntary_return", "Returned home voluntarily"
    LOST_CONTACT = "lost_contact", "Lost contact"
    WITHDRAWN = "withdrawn", "Referral withdrawn"
    OTHER = "other", "Other"


class NrmReferralQuerySet(ScopedQuerySet):
    """The usual scope without the district-wide (MASH) route: a referral is seen by the first
    responder organisation that made it, and by agencies it is shared with (docs/adr/0010)."""

    def _first_responder_only(self, queryset, user, *, write: bool):
        if not getattr(user, "district_wide_roles", None):
            return queryset
        keep = Q(owning_agency_id=user.agency_id)
        if not write:
            label = "slavery.nrmreferral"
            keep |= Q(
                id__in=Share.objects.active()
                .filter(object_type=label, to_agency_id=user.agency_id)
                .values("object_id")
            ) | Q(id__in=BreakGlass.objects.active().filter(object_type=label, user=user).values("object_id"))
        return queryset.filter(keep)

    def visible_to(self, user):
        return self._first_responder_only(super().visible_to(user), user, write=False)

    def editable_by(self, user):
        return self._first_responder_only(super().editable_by(user), user, write=True)


class NrmReferral(ScopedModel):
    kind = models.CharField(max_length=3, choices=Kind.choices)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="nrm_referrals"
    )
    first_responder = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", help_text="The first responder organisation"
    )
    exploitation_types = models.JSONField(default=list, help_text="Several may apply")
    county_lines = models.BooleanField(default=False, help_text="Criminal exploitation through county lines")
    nationality = models.CharField(max_length=60)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.NOT_KNOWN)
    age_at_exploitation = models.PositiveSmallIntegerField(null=True, blank=True)
    age_at_referral = models.PositiveSmallIntegerField(null=True, blank=True)
    exploitation_in_uk = models.BooleanField(default=True, help_text="Exploited in the UK (else overseas)")
    consent = models.CharField(max_length=10, choices=Consent.choices)
    circumstances = models.TextField(blank=True, help_text="What indicates exploitation (no names on an MS1)")
    referred_at = models.DateTimeField(help_text="When the referral or MS1 was submitted")
    authority = models.CharField(max_length=4, choices=Authority.choices, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    rg_due_at = models.DateTimeField(null=True, blank=True, help_text="The nrm-reasonable-grounds clock")
    rg_decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)
    rg_decided_at = models.DateTimeField(null=True, blank=True)
    rg_overdue_notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the first responder was told the decision is overdue"
    )
    recovery_ends_at = models.DateTimeField(null=True, blank=True)
    cg_decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)
    cg_decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = NrmReferralQuerySet.as_manager()  # type: ignore[misc]  # narrows the scope (no MASH route)

    class Meta:
        ordering = ["-referred_at"]
        indexes = [
            # Statistics and measures: referrals in a period, by district.
            models.Index(fields=["referred_at", "district"], name="nrm_referred_district"),
            # The list of referrals awaiting a decision, by due time.
            models.Index(fields=["status", "rg_due_at"], name="nrm_status_due"),
        ]
        constraints = [
            # An MS1 is anonymous: never linked to a person. An NRM referral always is.
            models.CheckConstraint(
                condition=(Q(kind="dtn", person__isnull=True) | Q(kind="nrm", person__isnull=False)),
                name="nrm_dtn_is_anonymous",
            ),
            # A conclusive decision needs a reasonable grounds decision before it.
            models.CheckConstraint(
                condition=Q(cg_decided_at__isnull=True)
                | (Q(rg_decided_at__isnull=False) & Q(cg_decided_at__gte=models.F("rg_decided_at"))),
                name="nrm_cg_after_rg",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"

    @property
    def reference(self) -> str:
        prefix = "MS1" if self.kind == Kind.DTN else "NRM"
        return f"{prefix}-{str(self.pk)[:8].upper()}"

    @property
    def is_child(self) -> bool | None:
        return rules.is_child(self.age_at_referral)

    @property
    def exploitation_labels(self) -> list[str]:
        return rules.labels(self.exploitation_types or [])

    @property
    def rg_on_time(self) -> bool | None:
        return rules.decided_in_time(self.rg_decided_at, self.rg_due_at)
