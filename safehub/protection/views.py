"""Domestic abuse pages. Person-level records load only through `safehub.core.access`; the
evaluation, timeliness table and findings report are counts and anonymised text only."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safehub.contacts.models import Contact
from safehub.core import audit
from safehub.core.access import can_edit, load_for
from safehub.core.forms import apply_service
from safehub.core.models import AuditAction, District
from safehub.people import presenters as people_presenters
from safehub.people import selectors as people_selectors
from safehub.people.forms import PersonSearchForm
from safehub.people.models import Person
from safehub.protection import forms, presenters, rules, selectors, services
from safehub.protection.models import (
    CriminalJusticeOutcome,
    DisclosureApplication,
    HearingOutcome,
    IdvaDeployment,
    ProtectionOrder,
    ScrutinyCase,
    ScrutinySample,
)


def _police(user) -> None:
    if not services.may_record_police(user):
        raise PermissionDenied("Only police officers use this page")


def _idva(user) -> None:
    if not services.may_record_idva(user):
        raise PermissionDenied("Only IDVAs use this page")


def _aggregates(user) -> None:
    if not services.may_see_aggregates(user):
        raise PermissionDenied("Your role does not see these figures")


def _form_page(request, form, title, *, back, caption="", intro=""):
    context = {"form": form, "title": title, "back": back, "caption": caption, "intro": intro}
    return render(request, "protection/form.html", context)


def _form_action(request, form, title, action, success, *, back, caption="", intro=""):
    if request.method == "POST" and form.is_valid():
        result = apply_service(form, action)
        if result is not None:
            message, target = success(result)
            messages.success(request, message)
            return redirect(target)
    return _form_page(request, form, title, back=back, caption=caption, intro=intro)


@login_required
def home(request):
    user = request.user
    context = {"police": services.may_record_police(user), "idva": services.may_record_idva(user)}
    if not (context["police"] or context["idva"] or services.may_see_aggregates(user)):
        raise PermissionDenied("Your role does not use these pages")
    if context["police"] or context["idva"]:
        orders = list(selectors.orders_for(user, open_only=True)[:50])
        disclosures = list(selectors.disclosures_for(user, open_only=True)[:50]) if context["police"] else []
        audit.record_listed(user, orders + disclosures)
        context["orders"] = [presenters.order_row(o) for o in orders]
        context["disclosures"] = [presenters.disclosure_row(d) for d in disclosures]
    return render(request, "protection/home.html", context)


# --- domestic abuse contacts: notices start here, outcomes are recorded here ------------------------


@login_required
def contact_list(request):
    _police(request.user)
    rows = selectors.recent_da_contacts(request.user, days=90)
    contacts = [row["contact"] for row in rows]
    audit.record_listed(request.user, contacts)
    outcomes = dict(
        CriminalJusticeOutcome.objects.visible_to(request.user)
        .filter(contact__in=contacts)
        .values_list("contact_id", "outcome")
    )
    labels = dict(forms.CjOutcome.choices)
    for row in rows:
        row["outcome"] = labels.get(outcomes.get(row["contact"].pk), "Not recorded")
        row["received"] = presenters.when(row["contact"].received_at)
    return render(request, "protection/contacts.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def cj_outcome(request, contact_id):
    _police(request.user)
    contact = load_for(request.user, Contact, contact_id, write=True)
    form = forms.CjOutcomeForm(request.POST or None)
    return _form_action(
        request,
        form,
        "Record the criminal-justice outcome",
        lambda: services.cj_outcome_record(actor=request.user, contact=contact, **form.service_data()),
        lambda row: (f"Outcome recorded: {row.get_outcome_display()}", reverse("protection:contacts")),
        back=reverse("protection:contacts"),
        caption=contact.reference,
    )


# --- protection notices and orders -----------------------------------------------------------------


@login_required
def order_list(request):
    if not (services.may_record_police(request.user) or services.may_record_idva(request.user)):
        raise PermissionDenied("Only police officers and IDVAs see protection orders")
    orders = list(selectors.orders_for(request.user)[:200])
    audit.record_listed(request.user, orders)
    return render(
        request,
        "protection/orders.html",
        {
            "rows": [presenters.order_row(o) for o in orders],
            "police": services.may_record_police(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_create(request, contact_id):
    _police(request.user)
    contact = load_for(request.user, Contact, contact_id)  # scoped, audited read
    parties = selectors.contact_parties(request.user, contact)
    if "victim" not in parties or "suspect" not in parties:
        messages.error(request, "Add the victim and the suspect to the contact before recording a notice")
        return redirect("protection:contacts")
    scheme = services.scheme_for(contact.district.force)
    notice = "DVPN" if scheme == "dvpo" else "DAPN"
    form = forms.OrderForm(
        request.POST or None,
        districts=request.user.agency.districts.all(),
        notice=notice,
        initial={"district": contact.district_id},
    )
    return _form_action(
        request,
        form,
        f"Record a {notice}",
        lambda: services.order_create(
            actor=request.user,
            victim=parties["victim"],
            subject=parties["suspect"],
            contact=contact,
            **form.service_data(),
        ),
        lambda order: (
            f"{order.notice_name} recorded. "
            f"The application must be heard by {presenters.when(order.hearing_due_at)}",
            reverse("protection:order", args=[order.pk]),
        ),
        back=reverse("protection:contacts"),
        caption=f"{contact.reference}: protecting {parties['victim'].full_name} "
        f"from {parties['suspect'].full_name}",
    )


@login_required
def order_detail(request, order_id):
    order = load_for(request.user, ProtectionOrder, order_id)  # scoped, audited read
    editable = can_edit(request.user, order) and services.may_record_police(request.user)
    return render(
        request,
        "protection/order.html",
        {
            "order": order,
            "summary": presenters.order_summary(order),
            "clock": presenters.clock(order.hearing_due_at, order.hearing_at, label="Hearing"),
            "breaches": order.breaches.all(),
            "support": selectors.support_for(request.user, order),
            "editable": editable,
            "decided": order.outcome not in (HearingOutcome.PENDING, HearingOutcome.ADJOURNED),
            "idva": services.may_record_idva(request.user),
        },
    )


def _order_action(request, order_id, form, title, action, success):
    order = load_for(request.user, ProtectionOrder, order_id, write=True)
    return _form_action(
        request,
        form,
        title,
        lambda: action(order),
        lambda result: (success(result), reverse("protection:order", args=[order.pk])),
        back=reverse("protection:order", args=[order.pk]),
        caption=str(order),
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_application(request, order_id):
    _police(request.user)
    form = forms.ApplicationForm(request.POST or None)
    return _order_action(
        request,
        order_id,
        form,
        "Record the application to the magistrates",
        lambda order: services.order_application(actor=request.user, order=order, **form.service_data()),
        lambda order: "Application recorded",
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_outcome(request, order_id):
    _police(request.user)
    form = forms.OutcomeForm(request.POST or None)
    return _order_action(
        request,
        order_id,
        form,
        "Record the hearing outcome",
        lambda order: services.order_outcome(actor=request.user, order=order, **form.service_data()),
        lambda order: f"{order.order_name}: {order.get_outcome_display().lower()}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_breach(request, order_id):
    _police(request.user)
    form = forms.BreachForm(request.POST or None)
    return _order_action(
        request,
        order_id,
        form,
        "Record a breach",
        lambda order: services.order_breach_add(actor=request.user, order=order, **form.service_data()),
        lambda breach: "Breach recorded",
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_support(request, order_id):
    _idva(request.user)
    order = load_for(request.user, ProtectionOrder, order_id)  # scoped (shared with the IDVA), audited
    form = forms.SupportForm(request.POST or None)
    return _form_action(
        request,
        form,
        "Record contact with the victim",
        lambda: services.idva_support_add(actor=request.user, order=order, **form.service_data()),
        lambda support: ("Contact with the victim recorded", reverse("protection:order", args=[order.pk])),
        back=reverse("protection:order", args=[order.pk]),
        caption=str(order),
    )


# --- Clare's Law -----------------------------------------------------------------------------------


@login_required
def disclosure_list(request):
    _police(request.user)
    rows = list(selectors.disclosures_for(request.user)[:200])
    audit.record_listed(request.user, rows)
    return render(
        request, "protection/disclosures.html", {"rows": [presenters.disclosure_row(d) for d in rows]}
    )


@login_required
@require_http_methods(["GET", "POST"])
def disclosure_start(request, at_risk_id=None):
    """Find the person at risk, then the subject (POST searches keep names out of URLs)."""
    _police(request.user)
    at_risk = load_for(request.user, Person, at_risk_id) if at_risk_id else None  # scoped, audited
    form = PersonSearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        people = list(people_selectors.person_search(request.user, form.cleaned_data["query"])[:50])
        audit.record(request.user, AuditAction.SEARCH, object_type="people.person", fields=["query"])
        audit.record_listed(request.user, people)
        results = [people_presenters.person_row(p) for p in people if not at_risk or p.pk != at_risk.pk]
    return render(
        request, "protection/disclosure_start.html", {"form": form, "results": results, "at_risk": at_risk}
    )


@login_required
@require_http_methods(["GET", "POST"])
def disclosure_create(request, at_risk_id, subject_id):
    _police(request.user)
    at_risk = load_for(request.user, Person, at_risk_id)  # scoped, audited read
    subject = load_for(request.user, Person, subject_id)  # scoped, audited read
    now = timezone.localtime()
    form = forms.DisclosureForm(
        request.POST or None,
        districts=request.user.agency.districts.all(),
        initial={
            "district": at_risk.district_id,
            "received_date": now.date(),
            "received_time": now.strftime("%H:%M"),
        },
    )
    return _form_action(
        request,
        form,
        "Record a Clare's Law application",
        lambda: services.disclosure_create(
            actor=request.user, person_at_risk=at_risk, subject=subject, **form.service_data()
        ),
        lambda application: (
            f"Application {application.reference} recorded. "
            f"Disclosure due by {presenters.when(application.due_at)}",
            reverse("protection:disclosure", args=[application.pk]),
        ),
        back=reverse("protection:disclosure_start"),
        caption=f"{at_risk.full_name} asking about {subject.full_name}",
    )


@login_required
def disclosure_detail(request, application_id):
    application = load_for(request.user, DisclosureApplication, application_id)  # scoped, audited read
    return render(
        request,
        "protection/disclosure.html",
        {
            "a": application,
            "row": presenters.disclosure_row(application),
            "stages": presenters.disclosure_stages(application),
            "editable": can_edit(request.user, application) and bool(rules.next_stages(application.stage)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def disclosure_stage(request, application_id):
    _police(request.user)
    application = load_for(request.user, DisclosureApplication, application_id, write=True)
    form = forms.StageForm(request.POST or None, stages=rules.next_stages(application.stage))
    return _form_action(
        request,
        form,
        "Record the next stage",
        lambda: services.disclosure_advance(
            actor=request.user, application=application, **form.service_data()
        ),
        lambda a: (
            f"Stage recorded: {a.get_stage_display().lower()}",
            reverse("protection:disclosure", args=[a.pk]),
        ),
        back=reverse("protection:disclosure", args=[application.pk]),
        caption=f"{application.reference}: 28-day clock due {presenters.when(application.due_at)}",
    )


def _period(request):
    today = timezone.localdate()
    form = forms.PeriodForm(request.GET or None, districts=District.objects.order_by("name"))
    start, end, district, period = today - timedelta(days=365), today, None, "month"
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        district, period = form.cleaned_data["district"], form.cleaned_data["period"] or "month"
    return form, start, end, district, period


@login_required
def timeliness(request):
    _aggregates(request.user)
    form, start, end, district, _ = _period(request)
    table = selectors.timeliness(start, end, district=district) if not form.errors else []
    return render(
        request, "protection/timeliness.html", {"form": form, "table": table, "start": start, "end": end}
    )


# --- IDVA car ----------------------------------------------------------------------------------------


@login_required
def deployment_list(request):
    _idva(request.user)
    rows = list(selectors.deployments_for(request.user)[:200])
    audit.record_listed(request.user, rows)
    return render(request, "protection/deployments.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def deployment_create(request):
    _idva(request.user)
    form = forms.DeploymentForm(request.POST or None)
    return _form_action(
        request,
        form,
        "Record an IDVA car deployment",
        lambda: services.deployment_create(actor=request.user, **form.service_data()),
        lambda d: (
            f"Deployment to {d.contact_reference} recorded",
            reverse("protection:deployment", args=[d.pk]),
        ),
        back=reverse("protection:deployments"),
    )


@login_required
def deployment_detail(request, deployment_id):
    deployment = load_for(request.user, IdvaDeployment, deployment_id)  # scoped, audited read
    return render(
        request,
        "protection/deployment.html",
        {"d": deployment, "when": presenters.when(deployment.deployed_at)},
    )


@login_required
def evaluation(request):
    _aggregates(request.user)
    form, start, end, district, period = _period(request)
    result = selectors.evaluation(start, end, district=district, period=period) if not form.errors else None
    context = {"form": form, "result": result}
    if result:
        context["overall"] = presenters.difference(result["overall"]["positive"])
        context["outcomes"] = [
            {**o, **presenters.difference(o["difference"])} for o in result["overall"]["outcomes"]
        ]
        context["districts"] = [{**r, **presenters.difference(r["positive"])} for r in result["districts"]]
        context["periods"] = [{**r, **presenters.difference(r["positive"])} for r in result["periods"]]
    return render(request, "protection/evaluation.html", context)


# --- scrutiny panel ------------------------------------------------------------------------------------


@login_required
def sample_list(request):
    _police(request.user)
    return render(request, "protection/samples.html", {"samples": selectors.samples_for(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def sample_create(request):
    _police(request.user)
    form = forms.SampleForm(request.POST or None, initial={"seed": timezone.now().microsecond})
    return _form_action(
        request,
        form,
        "Draw a scrutiny panel sample",
        lambda: services.sample_draw(actor=request.user, **form.service_data()),
        lambda s: (
            f"{s.cases.count()} cases drawn from {s.eligible_count} eligible",
            reverse("protection:sample", args=[s.pk]),
        ),
        back=reverse("protection:samples"),
        intro=(
            "Closed domestic abuse contacts (with a final criminal-justice outcome) are drawn at random "
            "within each district, in proportion to each district's cases."
        ),
    )


@login_required
def sample_detail(request, sample_id):
    sample = load_for(request.user, ScrutinySample, sample_id)  # scoped, audited read
    return render(
        request, "protection/sample.html", {"sample": sample, "cases": sample.cases.order_by("number")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request, case_id):
    case = load_for(request.user, ScrutinyCase, case_id)  # scoped, audited read
    form = None
    if can_edit(request.user, case.sample) and services.may_record_police(request.user):
        form = forms.FindingsForm(
            request.POST or None,
            initial={
                "good_practice": case.good_practice,
                "areas_for_development": case.areas_for_development,
                "themes": case.themes,
            },
        )
        if request.method == "POST" and form.is_valid():
            if apply_service(
                form, lambda: services.case_findings(actor=request.user, case=case, **form.cleaned_data)
            ):
                messages.success(request, f"Findings for case {case.number} saved")
                return redirect("protection:sample", sample_id=case.sample_id)
    elif request.method == "POST":
        raise PermissionDenied("You can read this case but not change it")
    back = reverse("protection:sample", args=[case.sample_id])
    return render(
        request, "protection/case.html", {"case": case, "pack": case.pack, "form": form, "back": back}
    )


@login_required
def sample_report(request, sample_id):
    """The findings report: anonymised, for the force and the domestic abuse board."""
    _police(request.user)
    sample = load_for(request.user, ScrutinySample, sample_id)  # scoped, audited read
    context = {
        "sample": sample,
        "report": selectors.findings_report(sample),
        "back": reverse("protection:sample", args=[sample.pk]),
    }
    if services.may_record_police(request.user) and can_edit(request.user, sample):
        context["recommendations"] = selectors.sample_recommendations(sample)
        context["recommend"] = reverse("protection:sample_recommend", args=[sample.pk])
    return render(request, "protection/report.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def sample_recommend(request, sample_id):
    _police(request.user)
    sample = load_for(request.user, ScrutinySample, sample_id, write=True)
    form = forms.RecommendationForm(
        request.POST or None, owners=selectors.recommendation_owners(request.user)
    )
    return _form_action(
        request,
        form,
        "Record a recommendation from the panel",
        lambda: services.sample_recommendation(
            actor=request.user, sample=sample, owning_agency=request.user.agency, **form.cleaned_data
        ),
        lambda made: (
            "Recommendation added to the tracker",
            reverse("protection:sample_report", args=[sample.pk]),
        ),
        back=reverse("protection:sample_report", args=[sample.pk]),
        caption=sample.title,
    )


@login_required
def findings(request):
    """Every panel round's findings report, anonymised: for the domestic abuse board, analysts and
    the commissioner (no record id in the address: nothing here is person-level)."""
    _aggregates(request.user)
    reports = [
        {"sample": sample, "report": selectors.findings_report(sample)} for sample in selectors.panel_rounds()
    ]
    return render(request, "protection/findings.html", {"reports": reports})
