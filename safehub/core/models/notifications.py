"""Notifications: a message to a user or an agency, with acknowledgement and escalation.

Written only by `safehub.core.notify` (send, acknowledge, escalate_due), which audits each write.
A notification carries as little as the caller puts in its title and body, and an internal link.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safehub.core.models.organisations import Agency


def validate_internal_path(value: str) -> None:
    """A path inside Safehub: starts with one "/", no query string, no scheme or host."""
    if not value:
        return
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        raise ValidationError("Enter a path inside Safehub that starts with /, like /people/")
    if "?" in value or any(ch.isspace() for ch in value):
        raise ValidationError("Enter a path with no query string or spaces")


class Notification(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.SlugField(max_length=40, default="general")
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    object_type = models.CharField(max_length=80, blank=True, help_text="app_label.model it is about")
    object_id = models.UUIDField(null=True, blank=True)
    person_id = models.UUIDField(null=True, blank=True, help_text="The person whose file it is about")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True, validators=[validate_internal_path])
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField(null=True, blank=True)
    ack_required = models.BooleanField(default=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalate_at = models.DateTimeField(null=True, blank=True)
    escalate_to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalate_to_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    email_sent = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_user__isnull=False, recipient_agency__isnull=True)
                | Q(recipient_user__isnull=True, recipient_agency__isnull=False),
                name="notification_one_recipient",
            ),
            models.CheckConstraint(
                condition=Q(escalate_to_user__isnull=True) | Q(escalate_to_agency__isnull=True),
                name="notification_one_escalation_recipient",
            ),
        ]
        indexes = [
            # notifications_for(user): those addressed to the user, newest first.
            models.Index(fields=["recipient_user", "-created_at"], name="notification_user"),
            # notifications_for(user): those addressed to the user's agency, newest first.
            models.Index(fields=["recipient_agency", "-created_at"], name="notification_agency"),
            # "Waiting on others": unacknowledged notifications a user sent.
            models.Index(fields=["created_by", "-created_at"], name="notification_sender"),
            # escalate_due: unacknowledged, not yet escalated, escalate_at passed.
            models.Index(
                fields=["escalate_at"],
                condition=Q(ack_required=True, acknowledged_at__isnull=True, escalated_at__isnull=True)
                & Q(escalate_at__isnull=False),
                name="notification_escalation_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def recipient(self):
        return self.recipient_user if self.recipient_user_id else self.recipient_agency

    @property
    def is_overdue(self) -> bool:
        return (
            self.ack_required
            and self.acknowledged_at is None
            and self.due_at is not None
            and self.due_at <= timezone.now()
        )

    @property
    def status(self) -> str:
        if self.acknowledged_at is not None:
            return "Acknowledged"
        if not self.ack_required:
            return "For information"
        if self.is_overdue:
            return "Overdue"
        if self.escalated_at is not None:
            return "Escalated"
        return "Waiting"
