"""Notification pages: what is waiting for you, what you acknowledged, what others owe you."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from safehub.core import notify
from safehub.core.models import Notification

WAITING_LIMIT = 200
ACKNOWLEDGED_LIMIT = 50


def _when(moment) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %Y} at {local:%H:%M}"


def _row(notification: Notification) -> dict[str, Any]:
    """What the page shows of one notification (display strings only)."""
    recipient = notification.recipient_user or notification.recipient_agency
    return {
        "id": notification.pk,
        "title": notification.title,
        "body": notification.body,
        "url": notification.url,
        "status": notification.status,
        "overdue": notification.is_overdue,
        "due": _when(notification.due_at),
        "sent": _when(notification.created_at),
        "to": str(recipient),
        "to_agency": notification.recipient_agency_id is not None,
        "acknowledged": _when(notification.acknowledged_at),
        "acknowledged_by": str(notification.acknowledged_by) if notification.acknowledged_by_id else "",
        "escalated": _when(notification.escalated_at),
    }


def _waiting_first(rows: list[Notification]) -> list[Notification]:
    """Overdue first, soonest due first; then the rest, newest first (as given)."""
    overdue = sorted((n for n in rows if n.is_overdue), key=lambda n: n.due_at)
    return overdue + [n for n in rows if not n.is_overdue]


def notifications_page(user) -> dict[str, Any]:
    mine = notify.notifications_for(user).select_related(
        "recipient_user", "recipient_agency", "acknowledged_by"
    )
    waiting = _waiting_first(list(mine.filter(acknowledged_at__isnull=True)[:WAITING_LIMIT]))
    acknowledged = mine.filter(acknowledged_at__isnull=False).order_by("-acknowledged_at")[
        :ACKNOWLEDGED_LIMIT
    ]
    sent = notify.notifications_sent_by(user).select_related("recipient_user", "recipient_agency")[:50]
    return {
        "waiting": [_row(n) for n in waiting],
        "acknowledged": [_row(n) for n in acknowledged],
        "waiting_on_others": [_row(n) for n in sent],
    }


@login_required
@require_GET
def notification_list(request):
    return render(request, "core/notifications/list.html", notifications_page(request.user))


@login_required
@require_POST
def notification_acknowledge(request, notification_id):
    notification = notify.notification_for(request.user, notification_id)  # 404 unless addressed to you
    try:
        notify.acknowledge(notification, actor=request.user)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Acknowledged: {notification.title}")
    return redirect("core:notifications")


def _not_activity(view):
    """A background poll is not activity: it must not renew the session and defeat the idle timeout."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        request.session_not_activity = True  # core.middleware.SessionRenewalMiddleware skips it
        return response

    return wrapped


@never_cache
@require_GET
@_not_activity
def notification_count(request):
    """{"waiting": n, "overdue": m} for the navigation badge (polled by js/notifications.mjs)."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Sign in to see your notifications"}, status=401)
    return JsonResponse(notify.counts_for(request.user))
