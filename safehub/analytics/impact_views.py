"""A campaign's impact page: the interrupted time series estimate for a campaign in the activity
register, for whoever may read the register (partnership manager, analysts, commissioner,
auditor). Another partnership's campaign, or an activity that is not a campaign, is 404; a series
that cannot be evaluated is a clear message, not an error page. No personal data: aggregate counts.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from safehub.analytics import campaigns, impact, impact_presenters
from safehub.core.roles import Role


@login_required
@require_GET
def campaign_impact(request, activity_id):
    if not campaigns.may_read(request.user):
        raise PermissionDenied("Your role does not include the partnership's activity register")
    activity = campaigns.campaign_for(request.user, activity_id)
    suppress = request.user.has_role(Role.COMMISSIONER)
    context = {
        "activity": activity,
        "series_title": campaigns.series_title(activity.target_series),
        "subject": campaigns.subject(activity),
        "back": reverse("activities:detail", args=[activity.pk]),
        "suppress": suppress,
        "columns": impact_presenters.COLUMNS,
    }
    try:
        result = campaigns.evaluate(activity)
    except impact.NotEvaluable as exc:
        context["problem"] = str(exc)
        return render(request, "analytics/campaign_impact.html", context)
    context.update(
        result=result,
        estimates=impact_presenters.estimates(result),
        rows=impact_presenters.table(result, suppress=suppress),
        chart=impact_presenters.chart(
            "campaign-impact",
            f"{context['subject']} before and after the campaign",
            result,
            suppress=suppress,
        ),
    )
    return render(request, "analytics/campaign_impact.html", context)
