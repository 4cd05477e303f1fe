"""Writes to the activity register and to team establishment: keyword-only, with an actor, atomic,
validated in full before anything is stored (every bad field named at once), audited.

Who: the safeguarding partnership manager records and changes the partnership's activities, team
establishment and workloads; the commissioner, analysts and auditors read them. Nothing here holds
personal data (organisations, audiences, counts and posts only).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safehub.activities import targets
from safehub.activities.models import Activity, ActivityKind, Establishment, TeamCapacity, Theme, Workload
from safehub.core import access, audit
from safehub.core.models import AuditAction, District, Team
from safehub.core.roles import Role

MANAGERS = (Role.PARTNERSHIP_MANAGER,)
READERS = (Role.PARTNERSHIP_MANAGER, Role.COMMISSIONER, Role.ANALYST, Role.AUDITOR)

TEXT_FIELDS = {
    "title": 200,
    "description": 4000,
    "venue": 200,
    "lead_organisation": 160,
    "audience": 200,
    "attendance_noun": 40,
    "funding_source": 160,
    "outcomes": 4000,
    "target_series": 80,
    "target_category": 120,
    "target_district": 40,
}
ACTIVITY_FIELDS = (
    "kind",
    "title",
    "description",
    "starts_on",
    "ends_on",
    "venue",
    "lead_organisation",
    "partner_organisations",
    "districts",
    "themes",
    "audience",
    "attendance",
    "attendance_noun",
    "reach",
    "cost",
    "funding_source",
    "outcomes",
    "target_series",
    "target_category",
    "target_district",
)
TARGET_FIELDS = ("target_series", "target_category", "target_district")
PENNY = Decimal("0.01")
MOST = 2_000_000_000  # a count or amount past this is a typing slip (and would overflow the column)


def may_manage(user: Any) -> bool:
    return access.holds_role(user, *MANAGERS)


def may_read(user: Any) -> bool:
    return access.holds_role(user, *READERS)


def _require_manager(actor: Any) -> None:
    if not may_manage(actor):
        raise PermissionDenied("Only the safeguarding partnership manager records partnership activities")


def _require_same_force(actor: Any, force_id: Any, what: str) -> None:
    if force_id != actor.agency.force_id:
        raise PermissionDenied(f"This {what} belongs to another partnership")


# --- parsing helpers: each returns (value, error or "") --------------------------------------


def _count(value: Any, what: str) -> tuple[int | None, str]:
    if value is None or value == "":
        return None, ""
    try:
        number = int(str(value).replace(",", "").strip()) if isinstance(value, str) else int(value)
    except (TypeError, ValueError, OverflowError):
        return None, f"Enter {what} as a whole number"
    if isinstance(value, float) and value != number:
        return None, f"Enter {what} as a whole number"
    if number < 0:
        return None, f"Enter {what} as 0 or more"
    if number > MOST:
        return None, f"Enter {what} as a number no more than {MOST:,}"
    return number, ""


def _money(value: Any) -> tuple[Decimal | None, str]:
    if value is None or value == "":
        return None, ""
    text = str(value).replace(",", "").replace("£", "").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None, "Enter the cost in pounds and pence, like 1250.00"
    if not amount.is_finite():
        return None, "Enter the cost in pounds and pence, like 1250.00"
    if amount < 0:
        return None, "Enter the cost as 0 or more"
    if amount >= Decimal("1000000000"):
        return None, "Enter a cost under £1,000,000,000"
    if amount != amount.quantize(PENNY):
        return None, "Enter the cost to the nearest penny"
    return amount.quantize(PENNY), ""


def _names(value: Any) -> list[str]:
    """Organisation names from a list (or one name per line), trimmed, blanks and repeats dropped."""
    if value is None:
        return []
    items = value.splitlines() if isinstance(value, str) else list(value)
    names: list[str] = []
    for item in items:
        name = str(item).strip()
        if name and name not in names:
            names.append(name)
    return names


def _districts(value: Any, force_id: Any) -> tuple[list[District], str]:
    """Districts given as District objects or codes, all in the partnership's area."""
    items = list(value or [])
    codes = [item for item in items if isinstance(item, str)]
    found = list(District.objects.filter(code__in=codes, force_id=force_id)) if codes else []
    objects = [item for item in items if isinstance(item, District)]
    if len(found) != len(set(codes)) or any(d.force_id != force_id for d in objects):
        return [], "Select districts in the partnership's area"
    unique = {d.pk: d for d in found + objects}
    return list(unique.values()), ""


def _activity_errors(values: dict[str, Any], force_id: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate a whole activity's values; the cleaned values and every error, keyed by field."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name, limit in TEXT_FIELDS.items():
        text = values.get(name)
        text = "" if text is None else str(text).strip()
        if len(text) > limit:
            errors[name] = f"Enter no more than {limit} characters"
        clean[name] = text
    kind = values.get("kind") or ""
    if kind not in ActivityKind.values:
        errors["kind"] = "Select the kind of activity"
    clean["kind"] = kind
    if not clean["title"]:
        errors["title"] = "Enter the title of the activity"
    if not clean["lead_organisation"]:
        errors["lead_organisation"] = "Enter the organisation that led the activity"
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if not isinstance(starts_on, date):
        errors["starts_on"] = "Enter the date the activity started (or starts)"
        starts_on = None
    if ends_on is not None and not isinstance(ends_on, date):
        errors["ends_on"] = "Enter a real end date"
        ends_on = None
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "The end date must be the same as or after the start date"
    clean["starts_on"], clean["ends_on"] = starts_on, ends_on
    themes = values.get("themes")
    themes = [themes] if isinstance(themes, str) else list(themes or [])
    unknown = [str(t) for t in themes if t not in Theme.values]
    if unknown:
        errors["themes"] = f"{', '.join(unknown)} is not a theme: choose themes on the list"
    elif not themes:
        errors["themes"] = "Select at least one theme"
    clean["themes"] = list(dict.fromkeys(themes))
    clean["partner_organisations"] = _names(values.get("partner_organisations"))
    if any(len(name) > 160 for name in clean["partner_organisations"]):
        errors["partner_organisations"] = "Enter each partner organisation in no more than 160 characters"
    clean["districts"], error = _districts(values.get("districts"), force_id)
    if error:
        errors["districts"] = error
    for name, what in (("attendance", "attendance"), ("reach", "the number of people reached")):
        clean[name], error = _count(values.get(name), what)
        if error:
            errors[name] = error
    clean["cost"], error = _money(values.get("cost"))
    if error:
        errors["cost"] = error
    if starts_on and starts_on > timezone.localdate():
        for name, what in (("attendance", "Attendance"), ("reach", "Reach")):
            if clean[name] is not None and name not in errors:
                errors[name] = f"{what} cannot be recorded for an activity that has not started yet"
    if kind == ActivityKind.CAMPAIGN:
        _target_errors(clean, errors, force_id)
    else:
        # Only a campaign has a target measure (a form hides, but still sends, these fields).
        clean.update({name: "" for name in TARGET_FIELDS})
    return clean, errors


def _target_errors(clean: dict[str, Any], errors: dict[str, str], force_id: Any) -> None:
    district = clean["target_district"]
    if district and not District.objects.filter(force_id=force_id, code=district).exists():
        errors["target_district"] = "Select a district in the partnership's area, or none for force-wide"
        return
    if not clean["target_series"]:
        errors["target_series"] = "Select the measure the campaign set out to change"
        return
    for field, message in targets.check(
        clean["target_series"], clean["target_category"], district, clean["starts_on"]
    ).items():
        errors.setdefault(field if field in ACTIVITY_FIELDS else "target_series", message)


def _audited_fields(clean: dict[str, Any]) -> list[str]:
    return [name for name in ACTIVITY_FIELDS if clean.get(name) not in (None, "", [])]


@transaction.atomic
def activity_create(*, actor: Any, **values: Any) -> Activity:
    """Record a partnership activity (see ACTIVITY_FIELDS for what it takes)."""
    _require_manager(actor)
    unknown = set(values) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValidationError({name: "This is not a field of an activity" for name in sorted(unknown)})
    force_id = actor.agency.force_id
    clean, errors = _activity_errors(values, force_id)
    if errors:
        raise ValidationError(errors)
    districts = clean.pop("districts")
    activity = Activity(force_id=force_id, created_by=actor, **clean)
    activity.full_clean()
    activity.save()
    activity.districts.set(districts)
    audit.record(
        actor, AuditAction.CREATE, activity, fields=_audited_fields({**clean, "districts": districts})
    )
    return activity


@transaction.atomic
def activity_update(*, actor: Any, activity: Activity, **changes: Any) -> Activity:
    """Change any of an activity's fields; the whole activity is validated again, as changed."""
    _require_manager(actor)
    _require_same_force(actor, activity.force_id, "activity")
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be changed" for name in sorted(unknown)})
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    current = {name: getattr(locked, name) for name in ACTIVITY_FIELDS if name != "districts"}
    current["districts"] = list(locked.districts.all())
    clean, errors = _activity_errors({**current, **changes}, locked.force_id)
    if errors:
        raise ValidationError(errors)
    districts = clean.pop("districts")
    changed = [name for name, value in clean.items() if getattr(locked, name) != value]
    if {d.pk for d in districts} != {d.pk for d in current["districts"]}:
        changed.append("districts")
    for name, value in clean.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    locked.districts.set(districts)
    audit.record(actor, AuditAction.UPDATE, locked, fields=changed)
    return locked


# --- team establishment and workload ---------------------------------------------------------


def _fte(value: Any, what: str) -> tuple[Decimal | None, str]:
    if value is None or value == "":
        return None, f"Enter the {what} in full-time equivalents, like 8 or 7.5"
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None, f"Enter the {what} as a number of full-time equivalents, like 7.5"
    if not number.is_finite():
        return None, f"Enter the {what} as a number of full-time equivalents, like 7.5"
    if number < 0:
        return None, f"The {what} cannot be negative"
    if number >= Decimal("100000"):
        return None, f"Enter the {what} as less than 100,000"
    if number != number.quantize(PENNY):
        return None, f"Enter the {what} to no more than 2 decimal places"
    return number.quantize(PENNY), ""


@transaction.atomic
def establishment_record(
    *,
    actor: Any,
    team: Team,
    role: str,
    effective_from: date,
    establishment_fte: Any,
    in_post_fte: Any,
    note: str = "",
) -> Establishment:
    """Record a team's establishment (funded posts) and people in post for a role from a date. More
    people in post than posts (over-establishment, e.g. cover while others are on leave) needs a note."""
    _require_manager(actor)
    _require_same_force(actor, team.agency.force_id, "team")
    errors: dict[str, str] = {}
    role = (role or "").strip()
    note = (note or "").strip()
    if not role:
        errors["role"] = "Enter the role, like Social worker"
    elif len(role) > 120:
        errors["role"] = "Enter the role in no more than 120 characters"
    if len(note) > 300:
        errors["note"] = "Enter the note in no more than 300 characters"
    if not isinstance(effective_from, date):
        errors["effective_from"] = "Enter the date the figures apply from"
    establishment, error = _fte(establishment_fte, "establishment")
    if error:
        errors["establishment_fte"] = error
    in_post, error = _fte(in_post_fte, "number in post")
    if error:
        errors["in_post_fte"] = error
    if establishment is not None and in_post is not None and in_post > establishment and not note:
        errors["note"] = (
            "Add a note saying why more people are in post than the establishment (for example, cover)"
        )
    if (
        not errors.get("role")
        and not errors.get("effective_from")
        and Establishment.objects.filter(team=team, role=role, effective_from=effective_from).exists()
    ):
        errors["effective_from"] = f"Figures for {role} from this date are already recorded"
    if errors or establishment is None or in_post is None:
        raise ValidationError(errors)
    record = Establishment(
        team=team,
        role=role,
        effective_from=effective_from,
        establishment_fte=establishment,
        in_post_fte=in_post,
        note=note,
        created_by=actor,
    )
    record.full_clean()
    record.save()
    audit.record(
        actor,
        AuditAction.CREATE,
        record,
        fields=["team", "role", "effective_from", "establishment_fte", "in_post_fte"]
        + (["note"] if note else []),
    )
    return record


@transaction.atomic
def workload_set(*, actor: Any, team: Team, workload: str) -> TeamCapacity:
    """Set the kind of work a team does (what its capacity is measured against)."""
    _require_manager(actor)
    _require_same_force(actor, team.agency.force_id, "team")
    if workload not in Workload.values:
        raise ValidationError({"workload": "Select the kind of work the team does"})
    capacity = TeamCapacity.objects.select_for_update().filter(team=team).first()
    if capacity is None:
        capacity = TeamCapacity(team=team, workload=workload)
        capacity.full_clean()
        capacity.save()
        audit.record(actor, AuditAction.CREATE, capacity, fields=["team", "workload"])
        return capacity
    if capacity.workload != workload:
        capacity.workload = workload
        capacity.full_clean()
        capacity.save()
        audit.record(actor, AuditAction.UPDATE, capacity, fields=["workload"])
    return capacity
