"""Notifications with acknowledgement and escalation: the one way any app tells someone something.

    notify.send(officer, referral, title="Referral needs a decision", url=f"/referrals/{referral.pk}/",
                due_at=clock_due, escalate_to=mash_manager)

A notification goes to a user, or to an agency (every active member with a person-level role sees
it, and any one of them may acknowledge it for the agency). An email goes to each recipient with
an address: the subject is the title and the body is the body and the path, nothing more, so
callers keep titles and bodies free of personal detail (no names, dates of birth or crime numbers).
`escalate_due` (the `escalate_notifications` job, every few minutes) tells `escalate_to` about
each notification nobody acknowledged in time.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.core.mail.message import EmailMessage
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from safehub.core import audit
from safehub.core.access import parse_id
from safehub.core.models import Agency, AuditAction, Notification, User
from safehub.core.roles import PERSON_LEVEL_ROLES

logger = logging.getLogger(__name__)

ESCALATION_JOB = "job:escalate_notifications"


def _user_or_agency(value: Any, name: str) -> tuple[User | None, Agency | None]:
    if isinstance(value, User):
        return value, None
    if isinstance(value, Agency):
        return None, value
    raise TypeError(f"{name} must be a User or an Agency, not {type(value).__name__}")


def _about(about: Any) -> tuple[str, uuid.UUID | None, Any]:
    if about is None:
        return "", None, None
    if not isinstance(about.pk, uuid.UUID):
        raise TypeError("about must be a saved record with a UUID key")
    return audit.object_label(about), about.pk, audit.person_id_of(about)


def send(
    recipient: Any,
    about: Any = None,
    *,
    title: str,
    body: str = "",
    url: str = "",
    ack_required: bool = True,
    due_at: datetime | None = None,
    escalate_after: timedelta | None = None,
    escalate_to: Any = None,
    kind: str = "general",
    actor: Any = None,
) -> Notification:
    """Notify a User or an Agency about `about` (any saved record, or None); audited, emailed.

    escalate_at is due_at when only due_at is given, else the time of sending + escalate_after;
    escalation needs escalate_to (a User or an Agency) and ack_required.
    """
    object_type, object_id, person_id = _about(about)
    return _create(
        recipient,
        object_type=object_type,
        object_id=object_id,
        person_id=person_id,
        title=title,
        body=body,
        url=url,
        ack_required=ack_required,
        due_at=due_at,
        escalate_after=escalate_after,
        escalate_to=escalate_to,
        kind=kind,
        actor=actor,
    )


@transaction.atomic
def _create(
    recipient: Any,
    *,
    object_type: str,
    object_id: uuid.UUID | None,
    person_id: Any,
    title: str,
    body: str,
    url: str,
    ack_required: bool,
    due_at: datetime | None,
    escalate_after: timedelta | None,
    escalate_to: Any,
    kind: str,
    actor: Any,
) -> Notification:
    user, agency = _user_or_agency(recipient, "recipient")
    escalate_user, escalate_agency = (
        (None, None) if escalate_to is None else _user_or_agency(escalate_to, "escalate_to")
    )
    now = timezone.now()
    escalate_at = None
    if escalate_to is not None:
        if not ack_required:
            raise ValidationError(
                {"escalate_to": "Only a notification that needs acknowledging can escalate"}
            )
        if escalate_after is not None:
            escalate_at = now + escalate_after
        elif due_at is not None:
            escalate_at = due_at
        else:
            raise ValidationError({"escalate_to": "Give due_at or escalate_after to say when to escalate"})
    notification = Notification(
        kind=kind,
        recipient_user=user,
        recipient_agency=agency,
        object_type=object_type,
        object_id=object_id,
        person_id=person_id,
        title=(title or "").strip(),
        body=(body or "").strip(),
        url=url,
        created_at=now,
        created_by=actor if isinstance(actor, User) else None,
        due_at=due_at,
        ack_required=ack_required,
        escalate_at=escalate_at,
        escalate_to_user=escalate_user,
        escalate_to_agency=escalate_agency,
    )
    notification.full_clean()
    notification.save()
    notification.email_sent = _email(notification)
    if notification.email_sent:
        notification.save(update_fields=["email_sent"])
    audit.record(
        actor,
        AuditAction.CREATE,
        notification,
        fields=["kind", "title", "body", "url", "due_at", "escalate_at"],
        person_id=person_id,
    )
    return notification


def _recipients(notification: Notification) -> list[User]:
    """The active users who see `notification` (for an agency: its person-level members)."""
    user = notification.recipient_user
    if user is not None:
        return [user] if user.is_active else []
    return list(
        User.objects.filter(
            agency=notification.recipient_agency,
            is_active=True,
            role_grants__role__in=PERSON_LEVEL_ROLES,
        )
        .distinct()
        .order_by("username")
    )


def _email(notification: Notification) -> bool:
    """One email per recipient with an address; False (and a log line) when none could be sent."""
    addresses = [u.email for u in _recipients(notification) if u.email]
    if not addresses:
        return False
    text = "\n\n".join(part for part in (notification.body, notification.url) if part)
    try:
        connection = get_connection()
        messages = [
            EmailMessage(
                notification.title, text, settings.DEFAULT_FROM_EMAIL, [address], connection=connection
            )
            for address in addresses
        ]
        return connection.send_messages(messages) > 0
    except Exception:  # noqa: BLE001 - an email failure must not lose the notification
        logger.warning("Notification email failed", extra={"notification_id": str(notification.pk)})
        return False


def can_see(user: Any, notification: Notification) -> bool:
    """The recipient, or a person-level member of the recipient agency."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if notification.recipient_user_id:
        return notification.recipient_user_id == user.pk
    return user.has_person_level_access and notification.recipient_agency_id == user.agency_id


@transaction.atomic
def acknowledge(notification: Notification, *, actor: Any) -> Notification:
    """Mark `notification` acknowledged by `actor` (its recipient, or a member of its agency)."""
    if not can_see(actor, notification):
        raise PermissionDenied("Only the person or agency it was sent to can acknowledge this")
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=actor
    )
    if not claimed:
        raise ValidationError("This notification is already acknowledged")
    notification.acknowledged_at, notification.acknowledged_by = now, actor
    audit.record(
        actor,
        AuditAction.UPDATE,
        notification,
        fields=["acknowledged_at", "acknowledged_by"],
        person_id=notification.person_id,
    )
    return notification


def escalate_due(*, now: datetime | None = None) -> list[Notification]:
    """Escalate every notification nobody acknowledged by its escalate_at; returns those escalated.

    Each is marked escalated_at (once: a second run, or a run racing this one, skips it) and its
    escalate_to gets a new notification, "Not acknowledged: <title>", itself needing acknowledgement.
    """
    now = now or timezone.now()
    due = (
        Notification.objects.filter(
            ack_required=True,
            acknowledged_at__isnull=True,
            escalated_at__isnull=True,
            escalate_at__isnull=False,
            escalate_at__lte=now,
        )
        .filter(Q(escalate_to_user__isnull=False) | Q(escalate_to_agency__isnull=False))
        .select_related("recipient_user", "recipient_agency", "escalate_to_user", "escalate_to_agency")
        .order_by("escalate_at")
    )
    escalated = []
    for notification in list(due):
        with transaction.atomic():
            if not Notification.objects.filter(pk=notification.pk, escalated_at__isnull=True).update(
                escalated_at=now
            ):
                continue
            notification.escalated_at = now
            audit.record(
                ESCALATION_JOB,
                AuditAction.UPDATE,
                notification,
                fields=["escalated_at"],
                person_id=notification.person_id,
            )
            _create(
                notification.escalate_to_user or notification.escalate_to_agency,
                object_type=notification.object_type,
                object_id=notification.object_id,
                person_id=notification.person_id,
                title=f"Not acknowledged: {notification.title}"[:200],
                body=_escalation_body(notification),
                url=notification.url,
                ack_required=True,
                due_at=None,
                escalate_after=None,
                escalate_to=None,
                kind="escalation",
                actor=ESCALATION_JOB,
            )
        escalated.append(notification)
    return escalated


def _escalation_body(notification: Notification) -> str:
    recipient = notification.recipient_user or notification.recipient_agency
    when = timezone.localtime(notification.escalate_at)
    return (
        f"Sent to {recipient} on {timezone.localtime(notification.created_at):%d %b %Y at %H:%M} "
        f"and not acknowledged by {when:%d %b %Y at %H:%M}.\n\n{notification.body}"
    ).strip()


def notifications_for(user: Any) -> QuerySet[Notification]:
    """Notifications addressed to `user`, or to their agency when they hold a person-level role.

    Newest first (indexes notification_user, notification_agency).
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Notification.objects.none()
    addressed = Q(recipient_user=user)
    if user.has_person_level_access:
        addressed |= Q(recipient_agency_id=user.agency_id)
    return Notification.objects.filter(addressed).order_by("-created_at", "-id")


def notifications_sent_by(user: Any) -> QuerySet[Notification]:
    """Unacknowledged notifications `user` sent: "waiting on others" (index notification_sender)."""
    return Notification.objects.filter(created_by=user, acknowledged_at__isnull=True).order_by("-created_at")


def notification_for(user: Any, notification_id: Any) -> Notification:
    """One notification addressed to `user` (or their agency); Http404 for any other id."""
    notification = notifications_for(user).filter(pk=parse_id(notification_id)).first()
    if notification is None:
        raise Http404("No such notification")
    return notification


def counts_for(user: Any) -> dict[str, int]:
    """{"waiting": unacknowledged, "overdue": of those, needing acknowledgement and past due}."""
    now = timezone.now()
    counts = (
        notifications_for(user)
        .filter(acknowledged_at__isnull=True)
        .aggregate(
            waiting=Count("pk"),
            overdue=Count("pk", filter=Q(ack_required=True, due_at__isnull=False, due_at__lte=now)),
        )
    )
    return {"waiting": counts["waiting"] or 0, "overdue": counts["overdue"] or 0}
