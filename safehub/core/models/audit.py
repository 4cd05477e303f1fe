"""The audit trail: one append-only table of who did what to which record, and when.

Rows are written only by `safehub.core.audit.record`. `save()` refuses to change a saved row, and
a database trigger (PostgreSQL and SQLite, migration 0002) rejects UPDATE and DELETE. Field
*names* are stored, never values, so the trail itself holds no personal data beyond ids.
"""

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    READ = "read", "Read"
    LISTED = "listed", "Listed in search results"
    SEARCH = "search", "Searched"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    SHARE = "share", "Shared"
    REVOKE_SHARE = "revoke_share", "Share revoked"
    BREAK_GLASS = "break_glass", "Emergency access"
    BREAK_GLASS_SEARCH = "break_glass_search", "Emergency search"
    BREAK_GLASS_REVIEW = "break_glass_review", "Emergency access reviewed"
    DENIED = "denied", "Refused"
    EXPORT = "export", "Exported"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGN_OUT = "sign_out", "Signed out"
    TOKEN = "token", "API token issued"


class AuditEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150, help_text="Username, or the job's name")
    actor_agency_name = models.CharField(max_length=160, blank=True)
    action = models.CharField(max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    person_id = models.UUIDField(null=True, blank=True, help_text="The person whose file the object is in")
    fields = models.JSONField(default=list, blank=True)
    reason = models.TextField(blank=True)
    flagged = models.BooleanField(default=False, help_text="Needs an auditor's review (break-glass)")
    request_id = models.CharField(max_length=64, blank=True)
    via = models.CharField(max_length=10, blank=True, help_text="web, api, cli or job")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # "Who has seen this record" panel: events about one person, newest first.
            models.Index(fields=["person_id", "-at"], name="audit_person_at"),
            # Auditor search and /api/v1/audit-events/?object_id=
            models.Index(fields=["object_id", "-at"], name="audit_object_at"),
            # Auditor search by actor.
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type} {self.object_id}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only")


class AuditSeal(models.Model):
    """One link of the audit trail's hash chain: a digest over a run of events and the seal before.

    `safehub audit seal` (run from cron every few minutes) appends a seal over the events written
    since the last one; `safehub audit verify` recomputes every digest. Changing, removing or
    inserting an event inside a sealed run, or changing a seal, breaks the chain from there on.
    Append-only like the events (model and database triggers, migration 0005).
    """

    id = models.BigAutoField(primary_key=True)
    sealed_at = models.DateTimeField()
    first_event_id = models.BigIntegerField()
    last_event_id = models.BigIntegerField()
    event_count = models.PositiveIntegerField()
    previous_digest = models.CharField(max_length=64, blank=True)
    digest = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Seal {self.id}: events {self.first_event_id}–{self.last_event_id} ({self.digest[:12]})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Audit seals are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit seals are append-only")
