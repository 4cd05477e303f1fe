"""Instrument pages. Person-level records load only through `safehub.core.access`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safehub.core import audit
from safehub.core.access import load_for
from safehub.core.presenters import apply_form_errors
from safehub.instruments import contexts, presenters, selectors, services
from safehub.instruments.forms import AssessmentForm, PersonRecordForm
from safehub.instruments.models import Assessment, InstrumentVersion
from safehub.people.models import Person


def _version_or_404(instrument_id: str, version: int) -> InstrumentVersion:
    found = selectors.instrument_version(instrument_id, version)
    if found is None:
        raise Http404("No such instrument version")
    return found


def _current_or_404(instrument_id: str) -> InstrumentVersion:
    found = selectors.instrument_current(instrument_id)
    if found is None:
        raise Http404("No such instrument")
    return found


@login_required
def instrument_list(request):
    rows = presenters.instrument_rows(list(selectors.instrument_list()))
    form = PersonRecordForm() if request.user.has_person_level_access else None
    return render(
        request,
        "instruments/list.html",
        {"rows": rows, "form": form, "can_calibrate": presenters.may_calibrate(request.user)},
    )


@login_required
def instrument_detail(request, instrument_id):
    current = _current_or_404(instrument_id)
    return redirect("instruments:version", instrument_id=instrument_id, version=current.version)


@login_required
def version_detail(request, instrument_id, version):
    found = _version_or_404(instrument_id, version)
    return render(request, "instruments/version.html", presenters.version_page(found, request.user))


@login_required
def person_lookup(request):
    """From a record id to the person's risk assessments (GET: the id is an opaque UUID)."""
    if not request.user.has_person_level_access:
        raise PermissionDenied("Your role does not give access to person-level records")
    form = PersonRecordForm(request.GET or None)
    if form.is_valid():
        return redirect("instruments:person", person_id=form.cleaned_data["record_id"])
    rows = presenters.instrument_rows(list(selectors.instrument_list()))
    return render(request, "instruments/list.html", {"rows": rows, "form": form, "can_calibrate": True})


@login_required
def person_assessments(request, person_id):
    person = load_for(request.user, Person, person_id)  # scoped, audited read
    assessments = list(selectors.assessment_list_for(request.user, person=person))
    audit.record_listed(request.user, assessments)
    instruments = [
        {"id": i.id, "title": i.title}
        for i in selectors.instrument_list()
        if any(v.is_current for v in i.versions.all())
    ]
    return render(
        request,
        "instruments/person.html",
        {"person": person, "rows": presenters.assessment_rows(assessments), "instruments": instruments},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request, instrument_id, person_id):
    person = load_for(request.user, Person, person_id)  # read access is enough to assess
    context = contexts.parse(request.user, request.GET.get("context"))  # e.g. the contact that prompted it
    version = _current_or_404(instrument_id)
    form = AssessmentForm(request.POST or None, definition=version.parsed)
    if request.method == "POST" and form.is_valid():
        assessment = apply_form_errors(
            form,
            lambda: services.assessment_create(
                actor=request.user,
                person=person,
                instrument_id=instrument_id,
                answers=form.answers(),
                professional_judgement=form.professional_judgement(),
                context=context,
            ),
        )
        if assessment is not None:
            messages.success(request, f"{version.parsed.short_title} saved: {assessment.level}")
            return redirect(
                contexts.url_for(context) or reverse("instruments:assessment", args=[assessment.pk])
            )
    return render(
        request,
        "instruments/assess.html",
        {
            "form": form,
            "person": person,
            "version": version,
            "definition": version.parsed,
            "back_url": contexts.url_for(context),
        },
    )


@login_required
def assessment_detail(request, assessment_id):
    assessment = load_for(request.user, Assessment, assessment_id)  # scoped, audited read
    return render(request, "instruments/assessment.html", presenters.assessment_page(assessment))


@login_required
def calibration(request, instrument_id, version):
    presenters.require_calibration_access(request.user)
    found = _version_or_404(instrument_id, version)
    page = presenters.calibration_page(
        selectors.calibration(found), suppress=presenters.suppresses_small_counts(request.user)
    )
    return render(request, "instruments/calibration.html", {"version": found, **page})
