"""MARAC and MACE: meeting series per district, meetings, agendas of cases, research, actions.

A **series** (one per district and kind) names its coordinators, its member agencies and the
confidentiality statement. A **meeting** is one sitting: its agenda is a list of **cases**, each a
person listed by rule (the rules that fired and their evidence are kept as listed) or added by
hand with a reason, or carried forward for review. Member agencies add **research** before the
meeting; the meeting records attendance, minutes per case, the risk level after discussion, the
decision (keep reviewing, close, transfer) and **actions** with an owning agency, person and due
date. Practitioners **refer** a person to MARAC or MACE on professional judgement
(`MeetingReferral`): that is an event the listing rules read.

Access: cases are person-level records owned by the series' coordinating agency in its district
(ScopedModel). Attendees from member agencies read a meeting's cases only after accepting its
confidentiality statement (`selectors`), and every such read is audited.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safehub.core.models import Agency, District
from safehub.core.models.base import ScopedChildModel, ScopedModel


class Kind(models.TextChoices):
    MARAC = "marac", "MARAC"
    MACE = "mace", "MACE"


# The listing ruleset each kind of meeting uses (safehub.core.rulesets.ruleset_for).
RULESET_FOR_KIND = {Kind.MARAC: "marac", Kind.MACE: "mace"}


class RiskLevel(models.TextChoices):
    """Risk after discussion. MARAC uses standard/medium/high; MACE low/medium/high/significant."""

    LOW = "low", "Low"
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    SIGNIFICANT = "significant", "Significant"


RISK_LEVELS_FOR_KIND = {
    Kind.MARAC: (RiskLevel.STANDARD, RiskLevel.MEDIUM, RiskLevel.HIGH),
    Kind.MACE: (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.SIGNIFICANT),
}


class MeetingSeries(models.Model):
    """The MARAC (or MACE) of one district: who coordinates it, who belongs, what they agree to."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="meeting_series")
    name = models.CharField(max_length=160)
    coordinating_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="coordinated_series", help_text="Owns the cases"
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_series", blank=True
    )
    member_agencies = models.ManyToManyField(Agency, related_name="member_of_series", blank=True)
    confidentiality_statement = models.TextField(
        help_text="Each attendee accepts this before seeing the cases of a meeting"
    )
    cadence = models.CharField(max_length=80, blank=True, help_text="For example: every two weeks")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["district__name", "kind"]
        constraints = [models.UniqueConstraint(fields=["district", "kind"], name="meeting_series_once")]
        verbose_name_plural = "meeting series"

    def __str__(self) -> str:
        return self.name


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    AGENDA_PUBLISHED = "agenda_published", "Agenda published"
    HELD = "held", "Held"
    CLOSED = "closed", "Minutes approved"


class Meeting(models.Model):
    """One sitting of a series. Its confidentiality statement is copied from the series when it is
    made, so an acceptance always refers to the words the attendee read."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    series = models.ForeignKey(MeetingSeries, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True, help_text="A room or 'Microsoft Teams'")
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    confidentiality_statement = models.TextField()
    research_due_at = models.DateTimeField(null=True, blank=True, help_text="Research wanted by")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    held_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [
            # A series' meetings by date (the next meeting; the year's meetings for the return).
            models.Index(fields=["series", "starts_at"], name="meeting_series_starts"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {timezone.localtime(self.starts_at):%d %b %Y}"

    @property
    def kind(self) -> str:
        return self.series.kind


class Attendance(models.Model):
    """A person invited to (and perhaps at) a meeting, and their acceptance of its statement."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendances")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    confidentiality_accepted_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True, help_text="Recorded at the meeting")
    is_chair = models.BooleanField(default=False)

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.user} at {self.meeting}"


class ListedBy(models.TextChoices):
    RULE = "rule", "Listing rule"
    MANUAL = "manual", "Added by the coordinator"
    REVIEW = "review", "Ongoing risk review"
    TRANSFER = "transfer", "Transferred in"


class Decision(models.TextChoices):
    KEEP_REVIEWING = "keep_reviewing", "Keep on review"
    CLOSE = "close", "Close: risk reduced"
    TRANSFER = "transfer", "Transfer to another area"


class Lgbt(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class MeetingCase(ScopedModel):
    """One person on one meeting's agenda, why they are there, and what the meeting decided.

    Owned by the series' coordinating agency in the series' district.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="cases")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="meeting_cases")
    position = models.PositiveIntegerField(default=0, help_text="Order on the agenda")
    listed_by = models.CharField(max_length=10, choices=ListedBy.choices)
    # As listed: [{"rule", "title", "reason", "evidence": [{"type", "at", "ref"}]}] and the version.
    rules_fired = models.JSONField(default=list, blank=True)
    ruleset_version = models.PositiveIntegerField(null=True, blank=True)
    manual_reason = models.TextField(blank=True, help_text="Why the coordinator added the case by hand")
    review_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reviews",
        help_text="The earlier hearing this case is a review of",
    )
    referring_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The agency whose referral or record brought the case (for the data return)",
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_repeat = models.BooleanField(
        default=False, help_text="Heard at this kind of meeting in the 12 months before"
    )
    children_in_household = models.PositiveSmallIntegerField(null=True, blank=True)
    lgbt = models.CharField("LGBT+", max_length=10, choices=Lgbt.choices, default=Lgbt.NOT_KNOWN)
    risk_level_before = models.CharField(max_length=12, choices=RiskLevel.choices, blank=True)
    minutes = models.TextField(blank=True)
    risk_level_after = models.CharField(max_length=12, choices=RiskLevel.choices, blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    discussed_at = models.DateTimeField(null=True, blank=True)
    minuted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="meeting_case_once")]
        indexes = [
            # A person's hearings, newest first (repeat MARAC, the review chain, marac_heard events).
            models.Index(fields=["person", "created_at"], name="meeting_case_person"),
        ]

    def __str__(self) -> str:
        return f"Case at {self.meeting}"


class Research(ScopedChildModel):
    """What one agency knows about a case, added before the meeting."""

    case = models.ForeignKey(MeetingCase, on_delete=models.CASCADE, related_name="research")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField()
    risks = models.TextField(blank=True)
    nothing_known = models.BooleanField(default=False, help_text="The agency searched and holds nothing")

    scope_path = "case__"
    scope_label = "meetings.meetingcase"

    class Meta:
        ordering = ["agency__name", "created_at"]
        verbose_name_plural = "research"

    def __str__(self) -> str:
        return f"Research by {self.agency}"

    @property
    def person_id(self):
        """The person whose file this is in (for the audit trail)."""
        return self.case.person_id


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Action(ScopedChildModel):
    """Something an agency agreed at the meeting to do for a case, by a date."""

    case = models.ForeignKey(MeetingCase, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="meeting_actions")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_actions"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    update = models.TextField(blank=True, help_text="Progress or the reason it was closed")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    scope_path = "case__"
    scope_label = "meetings.meetingcase"

    class Meta:
        ordering = ["due_on", "created_at"]
        indexes = [
            # Open actions by owning agency and due date (per-agency lists, overdue alerts).
            models.Index(fields=["owner_agency", "status", "due_on"], name="action_agency_due"),
        ]

    def __str__(self) -> str:
        return f"Action due {self.due_on:%d %b %Y}"

    @property
    def person_id(self):
        """The person whose file this is in (for the audit trail)."""
        return self.case.person_id


class CaseTransfer(ScopedChildModel):
    """A MARAC case sent to another area because the victim moved."""

    case = models.OneToOneField(MeetingCase, on_delete=models.PROTECT, related_name="transfer")
    to_series = models.ForeignKey(
        MeetingSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Another district's MARAC in this partnership",
    )
    to_area = models.CharField(
        max_length=200, blank=True, help_text="A MARAC outside the partnership, by name"
    )
    reason = models.TextField()
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scope_path = "case__"
    scope_label = "meetings.meetingcase"

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(to_series__isnull=False) & Q(to_area=""))
                | (Q(to_series__isnull=True) & ~Q(to_area="")),
                name="case_transfer_one_destination",
            )
        ]

    def __str__(self) -> str:
        return "Case transfer"

    @property
    def person_id(self):
        """The person whose file this is in (for the audit trail)."""
        return self.case.person_id


class MeetingReferral(ScopedModel):
    """A practitioner's referral of a person to MARAC or MACE on professional judgement.

    Owned by the referrer's agency, in the district whose meeting should hear it. It becomes a
    `marac_referral` or `mace_referral` listing-rule event.
    """

    kind = models.CharField(max_length=10, choices=Kind.choices)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="meeting_referrals")
    referrer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    referred_at = models.DateTimeField(default=timezone.now)
    reasons = models.TextField(help_text="The concerns and why they meet the threshold")

    class Meta:
        ordering = ["-referred_at"]
        indexes = [models.Index(fields=["person", "referred_at"], name="meeting_referral_person")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} referral"
