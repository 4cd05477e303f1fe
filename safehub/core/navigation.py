"""The layout's context processor: service navigation by role, the signed-in line, the demo banner.

The per-user values are lazy, like Django's own `user` and `messages`: a page that does not show
them (base_minimal.html, used by the 500 and 503 pages) never touches the session or database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from safehub.core.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable[[Any], bool]
    order: int
    section: str = ""


_REGISTRY: list[NavItem] = []


def register(
    label: str, url_name: str, *, visible: Callable[[Any], bool], order: int, section: str = ""
) -> None:
    """Add an item to the service navigation (apps call this from AppConfig.ready).

    Core imports no other app: each app registers its own pages here, so navigation follows the
    same one-way imports as the code. A name that does not resolve fails loudly (NoReverseMatch).
    `section` is the path prefix under which the item is the current one (default: its own URL):
    a section's other pages are reached through the section's own subnav.
    """
    if any(item.url_name == url_name for item in _REGISTRY):
        return
    _REGISTRY.append(NavItem(label, url_name, visible, order, section))
    _REGISTRY.sort(key=lambda item: item.order)


def _is_auditor(user) -> bool:
    return user.has_role(Role.AUDITOR)


def _is_admin(user) -> bool:
    return user.has_role(Role.ADMIN)


def _is_analyst_or_admin(user) -> bool:
    return user.has_role(Role.ANALYST, Role.ADMIN)


register("Audit trail", "core:audit_search", visible=_is_auditor, order=60)
register("Emergency access reviews", "core:break_glass_reviews", visible=_is_auditor, order=61)
register("Reference data", "admin:index", visible=_is_admin, order=70)
register("Listing rules", "core:rules", visible=_is_analyst_or_admin, order=72)
# The clocks page is linked from every page's footer, not the service navigation.
NOTIFICATIONS_URL_NAME = "core:notifications"


def _signed_in_user(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user


def nav_items_for(user, path: str) -> list[dict]:
    """The service navigation for `user`; the item whose section (by default its URL) is the longest
    prefix of `path` is active."""
    if user is None:
        return []
    items = []
    for item in _REGISTRY:
        if item.visible(user):
            url = reverse(item.url_name)
            items.append({"label": item.label, "url": url, "section": item.section or url, "active": False})
    items.append(_notifications_item(user))
    matches = [item for item in items if path.startswith(item["section"])]
    if matches:
        max(matches, key=lambda item: len(item["section"]))["active"] = True
    return items


def notifications_label(counts: dict[str, int]) -> str:
    """'Notifications', 'Notifications (3)' or 'Notifications (3, 1 overdue)' (as js/notifications.mjs)."""
    waiting, overdue = counts.get("waiting", 0), counts.get("overdue", 0)
    if not waiting:
        return "Notifications"
    return f"Notifications ({waiting}, {overdue} overdue)" if overdue else f"Notifications ({waiting})"


def _notifications_item(user) -> dict:
    """Every signed-in user's notifications, with the count."""
    from safehub.core.notify import counts_for

    url = reverse(NOTIFICATIONS_URL_NAME)

    counts = counts_for(user)
    label = notifications_label(counts)
    return {"label": label, "url": url, "section": url, "active": False, "counts": counts}


def signed_in_as(user) -> dict | None:
    """The name and agency shown in the signed-in line, or None when nobody is signed in."""
    if user is None:
        return None
    return {"name": str(user), "agency": str(user.agency) if user.agency_id else ""}


def navigation(request) -> dict:
    return {
        "service_name": getattr(settings, "SAFEHUB_SERVICE_NAME", "Safehub"),
        "demo_banner": bool(getattr(settings, "DEMO_LOGINS_ENABLED", False)),
        "nav_items": SimpleLazyObject(lambda: nav_items_for(_signed_in_user(request), request.path)),
        "signed_in": SimpleLazyObject(lambda: signed_in_as(_signed_in_user(request))),
    }
