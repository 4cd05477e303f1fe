"""Partnership activity pages. No personal data: reads are limited to the caller's force and to the
register's readers (partnership manager, commissioner, analysts, auditors); only the partnership
manager changes anything."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safehub.activities import forms, presenters, selectors, services
from safehub.activities.models import ActivityKind, Theme
from safehub.core import periods
from safehub.core.forms import apply_service


def _require_reader(user) -> None:
    if not services.may_read(user):
        raise PermissionDenied("Your role does not include the partnership activity register")


def _require_manager(user) -> None:
    if not services.may_manage(user):
        raise PermissionDenied("Only the safeguarding partnership manager records partnership activities")


def _form_page(request, form, title, *, back, caption="Partnership activities"):
    context = {"form": form, "title": title, "back": back, "caption": caption}
    return render(request, "activities/form.html", context, status=400 if form.errors else 200)


def register_filter(params, district_codes) -> selectors.RegisterFilter:
    """The register's filters from a query string; values that are not on the lists are ignored."""
    kind = params.get("kind", "")
    theme = params.get("theme", "")
    district = params.get("district", "")
    year = params.get("year", "")
    return selectors.RegisterFilter(
        kind=kind if kind in ActivityKind.values else "",
        theme=theme if theme in Theme.values else "",
        district=district if district in district_codes else "",
        financial_year=int(year) if year.isdigit() and 1990 < int(year) < 2100 else None,
    )


def _options(choices, chosen, everything):
    return [{"value": "", "label": everything, "selected": not chosen}] + [
        {"value": str(value), "label": label, "selected": str(value) == str(chosen or "")}
        for value, label in choices
    ]


@login_required
def register(request):
    _require_reader(request.user)
    districts = list(request.user.agency.force.districts.all())
    chosen = register_filter(request.GET, {d.code for d in districts})
    everything = selectors.activities_for(request.user)
    activities = selectors.activities_filtered(everything, chosen)
    years = [(y, periods.financial_year_label(y)) for y in selectors.financial_years_of(everything)]
    return render(
        request,
        "activities/register.html",
        {
            "rows": [presenters.row(a) for a in activities],
            "totals": presenters.totals(selectors.totals_by_kind(activities)),
            "kinds": _options(ActivityKind.choices, chosen.kind, "All kinds"),
            "themes": _options(Theme.choices, chosen.theme, "All themes"),
            "districts": _options([(d.code, d.name) for d in districts], chosen.district, "All districts"),
            "years": _options(years, chosen.financial_year, "All years"),
            "may_manage": services.may_manage(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    _require_manager(request.user)
    form = forms.ActivityForm(request.POST or None, districts=request.user.agency.force.districts.all())
    if request.method == "POST" and form.is_valid():
        created = apply_service(
            form, lambda: services.activity_create(actor=request.user, **form.service_values())
        )
        if created is not None:
            messages.success(request, f"{created.title} added to the register")
            return redirect("activities:detail", created.pk)
    return _form_page(request, form, "Record an activity", back=reverse("activities:register"))


@login_required
def activity_detail(request, activity_id):
    _require_reader(request.user)
    activity = selectors.activity_for(request.user, activity_id)
    return render(
        request,
        "activities/detail.html",
        {"a": presenters.detail(activity), "may_manage": services.may_manage(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_update(request, activity_id):
    _require_manager(request.user)
    activity = selectors.activity_for(request.user, activity_id)
    form = forms.ActivityForm(
        request.POST or None,
        districts=request.user.agency.force.districts.all(),
        initial=forms.ActivityForm.initial_from(activity),
    )
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form,
            lambda: services.activity_update(actor=request.user, activity=activity, **form.service_values()),
        )
        if done is not None:
            messages.success(request, "Activity updated")
            return redirect("activities:detail", activity.pk)
    return _form_page(
        request,
        form,
        "Change the activity",
        back=reverse("activities:detail", args=[activity.pk]),
        caption=activity.title,
    )


@login_required
def teams(request):
    _require_reader(request.user)
    series = selectors.establishment_series(request.user.agency.force, 24)
    records = list(selectors.establishment_for(request.user))
    shown = {item["team"].pk for item in series}
    return render(
        request,
        "activities/teams.html",
        {
            "teams": presenters.team_rows(series, records),
            "without_capacity": [t for t in selectors.teams_for(request.user) if t.pk not in shown],
            "may_manage": services.may_manage(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def establishment_create(request):
    _require_manager(request.user)
    form = forms.EstablishmentForm(request.POST or None, teams=selectors.teams_for(request.user))
    if request.method == "POST" and form.is_valid():
        created = apply_service(
            form, lambda: services.establishment_record(actor=request.user, **form.cleaned_data)
        )
        if created is not None:
            messages.success(request, f"Establishment recorded for {created.team.name}")
            return redirect("activities:teams")
    return _form_page(request, form, "Record a team's establishment", back=reverse("activities:teams"))


@login_required
@require_http_methods(["GET", "POST"])
def workload_set(request):
    _require_manager(request.user)
    form = forms.WorkloadForm(request.POST or None, teams=selectors.teams_for(request.user))
    if request.method == "POST" and form.is_valid():
        done = apply_service(form, lambda: services.workload_set(actor=request.user, **form.cleaned_data))
        if done is not None:
            messages.success(request, f"Workload set for {done.team.name}")
            return redirect("activities:teams")
    return _form_page(request, form, "Set a team's workload", back=reverse("activities:teams"))
