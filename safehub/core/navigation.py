"""The layout's context processor: service navigation by role, the signed-in line, the demo banner.

The per-user values are lazy, like Django's own `user` and `messages`: a page that does not show
them (base_minimal.html, used by the 500 and 503 pages) never touches the session or database.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from safehub.core.roles import Role

# (label, url name) in display order, for each kind of access.
PERSON_LEVEL_ITEMS = [
    ("Find a person", "people:search"),
    ("Shared with me", "people:shared_with_me"),
    ("Emergency access", "people:break_glass"),
]
AUDITOR_ITEMS = [
    ("Audit trail", "core:audit_search"),
    ("Emergency access reviews", "core:break_glass_reviews"),
]
ADMIN_ITEMS = [("Reference data", "admin:index")]
EVERYONE_ITEMS = [("Clocks", "core:clocks")]


def _signed_in_user(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user


def nav_items_for(user, path: str) -> list[dict]:
    """The service navigation for `user`; the item whose URL is the longest prefix of `path` is active."""
    if user is None:
        return []
    entries: list[tuple[str, str]] = []
    if user.has_person_level_access:
        entries += PERSON_LEVEL_ITEMS
    if user.has_role(Role.AUDITOR):
        entries += AUDITOR_ITEMS
    if user.has_role(Role.ADMIN):
        entries += ADMIN_ITEMS
    entries += EVERYONE_ITEMS

    items = [{"label": label, "url": reverse(name), "active": False} for label, name in entries]
    matches = [item for item in items if path.startswith(item["url"])]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return items


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
