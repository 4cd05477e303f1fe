"""Safer Communities Fund pages. No personal data: reads are limited to the caller's force and to
the fund's readers (partnership manager, commissioner, analysts); only the partnership manager
changes anything (docs/adr/0011)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safehub.core.presenters import apply_form_errors
from safehub.fund import forms, presenters, rules, selectors, services


def _require_reader(user) -> None:
    if not services.may_read(user):
        raise PermissionDenied("Your role does not include the Safer Communities Fund")


def _require_manager(user) -> None:
    if not services.may_manage(user):
        raise PermissionDenied("Only the safeguarding partnership manager manages the Safer Communities Fund")


def _form_page(request, form, title, *, back, caption=""):
    context = {"form": form, "title": title, "back": back, "caption": caption}
    return render(request, "fund/form.html", context, status=400 if form.errors else 200)


@login_required
def summary(request):
    _require_reader(request.user)
    force = request.user.agency.force
    chosen = sorted({int(n) for n in request.GET.getlist("round") if n.isdigit()})
    data = selectors.summary(force, round_numbers=chosen or None)
    return render(
        request,
        "fund/summary.html",
        {
            "s": presenters.summary(data),
            "may_manage": services.may_manage(request.user),
            "all_rounds": [
                {"number": n, "checked": n in chosen}
                for n in selectors.rounds_for(request.user).values_list("number", flat=True)
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    _require_manager(request.user)
    form = forms.RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = apply_form_errors(
            form, lambda: services.round_create(actor=request.user, **form.cleaned_data)
        )
        if created is not None:
            messages.success(request, f"Round {created.number} added")
            return redirect("fund:round", created.pk)
    return _form_page(request, form, "Add a fund round", back=reverse("fund:summary"))


@login_required
def round_detail(request, round_id):
    _require_reader(request.user)
    fund_round = selectors.round_for(request.user, round_id)
    applications = selectors.applications_for(request.user, round=fund_round)
    rows = [
        row
        for row in presenters.summary(selectors.summary(fund_round.force, round_numbers=[fund_round.number]))[
            "round_rows"
        ]
    ]
    return render(
        request,
        "fund/round.html",
        {
            "round": fund_round,
            "totals": rows[0],
            "applications": [presenters.application_row(a) for a in applications],
            "may_manage": services.may_manage(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request, round_id):
    _require_manager(request.user)
    fund_round = selectors.round_for(request.user, round_id)
    districts = request.user.agency.force.districts.all()
    form = forms.ApplicationForm(
        request.POST or None, districts=districts, initial={"submitted_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["districts"] = list(data["districts"])
        created = apply_form_errors(
            form, lambda: services.application_create(actor=request.user, round=fund_round, **data)
        )
        if created is not None:
            messages.success(request, f"Application from {created.organisation} added")
            return redirect("fund:application", created.pk)
    return _form_page(
        request,
        form,
        "Add an application",
        back=reverse("fund:round", args=[fund_round.pk]),
        caption=str(fund_round),
    )


@login_required
def application_detail(request, application_id):
    _require_reader(request.user)
    application = selectors.application_for(request.user, application_id)
    award = getattr(application, "award", None) if application.status == "awarded" else None
    return render(
        request,
        "fund/application.html",
        {
            "a": application,
            "back": reverse("fund:round", args=[application.round_id]),
            "row": presenters.application_row(application),
            "award": award,
            "award_text": presenters.money(award.amount) if award else "",
            "remaining_text": presenters.money(
                application.round.budget - selectors.awarded_in(application.round)
            ),
            "may_manage": services.may_manage(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_create(request, application_id):
    _require_manager(request.user)
    application = selectors.application_for(request.user, application_id)
    form = forms.AwardForm(
        request.POST or None,
        initial={"amount": f"{application.amount_requested}", "awarded_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        created = apply_form_errors(
            form,
            lambda: services.award_create(actor=request.user, application=application, **form.cleaned_data),
        )
        if created is not None:
            messages.success(request, f"Awarded {rules.pounds(created.amount)} to {application.organisation}")
            return redirect("fund:award", created.pk)
    remaining = application.round.budget - selectors.awarded_in(application.round)
    return _form_page(
        request,
        form,
        "Award funding",
        back=reverse("fund:application", args=[application.pk]),
        caption=f"{application.project}: {rules.pounds(remaining)} left in round {application.round.number}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_decide(request, application_id):
    _require_manager(request.user)
    application = selectors.application_for(request.user, application_id)
    form = forms.DecisionForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        done = apply_form_errors(
            form,
            lambda: services.application_decide(
                actor=request.user, application=application, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, "Decision recorded")
            return redirect("fund:application", application.pk)
    return _form_page(
        request,
        form,
        "Record the decision",
        back=reverse("fund:application", args=[application.pk]),
        caption=application.project,
    )


@login_required
def award_detail(request, award_id):
    _require_reader(request.user)
    award = selectors.award_for(request.user, award_id)
    returns = list(award.returns.all())
    return render(
        request,
        "fund/award.html",
        {
            "award": award,
            "amount_text": presenters.money(award.amount),
            "spent_text": presenters.money(award.spent or 0),
            "reported": f"{award.reported_people or 0:,}",
            "projected": f"{award.application.projected_people:,}",
            "returns": [
                {
                    "period_end": r.period_end,
                    "people": f"{r.people_reached:,}",
                    "spend": presenters.money(r.spend),
                    "narrative": r.narrative,
                    "submitted_on": r.submitted_on,
                }
                for r in returns
            ],
            "may_manage": services.may_manage(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_create(request, award_id):
    _require_manager(request.user)
    award = selectors.award_for(request.user, award_id)
    form = forms.ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply_form_errors(
            form, lambda: services.return_create(actor=request.user, award=award, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, "Monitoring return recorded")
            return redirect("fund:award", award.pk)
    return _form_page(
        request,
        form,
        "Record a monitoring return",
        back=reverse("fund:award", args=[award.pk]),
        caption=award.application.project,
    )
