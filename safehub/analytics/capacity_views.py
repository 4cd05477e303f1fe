"""Demand against capacity page: workload per FTE in post by team and district beside the forecast.

For analysts, the commissioner (small numbers suppressed) and the safeguarding partnership manager.
No person-level model is read: staffing comes from the activities app, demand from the analytics
store and open cases from apps' measures (see capacity.py)."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safehub.analytics import capacity, capacity_presenters, forms, presenters
from safehub.core.roles import Role

READERS = (Role.ANALYST, Role.COMMISSIONER, Role.PARTNERSHIP_MANAGER)
DEFAULT_MONTHS = 12


def may_read(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*READERS))


def require_reader(user) -> bool:
    """Analysts, commissioners and the partnership manager; True when small numbers are suppressed."""
    if not may_read(user):
        raise PermissionDenied(
            "Demand against capacity is for analysts, commissioners and partnership managers"
        )
    return user.has_role(Role.COMMISSIONER)


def default_period(today: date) -> tuple[date, date]:
    """The last 12 complete months."""
    end = date(today.year, today.month, 1)
    return end - relativedelta(months=DEFAULT_MONTHS), end


def period(start: date | None, last: date | None, today: date) -> tuple[date, date]:
    """From `start` to `last` (both months included); either missing: 12 months to the other, or
    the last 12 complete months."""
    default_start, default_end = default_period(today)
    end = last + relativedelta(months=1) if last else default_end
    if start and not last:
        end = max(
            min(start + relativedelta(months=DEFAULT_MONTHS), default_end), start + relativedelta(months=1)
        )
    begin = start or end - relativedelta(months=DEFAULT_MONTHS)
    return begin, end


class CapacityFilterForm(forms.DashboardFilterForm):
    """District and months (the dashboard's filter without the series)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["series"]

    def period(self) -> tuple[str, date, date]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start, end = period(data.get("start"), data.get("end"), timezone.localdate())
        return data.get("district") or "", start, end


@login_required
@require_GET
def capacity_page(request):
    suppress = require_reader(request.user)
    form = CapacityFilterForm(request.GET or None)
    status = 400 if form.is_bound and not form.is_valid() else 200
    district, start, end = form.period()
    report = capacity.build(capacity.force_id_for(request.user), start, end, district=district)
    context = {
        "form": form,
        "suppress": suppress,
        "period": presenters.period_label(start, end),
        "rows": capacity_presenters.table(report, suppress=suppress),
        "panels": capacity_presenters.chart_panels(report, suppress=suppress),
        "sentences": capacity_presenters.sentences(report, suppress=suppress),
        "caveats": [*capacity.CAVEATS, *report.notes],
        "this_month": report.this_month,
        "dashboard_reader": request.user.has_role(Role.ANALYST, Role.COMMISSIONER),
    }
    return render(request, "analytics/capacity.html", context, status=status)
