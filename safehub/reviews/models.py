"""Child safeguarding practice reviews (Working Together 2023; DOMAIN.md section 5).

A `PracticeReview` follows one serious incident about one child from the person index:
1. the partnership learns of it (`learned_at`): the serious incident notification to the Child
   Safeguarding Practice Review Panel is due within 5 working days (clock `cspr-notification`);
2. the notification is sent (`notified_at`): the rapid review is due within 15 working days of it
   (clock `rapid-review`);
3. the rapid review is held and the partnership decides whether to hold a local review, with its
   rationale (`decision`);
4. a local child safeguarding practice review (LCSPR) starts (`lcspr_started_on`): publication is
   due within 6 months (clock `lcspr-publication`); the report goes to the Panel and the Secretary
   of State before it is published (`sent_to_panel_on`, then `published_on`).
Recommendations and actions live in the one tracker (`safehub.recommendations`), linked to the
review; learning themes are a list of `LearningTheme` codes.

The review is owned by the local authority (children's social care) whose partnership runs it:
its records are person-level, scoped and audited like any other; only a safeguarding partnership
manager of the owning agency changes it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from safehub.core.models.base import ScopedModel
from safehub.people.models import Person


class IncidentKind(models.TextChoices):
    DEATH = "death", "The child died"
    SERIOUS_HARM = "serious_harm", "The child was seriously harmed"


class Decision(models.TextChoices):
    LOCAL_REVIEW = "local_review", "Hold a local child safeguarding practice review"
    NO_LOCAL_REVIEW = "no_local_review", "No local review: the learning is taken forward in other ways"
    NATIONAL_REVIEW = "national_review", "The national panel will hold a national review"


class LearningTheme(models.TextChoices):
    INFORMATION_SHARING = "information_sharing", "Information sharing"
    MULTI_AGENCY = "multi_agency", "Multi-agency working and communication"
    VOICE_OF_CHILD = "voice_of_child", "The voice and lived experience of the child"
    PROFESSIONAL_CURIOSITY = "professional_curiosity", "Professional curiosity"
    ESCALATION = "escalation", "Escalation and challenge"
    NEGLECT = "neglect", "Neglect"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    EXPLOITATION = "exploitation", "Exploitation outside the home"
    PARENTAL_MENTAL_HEALTH = "parental_mental_health", "Parental mental health and substance use"
    SAFE_SLEEP = "safe_sleep", "Safe sleep and infant safety"
    NON_ACCIDENTAL_INJURY = "non_accidental_injury", "Non-accidental injury and bruising in babies"
    THRESHOLDS = "thresholds", "Thresholds and assessment"
    OTHER = "other", "Other"


class Stage(models.TextChoices):
    NOTIFICATION = "notification", "Notification to the panel due"
    RAPID_REVIEW = "rapid_review", "Rapid review due"
    DECISION = "decision", "Decision on a local review due"
    LCSPR = "lcspr", "Local review in progress"
    PUBLISHED = "published", "Published"
    CLOSED = "closed", "Closed without a local review"


def validate_themes(value) -> None:
    if not isinstance(value, list) or any(code not in LearningTheme.values for code in value):
        raise ValidationError("Select learning themes from the list")


class PracticeReview(ScopedModel):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", help_text="The child")
    reference = models.CharField(
        max_length=60,
        help_text="The partnership's name for the review, such as 'Child T' (never the child's real name)",
    )
    incident_kind = models.CharField(max_length=20, choices=IncidentKind.choices)
    incident_on = models.DateField()
    incident_summary = models.TextField()
    learned_at = models.DateTimeField(help_text="When the partnership learned of the incident")
    notification_due_at = models.DateTimeField()
    notified_at = models.DateTimeField(null=True, blank=True)
    panel_reference = models.CharField(max_length=60, blank=True)
    rapid_review_due_at = models.DateTimeField(null=True, blank=True)
    rapid_review_on = models.DateField(null=True, blank=True)
    rapid_review_findings = models.TextField(blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decision_rationale = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    lcspr_started_on = models.DateField(null=True, blank=True)
    publication_due_at = models.DateTimeField(null=True, blank=True)
    sent_to_panel_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    publication_url = models.URLField(blank=True)
    learning_themes = models.JSONField(default=list, blank=True, validators=[validate_themes])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scope_label = "reviews.practicereview"

    class Meta:
        ordering = ["-learned_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(notified_at__isnull=True) | Q(notified_at__gte=models.F("learned_at")),
                name="review_notified_after_learned",
            ),
            models.CheckConstraint(
                condition=Q(rapid_review_on__isnull=True) | Q(notified_at__isnull=False),
                name="review_rapid_review_after_notification",
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(rapid_review_on__isnull=False),
                name="review_decision_after_rapid_review",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True)
                | (
                    Q(decision="local_review")
                    & Q(lcspr_started_on__isnull=False)
                    & Q(sent_to_panel_on__isnull=False)
                ),
                name="review_published_only_after_local_review",
            ),
        ]
        indexes = [
            # The "due and overdue" page and the list: an agency's reviews by when they were learned of.
            models.Index(fields=["owning_agency", "-learned_at"], name="review_agency_learned"),
        ]

    def __str__(self) -> str:
        return f"Practice review {self.reference}"
