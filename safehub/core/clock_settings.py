"""A partnership's clocks: the catalogue defaults with its overrides and local closures applied."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.db import connection
from django.utils import timezone

from safehub.core.clock_catalogue import rule_for
from safehub.core.clocks import Clock, get_clock
from safehub.core.models import ClockOverride, Force, NonWorkingDay

# Which local closures stop which units: office closures stop working-time clocks, school closures
# (INSET days, school holidays) stop Operation Encompass. Elapsed-hours and calendar clocks ignore both.
_CLOSURE_CALENDAR = {
    "working_days": NonWorkingDay.Calendar.WORKING,
    "working_hours": NonWorkingDay.Calendar.WORKING,
    "next_school_day_start": NonWorkingDay.Calendar.SCHOOL,
}


def effective_clock(clock_id: str, force: Force | str | None = None, at: date | None = None) -> Clock:
    """The clock as the partnership of `force` runs it on date `at` (default: today in London).

    `force` is a Force or its code (Force.DoesNotExist if no force has that code). With None, the
    only Force is used when exactly one exists; otherwise the catalogue default is returned.
    The override with the latest effective_from on or before `at` wins. UnknownClock for a bad id.
    """
    clock = get_clock(clock_id)
    partnership = _resolve_force(force)
    if partnership is None:
        return clock
    on = at or timezone.localdate()
    override = (
        ClockOverride.objects.filter(force=partnership, clock_id=clock_id, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    if override is not None:
        clock = replace(
            clock,
            amount=override.amount,
            day_start=override.day_start or clock.day_start,
            day_end=override.day_end or clock.day_end,
            source=f"{override.source} (local setting for {partnership.name} from "
            f"{override.effective_from:%d %B %Y}; default: {clock.amount_and_unit}, {clock.source})",
            mark="S",
        )
        clock = replace(clock, rule=rule_for(clock))
    calendar = _CLOSURE_CALENDAR.get(clock.unit)
    if calendar is not None:
        closures = NonWorkingDay.objects.filter(force=partnership, calendar=calendar).values_list(
            "date", flat=True
        )
        clock = replace(clock, closures=clock.closures | frozenset(closures))
    return clock


def _resolve_force(force: Force | str | None) -> Force | None:
    if isinstance(force, Force):
        return force
    if isinstance(force, str):
        return Force.objects.get(code=force)
    only = list(Force.objects.all()[:2])
    return only[0] if len(only) == 1 else None


def clock_settings_stored() -> bool:
    """Whether this database has the clock settings tables (False before the first migrate).

    Without them no partnership can have overrides or closures, so the defaults are what applies.
    """
    tables = set(connection.introspection.table_names())
    return {ClockOverride._meta.db_table, NonWorkingDay._meta.db_table, Force._meta.db_table} <= tables
