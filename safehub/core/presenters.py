"""Turn core records into what templates show, and small view helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404

from safehub.core.access import parse_id
from safehub.core.clock_settings import effective_clock
from safehub.core.clocks import CLOCKS
from safehub.core.models import BreakGlass
from safehub.core.roles import Role

ACCESS_ROUTE_LABELS = {
    "owner": "Your agency holds this record",
    "district": "Your MASH role covers this district",
    "share": "Shared with your agency",
    "break_glass": "Emergency access: reviewed by an auditor",
}


def home_context(user: Any) -> dict[str, Any]:
    roles = [Role(code).label for code in sorted(user.role_codes)]
    return {
        "roles": roles,
        "person_level": user.has_person_level_access,
        "is_auditor": user.has_role(Role.AUDITOR),
        "is_admin": user.has_role(Role.ADMIN),
        "pending_reviews": BreakGlass.objects.filter(review="pending").count()
        if user.has_role(Role.AUDITOR)
        else 0,
    }


def clock_rows(force=None) -> list[dict[str, Any]]:
    """Every clock as the partnership has it (overrides applied), for the clocks page."""
    rows = []
    for clock_id in CLOCKS:
        clock = effective_clock(clock_id, force)
        rows.append(
            {
                "id": clock.id,
                "title": clock.title,
                "due_after": clock.amount_and_unit,
                "rule": clock.rule,
                "source": clock.source,
                "mark": clock.mark,
            }
        )
    return rows


def break_glass_grant(grant_id: Any) -> BreakGlass:
    grant = BreakGlass.objects.select_related("user", "user__agency").filter(pk=parse_id(grant_id)).first()
    if grant is None:
        raise Http404("No such emergency access")
    return grant


def apply_form_errors(form, action: Callable[[], Any]) -> Any:
    """Run a service; turn its ValidationError into errors on the form (GOV.UK error summary)."""
    try:
        return action()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return None
