"""Writes to the Safer Communities Fund: keyword-only, with an actor, atomic, validated before
anything is stored, audited (money decisions are accountable even without personal data).

Who: the safeguarding partnership manager manages the fund (rounds, applications, awards,
monitoring returns); the commissioner and analysts read it (see docs/adr/0011).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safehub.core import access, audit
from safehub.core.models import AuditAction, District
from safehub.core.roles import Role
from safehub.fund import rules, selectors
from safehub.fund.models import ApplicationStatus, FundApplication, FundAward, FundRound, MonitoringReturn

MANAGERS = (Role.PARTNERSHIP_MANAGER,)
READERS = (Role.PARTNERSHIP_MANAGER, Role.COMMISSIONER, Role.ANALYST)


def may_manage(user: Any) -> bool:
    return access.holds_role(user, *MANAGERS)


def may_read(user: Any) -> bool:
    return access.holds_role(user, *READERS)


def _require_manager(actor: Any) -> None:
    if not may_manage(actor):
        raise PermissionDenied("Only the safeguarding partnership manager manages the Safer Communities Fund")


def _require_same_force(actor: Any, round: FundRound) -> None:
    if round.force_id != actor.agency.force_id:
        raise PermissionDenied("This round belongs to another partnership")


def _money(value: Any, field: str, *, allow_zero: bool = False) -> tuple[Decimal | None, dict[str, str]]:
    if value is None or value == "":
        return None, {field: "Enter the amount in pounds and pence"}
    try:
        amount = rules.parse_money(value)
    except ValueError as exc:
        return None, {field: str(exc)}
    return amount, rules.amount_errors(amount, field=field, allow_zero=allow_zero)


def _not_future(day: date | None, field: str, what: str) -> dict[str, str]:
    if day is None:
        return {field: f"Enter {what}"}
    if day > timezone.localdate():
        return {field: f"{what[0].upper()}{what[1:]} cannot be in the future"}
    return {}


@transaction.atomic
def round_create(
    *,
    actor: Any,
    number: int,
    name: str,
    opens_on: date,
    closes_on: date,
    budget: Any,
    synthetic: bool = False,
) -> FundRound:
    _require_manager(actor)
    amount, errors = _money(budget, "budget")
    force = actor.agency.force
    if number is None or number < 1:
        errors["number"] = "Enter the round number, 1 or more"
    elif FundRound.objects.filter(force=force, number=number).exists():
        errors["number"] = f"Round {number} already exists"
    if not (name or "").strip():
        errors["name"] = "Enter the name of the round"
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = "The closing date must be the same as or after the opening date"
    if errors:
        raise ValidationError(errors)
    fund_round = FundRound(
        force=force,
        number=number,
        name=name.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        budget=amount,
        synthetic=synthetic,
    )
    fund_round.full_clean()
    fund_round.save()
    audit.record(
        actor, AuditAction.CREATE, fund_round, fields=["number", "name", "opens_on", "closes_on", "budget"]
    )
    return fund_round


@transaction.atomic
def round_update(*, actor: Any, round: FundRound, **changes: Any) -> FundRound:
    """Change a round's name, dates or budget; the budget cannot fall below what is already awarded."""
    _require_manager(actor)
    _require_same_force(actor, round)
    locked = FundRound.objects.select_for_update().get(pk=round.pk)
    unknown = set(changes) - {"name", "opens_on", "closes_on", "budget"}
    if unknown:
        raise ValidationError({name: "This field cannot be changed" for name in sorted(unknown)})
    errors: dict[str, str] = {}
    if "budget" in changes:
        amount, errors = _money(changes["budget"], "budget")
        if not errors:
            awarded = selectors.awarded_in(locked)
            if amount < awarded:
                errors["budget"] = (
                    f"The budget cannot be less than the {rules.pounds(awarded)} already awarded"
                )
            changes["budget"] = amount
    if "name" in changes and not (changes["name"] or "").strip():
        errors["name"] = "Enter the name of the round"
    if errors:
        raise ValidationError(errors)
    fields = audit.changed_fields(locked, changes)
    for name, value in changes.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.full_clean()
    locked.save()
    audit.record(actor, AuditAction.UPDATE, locked, fields=fields)
    return locked


@transaction.atomic
def application_create(
    *,
    actor: Any,
    round: FundRound,
    organisation: str,
    project: str,
    theme: str,
    districts: list[District],
    amount_requested: Any,
    projected_people: int,
    submitted_on: date,
) -> FundApplication:
    _require_manager(actor)
    _require_same_force(actor, round)
    amount, errors = _money(amount_requested, "amount_requested")
    if not (organisation or "").strip():
        errors["organisation"] = "Enter the applicant organisation"
    if not (project or "").strip():
        errors["project"] = "Enter the project name"
    if theme not in rules.THEME_LABELS:
        errors["theme"] = "Select the theme"
    if not districts:
        errors["districts"] = "Select at least one district the project serves"
    elif any(d.force_id != round.force_id for d in districts):
        errors["districts"] = "Select districts in the partnership's area"
    if projected_people is None or projected_people < 0:
        errors["projected_people"] = "Enter the number of people the project expects to reach (0 or more)"
    errors |= _not_future(submitted_on, "submitted_on", "the date the application was submitted")
    if errors:
        raise ValidationError(errors)
    application = FundApplication(
        round=round,
        organisation=organisation.strip(),
        project=project.strip(),
        theme=theme,
        amount_requested=amount,
        projected_people=projected_people,
        submitted_on=submitted_on,
        created_by=actor,
    )
    application.full_clean()
    application.save()
    application.districts.set(districts)
    audit.record(
        actor,
        AuditAction.CREATE,
        application,
        fields=[
            "round",
            "organisation",
            "project",
            "theme",
            "districts",
            "amount_requested",
            "projected_people",
        ],
    )
    return application


@transaction.atomic
def application_decide(
    *, actor: Any, application: FundApplication, status: str, decided_on: date
) -> FundApplication:
    """Decline or withdraw an application (an award is made with award_create)."""
    _require_manager(actor)
    _require_same_force(actor, application.round)
    locked = FundApplication.objects.select_for_update().get(pk=application.pk)
    errors: dict[str, str] = {}
    if locked.status != ApplicationStatus.SUBMITTED:
        errors["status"] = f"This application is already {locked.get_status_display().lower()}"
    elif status not in (ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN):
        errors["status"] = "Select not funded or withdrawn (make an award to fund it)"
    errors |= _not_future(decided_on, "decided_on", "the date of the decision")
    if errors:
        raise ValidationError(errors)
    locked.status = status
    locked.decided_on = decided_on
    locked.full_clean()
    locked.save()
    audit.record(actor, AuditAction.UPDATE, locked, fields=["status", "decided_on"])
    return locked


@transaction.atomic
def award_create(*, actor: Any, application: FundApplication, amount: Any, awarded_on: date) -> FundAward:
    """Fund an application. The award is positive, no more than requested and no more than the
    round's remaining budget (checked with the round locked, so two awards cannot overspend it)."""
    _require_manager(actor)
    _require_same_force(actor, application.round)
    fund_round = FundRound.objects.select_for_update().get(pk=application.round_id)
    locked = FundApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(
            {"application": f"This application is already {locked.get_status_display().lower()}"}
        )
    value, errors = _money(amount, "amount")
    if not errors:
        remaining = fund_round.budget - selectors.awarded_in(fund_round)
        errors = rules.award_errors(
            amount=value,
            requested=locked.amount_requested,
            remaining=remaining,
            round_name=f"round {fund_round.number}",
        )
    errors |= _not_future(awarded_on, "awarded_on", "the date of the award")
    if not errors.get("awarded_on") and awarded_on and awarded_on < locked.submitted_on:
        errors["awarded_on"] = "The award cannot be dated before the application was submitted"
    if errors:
        raise ValidationError(errors)
    award = FundAward(
        application=locked, round=fund_round, amount=value, awarded_on=awarded_on, created_by=actor
    )
    award.full_clean()
    award.save()
    locked.status = ApplicationStatus.AWARDED
    locked.decided_on = awarded_on
    locked.save(update_fields=["status", "decided_on", "updated_at"])
    audit.record(actor, AuditAction.CREATE, award, fields=["application", "round", "amount", "awarded_on"])
    audit.record(actor, AuditAction.UPDATE, locked, fields=["status", "decided_on"])
    return award


@transaction.atomic
def return_create(
    *,
    actor: Any,
    award: FundAward,
    period_end: date,
    people_reached: int,
    spend: Any,
    narrative: str = "",
    submitted_on: date | None = None,
) -> MonitoringReturn:
    """A monitoring return: people reached and money spent in a period (never more than the award in all)."""
    _require_manager(actor)
    _require_same_force(actor, award.round)
    locked = FundAward.objects.select_for_update().get(pk=award.pk)
    submitted_on = submitted_on or timezone.localdate()
    value, errors = _money(spend, "spend", allow_zero=True)
    if people_reached is None or people_reached < 0:
        errors["people_reached"] = "Enter the number of people reached in the period (0 or more)"
    errors |= _not_future(period_end, "period_end", "the end of the period")
    if "period_end" not in errors and period_end < locked.awarded_on:
        errors["period_end"] = "The period cannot end before the award was made"
    elif (
        "period_end" not in errors
        and MonitoringReturn.objects.filter(award=locked, period_end=period_end).exists()
    ):
        errors["period_end"] = "A return for this period is already recorded"
    errors |= _not_future(submitted_on, "submitted_on", "the date the return was submitted")
    if not errors:
        spent = selectors.spent_on(locked)
        if spent + value > locked.amount:
            errors["spend"] = (
                f"Spend in all would be {rules.pounds(spent + value)}, "
                f"more than the {rules.pounds(locked.amount)} awarded"
            )
    if errors:
        raise ValidationError(errors)
    monitoring = MonitoringReturn(
        award=locked,
        period_end=period_end,
        people_reached=people_reached,
        spend=value,
        narrative=(narrative or "").strip(),
        submitted_on=submitted_on,
        created_by=actor,
    )
    monitoring.full_clean()
    monitoring.save()
    audit.record(
        actor,
        AuditAction.CREATE,
        monitoring,
        fields=["award", "period_end", "people_reached", "spend", "narrative"],
    )
    return monitoring
