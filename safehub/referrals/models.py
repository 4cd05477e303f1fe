"""MASH referrals: a concern about one or more people, triaged, researched and decided by the MASH.

A referral is owned by the district MASH's host agency (children's or adult social care) so the
MASH and the host see it; the referring agency reads it through a read-only share made at
submission ("Referrer feedback"). Information requests and decisions hang off the referral;
information requests have their own selector (`selectors.information_requests_for`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safehub.core.models import Agency, ConsentStatus, District, Force, LawfulBasis
from safehub.core.models.base import ScopedChildModel, ScopedModel
from safehub.core.models.sharing import SpecialCategoryCondition


class Source(models.TextChoices):
    POLICE_PPN = "police_ppn", "Police (public protection notice)"
    SCHOOL = "school", "School or education"
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social_care", "Social care"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    PUBLIC = "public", "Member of the public (through a practitioner)"


class ConcernCategory(models.TextChoices):
    NEGLECT = "neglect", "Neglect"
    PHYSICAL_ABUSE = "physical_abuse", "Physical abuse"
    SEXUAL_ABUSE = "sexual_abuse", "Sexual abuse"
    EMOTIONAL_ABUSE = "emotional_abuse", "Emotional abuse"
    CSE = "cse", "Child sexual exploitation (CSE)"
    CCE = "cce", "Child criminal exploitation or county lines (CCE)"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    MISSING = "missing", "Missing"
    MENTAL_HEALTH = "mental_health", "Mental health"
    SELF_NEGLECT = "self_neglect", "Self-neglect"
    RADICALISATION = "radicalisation", "Radicalisation"
    FGM = "fgm", "Female genital mutilation (FGM)"
    FORCED_MARRIAGE = "forced_marriage", "Forced marriage"
    MODERN_SLAVERY = "modern_slavery", "Modern slavery or trafficking"
    FINANCIAL_ABUSE = "financial_abuse", "Financial or material abuse"
    OTHER = "other", "Other"


class ChildSeen(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Not applicable (no child in the referral)"


class SeenAlone(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "", "Not recorded"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    TRIAGED = "triaged", "Triaged"
    AWAITING_INFORMATION = "awaiting_information", "Awaiting information"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    DECIDED = "decided", "Decided"
    APPROVED = "approved", "Decision approved"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (Status.RECEIVED, Status.TRIAGED, Status.AWAITING_INFORMATION)
DECIDED_STATUSES = (Status.AWAITING_APPROVAL, Status.DECIDED, Status.APPROVED, Status.CLOSED)
FEEDBACK_STATUSES = (Status.DECIDED, Status.APPROVED, Status.CLOSED)


class Outcome(models.TextChoices):
    NFA = "nfa_advice", "No further action, with advice"
    EARLY_HELP = "early_help", "Early help"
    S17 = "s17_assessment", "Section 17 assessment"
    S47 = "s47_strategy", "Section 47 strategy discussion"
    S42 = "s42_enquiry", "Adult section 42 enquiry"
    MARAC = "marac", "Refer to MARAC"
    MACE = "mace", "Refer to MACE"
    POLICE = "police_investigation", "Police investigation"
    NRM = "nrm", "National Referral Mechanism (NRM) referral"


def validate_categories(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError("Select at least one concern category")
    unknown = [v for v in value if v not in ConcernCategory.values]
    if unknown:
        raise ValidationError(f"Unknown concern categories: {', '.join(map(str, unknown))}")
    if len(set(value)) != len(value):
        raise ValidationError("Select each concern category once")


class Referral(ScopedModel):
    referring_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals_made")
    referrer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=20, choices=Source.choices)
    categories = models.JSONField(default=list, validators=[validate_categories])
    what_happened = models.TextField()
    risks = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    consent_status = models.CharField(max_length=20, choices=ConsentStatus.choices)
    consent_note = models.TextField(blank=True, help_text="Why consent was not sought, or was overridden")
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    condition = models.CharField(max_length=20, choices=SpecialCategoryCondition.choices, blank=True)
    child_seen = models.CharField(
        "Has the child been seen?", max_length=20, choices=ChildSeen.choices, default=ChildSeen.NOT_APPLICABLE
    )
    seen_alone = models.CharField("Seen alone?", max_length=5, choices=SeenAlone.choices, blank=True)
    wishes_and_feelings = models.TextField("The child's wishes and feelings", blank=True)
    rag = models.CharField("RAG rating", max_length=5, choices=Rag.choices, blank=True)
    rag_reason = models.TextField(blank=True)
    escalated = models.BooleanField(default=False)
    escalation_reason = models.TextField(blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField(null=True, blank=True, help_text="From the RAG clock, counted from receipt")
    decision_due_at = models.DateTimeField(
        null=True, blank=True, help_text="Children's social care decision: 1 working day from receipt"
    )
    status = models.CharField(max_length=25, choices=Status.choices, default=Status.RECEIVED)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    ppn_id = models.UUIDField(null=True, blank=True, unique=True, help_text="The police PPN it came from")

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            # The MASH queue: a district's referrals by due time.
            models.Index(fields=["district", "status", "due_at"], name="referral_queue"),
            # "My referrals": what an agency referred, newest first.
            models.Index(fields=["referring_agency", "-received_at"], name="referral_referrer"),
        ]

    def __str__(self) -> str:
        return f"Referral {self.reference}"

    @property
    def reference(self) -> str:
        """Short reference shown to partners: MR- and the first 8 characters of the record id."""
        return f"MR-{str(self.pk)[:8].upper()}"

    @property
    def category_labels(self) -> list[str]:
        labels = dict(ConcernCategory.choices)
        return [labels.get(c, c) for c in self.categories or []]

    @property
    def is_breached(self) -> bool:
        return self.due_at is not None and self.status in OPEN_STATUSES and self.due_at <= timezone.now()

    @property
    def decision_breached(self) -> bool:
        return (
            self.decision_due_at is not None
            and self.status in OPEN_STATUSES
            and self.decision_due_at <= timezone.now()
        )

    def clean(self) -> None:
        errors = {}
        if (
            self.consent_status in (ConsentStatus.REFUSED, ConsentStatus.NOT_SOUGHT)
            and not (self.consent_note or "").strip()
        ):
            errors["consent_note"] = "Enter why you are sharing without consent"
        if self.consent_status != ConsentStatus.GIVEN and self.lawful_basis == LawfulBasis.CONSENT:
            errors["lawful_basis"] = "Consent is not the basis when consent was not given: select another"
        if self.child_seen == ChildSeen.YES and not self.seen_alone:
            errors["seen_alone"] = "Say whether the child was seen alone"
        if errors:
            raise ValidationError(errors)


class ReferralSubject(ScopedChildModel):
    """A person the referral is about (scoped through the referral)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="subjects")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referral_subjects")
    is_child = models.BooleanField(default=True)

    scope_path = "referral__"
    scope_label = "referrals.referral"

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["referral", "person"], name="referral_subject_once")]

    def __str__(self) -> str:
        return f"Subject of {self.referral}"


class RequestStatus(models.TextChoices):
    SENT = "sent", "Waiting for an answer"
    ANSWERED = "answered", "Answered"


class InformationRequest(models.Model):
    """The MASH asks a partner agency what it knows about a person on a referral.

    Seen by the MASH (through the referral) and by the recipient agency for this request only:
    load through `selectors.information_requests_for(user)`, never directly.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="information_requests")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="information_requests")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    question = models.TextField()
    purpose = models.TextField()
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    condition = models.CharField(max_length=20, choices=SpecialCategoryCondition.choices, blank=True)
    due_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.SENT)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            # A partner's queue: requests to its agency, waiting first.
            models.Index(fields=["to_agency", "status", "due_at"], name="inforeq_agency_queue"),
        ]

    def __str__(self) -> str:
        return f"Information request to {self.to_agency} on {self.referral}"

    @property
    def is_overdue(self) -> bool:
        return self.status == RequestStatus.SENT and self.due_at <= timezone.now()


class ApprovalStatus(models.TextChoices):
    NOT_REQUIRED = "not_required", "Approval not required"
    PENDING = "pending", "Waiting for a manager"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned for a new decision"


class Decision(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    rationale = models.TextField()
    feedback_text = models.TextField(
        "Feedback to the referrer", blank=True, help_text="What the referrer is told (shown on their page)"
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    approval_required = models.BooleanField(default=True)
    approval_status = models.CharField(
        max_length=15, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {self.referral}"


class MashSettings(models.Model):
    """A partnership's MASH settings (a district's row wins over the force-wide one)."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    approval_required_outcomes = models.JSONField(
        default=list,
        blank=True,
        help_text="Outcome codes that need a MASH manager's approval; leave empty to use the default (all)",
    )
    approval_default_all = models.BooleanField(
        default=True, help_text="When no outcomes are listed, every decision needs approval"
    )
    ack_escalate_minutes = models.PositiveIntegerField(
        default=60, help_text="Minutes an assignment may stay unacknowledged before the manager is told"
    )

    class Meta:
        verbose_name = "MASH settings"
        verbose_name_plural = "MASH settings"
        constraints = [
            models.UniqueConstraint(fields=["force", "district"], name="mash_settings_once"),
            models.UniqueConstraint(
                fields=["force"], condition=Q(district__isnull=True), name="mash_settings_force_once"
            ),
        ]

    def __str__(self) -> str:
        return f"MASH settings for {self.district or self.force}"

    def clean(self) -> None:
        unknown = [v for v in self.approval_required_outcomes or [] if v not in Outcome.values]
        if unknown:
            raise ValidationError({"approval_required_outcomes": f"Unknown outcomes: {', '.join(unknown)}"})

    def needs_approval(self, outcome: str) -> bool:
        if self.approval_required_outcomes:
            return outcome in self.approval_required_outcomes
        return self.approval_default_all
