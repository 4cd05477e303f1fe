"""Contacts (incidents) with the people involved, THRIVE gradings, response grades, PPNs and
Operation Encompass notifications.

A contact is owned by the agency of the person who recorded it (the police) in the district of the
incident. Its people, gradings and Encompass rows are scoped through it (`scope_path =
"contact__"`): whoever sees the contact sees them. A PPN carries its own owner and district so the
district MASH picks it up through its district-wide role.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from safehub.contacts import rules
from safehub.core.models import Agency, Force
from safehub.core.models.base import ScopedChildModel, ScopedModel
from safehub.people.models import Person


class Channel(models.TextChoices):
    EMERGENCY = "999", "999 emergency call"
    NON_EMERGENCY = "101", "101 non-emergency call"
    ONLINE = "online", "Online report"
    WALK_IN = "walk_in", "Walk-in at a police station"
    PARTNER_AGENCY = "partner_agency", "Partner agency"


class Category(models.TextChoices):
    """Opening incident category, NSIR style (DOMAIN.md §8.2). Stored values never change."""

    PUBLIC_SAFETY = "public_safety", "Public safety and welfare"
    CRIME = "crime", "Crime"
    ASB = "asb", "Anti-social behaviour"
    DOMESTIC = "domestic", "Domestic abuse"
    MISSING = "missing", "Missing person"
    CONCERN_FOR_WELFARE = "concern_for_welfare", "Concern for welfare"
    MENTAL_HEALTH = "mental_health", "Mental health"


class OffenceGroup(models.TextChoices):
    """What kind of offence a report is about, for the non-recent offences measure (DOMAIN.md §8.1).

    Stored values never change. Blank: not a crime report, or not classified.
    """

    CSE = "cse", "Child sexual exploitation"
    CSA = "csa", "Child sexual abuse"
    RAPE_SEXUAL = "rape_sexual", "Rape and other sexual offences"
    DA = "da", "Domestic abuse"
    OTHER = "other", "Other offence"


class RcrpOutcome(models.TextChoices):
    """Right Care, Right Person (DOMAIN.md §1.2): do police respond to a welfare or mental-health call?"""

    ATTEND_CRIME = "attend_crime", "Police attend: to investigate a crime"
    ATTEND_RISK = "attend_risk", "Police attend: real and immediate risk to life or of serious harm"
    HEALTH_LEAD = "health_lead", "Health or social care lead"
    NO_POLICE_ACTION = "no_police_action", "No police action"


class Role(models.TextChoices):
    VICTIM = "victim", "Victim"
    SUSPECT = "suspect", "Suspect"
    WITNESS = "witness", "Witness"
    SUBJECT = "subject", "Subject"
    CHILD_PRESENT = "child_present", "Child present"


class Level(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class GradeBand(models.TextChoices):
    """What the THRIVE rule asks for; each force's grade table says which of its grades is which."""

    IMMEDIATE = "immediate", "Immediate attendance"
    PRIORITY = "priority", "Priority attendance"
    SCHEDULED = "scheduled", "Scheduled appointment"
    RESOLUTION = "resolution", "Resolution without attendance"


class ResponseGrade(models.Model):
    """One row of a force's response grade table (DOMAIN.md §1.2), edited in the admin.

    Rows with no force are the platform default (West Yorkshire's published grades, seeded by
    migration 0002); a force with rows of its own uses only those.
    """

    force = models.ForeignKey(
        Force,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Leave blank for the default table used by forces without their own",
    )
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=80)
    band = models.CharField(
        max_length=20, choices=GradeBand.choices, help_text="Which outcome of the THRIVE rule this grade is"
    )
    target_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Attend within this many minutes of the call; blank for no target"
    )
    attendance = models.BooleanField(default=True, help_text="Whether police attend at this grade")
    order = models.PositiveSmallIntegerField(default=0, help_text="Most urgent first")
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["force", "code"], name="responsegrade_unique_code_per_force"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(force__isnull=True), name="responsegrade_unique_default"
            ),
            models.CheckConstraint(
                condition=models.Q(target_minutes__isnull=True) | models.Q(attendance=True),
                name="responsegrade_target_needs_attendance",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def target_text(self) -> str:
        if not self.attendance:
            return "No attendance"
        if self.target_minutes is None:
            return "By appointment"
        if self.target_minutes % 60 == 0 and self.target_minutes >= 60:
            hours = self.target_minutes // 60
            return f"Attend within {hours} hour{'s' if hours != 1 else ''}"
        return f"Attend within {self.target_minutes} minutes"


class Contact(ScopedModel):
    received_at = models.DateTimeField(help_text="When the call or report was received")
    offence_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it happened (the earliest date, if over a period), if earlier than the call",
    )
    offence_group = models.CharField(
        max_length=20,
        choices=OffenceGroup.choices,
        blank=True,
        help_text="For a crime report: the kind of offence (blank if not a crime report)",
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    category = models.CharField(max_length=30, choices=Category.choices)
    location_text = models.CharField("Location", max_length=200, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    lsoa_code = models.CharField("LSOA code", max_length=9, blank=True)
    narrative = models.TextField()
    serious_harm = models.BooleanField(default=False, help_text="Someone suffered serious harm")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    grade = models.ForeignKey(
        ResponseGrade,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The current grade: the latest THRIVE grading's",
    )
    rcrp_outcome = models.CharField(
        "Right Care, Right Person outcome", max_length=20, choices=RcrpOutcome.choices, blank=True
    )
    arrived_at = models.DateTimeField(null=True, blank=True)
    arrival_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            # contact_list_for: the agency's contacts, newest first.
            models.Index(fields=["owning_agency", "-received_at"], name="contact_agency_received"),
            # contact_list_for (MASH district scope) and measures by district and month.
            models.Index(fields=["district", "received_at"], name="contact_district_received"),
            # Repeat-location flags: contacts at the same postcode, then the same LSOA.
            models.Index(fields=["postcode", "received_at"], name="contact_postcode"),
            models.Index(fields=["lsoa_code", "received_at"], name="contact_lsoa"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(arrived_at__isnull=True)
                | models.Q(arrived_at__gte=models.F("received_at")),
                name="contact_arrival_after_call",
            ),
            models.CheckConstraint(
                condition=models.Q(offence_at__isnull=True)
                | models.Q(offence_at__lte=models.F("received_at")),
                name="contact_offence_before_call",
            ),
        ]

    def __str__(self) -> str:
        return f"Contact {self.reference}"

    @property
    def reference(self) -> str:
        """The police reference shown to partners: the first 8 characters of the record id."""
        return f"C-{str(self.pk)[:8].upper()}"

    @property
    def incident_at(self) -> datetime:
        return self.offence_at or self.received_at

    @property
    def is_non_recent(self) -> bool:
        """Reported more than 12 calendar months after it happened (local dates; see rules)."""
        if self.offence_at is None or self.received_at is None:
            return False
        return rules.is_non_recent(timezone.localtime(self.offence_at), timezone.localtime(self.received_at))

    @property
    def attend_by(self) -> datetime | None:
        if self.grade is None or self.grade.target_minutes is None:
            return None
        return self.received_at + timedelta(minutes=self.grade.target_minutes)

    @property
    def attended_within_target(self) -> bool | None:
        """True/False once officers arrived at a grade with a target; None when not measurable."""
        due = self.attend_by
        if due is None or self.arrived_at is None:
            return None
        return self.arrived_at <= due


class ContactScopedModel(ScopedChildModel):
    """A record inside a contact: whoever sees the contact sees it (shares of the contact apply)."""

    scope_path = "contact__"
    scope_label = "contacts.contact"

    class Meta:
        abstract = True


class ContactPerson(ContactScopedModel):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contact_roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "person", "role"], name="contactperson_unique_role")
        ]
        # Repeat-victim flags and the calibration outcome provider: a person's contacts by role.
        indexes = [models.Index(fields=["person", "role"], name="contactperson_person_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} in {self.contact}"


class ThriveGrading(ContactScopedModel):
    """One THRIVE assessment of a contact. Re-grading adds a row; the highest sequence is current."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="gradings")
    sequence = models.PositiveSmallIntegerField()
    threat_level = models.CharField(max_length=6, choices=Level.choices)
    threat_rationale = models.TextField()
    harm_level = models.CharField(max_length=6, choices=Level.choices)
    harm_rationale = models.TextField()
    risk_level = models.CharField(max_length=6, choices=Level.choices)
    risk_rationale = models.TextField()
    investigation_level = models.CharField(max_length=6, choices=Level.choices)
    investigation_rationale = models.TextField()
    vulnerability_level = models.CharField(max_length=6, choices=Level.choices)
    vulnerability_rationale = models.TextField()
    engagement_level = models.CharField(max_length=6, choices=Level.choices)
    engagement_rationale = models.TextField()
    suggested_grade = models.ForeignKey(ResponseGrade, on_delete=models.PROTECT, related_name="+")
    grade = models.ForeignKey(ResponseGrade, on_delete=models.PROTECT, related_name="+")
    override_reason = models.TextField(blank=True, help_text="Why a grade other than the suggested one")
    regrade_reason = models.TextField(blank=True, help_text="Why the contact was graded again")
    rcrp_outcome = models.CharField(max_length=20, choices=RcrpOutcome.choices, blank=True)
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    graded_at = models.DateTimeField()

    class Meta:
        ordering = ["contact", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "sequence"], name="thrivegrading_unique_sequence")
        ]

    def __str__(self) -> str:
        return f"THRIVE {self.sequence} of {self.contact}"


class ConcernType(models.TextChoices):
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    CHILD_AT_RISK = "child_at_risk", "Child at risk of harm or neglect"
    ADULT_AT_RISK = "adult_at_risk", "Adult at risk"
    EXPLOITATION = "exploitation", "Exploitation (criminal or sexual)"
    MENTAL_HEALTH = "mental_health", "Mental health"
    MISSING = "missing", "Missing"
    OTHER = "other", "Other vulnerability"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class PpnStatus(models.TextChoices):
    AWAITING_MASH = "awaiting_mash", "Awaiting the MASH"
    REFERRED = "referred", "Referred to the MASH"


class AgeGroup(models.TextChoices):
    CHILD = "child", "Child"
    ADULT = "adult", "Adult"
    NOT_KNOWN = "not_known", "Age not known"


class PublicProtectionNotice(ScopedModel):
    """A PPN about one vulnerable person on a contact: a referral into the district MASH's queue.

    Raised with status `awaiting_mash`; the MASH referrals app picks these up, sets `referral_id`
    and the status `referred`.
    """

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="ppns")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="ppns")
    age_group = models.CharField(max_length=10, choices=AgeGroup.choices)
    concern_type = models.CharField(max_length=20, choices=ConcernType.choices)
    rag = models.CharField("RAG rating", max_length=5, choices=Rag.choices)
    summary = models.TextField()
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=PpnStatus.choices, default=PpnStatus.AWAITING_MASH)
    referral_id = models.UUIDField(null=True, blank=True, help_text="The MASH referral made from this PPN")

    class Meta:
        ordering = ["-raised_at"]
        constraints = [models.UniqueConstraint(fields=["contact", "person"], name="ppn_one_per_person")]
        # The MASH queue: awaiting PPNs in a district, oldest first.
        indexes = [models.Index(fields=["status", "district", "raised_at"], name="ppn_queue")]

    def __str__(self) -> str:
        return f"PPN ({self.get_rag_display()}) on {self.contact}"


class EncompassNotification(ContactScopedModel):
    """Operation Encompass (DOMAIN.md §6.5): the minimum data sent to a child's school.

    The school reads this row (addressed to it) and never the contact: the fields below are all it
    is told. `person` is the child; `notification` is the core notification with its
    acknowledgement and escalation.
    """

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="encompass_notifications")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    notification = models.ForeignKey(
        "core.Notification", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField()
    child_name = models.CharField(max_length=300)
    child_date_of_birth = models.DateField()
    incident_at = models.DateTimeField()
    child_present = models.BooleanField()
    police_reference = models.CharField(max_length=20)

    class Meta:
        ordering = ["-incident_at"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "person", "school"], name="encompass_once_per_school")
        ]
        # The school's Encompass page: its notifications, newest first.
        indexes = [models.Index(fields=["school", "-incident_at"], name="encompass_school")]

    def __str__(self) -> str:
        return f"Operation Encompass {self.police_reference}"
