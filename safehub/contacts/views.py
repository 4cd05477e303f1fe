"""Contact pages. Contacts and people are loaded only through `safehub.core.access`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from safehub.contacts import presenters, selectors, services
from safehub.contacts.forms import (
    ArrivalForm,
    ContactFilterForm,
    ContactForm,
    NewPersonForm,
    PersonPickForm,
    PpnForm,
    ThriveForm,
)
from safehub.contacts.models import Contact
from safehub.contacts.rules import rcrp_required
from safehub.core import audit
from safehub.core.access import load_for, parse_id, require_person_level
from safehub.core.models import AuditAction
from safehub.people import presenters as people_presenters
from safehub.people import selectors as people_selectors
from safehub.people.forms import PersonSearchForm
from safehub.people.models import Person


def _require_recorder(user) -> None:
    require_person_level(user)
    if not services.can_record(user):
        raise PermissionDenied("Only police call handlers and officers record contacts")


def _load_for_change(user, contact_id) -> Contact:
    """404 out of scope, then 403 for readers (the MASH) and anyone who does not record contacts."""
    contact = load_for(user, Contact, contact_id, write=True)
    _require_recorder(user)
    return contact


def _searched_key(contact: Contact) -> str:
    return f"contacts:searched:{contact.pk}"


def _context(contact: Contact, title: str, form) -> dict:
    return {
        "contact": contact,
        "title": title,
        "form": form,
        "back": reverse("contacts:detail", args=[contact.pk]),
    }


@login_required
def contact_list(request):
    require_person_level(request.user)
    filters = ContactFilterForm(request.GET or None, districts=request.user.agency.districts.all())
    data = filters.cleaned_data if filters.is_valid() else {}
    contacts = selectors.contact_list_for(
        request.user, category=data.get("category", ""), district=data.get("district")
    )
    page = Paginator(contacts, 50).get_page(request.GET.get("page"))
    audit.record_listed(request.user, page.object_list)
    kept = {name: request.GET[name] for name in ("category", "district") if request.GET.get(name)}
    context = {
        "rows": [presenters.contact_row(c) for c in page.object_list],
        "page": page,
        "filters": filters,
        "query_prefix": f"{urlencode(kept)}&" if kept else "",
        "can_record": services.can_record(request.user),
    }
    return render(request, "contacts/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request):
    _require_recorder(request.user)
    form = ContactForm(request.POST or None, districts=request.user.agency.districts.all())
    if request.method == "POST" and form.is_valid():
        contact = presenters.apply_service_errors(
            form, lambda: services.contact_create(actor=request.user, **form.contact_data())
        )
        if contact is not None:
            messages.success(request, f"Contact {contact.reference} recorded: now add the people involved")
            return redirect("contacts:people", contact_id=contact.pk)
    return render(request, "contacts/contact_form.html", {"form": form, "title": "Record a contact"})


@login_required
def contact_detail(request, contact_id):
    contact = load_for(request.user, Contact, contact_id)  # scoped, audited read
    return render(request, "contacts/detail.html", presenters.contact_page(contact, request.user))


@login_required
@require_http_methods(["GET", "POST"])
def contact_people(request, contact_id):
    """Step 2: search the person index (by POST), then add a result in a role, or add a new person."""
    contact = _load_for_change(request.user, contact_id)
    form = PersonSearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        people = list(people_selectors.person_search(request.user, form.cleaned_data["query"])[:50])
        audit.record(request.user, AuditAction.SEARCH, object_type="people.person", fields=["query"])
        audit.record_listed(request.user, people)
        results = [people_presenters.person_row(p) for p in people]
        request.session[_searched_key(contact)] = True
    elif request.GET.get("person"):  # chosen or added after the cross-agency match check (linkage)
        results = [people_presenters.person_row(load_for(request.user, Person, request.GET["person"]))]
        request.session[_searched_key(contact)] = True
    context = _context(contact, "Add the people involved", form)
    context.update(
        {
            "results": results,
            "people": presenters.people_rows(contact, request.user),
            "roles": PersonPickForm.base_fields["role"].choices,
            "searched": bool(request.session.get(_searched_key(contact))),
            "flags": presenters.flag_rows(contact, request.user),
        }
    )
    return render(request, "contacts/people.html", context)


@login_required
@require_POST
def contact_person_pick(request, contact_id):
    contact = _load_for_change(request.user, contact_id)
    form = PersonPickForm(request.POST)
    if form.is_valid():
        person = load_for(request.user, Person, form.cleaned_data["person"], audit_read=False)
        link = presenters.apply_service_errors(
            form,
            lambda: services.contact_person_add(
                actor=request.user, contact=contact, person=person, role=form.cleaned_data["role"]
            ),
        )
        if link is not None:
            messages.success(request, f"{person.full_name} added as {link.get_role_display().lower()}")
            return redirect("contacts:people", contact_id=contact.pk)
    for error in [e for errors in form.errors.values() for e in errors]:
        messages.error(request, error)
    return redirect("contacts:people", contact_id=contact.pk)


@login_required
@require_http_methods(["GET", "POST"])
def contact_person_new(request, contact_id):
    contact = _load_for_change(request.user, contact_id)
    if not request.session.get(_searched_key(contact)):
        messages.info(request, "Search the person index first, so the same person is not recorded twice")
        return redirect("contacts:people", contact_id=contact.pk)
    form = NewPersonForm(request.POST or None, districts=request.user.agency.districts.all())
    if request.method == "POST" and form.is_valid():
        new_person = {"district": form.cleaned_data["district"], **form.person_data()}
        link = presenters.apply_service_errors(
            form,
            lambda: services.contact_person_add(
                actor=request.user, contact=contact, new_person=new_person, role=form.cleaned_data["role"]
            ),
        )
        if link is not None:
            messages.success(request, f"{link.person.full_name} added as {link.get_role_display().lower()}")
            return redirect("contacts:people", contact_id=contact.pk)
    return render(request, "contacts/form.html", _context(contact, "Add a new person to the contact", form))


@login_required
@require_http_methods(["GET", "POST"])
def contact_grade(request, contact_id):
    contact = _load_for_change(request.user, contact_id)
    grades = services.grade_table(contact.district.force)
    form = ThriveForm(
        request.POST or None,
        grades=grades,
        rcrp=rcrp_required(contact.category),
        regrade=contact.gradings.exists(),
    )
    if request.method == "POST" and form.is_valid():
        grading = presenters.apply_service_errors(
            form, lambda: services.thrive_grade(actor=request.user, contact=contact, **form.cleaned_data)
        )
        if grading is not None:
            messages.success(request, f"Graded {grading.grade.name}")
            return redirect("contacts:detail", contact_id=contact.pk)
    context = _context(contact, "THRIVE grading", form)
    context["grades"] = grades
    return render(request, "contacts/thrive_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contact_arrival(request, contact_id):
    contact = _load_for_change(request.user, contact_id)
    form = ArrivalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = presenters.apply_service_errors(
            form,
            lambda: services.arrival_record(
                actor=request.user, contact=contact, arrived_at=form.arrived_at()
            ),
        )
        if done is not None:
            messages.success(request, "Arrival time recorded")
            return redirect("contacts:detail", contact_id=contact.pk)
    return render(request, "contacts/form.html", _context(contact, "Record when officers arrived", form))


@login_required
@require_http_methods(["GET", "POST"])
def ppn_raise(request, contact_id, person_id):
    contact = _load_for_change(request.user, contact_id)
    link = contact.people.select_related("person").filter(person_id=parse_id(person_id)).first()
    if link is None:
        raise Http404("No such person on this contact")
    person = link.person
    form = PpnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ppn = presenters.apply_service_errors(
            form,
            lambda: services.ppn_raise(
                actor=request.user, contact=contact, person=person, **form.cleaned_data
            ),
        )
        if ppn is not None:
            messages.success(request, "PPN raised: it is waiting for the MASH")
            return redirect("contacts:detail", contact_id=contact.pk)
    context = _context(contact, f"Raise a public protection notice about {person.full_name}", form)
    return render(request, "contacts/form.html", context)


@login_required
def encompass(request):
    """Schools: notifications addressed to them. Police and MASH: those not yet acknowledged."""
    require_person_level(request.user)
    received = list(selectors.encompass_for_school(request.user)[:200])
    sent = list(selectors.encompass_sent_by(request.user)[:200])
    audit.record_listed(request.user, received + sent)
    return render(
        request,
        "contacts/encompass.html",
        {
            "received": [presenters.encompass_row(row, for_school=True) for row in received],
            "sent": [presenters.encompass_row(row, for_school=False) for row in sent],
        },
    )


@login_required
@require_POST
def encompass_acknowledge(request, notification_id):
    require_person_level(request.user)
    row = selectors.encompass_for_school(request.user).filter(pk=parse_id(notification_id)).first()
    if row is None:
        raise Http404("No such notification")  # another school's, or none: existence is not leaked
    try:
        services.encompass_acknowledge(actor=request.user, row=row)
    except ValidationError:
        messages.info(request, f"Notification {row.police_reference} was already acknowledged")
    else:
        messages.success(request, f"Notification {row.police_reference} acknowledged")
    return redirect("contacts:encompass")
