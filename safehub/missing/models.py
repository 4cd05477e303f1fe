"""Missing persons: episodes and their risk gradings, protocol profiles, return home interviews and
repeat-missing problem-solving plans (DOMAIN.md section 3).

- A `MissingEpisode` is owned by the agency that records it (usually the police) in the district
  the person went missing in. Every grading and regrading is a `RiskGrading` row; actions and
  enquiries are `EpisodeAction` rows (both scoped through the episode).
- A `ProtocolProfile` (Philomena or Herbert "grab pack") is owned by the agency that completed it
  (care provider, local authority, or the family's agency); only that agency and the police may
  read it (`selectors.profile_for`).
- A `ReturnInterview` is owned by the children's social care of the episode's district (the local
  authority that must offer it); the episode's recorder reads it through a share.
- `RiskLevel` holds the APP risk continuum as data, so a force can rename or replace the levels.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safehub.core.models import Agency, Force
from safehub.core.models.base import ScopedChildModel, ScopedModel
from safehub.missing import rules


class RiskLevel(models.Model):
    """One level of the missing-person risk continuum. Rows with no force are the defaults (APP);
    a force with rows of its own uses only those."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    code = models.SlugField(max_length=30)
    name = models.CharField(max_length=60)
    meaning = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_high = models.BooleanField(default=False, help_text="Counted as graded high in the measures")
    source = models.CharField(max_length=400, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["force", "code"], name="missing_risklevel_force_code"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(force__isnull=True), name="missing_risklevel_default_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MissingFrom(models.TextChoices):
    HOME = "home", "Home"
    CARE_HOME = "care_home", "Care home or residential placement"
    HOSPITAL = "hospital", "Hospital or health setting"
    SCHOOL = "school", "School"
    OTHER = "other", "Somewhere else"


class Routing(models.TextChoices):
    POLICE = "police", "Police response"
    NHS_TRUST = "nhs_trust", "NHS trust locates the patient (no police deployment)"


class EpisodeStatus(models.TextChoices):
    OPEN = "open", "Missing"
    FOUND = "found", "Found"


class Condition(models.TextChoices):
    SAFE_AND_WELL = "safe_and_well", "Safe and well"
    HARMED = "harmed", "Harmed"
    OFFENDING = "offending", "Offending while missing"
    EXPLOITATION_DISCLOSED = "exploitation_disclosed", "Exploitation disclosed"


def validate_conditions(value) -> None:
    if not isinstance(value, list):
        raise ValidationError("Select the person's condition on return")
    unknown = [v for v in value if v not in Condition.values]
    if unknown:
        raise ValidationError(f"Unknown conditions on return: {', '.join(map(str, unknown))}")


class MissingEpisode(ScopedModel):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="missing_episodes")
    is_child = models.BooleanField(help_text="Under 18 when reported (from the date of birth unless set)")
    reported_at = models.DateTimeField(default=timezone.now)
    reported_by_name = models.CharField("Reported by", max_length=120)
    reported_by_relationship = models.CharField(
        "Reporter's relationship or role", max_length=120, blank=True, help_text="For example care home staff"
    )
    reported_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_seen_at = models.DateTimeField()
    last_seen_place = models.CharField(max_length=200)
    last_seen_with = models.CharField(max_length=300, blank=True)
    missing_from = models.CharField(max_length=20, choices=MissingFrom.choices)
    missing_from_detail = models.CharField(
        "Name of the place", max_length=200, blank=True, help_text="The care home, hospital or school"
    )
    circumstances = models.TextField(blank=True)
    risk_level = models.SlugField(max_length=30, help_text="The current grading (see RiskGrading)")
    immediate_risk_stated = models.BooleanField(
        default=False, help_text="The reporter states an immediate risk of serious harm or death"
    )
    routing = models.CharField(max_length=20, choices=Routing.choices, default=Routing.POLICE)
    routing_reason = models.TextField()
    routing_decided_at = models.DateTimeField(default=timezone.now)
    routing_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=EpisodeStatus.choices, default=EpisodeStatus.OPEN)
    found_at = models.DateTimeField(null=True, blank=True)
    found_place = models.CharField(max_length=200, blank=True)
    found_by = models.CharField(max_length=120, blank=True, help_text="Who found the person, or returned")
    condition_on_return = models.JSONField(default=list, blank=True, validators=[validate_conditions])
    return_notes = models.TextField(blank=True)
    profile = models.ForeignKey(
        "missing.ProtocolProfile", on_delete=models.PROTECT, null=True, blank=True, related_name="episodes"
    )
    repeat_missing = models.BooleanField(default=False)
    repeat_reason = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-reported_at"]
        indexes = [
            # Measures and the episode list: a district's episodes by report time.
            models.Index(fields=["district", "reported_at"], name="missing_district_reported"),
            # Repeat-missing rule and problem profile: one person's episodes in time order.
            models.Index(fields=["person", "reported_at"], name="missing_person_reported"),
        ]

    def __str__(self) -> str:
        return f"Missing episode {self.reference}"

    @property
    def reference(self) -> str:
        return f"MP-{str(self.pk)[:8].upper()}"

    @property
    def duration(self):
        return rules.duration(self.last_seen_at, self.reported_at, self.found_at)

    @property
    def condition_labels(self) -> list[str]:
        labels = dict(Condition.choices)
        return [labels.get(c, c) for c in self.condition_on_return or []]

    def clean(self) -> None:
        errors = rules.episode_time_errors(self.last_seen_at, self.reported_at, self.found_at)
        if self.status == EpisodeStatus.FOUND and self.found_at is None:
            errors["found_at"] = "Enter when the person was found"
        if not (self.routing_reason or "").strip():
            errors["routing_reason"] = "The routing decision needs its reason"
        if errors:
            raise ValidationError(errors)


class RiskGrading(ScopedChildModel):
    """One grading of an episode (the first on report, then each regrading), never changed."""

    episode = models.ForeignKey(MissingEpisode, on_delete=models.CASCADE, related_name="gradings")
    level = models.SlugField(max_length=30)
    level_name = models.CharField(max_length=60, help_text="The level's name when graded")
    rationale = models.TextField()
    graded_at = models.DateTimeField(default=timezone.now)
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_initial = models.BooleanField(default=False)

    scope_path = "episode__"
    scope_label = "missing.missingepisode"

    class Meta:
        ordering = ["graded_at", "created_at"]

    def __str__(self) -> str:
        return f"{self.level_name} ({self.graded_at:%Y-%m-%d %H:%M})"

    def clean(self) -> None:
        if not (self.rationale or "").strip():
            raise ValidationError({"rationale": "Enter the rationale for the risk grading"})


class ActionKind(models.TextChoices):
    ACTION = "action", "Action"
    ENQUIRY = "enquiry", "Enquiry"
    REVIEW = "review", "Review"


class EpisodeAction(ScopedChildModel):
    episode = models.ForeignKey(MissingEpisode, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=10, choices=ActionKind.choices, default=ActionKind.ACTION)
    at = models.DateTimeField(default=timezone.now)
    description = models.TextField()
    result = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scope_path = "episode__"
    scope_label = "missing.missingepisode"

    class Meta:
        ordering = ["at", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.episode}"


class ProfileKind(models.TextChoices):
    PHILOMENA = "philomena", "Philomena protocol (child in care)"
    HERBERT = "herbert", "Herbert protocol (adult with dementia or care needs)"


class ProtocolProfile(ScopedModel):
    """A grab pack completed in advance by the care provider, local authority or family's agency."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="protocol_profiles")
    kind = models.CharField(max_length=12, choices=ProfileKind.choices)
    description = models.TextField(help_text="Physical description: height, build, hair, marks")
    photo = models.BinaryField(null=True, blank=True, editable=False)
    photo_content_type = models.CharField(max_length=20, blank=True)
    medical_needs = models.TextField(blank=True)
    places = models.TextField("Places the person may go", blank=True)
    contacts = models.TextField("Friends, family and contacts", blank=True)
    previous_addresses = models.TextField(blank=True)
    routines = models.TextField("Routines and other information", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-reviewed_at"]
        indexes = [
            # Attaching at report time: the person's current profile.
            models.Index(fields=["person", "active", "-reviewed_at"], name="missing_profile_person"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} profile"

    def clean(self) -> None:
        if not (self.description or "").strip():
            raise ValidationError({"description": "Enter a description of the person"})


class InterviewStatus(models.TextChoices):
    PENDING = "pending", "To be offered"
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    COMPLETED = "completed", "Completed"


class PushFactor(models.TextChoices):
    CONFLICT_AT_HOME = "conflict_at_home", "Conflict at home or placement"
    BOUNDARIES = "boundaries", "Rules or boundaries"
    BULLYING = "bullying", "Bullying"
    ABUSE = "abuse", "Abuse or neglect"
    PLACEMENT_UNHAPPY = "placement_unhappy", "Unhappy in the placement"
    MENTAL_HEALTH = "mental_health", "Mental health or emotional wellbeing"
    SCHOOL = "school", "Problems at school"


class PullFactor(models.TextChoices):
    FRIENDS = "friends", "Friends or peers"
    FAMILY = "family", "Wanting to see family"
    PARTNER = "partner", "Boyfriend, girlfriend or older partner"
    SUBSTANCES = "substances", "Drugs or alcohol"
    MONEY_GIFTS = "money_gifts", "Money, gifts or status"
    PARTIES = "parties", "Parties or gatherings"


class ExploitationIndicator(models.TextChoices):
    OLDER_ADULTS = "older_adults", "Associating with older adults"
    CARS = "cars", "Getting into cars with unknown adults"
    MONEY_PHONES = "money_phones", "Unexplained money, phones or gifts"
    COUNTY_LINES = "county_lines", "Travel out of area (county lines)"
    SEXUAL = "sexual", "Sexual exploitation concerns"
    DRUGS = "drugs", "Carrying or selling drugs"
    INJURIES = "injuries", "Unexplained injuries"
    ONLINE = "online", "Online grooming"


def _check_choices(value, choices: type[models.TextChoices], what: str) -> None:
    if not isinstance(value, list):
        raise ValidationError(f"Select the {what} as a list")
    unknown = [v for v in value if v not in choices.values]
    if unknown:
        raise ValidationError(f"Unknown {what}: {', '.join(map(str, unknown))}")


def validate_push(value) -> None:
    _check_choices(value, PushFactor, "push factors")


def validate_pull(value) -> None:
    _check_choices(value, PullFactor, "pull factors")


def validate_indicators(value) -> None:
    _check_choices(value, ExploitationIndicator, "exploitation indicators")


class ReturnInterview(ScopedModel):
    """The independent return home interview offered to a child after an episode (72-hour clock)."""

    episode = models.OneToOneField(MissingEpisode, on_delete=models.PROTECT, related_name="return_interview")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField(help_text="From the rhi clock, counted from the time found")
    status = models.CharField(max_length=10, choices=InterviewStatus.choices, default=InterviewStatus.PENDING)
    offered_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True, help_text="Accepted or declined")
    completed_at = models.DateTimeField(null=True, blank=True)
    interviewer_name = models.CharField(max_length=120, blank=True)
    interviewer_organisation = models.CharField(max_length=160, blank=True)
    interviewer_independent = models.BooleanField(
        default=True, help_text="Independent of the placement and of the responsible local authority"
    )
    decline_reason = models.TextField(blank=True)
    where_stayed = models.TextField("Where the child was", blank=True)
    who_with = models.TextField("Who the child was with", blank=True)
    push_factors = models.JSONField(default=list, blank=True, validators=[validate_push])
    pull_factors = models.JSONField(default=list, blank=True, validators=[validate_pull])
    exploitation_indicators = models.JSONField(default=list, blank=True, validators=[validate_indicators])
    child_words = models.TextField("The child's own words", blank=True)
    notes = models.TextField(blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [
            # Overdue alerts and the interview list: by status and due time.
            models.Index(fields=["status", "due_at"], name="missing_rhi_due"),
        ]

    def __str__(self) -> str:
        return f"Return home interview for {self.episode}"

    @property
    def is_overdue(self) -> bool:
        return rules.interview_overdue(self.status, self.due_at, self.offered_at, timezone.now())

    def clean(self) -> None:
        errors = rules.interview_errors(
            status=self.status,
            interviewer_name=self.interviewer_name,
            interviewer_independent=self.interviewer_independent,
            decline_reason=self.decline_reason,
            child_words=self.child_words,
        )
        if errors:
            raise ValidationError(errors)


class ProblemPlan(ScopedModel):
    """A repeat-missing problem-solving plan (SARA: scan, analyse, respond, assess) for one person."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="missing_plans")
    scan = models.TextField("Scan: the problem", blank=True)
    analyse = models.TextField("Analyse: causes and patterns", blank=True)
    respond = models.TextField("Respond: what partners will do", blank=True)
    assess = models.TextField("Assess: did it work?", blank=True)
    owner = models.CharField("Plan owner", max_length=160)
    review_date = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return "Repeat-missing problem-solving plan"

    def clean(self) -> None:
        if not (self.owner or "").strip():
            raise ValidationError({"owner": "Enter who owns the plan"})

    @property
    def review_overdue(self) -> bool:
        """The review date has passed without a review moving it on."""
        return self.review_date < timezone.localdate()


class Stage(models.TextChoices):
    SCAN = "scan", "Scan"
    ANALYSE = "analyse", "Analyse"
    RESPOND = "respond", "Respond"
    ASSESS = "assess", "Assess"


class PlanActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class PlanAction(ScopedChildModel):
    plan = models.ForeignKey(ProblemPlan, on_delete=models.CASCADE, related_name="actions")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    description = models.TextField()
    owner = models.CharField(max_length=160)
    review_date = models.DateField()
    status = models.CharField(max_length=10, choices=PlanActionStatus.choices, default=PlanActionStatus.OPEN)
    done_on = models.DateField(null=True, blank=True, help_text="When the action was done")
    done_note = models.TextField(blank=True, help_text="What was done, or why it was closed")

    scope_path = "plan__"
    scope_label = "missing.problemplan"

    class Meta:
        ordering = ["review_date", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", done_on__isnull=True) | Q(status="done", done_on__isnull=False),
                name="missing_planaction_done_on",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} action"

    @property
    def is_done(self) -> bool:
        return self.status == PlanActionStatus.DONE

    def clean(self) -> None:
        errors = {}
        if not (self.description or "").strip():
            errors["description"] = "Enter the action"
        if not (self.owner or "").strip():
            errors["owner"] = "Enter who owns the action"
        if self.status == PlanActionStatus.DONE and self.done_on is None:
            errors["done_on"] = "Enter the date the action was done"
        if self.status == PlanActionStatus.OPEN and self.done_on is not None:
            errors["done_on"] = "An open action has no done date: mark it done or leave the date empty"
        if errors:
            raise ValidationError(errors)


class PlanReview(ScopedChildModel):
    """One review of a problem-solving plan: what changed, and when it is next reviewed. Never changed."""

    plan = models.ForeignKey(ProblemPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(default=timezone.localdate)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField("What changed")
    previous_review_date = models.DateField(help_text="The review date the plan had before this review")
    next_review_date = models.DateField()

    scope_path = "plan__"
    scope_label = "missing.problemplan"

    class Meta:
        ordering = ["-reviewed_on", "-created_at"]

    def __str__(self) -> str:
        return f"Plan review ({self.reviewed_on:%Y-%m-%d})"

    def clean(self) -> None:
        errors = {}
        if not (self.note or "").strip():
            errors["note"] = "Enter what changed since the last review"
        if self.next_review_date and self.reviewed_on and self.next_review_date <= self.reviewed_on:
            errors["next_review_date"] = "The next review date must be after the review"
        if errors:
            raise ValidationError(errors)
