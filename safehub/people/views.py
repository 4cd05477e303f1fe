"""Person index pages. Every person-level record is loaded through `safehub.core.access`."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safehub.core import audit
from safehub.core.access import break_glass_open, load_for, require_person_level
from safehub.core.forms import BreakGlassSearchForm
from safehub.core.models import Agency, AuditAction
from safehub.core.presenters import apply_form_errors
from safehub.core.services import share_create
from safehub.people import presenters, selectors, services
from safehub.people.forms import (
    AddressForm,
    AliasForm,
    IdentifierForm,
    MarkerForm,
    PersonForm,
    PersonSearchForm,
    RelationshipForm,
    ShareForm,
)
from safehub.people.models import Person


def _form_context(form, title: str, person: Person) -> dict:
    return {
        "form": form,
        "title": title,
        "person": person,
        "person_url": reverse("people:detail", args=[person.pk]),
    }


@login_required
@require_http_methods(["GET", "POST"])
def person_search(request):
    """Search by POST so that names never appear in a URL or an access log."""
    require_person_level(request.user)
    form = PersonSearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        people = list(selectors.person_search(request.user, form.cleaned_data["query"])[:50])
        audit.record(request.user, AuditAction.SEARCH, object_type="people.person", fields=["query"])
        audit.record_listed(request.user, people)
        results = [presenters.person_row(p) for p in people]
    return render(request, "people/search.html", {"form": form, "results": results})


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    require_person_level(request.user)
    districts = request.user.agency.districts.all()
    form = PersonForm(request.POST or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        person = apply_form_errors(
            form,
            lambda: services.person_create(
                actor=request.user, district=form.cleaned_data["district"], **form.person_data()
            ),
        )
        if person is not None:
            messages.success(request, "Person record created")
            return redirect("people:detail", person_id=person.pk)
    return render(request, "people/person_form.html", {"form": form, "title": "Add a person"})


@login_required
def person_detail(request, person_id):
    person = load_for(request.user, Person, person_id)  # scoped, audited read
    return render(request, "people/detail.html", presenters.person_page(person, request.user))


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, person_id):
    person = load_for(request.user, Person, person_id, write=True)
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        if (
            apply_form_errors(
                form, lambda: services.person_update(actor=request.user, person=person, **form.person_data())
            )
            is not None
        ):
            messages.success(request, "Details saved")
            return redirect("people:detail", person_id=person.pk)
    return render(request, "people/person_form.html", _form_context(form, "Change details", person))


CHILD_FORMS = {
    "identifier": (IdentifierForm, services.identifier_add, "Add an identifier", "Identifier added"),
    "alias": (AliasForm, services.alias_add, "Add another name", "Name added"),
    "address": (AddressForm, services.address_add, "Add an address", "Address added"),
    "marker": (MarkerForm, services.marker_add, "Add a warning marker", "Warning marker added"),
}


@login_required
@require_http_methods(["GET", "POST"])
def person_add_child(request, person_id, kind):
    if kind not in CHILD_FORMS:
        raise Http404("No such page")
    person = load_for(request.user, Person, person_id, write=True)
    form_class, service, title, done = CHILD_FORMS[kind]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if apply_form_errors(form, lambda: service(actor=request.user, person=person, **form.cleaned_data)):
            messages.success(request, done)
            return redirect("people:detail", person_id=person.pk)
    return render(request, "people/person_form.html", _form_context(form, title, person))


@login_required
@require_http_methods(["GET", "POST"])
def relationship_add(request, person_id):
    person = load_for(request.user, Person, person_id, write=True)
    form = RelationshipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        related = presenters.related_person_or_error(request.user, form)
        if related is not None and apply_form_errors(
            form,
            lambda: services.relationship_add(
                actor=request.user, person=person, related_person=related, kind=form.cleaned_data["kind"]
            ),
        ):
            messages.success(request, "Relationship added")
            return redirect("people:detail", person_id=person.pk)
    return render(request, "people/person_form.html", _form_context(form, "Add a relationship", person))


@login_required
@require_http_methods(["GET", "POST"])
def person_share(request, person_id):
    person = load_for(request.user, Person, person_id, write=True)
    form = ShareForm(request.POST or None, agencies=Agency.objects.exclude(pk=request.user.agency_id))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        ends = data.pop("expires_on")
        expires_at = timezone.make_aware(datetime.combine(ends, time(23, 59))) if ends else None
        if apply_form_errors(
            form, lambda: share_create(actor=request.user, obj=person, expires_at=expires_at, **data)
        ):
            messages.success(request, f"Record shared with {data['to_agency']}")
            return redirect("people:detail", person_id=person.pk)
    return render(request, "people/person_form.html", _form_context(form, "Share this record", person))


@login_required
def shared_with_me(request):
    require_person_level(request.user)
    rows = presenters.shared_rows(request.user, selectors.person_shared_with(request.user))
    audit.record_listed(request.user, [row["person"] for row in rows])
    return render(request, "people/shared_with_me.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def break_glass_search(request):
    """Emergency search across the whole index with a written reason, flagged for the auditor."""
    require_person_level(request.user)
    form = BreakGlassSearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = presenters.break_glass_results(request.user, **form.cleaned_data)
    return render(request, "people/break_glass.html", {"form": form, "results": results})


@login_required
@require_http_methods(["POST"])
def break_glass_open_view(request, person_id):
    person = presenters.person_for_break_glass(request.user, person_id)
    try:
        grant = break_glass_open(user=request.user, obj=person, reason=request.POST.get("reason", ""))
    except ValidationError:
        messages.error(request, "Enter the reason for emergency access in at least 20 characters")
        return redirect("people:break_glass")
    messages.warning(
        request,
        f"Emergency access is open until {timezone.localtime(grant.expires_at):%H:%M}. "
        "An auditor will review it.",
    )
    return redirect("people:detail", person_id=person.pk)
