"""MASH referral pages. Referrals and people are loaded only through `safehub.core.access`;
information requests only through `selectors` (the MASH, or the agency asked)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from safehub.contacts.models import PublicProtectionNotice
from safehub.core import audit
from safehub.core.access import load_for, require_person_level
from safehub.core.models import Agency, AuditAction
from safehub.core.presenters import apply_form_errors
from safehub.people import presenters as people_presenters
from safehub.people import selectors as people_selectors
from safehub.people.forms import PersonSearchForm
from safehub.people.models import Person
from safehub.referrals import presenters, selectors, services
from safehub.referrals.forms import (
    AnswerForm,
    ApprovalForm,
    AssignForm,
    DecisionForm,
    InformationRequestForm,
    NewSubjectForm,
    QueueFilterForm,
    ReferralForm,
    SubjectPickForm,
    TriageForm,
)
from safehub.referrals.models import Referral
from safehub.referrals.services import StaleReferral

DRAFT_KEY = "referrals:draft"


def _require_mash_user(user) -> None:
    require_person_level(user)
    if not selectors.is_mash_user(user):
        raise PermissionDenied("Only the district MASH uses the MASH queue")


# --- make a referral (step 1 details, step 2 people, then submit) -------------------------------


def _draft(request) -> dict[str, Any] | None:
    return request.session.get(DRAFT_KEY)


def _save_draft(request, draft: dict[str, Any]) -> None:
    request.session[DRAFT_KEY] = draft
    request.session.modified = True


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request):
    """Step 1: the concern, consent and the voice of the child (kept in the session until submitted)."""
    require_person_level(request.user)
    districts = request.user.agency.districts.all()
    draft = _draft(request)
    initial = {"source": services.source_for(request.user.agency)}
    if request.user.district_id:
        initial["district"] = request.user.district_id
    if draft and request.method == "GET":
        initial.update(draft["fields"])
    form = ReferralForm(request.POST or None, districts=districts, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        fields["district"] = str(fields["district"].pk)
        _save_draft(
            request,
            {
                "fields": fields,
                "subjects": (draft or {}).get("subjects", []),
                "searched": bool(draft and draft.get("searched")),
            },
        )
        return redirect("referrals:create_people")
    return render(
        request,
        "referrals/create.html",
        {"form": form, "title": "Make a referral to the MASH", "step": "Step 1 of 2"},
    )


def _require_draft(request) -> dict[str, Any]:
    require_person_level(request.user)
    draft = _draft(request)
    if draft is None:
        raise _Restart()
    return draft


class _Restart(Exception):
    pass


def _restart_on_missing(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _Restart:
            messages.info(request, "Start with the details of the concern")
            return redirect("referrals:create")

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _draft_subject_rows(request, draft) -> list[dict[str, Any]]:
    rows = []
    ids = [s["person"] for s in draft["subjects"] if "person" in s]
    people = {str(p.pk): p for p in Person.objects.visible_to(request.user).filter(pk__in=ids)}
    for index, subject in enumerate(draft["subjects"]):
        if "person" in subject:
            person = people.get(subject["person"])
            name = person.full_name if person else "A person you can no longer see"
        else:
            name = f"{subject['new_person']['given_name']} {subject['new_person']['family_name']} (new)"
        rows.append({"index": index, "name": name, "child": "Child" if subject["is_child"] else "Adult"})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
@_restart_on_missing
def referral_create_people(request):
    """Step 2: search the person index (POST), add results, or add a new person after searching."""
    draft = _require_draft(request)
    form = PersonSearchForm(request.POST or None)
    results = None
    people = None
    if request.method == "POST" and form.is_valid():
        people = list(people_selectors.person_search(request.user, form.cleaned_data["query"])[:50])
        audit.record(request.user, AuditAction.SEARCH, object_type="people.person", fields=["query"])
        audit.record_listed(request.user, people)
    elif request.GET.get("person"):  # chosen or added after the cross-agency match check (linkage)
        people = [load_for(request.user, Person, request.GET["person"])]
    if people is not None:
        results = []
        for person in people:
            row = people_presenters.person_row(person)
            row["is_child"] = "no" if person.age is not None and person.age >= 18 else "yes"
            results.append(row)
        draft["searched"] = True
        _save_draft(request, draft)
    context = {
        "form": form,
        "title": "Who is the referral about?",
        "step": "Step 2 of 2",
        "results": results,
        "subjects": _draft_subject_rows(request, draft),
        "searched": draft.get("searched"),
        "draft": draft["fields"],
    }
    return render(request, "referrals/create_people.html", context)


@login_required
@require_POST
@_restart_on_missing
def referral_create_pick(request):
    draft = _require_draft(request)
    form = SubjectPickForm(request.POST)
    if not form.is_valid():
        for error in [e for errors in form.errors.values() for e in errors]:
            messages.error(request, error)
        return redirect("referrals:create_people")
    person = load_for(request.user, Person, form.cleaned_data["person"], audit_read=False)
    if any(s.get("person") == str(person.pk) for s in draft["subjects"]):
        messages.info(request, f"{person.full_name} is already on the referral")
    else:
        draft["subjects"].append(
            {"person": str(person.pk), "is_child": form.cleaned_data["is_child"] == "yes"}
        )
        _save_draft(request, draft)
        messages.success(request, f"{person.full_name} added")
    return redirect("referrals:create_people")


@login_required
@require_POST
@_restart_on_missing
def referral_create_remove(request, index: int):
    draft = _require_draft(request)
    if 0 <= index < len(draft["subjects"]):
        draft["subjects"].pop(index)
        _save_draft(request, draft)
    return redirect("referrals:create_people")


@login_required
@require_http_methods(["GET", "POST"])
@_restart_on_missing
def referral_create_new_person(request):
    draft = _require_draft(request)
    if not draft.get("searched"):
        messages.info(request, "Search the person index first, so the same person is not recorded twice")
        return redirect("referrals:create_people")
    form = NewSubjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.person_data()
        if data.get("date_of_birth"):
            data["date_of_birth"] = data["date_of_birth"].isoformat()
        draft["subjects"].append({"new_person": data, "is_child": form.cleaned_data["is_child"] == "yes"})
        _save_draft(request, draft)
        messages.success(request, f"{data['given_name']} {data['family_name']} added")
        return redirect("referrals:create_people")
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "title": "Add a new person to the referral",
            "back": reverse("referrals:create_people"),
        },
    )


@login_required
@require_POST
@_restart_on_missing
def referral_create_submit(request):
    """Send the referral: everything is stored at once, or nothing."""
    draft = _require_draft(request)
    fields = dict(draft["fields"])
    district = request.user.agency.districts.filter(pk=fields.pop("district")).first()
    ids = [s["person"] for s in draft["subjects"] if "person" in s]
    people = {str(p.pk): p for p in Person.objects.visible_to(request.user).filter(pk__in=ids)}
    subjects = []
    for subject in draft["subjects"]:
        if "person" in subject:
            if subject["person"] not in people:
                continue
            subjects.append({"person": people[subject["person"]], "is_child": subject["is_child"]})
        else:
            new = dict(subject["new_person"])
            if new.get("date_of_birth"):
                new["date_of_birth"] = date.fromisoformat(new["date_of_birth"])
            subjects.append({"new_person": new, "is_child": subject["is_child"]})
    try:
        if district is None:
            raise ValidationError({"district": "Select a district your agency serves"})
        referral = services.referral_create(
            actor=request.user, district=district, subjects=subjects, **fields
        )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect("referrals:create_people")
    request.session.pop(DRAFT_KEY, None)
    messages.success(request, f"Referral {referral.reference} sent to the MASH")
    return redirect("referrals:detail", referral_id=referral.pk)


# --- the MASH queue --------------------------------------------------------------------------


def _queue(request):
    filters = QueueFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    return filters, selectors.queue_for(
        request.user,
        rag=data.get("rag", ""),
        status=data.get("status", ""),
        category=data.get("category", ""),
        sort=data.get("sort") or "due",
    )


@login_required
def queue(request):
    _require_mash_user(request.user)
    filters, referrals = _queue(request)
    page = Paginator(referrals, 100).get_page(request.GET.get("page"))
    ppns = selectors.ppns_awaiting(request.user)
    audit.record_listed(request.user, [*page.object_list, *ppns])
    now = timezone.now()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/queue.html",
        {
            "filters": filters,
            "rows": [presenters.referral_row(r, now) for r in page.object_list],
            "page": page,
            "ppns": [
                {
                    "id": p.pk,
                    "person": p.person.full_name,
                    "concern": p.get_concern_type_display(),
                    "rag": p.get_rag_display(),
                    "raised": presenters.when(p.raised_at),
                }
                for p in ppns
            ],
            "json_url": reverse("referrals:queue_json") + (f"?{query.urlencode()}" if query else ""),
            "query_prefix": f"{query.urlencode()}&" if query else "",
        },
    )


@login_required
def queue_json(request):
    """The queue's rows for the page's poller (js/referrals-queue.mjs): countdowns and new arrivals."""
    _require_mash_user(request.user)
    _, referrals = _queue(request)
    rows = list(referrals[:100])
    audit.record_listed(request.user, rows)
    now = timezone.now()
    return JsonResponse({"now": now.isoformat(), "rows": [presenters.referral_row(r, now) for r in rows]})


@login_required
@require_POST
def take_ppn(request, ppn_id):
    _require_mash_user(request.user)
    ppn = load_for(request.user, PublicProtectionNotice, ppn_id, audit_read=False)
    try:
        referral = services.referral_from_ppn(actor=request.user, ppn=ppn)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
        return redirect("referrals:queue")
    messages.success(request, f"PPN taken into the queue as referral {referral.reference}")
    return redirect("referrals:detail", referral_id=referral.pk)


# --- one referral ------------------------------------------------------------------------------


@login_required
def referral_detail(request, referral_id):
    referral = load_for(request.user, Referral, referral_id)  # scoped, audited read
    return render(request, "referrals/detail.html", presenters.referral_page(referral, request.user))


def _load_for_mash(request, referral_id, *, manager: bool = False) -> Referral:
    """404 out of scope, 403 for read-only (the referrer) and for anyone not in the district MASH."""
    referral = load_for(request.user, Referral, referral_id, write=True)
    allowed = services.is_manager_for if manager else services.is_mash_for
    if not allowed(request.user, referral):
        raise PermissionDenied(
            "Only a MASH manager of the district can do this"
            if manager
            else "Only the district MASH can do this"
        )
    return referral


def _run(form, action):
    """Run a service; field errors go on the form; a stale write is returned separately."""
    stale: list[StaleReferral] = []

    def guarded():
        try:
            return action()
        except StaleReferral as exc:
            stale.append(exc)
            return None

    return apply_form_errors(form, guarded), (stale[0] if stale else None)


def _form_page(request, referral, form, title, *, stale=None, template="referrals/form.html", extra=None):
    context = {
        "referral": referral,
        "form": form,
        "title": title,
        "back": reverse("referrals:detail", args=[referral.pk]),
        "stale": stale,
    }
    if stale is not None:
        current = stale.current
        context["referral"] = current
        context["stale_rows"] = presenters.summary_rows(current)
        data = form.data.copy()
        data["version"] = str(current.version)
        form.data = data
    context.update(extra or {})
    return render(request, template, context, status=409 if stale is not None else 200)


def _mash_action(
    request, referral_id, form_class, title, action, success, *, manager=False, form_kwargs=None
):
    referral = _load_for_mash(request, referral_id, manager=manager)
    extra = form_kwargs(referral) if form_kwargs else {}
    form = form_class(request.POST or None, initial={"version": referral.version}, **extra)
    if request.method == "POST" and form.is_valid():
        result, stale = _run(form, lambda: action(referral, form.cleaned_data))
        if stale is not None:
            return _form_page(request, referral, form, title, stale=stale)
        if result is not None:
            messages.success(request, success(referral, result))
            return redirect("referrals:detail", referral_id=referral.pk)
    return _form_page(request, referral, form, title)


@login_required
@require_http_methods(["GET", "POST"])
def referral_triage(request, referral_id):
    def action(referral, data):
        return services.referral_triage(
            actor=request.user,
            referral=referral,
            expected_version=data["version"],
            rag=data["rag"],
            reason=data["reason"],
        )

    def success(referral, result):
        text = f"Referral {result.reference} rated {result.get_rag_display().lower()}"
        return f"{text}. {result.escalation_reason}" if result.escalated else text

    return _mash_action(request, referral_id, TriageForm, "Triage: RAG rating", action, success)


@login_required
@require_http_methods(["GET", "POST"])
def referral_assign(request, referral_id):
    def action(referral, data):
        return services.referral_assign(
            actor=request.user, referral=referral, expected_version=data["version"], assignee=data["assignee"]
        )

    return _mash_action(
        request,
        referral_id,
        AssignForm,
        "Assign the referral",
        action,
        lambda referral, result: f"Assigned to {result.assigned_to}: they have been notified",
        form_kwargs=lambda referral: {"users": services.mash_users(referral.district)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def information_request_create(request, referral_id):
    def kwargs(referral):
        return {
            "agencies": Agency.objects.filter(districts=referral.district)
            .exclude(pk=request.user.agency_id)
            .distinct(),
            "subjects": [
                (str(s.person_id), s.person.full_name) for s in referral.subjects.select_related("person")
            ],
        }

    def action(referral, data):
        person = None
        if data.get("person"):
            subject = referral.subjects.select_related("person").filter(person_id=data["person"]).first()
            if subject is None:
                raise ValidationError({"person": "Select a person the referral is about"})
            person = subject.person
        return services.information_request_create(
            actor=request.user,
            referral=referral,
            expected_version=data["version"],
            to_agency=data["to_agency"],
            person=person,
            question=data["question"],
            purpose=data["purpose"],
            lawful_basis=data["lawful_basis"],
            condition=data.get("condition", ""),
            due_at=_due_at(data),
        )

    return _mash_action(
        request,
        referral_id,
        InformationRequestForm,
        "Ask a partner agency for information",
        action,
        lambda referral, result: f"Request sent to {result.to_agency.name}",
        form_kwargs=kwargs,
    )


def _due_at(data):
    from datetime import datetime

    return timezone.make_aware(datetime.combine(data["due_date"], data["due_time"]))


@login_required
@require_http_methods(["GET", "POST"])
def referral_decide(request, referral_id):
    def action(referral, data):
        return services.decision_record(
            actor=request.user,
            referral=referral,
            expected_version=data["version"],
            outcome=data["outcome"],
            rationale=data["rationale"],
            feedback_text=data.get("feedback_text", ""),
        )

    def success(referral, decision):
        if decision.approval_required:
            return f"Decision recorded: {decision.get_outcome_display()}. A MASH manager must approve it"
        return f"Decision recorded: {decision.get_outcome_display()}. The referrer has been told"

    return _mash_action(request, referral_id, DecisionForm, "Record the decision", action, success)


@login_required
@require_http_methods(["GET", "POST"])
def referral_approve(request, referral_id):
    def action(referral, data):
        return services.decision_approve(
            actor=request.user,
            referral=referral,
            expected_version=data["version"],
            approve=data["approve"] == "yes",
            note=data.get("note", ""),
        )

    def success(referral, decision):
        if decision.approval_status == "approved":
            return "Decision approved: the referrer has been told"
        return "Decision returned for a new decision"

    return _mash_action(
        request, referral_id, ApprovalForm, "Approve the decision", action, success, manager=True
    )


# --- partners: requests for information; referrers: my referrals ------------------------------


@login_required
def information_requests(request):
    require_person_level(request.user)
    rows = list(selectors.information_requests_to_agency(request.user)[:200])
    waiting = [presenters.request_row(r, with_answer=True) for r in rows if r.status == "sent"]
    answered = [presenters.request_row(r, with_answer=True) for r in rows if r.status != "sent"]
    audit.record_listed(request.user, rows)
    return render(request, "referrals/information_requests.html", {"waiting": waiting, "answered": answered})


@login_required
@require_http_methods(["GET", "POST"])
def information_request_answer(request, request_id):
    require_person_level(request.user)
    info = selectors.information_request_to_answer(request.user, request_id)  # 404 unless sent to us
    audit.record(request.user, AuditAction.READ, info, person_id=info.person_id)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply_form_errors(
            form,
            lambda: services.information_request_answer(
                actor=request.user, request=info, answer=form.cleaned_data["answer"]
            ),
        )
        if done is not None:
            messages.success(request, f"Answer sent to the MASH for referral {info.referral.reference}")
            return redirect("referrals:information_requests")
    return render(
        request,
        "referrals/answer.html",
        {
            "form": form,
            "row": presenters.request_row(info, with_answer=True),
            "title": f"Answer the MASH: referral {info.referral.reference}",
            "back": reverse("referrals:information_requests"),
        },
    )


@login_required
def my_referrals(request):
    require_person_level(request.user)
    page = Paginator(selectors.referrals_made_by(request.user), 50).get_page(request.GET.get("page"))
    audit.record_listed(request.user, page.object_list)
    rows = []
    for referral in page.object_list:
        row = presenters.referral_row(referral)
        row["feedback"] = presenters.feedback_for(referral)
        rows.append(row)
    return render(request, "referrals/mine.html", {"rows": rows, "page": page, "query_prefix": ""})
