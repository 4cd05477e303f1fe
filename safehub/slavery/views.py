"""Modern slavery pages. Referrals load only through `safehub.core.access`; the statistics page
shows aggregates only and is open to aggregate roles (analysts, the commissioner)."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safehub.core import audit
from safehub.core.access import can_edit, load_for, require_person_level
from safehub.core.forms import apply_service
from safehub.core.models import AuditAction, District
from safehub.people import presenters as people_presenters
from safehub.people import selectors as people_selectors
from safehub.people.forms import PersonSearchForm
from safehub.people.models import Person
from safehub.slavery import forms, presenters, rules, selectors, services
from safehub.slavery.models import Kind, NrmReferral


def _require_recorder(user) -> None:
    require_person_level(user)
    if not services.may_record(user):
        raise PermissionDenied(
            "Only first responder organisations refer to the NRM or notify the Home Office"
        )


def may_see_statistics(user) -> bool:
    return user.has_person_level_access or user.is_aggregate_only


def _form_page(request, form, title, *, back, caption="", intro="", status=200):
    context = {"form": form, "title": title, "back": back, "caption": caption, "intro": intro}
    return render(request, "slavery/form.html", context, status=status)


@login_required
def referral_list(request):
    require_person_level(request.user)
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    referrals = selectors.referrals_for(
        request.user, kind=kind if kind in Kind.values else "", status="open" if status == "open" else ""
    )
    page = Paginator(referrals, 50).get_page(request.GET.get("page"))
    audit.record_listed(request.user, page.object_list)
    return render(
        request,
        "slavery/list.html",
        {
            "rows": [presenters.referral_row(r) for r in page.object_list],
            "page": page,
            "kind": kind,
            "status": status,
            "may_record": services.may_record(request.user),
            "query_prefix": f"kind={kind}&status={status}&",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_start(request):
    """Find the person for an NRM referral (POST keeps names out of URLs), or go to the anonymous MS1."""
    _require_recorder(request.user)
    form = PersonSearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        people = list(people_selectors.person_search(request.user, form.cleaned_data["query"])[:50])
        audit.record(request.user, AuditAction.SEARCH, object_type="people.person", fields=["query"])
        audit.record_listed(request.user, people)
        results = [people_presenters.person_row(p) for p in people]
    return render(
        request,
        "slavery/start.html",
        {
            "form": form,
            "results": results,
            "may_notify": request.user.agency.kind in rules.DUTY_TO_NOTIFY_KINDS,
        },
    )


def _districts(user):
    return user.agency.districts.all()


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request, person_id):
    _require_recorder(request.user)
    person = load_for(request.user, Person, person_id)  # scoped, audited read
    now = timezone.localtime()
    initial = {
        "district": person.district_id,
        "referred_date": now.date(),
        "referred_time": now.strftime("%H:%M"),
    }
    form = forms.ReferralForm(request.POST or None, initial=initial, districts=_districts(request.user))
    if request.method == "POST" and form.is_valid():
        referral = apply_service(
            form,
            lambda: services.referral_create(
                actor=request.user, kind=Kind.NRM, person=person, **form.service_kwargs()
            ),
        )
        if referral is not None:
            messages.success(request, f"NRM referral {referral.reference} recorded")
            return redirect("slavery:detail", referral.pk)
    return _form_page(
        request,
        form,
        "Refer to the National Referral Mechanism",
        back=reverse("slavery:start"),
        caption=person.full_name,
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def dtn_create(request):
    _require_recorder(request.user)
    now = timezone.localtime()
    form = forms.ReferralForm(
        request.POST or None,
        initial={
            "district": request.user.district_id,
            "referred_date": now.date(),
            "referred_time": now.strftime("%H:%M"),
        },
        districts=_districts(request.user),
        anonymous=True,
    )
    if request.method == "POST" and form.is_valid():
        referral = apply_service(
            form, lambda: services.referral_create(actor=request.user, kind=Kind.DTN, **form.service_kwargs())
        )
        if referral is not None:
            messages.success(request, f"Duty to Notify {referral.reference} recorded")
            return redirect("slavery:detail", referral.pk)
    return _form_page(
        request,
        form,
        "Notify the Home Office (MS1, anonymous)",
        back=reverse("slavery:start"),
        intro="For an adult who does not consent to an NRM referral. The MS1 is anonymous: record nothing "
        "that identifies the person.",
        status=400 if form.errors else 200,
    )


@login_required
def referral_detail(request, nrm_referral_id):
    referral = load_for(request.user, NrmReferral, nrm_referral_id)  # scoped, audited read
    return render(
        request,
        "slavery/detail.html",
        {
            "referral": referral,
            "who": presenters.who(referral),
            "clock": presenters.rg_clock(referral),
            "rows": presenters.summary_rows(referral),
            "steps": presenters.next_steps(referral),
            "editable": can_edit(request.user, referral),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reasonable_grounds(request, nrm_referral_id):
    referral = load_for(request.user, NrmReferral, nrm_referral_id, write=True)
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form,
            lambda: services.reasonable_grounds_record(
                actor=request.user,
                referral=referral,
                decision=form.cleaned_data["decision"],
                decided_at=form.decided_at,
                authority=form.cleaned_data.get("authority", ""),
            ),
        )
        if done is not None:
            messages.success(request, "Reasonable grounds decision recorded")
            return redirect("slavery:detail", referral.pk)
    return _form_page(
        request,
        form,
        "Record the reasonable grounds decision",
        back=reverse("slavery:detail", args=[referral.pk]),
        caption=referral.reference,
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def conclusive_grounds(request, nrm_referral_id):
    referral = load_for(request.user, NrmReferral, nrm_referral_id, write=True)
    form = forms.DecisionForm(request.POST or None, with_authority=False)
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form,
            lambda: services.conclusive_grounds_record(
                actor=request.user,
                referral=referral,
                decision=form.cleaned_data["decision"],
                decided_at=form.decided_at,
            ),
        )
        if done is not None:
            messages.success(request, "Conclusive grounds decision recorded")
            return redirect("slavery:detail", referral.pk)
    return _form_page(
        request,
        form,
        "Record the conclusive grounds decision",
        back=reverse("slavery:detail", args=[referral.pk]),
        caption=referral.reference,
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome(request, nrm_referral_id):
    referral = load_for(request.user, NrmReferral, nrm_referral_id, write=True)
    form = forms.OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form,
            lambda: services.outcome_record(
                actor=request.user,
                referral=referral,
                outcome=form.cleaned_data["outcome"],
                at=form.at,
                note=form.cleaned_data["note"],
            ),
        )
        if done is not None:
            messages.success(request, "Outcome recorded")
            return redirect("slavery:detail", referral.pk)
    return _form_page(
        request,
        form,
        "Record the outcome",
        back=reverse("slavery:detail", args=[referral.pk]),
        caption=referral.reference,
        status=400 if form.errors else 200,
    )


def statistics_filters(user, params) -> tuple[dict, dict]:
    """(selector kwargs, what the page shows) from ?year=&district= (codes only, no personal data)."""
    force = user.agency.force if user.agency_id else None
    kwargs: dict = {"force": force}
    year = params.get("year", "")
    shown = {"year": "", "district": ""}
    if year.isdigit() and 2009 <= int(year) <= 2100:
        kwargs["start"] = timezone.make_aware(datetime(int(year), 1, 1))
        kwargs["end"] = timezone.make_aware(datetime(int(year) + 1, 1, 1))
        shown["year"] = year
    code = params.get("district", "")
    district = District.objects.filter(code=code, force=force).first() if code else None
    if district is not None:
        kwargs["district"] = district
        shown["district"] = district.code
    return kwargs, shown


@login_required
def statistics(request):
    if not may_see_statistics(request.user):
        raise PermissionDenied("Your role does not include the modern slavery statistics")
    kwargs, shown = statistics_filters(request.user, request.GET)
    stats = selectors.statistics(**kwargs)
    force = kwargs["force"]
    return render(
        request,
        "slavery/statistics.html",
        {
            "stats": stats,
            "shown": shown,
            "districts": District.objects.filter(force=force) if force else District.objects.none(),
            "years": range(timezone.localdate().year, 2014, -1),
            "person_level": request.user.has_person_level_access,
        },
    )
