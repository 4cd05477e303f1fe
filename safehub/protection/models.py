"""Domestic abuse powers and schemes (DOMAIN.md §6): protection notices and orders (DVPN/DVPO and
DAPN/DAPO), Clare's Law (DVDS) applications, IDVA car deployments, criminal-justice outcomes of
domestic abuse contacts, and the independent scrutiny panel's samples.

- A `ProtectionOrder` (the notice and the order that follows) and a `DisclosureApplication` are
  owned by the police in the district of the case. Breaches are scoped through the order.
- `IdvaSupport` (the IDVA's contact with the victim and the safety plan) and `IdvaDeployment` (an
  IDVA car attending a police contact) are owned by the IDVA service that records them.
- `CriminalJusticeOutcome` is the outcome of one domestic abuse contact. safehub/contacts records
  none, so this app holds it (one per contact, owned by the police; ADR 0008).
- A `ScrutinySample` is a seeded, stratified draw of closed domestic abuse contacts; each
  `ScrutinyCase` holds the anonymised case pack frozen at the draw and the panel's findings.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from safehub.core.models import Force
from safehub.core.models.base import ScopedChildModel, ScopedModel


class Scheme(models.TextChoices):
    DVPO = "dvpo", "DVPN / DVPO (Crime and Security Act 2010)"
    DAPO = "dapo", "DAPN / DAPO (Domestic Abuse Act 2021, pilot)"


class ForceScheme(models.Model):
    """Which protection scheme a force uses (DAPN/DAPO in pilot areas); edited in the admin.

    A force without a row uses DVPN/DVPO, the national scheme.
    """

    force = models.OneToOneField(Force, on_delete=models.CASCADE, related_name="+")
    scheme = models.CharField(max_length=4, choices=Scheme.choices, default=Scheme.DVPO)
    from_date = models.DateField(help_text="When the force started using this scheme")
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "protection scheme of a force"

    def __str__(self) -> str:
        return f"{self.force}: {self.get_scheme_display()}"


class Rank(models.TextChoices):
    INSPECTOR = "inspector", "Inspector"
    CHIEF_INSPECTOR = "chief_inspector", "Chief inspector"
    SUPERINTENDENT = "superintendent", "Superintendent"
    CHIEF_SUPERINTENDENT = "chief_superintendent", "Chief superintendent"
    ACC = "assistant_chief_constable", "Assistant chief constable or above"


class HearingOutcome(models.TextChoices):
    PENDING = "pending", "Awaiting the hearing"
    GRANTED = "granted", "Order made"
    REFUSED = "refused", "Order refused"
    ADJOURNED = "adjourned", "Adjourned (notice continues)"
    WITHDRAWN = "withdrawn", "Application withdrawn"
    LAPSED = "lapsed", "Notice lapsed: not heard in time"


class ProtectionOrder(ScopedModel):
    """A protection notice (DVPN or DAPN) and the application for the order (DVPO or DAPO)."""

    scheme = models.CharField(max_length=4, choices=Scheme.choices)
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    victim = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The person the notice is given to",
    )
    authorised_at = models.DateTimeField()
    authorised_by_name = models.CharField("Authorising officer", max_length=120)
    authorised_by_rank = models.CharField("Authorising officer's rank", max_length=30, choices=Rank.choices)
    grounds = models.TextField(help_text="Why the notice is necessary to protect the victim")
    notice_conditions = models.TextField("Conditions of the notice")
    served_at = models.DateTimeField(help_text="When the notice was served (DVPN) or given (DAPN)")
    hearing_due_at = models.DateTimeField(help_text="From the dvpo-hearing or dapo-hearing clock")
    application_made_at = models.DateTimeField(null=True, blank=True)
    court = models.CharField("Magistrates' court", max_length=120, blank=True)
    hearing_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=HearingOutcome.choices, default=HearingOutcome.PENDING)
    order_conditions = models.TextField(blank=True)
    duration_days = models.PositiveSmallIntegerField(null=True, blank=True)
    made_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    outcome_reason = models.TextField(blank=True)
    expiry_reminded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-served_at"]
        indexes = [
            # The orders list and measures: a district's notices by time served.
            models.Index(fields=["district", "served_at"], name="protection_order_served"),
            # Expiry reminders: made orders by expiry date.
            models.Index(fields=["outcome", "expires_on"], name="protection_order_expiry"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(served_at__gte=models.F("authorised_at")),
                name="protection_served_after_authorised",
            ),
            models.CheckConstraint(
                condition=Q(hearing_at__isnull=True) | Q(hearing_at__gte=models.F("served_at")),
                name="protection_hearing_after_notice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice_name} {self.reference}"

    @property
    def reference(self) -> str:
        return f"PO-{str(self.pk)[:8].upper()}"

    @property
    def notice_name(self) -> str:
        return "DVPN" if self.scheme == Scheme.DVPO else "DAPN"

    @property
    def order_name(self) -> str:
        return "DVPO" if self.scheme == Scheme.DVPO else "DAPO"

    @property
    def heard_in_time(self) -> bool | None:
        if self.hearing_at is None:
            return None
        return self.hearing_at <= self.hearing_due_at


class OrderBreach(ScopedChildModel):
    order = models.ForeignKey(ProtectionOrder, on_delete=models.CASCADE, related_name="breaches")
    at = models.DateTimeField()
    description = models.TextField()
    action_taken = models.TextField(blank=True, help_text="Arrest, charge, referral back to court")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scope_path = "order__"
    scope_label = "protection.protectionorder"

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"Breach of {self.order}"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"
    AT_COURT = "at_court", "At court"
    NO_CONTACT = "no_contact", "Tried, no contact made"


class IdvaSupport(ScopedModel):
    """The IDVA's contact with the victim of a protection notice, and the safety plan."""

    order = models.ForeignKey(ProtectionOrder, on_delete=models.PROTECT, related_name="idva_support")
    contacted_at = models.DateTimeField()
    method = models.CharField(max_length=12, choices=ContactMethod.choices)
    support_accepted = models.BooleanField(default=False)
    safety_plan = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-contacted_at"]

    def __str__(self) -> str:
        return f"IDVA contact on {self.order}"

    def clean(self) -> None:
        if self.support_accepted and not (self.safety_plan or "").strip():
            raise ValidationError({"safety_plan": "Enter the safety plan agreed with the victim"})


class Route(models.TextChoices):
    RIGHT_TO_ASK = "ask", "Right to ask"
    RIGHT_TO_KNOW = "know", "Right to know"


class DisclosureStage(models.TextChoices):
    RECEIVED = "received", "Application received"
    INITIAL_CONTACT = "initial_contact", "Initial contact"
    CHECKS = "checks", "Checks completed"
    FACE_TO_FACE = "face_to_face", "Face-to-face meeting"
    DECISION = "decision", "Multi-agency decision"
    DISCLOSED = "disclosed", "Disclosure made"
    NOT_DISCLOSED = "not_disclosed", "No disclosure"


class Decision(models.TextChoices):
    DISCLOSE = "disclose", "Disclose"
    NO_DISCLOSURE = "no_disclosure", "No disclosure"


class DisclosureApplication(ScopedModel):
    """A Clare's Law application (right to ask) or police-initiated disclosure (right to know)."""

    route = models.CharField(max_length=4, choices=Route.choices)
    person_at_risk = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    applicant_name = models.CharField(
        max_length=120, blank=True, help_text="Blank when the person at risk asked"
    )
    applicant_relationship = models.CharField(max_length=120, blank=True)
    received_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="From the dvds clock (28 days)")
    stage = models.CharField(max_length=16, choices=DisclosureStage.choices, default=DisclosureStage.RECEIVED)
    initial_contact_at = models.DateTimeField(null=True, blank=True)
    checks_completed_at = models.DateTimeField(null=True, blank=True)
    face_to_face_at = models.DateTimeField(null=True, blank=True)
    decision_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=14, choices=Decision.choices, blank=True)
    decision_reasons = models.TextField(blank=True)
    disclosed_to = models.CharField(max_length=120, blank=True, help_text="Who is best placed to protect")
    completed_at = models.DateTimeField(
        null=True, blank=True, help_text="Disclosure delivered or case closed"
    )
    safety_plan = models.TextField(blank=True)
    delay_reason = models.TextField(blank=True, help_text="Why the case passed 28 days")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            # The timeliness table and measures: a district's applications by month received.
            models.Index(fields=["district", "received_at"], name="protection_dvds_received"),
            # The open-cases list by due time.
            models.Index(fields=["stage", "due_at"], name="protection_dvds_due"),
        ]

    def __str__(self) -> str:
        return f"Clare's Law {self.reference}"

    @property
    def reference(self) -> str:
        return f"DV-{str(self.pk)[:8].upper()}"

    @property
    def is_closed(self) -> bool:
        return self.completed_at is not None


class CjOutcome(models.TextChoices):
    """Criminal-justice outcome of a domestic abuse contact (Home Office outcome groups, simplified)."""

    CHARGE = "charge", "Charge or summons"
    CAUTION = "caution", "Caution"
    OUT_OF_COURT = "out_of_court", "Other out-of-court disposal"
    NFA = "nfa", "No further action"
    VICTIM_WITHDREW = "victim_withdrew", "Victim withdrew support"
    UNDER_INVESTIGATION = "under_investigation", "Under investigation"


class CriminalJusticeOutcome(ScopedModel):
    """The criminal-justice outcome of one domestic abuse contact (contacts records none)."""

    contact = models.OneToOneField("contacts.Contact", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=CjOutcome.choices)
    outcome_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-outcome_at"]
        # The evaluation: outcomes by district.
        indexes = [models.Index(fields=["district", "outcome"], name="protection_cj_outcome")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}"


class IdvaDeployment(ScopedModel):
    """An IDVA car at a police domestic abuse contact: the IDVA attended with officers."""

    contact = models.OneToOneField("contacts.Contact", on_delete=models.PROTECT, related_name="+")
    contact_reference = models.CharField(max_length=12, help_text="The police reference, C-XXXXXXXX")
    deployed_at = models.DateTimeField()
    call_sign = models.CharField(max_length=20, blank=True)
    victim_engaged = models.BooleanField(default=False, help_text="The victim spoke with the IDVA")
    support_accepted = models.BooleanField(default=False)
    safety_plan = models.BooleanField(default=False, help_text="A safety plan was started at the scene")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-deployed_at"]
        # The deployments list and measures: a district's deployments by time.
        indexes = [models.Index(fields=["district", "deployed_at"], name="protection_idva_deployed")]

    def __str__(self) -> str:
        return f"IDVA car at {self.contact_reference}"


class Theme(models.TextChoices):
    RISK_ASSESSMENT = "risk_assessment", "Risk assessment (DASH or DARA)"
    VICTIM_VOICE = "victim_voice", "The victim's voice"
    CHILDREN = "children", "Children in the household"
    INVESTIGATION = "investigation", "Investigation and evidence"
    POSITIVE_ACTION = "positive_action", "Positive action and arrest"
    POWERS = "powers", "Use of DVPN, DVPO and Clare's Law"
    PARTNERSHIP = "partnership", "Partnership working and referrals"
    RECORDING = "recording", "Recording and supervision"
    VICTIM_CONTACT = "victim_contact", "Keeping the victim informed"


def validate_themes(value) -> None:
    if not isinstance(value, list):
        raise ValidationError("Select the themes as a list")
    unknown = [v for v in value if v not in Theme.values]
    if unknown:
        raise ValidationError(f"Unknown themes: {', '.join(map(str, unknown))}")


class ScrutinySample(ScopedModel):
    """One round of the scrutiny panel: a reproducible draw of closed domestic abuse contacts."""

    title = models.CharField(max_length=120)
    period_start = models.DateField()
    period_end = models.DateField()
    seed = models.PositiveIntegerField()
    size = models.PositiveSmallIntegerField()
    exclude_live = models.BooleanField(default=True, help_text="Leave out contacts still under investigation")
    exclude_reviewed = models.BooleanField(
        default=True, help_text="Leave out contacts drawn in earlier rounds"
    )
    eligible_count = models.PositiveIntegerField(default=0)
    excluded_count = models.PositiveIntegerField(default=0)
    strata = models.JSONField(default=dict, help_text="Eligible and drawn contacts by district")
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField()

    class Meta:
        ordering = ["-drawn_at"]

    def __str__(self) -> str:
        return self.title


class ScrutinyCase(ScopedChildModel):
    """One drawn case: its anonymised pack (frozen at the draw) and the panel's findings."""

    sample = models.ForeignKey(ScrutinySample, on_delete=models.CASCADE, related_name="cases")
    number = models.PositiveSmallIntegerField()
    contact = models.ForeignKey("contacts.Contact", on_delete=models.PROTECT, related_name="+")
    district_code = models.CharField(max_length=40)
    pack = models.JSONField(default=dict)
    good_practice = models.TextField(blank=True)
    areas_for_development = models.TextField(blank=True)
    themes = models.JSONField(default=list, blank=True, validators=[validate_themes])
    reviewed_at = models.DateTimeField(null=True, blank=True)

    scope_path = "sample__"
    scope_label = "protection.scrutinysample"

    class Meta:
        ordering = ["sample", "number"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "number"], name="protection_case_number"),
            models.UniqueConstraint(fields=["sample", "contact"], name="protection_case_once"),
        ]

    def __str__(self) -> str:
        return f"Case {self.number}"
