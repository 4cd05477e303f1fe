"""Person matching pages. Person-level records load only through `safehub.core.access`;
searches are by POST so names never appear in a URL."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from safehub.core.access import load_for
from safehub.core.presenters import apply_form_errors
from safehub.linkage import matching, presenters, rules, selectors, services
from safehub.linkage.forms import ExtractUploadForm, MatchCheckForm, MergeForm
from safehub.linkage.models import ExtractStatus, MatchReview, Merge, PartnerExtract, ReviewStatus
from safehub.people.models import Person


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Your role does not allow this")


def _next_url(request, person_id=None) -> str | None:
    """A local page to continue to (`{person}` replaced by the chosen record), or None."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return None
    return target.replace("{person}", str(person_id)) if person_id else target


@login_required
def home(request):
    _require(rules.can_link(request.user) or rules.can_see_model(request.user))
    context = {"can_link": rules.can_link(request.user), "can_see_model": rules.can_see_model(request.user)}
    if context["can_link"]:
        context["pending"] = selectors.review_queue(request.user).count()
        context["extracts"] = selectors.extract_list(request.user)[:5]
    return render(request, "linkage/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def check(request):
    """Search before create: candidates with probability and per-field evidence, then choose one
    or add a new person."""
    _require(rules.can_search(request.user))
    districts = request.user.agency.districts.all()
    form = MatchCheckForm(request.POST or None, districts=districts)
    action = request.POST.get("action", "search")
    context = {"form": form, "next": _next_url(request) or "", "results": None}
    if request.method == "POST" and action == "choose":
        person = load_for(request.user, Person, request.POST.get("person"))  # scoped, audited read
        services.match_choose(actor=request.user, person=person)
        messages.success(request, f"{person.full_name} chosen")
        return redirect(_next_url(request, person.pk) or reverse("people:detail", args=[person.pk]))
    if request.method == "POST" and form.is_valid():
        if action == "create":
            person = apply_form_errors(
                form,
                lambda: services.person_create_checked(
                    actor=request.user,
                    district=form.cleaned_data["district"],
                    candidates_shown=int(request.POST.get("shown") or 0),
                    postcode=form.cleaned_data["postcode"],
                    address_line1=form.cleaned_data["address_line1"],
                    town=form.cleaned_data["town"],
                    nhs_number=form.cleaned_data["nhs_number"],
                    **form.person_data(),
                ),
            )
            if person is not None:
                messages.success(request, "Person record created")
                return redirect(_next_url(request, person.pk) or reverse("people:detail", args=[person.pk]))
        else:
            found = apply_form_errors(
                form, lambda: services.candidate_search(actor=request.user, query=form.query())
            )
            if found is not None:
                context["results"] = [presenters.candidate_row(*row) for row in found["visible"]]
                context["elsewhere"] = found["elsewhere"]
                context["shown"] = len(found["visible"]) + len(found["elsewhere"])
                context["model_version"] = found["model_version"]
    return render(request, "linkage/check.html", context)


@login_required
@require_POST
def ask_mash(request):
    _require(rules.can_search(request.user))
    try:
        told = services.mash_ask(actor=request.user, token=request.POST.get("token", ""))
    except services.ValidationError:
        messages.error(request, "This request has expired: search again")
        return redirect("linkage:check")
    if told:
        messages.success(
            request, "The MASH has been asked. They will contact the agency that holds the record."
        )
    else:
        messages.warning(request, "No MASH practitioner is set up for that district: phone the MASH")
    return redirect(_next_url(request) or reverse("linkage:check"))


# --- extracts ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def extract_list(request):
    _require(rules.can_link(request.user))
    form = ExtractUploadForm(
        request.POST or None, request.FILES or None, districts=request.user.agency.districts.all()
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        extract = apply_form_errors(
            form,
            lambda: services.extract_check(
                actor=request.user,
                district=form.cleaned_data["district"],
                partner_name=form.cleaned_data["partner_name"],
                partner_kind=form.cleaned_data["partner_kind"],
                filename=upload.name,
                content=upload.read(),
            ),
        )
        if extract is not None:
            return redirect("linkage:extract", extract_id=extract.pk)
    return render(
        request, "linkage/extracts.html", {"form": form, "extracts": selectors.extract_list(request.user)}
    )


@login_required
def extract_detail(request, extract_id):
    _require(rules.can_link(request.user))
    extract = load_for(request.user, PartnerExtract, extract_id)  # scoped, audited read
    records = Paginator(selectors.extract_records(extract), 100).get_page(request.GET.get("page"))
    context = {
        "extract": extract,
        "records": records,
        "problems": extract.problems[:500],
        "more_problems": max(len(extract.problems) - 500, 0),
        "waiting": extract.status == ExtractStatus.CHECKED,
        "linking": extract.status == ExtractStatus.LINKING,
        "chunk": rules.LINK_CHUNK,
    }
    return render(request, "linkage/extract.html", context)


def _link_step(request, extract_id) -> PartnerExtract:
    """Link the extract for a few seconds as the request's user; the finished sentence, once every
    row is linked, waits in the messages for the extract page."""
    _require(rules.can_link(request.user))
    extract = load_for(request.user, PartnerExtract, extract_id, write=True)
    extract = services.extract_accept(
        actor=request.user, extract=extract, seconds=rules.LINK_SECONDS_PER_REQUEST
    )
    if extract.status == ExtractStatus.LINKED:
        messages.success(request, presenters.extract_linked_sentence(extract))
    return extract


@login_required
@require_POST
def extract_accept(request, extract_id):
    """Accept (or carry on linking) an extract: links for a few seconds, then shows the extract,
    whose page carries on (by itself where scripts run, by a button where they do not)."""
    try:
        _link_step(request, extract_id)
    except services.ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("linkage:extract", extract_id=extract_id)


@login_required
@require_POST
def extract_link(request, extract_id):
    """The extract page's script: link for a few seconds and answer with the progress as JSON."""
    try:
        extract = _link_step(request, extract_id)
    except services.ValidationError as exc:
        return JsonResponse({"detail": " ".join(exc.messages)}, status=409)
    return JsonResponse(presenters.extract_progress(extract))


@login_required
@require_POST
def extract_cancel(request, extract_id):
    _require(rules.can_link(request.user))
    extract = load_for(request.user, PartnerExtract, extract_id, write=True)
    try:
        services.extract_cancel(actor=request.user, extract=extract)
    except services.ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Extract cancelled: nothing was linked")
    return redirect("linkage:extracts")


# --- reviews -------------------------------------------------------------------------------------


@login_required
def review_list(request):
    _require(rules.can_link(request.user))
    page = Paginator(selectors.review_queue(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "linkage/reviews.html", {"page": page, "percent": presenters.percent})


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request, review_id):
    _require(rules.can_link(request.user))
    review = load_for(request.user, MatchReview, review_id, write=request.method == "POST")
    person = load_for(request.user, Person, review.person_id)  # the index side must be in scope
    if request.method == "POST":
        try:
            services.review_decide(
                actor=request.user, review=review, decision=request.POST.get("decision", "")
            )
        except services.ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("linkage:review", review_id=review.pk)
        messages.success(
            request,
            "Confirmed: the record is linked"
            if request.POST["decision"] == "confirm"
            else "Rejected: not the same person",
        )
        nxt = selectors.review_queue(request.user).first()
        return redirect("linkage:review", review_id=nxt.pk) if nxt else redirect("linkage:reviews")
    context = {
        "review": review,
        "person": person,
        "rows": presenters.side_by_side(review.record, person),
        "evidence": presenters.evidence_rows(review.explanation),
        "probability": presenters.percent(review.probability),
        "pending": review.status == ReviewStatus.PENDING,
    }
    return render(request, "linkage/review.html", context)


# --- duplicates, merges --------------------------------------------------------------------------


@login_required
def duplicate_list(request):
    _require(rules.can_link(request.user))
    rows = selectors.duplicate_pairs(request.user)
    for row in rows:
        row["probability_text"] = presenters.percent(row["probability"])
        row["evidence"] = presenters.evidence_rows(row["explanation"].fields)
    merges = selectors.merge_list(request.user)[:50]
    return render(request, "linkage/duplicates.html", {"rows": rows, "merges": merges})


@login_required
@require_http_methods(["GET", "POST"])
def merge_create(request, person_id, subject_id):
    """Merge two records (`subject_id` into `person_id` or the other way: the user chooses)."""
    _require(rules.can_link(request.user))
    if person_id == subject_id:
        raise Http404("A record cannot be merged into itself")
    first = load_for(request.user, Person, person_id, write=request.method == "POST")
    second = load_for(request.user, Person, subject_id, write=request.method == "POST")
    choices = [
        (str(first.pk), f"{first.full_name} ({first.owning_agency.name})"),
        (str(second.pk), f"{second.full_name} ({second.owning_agency.name})"),
    ]
    form = MergeForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        survivor, duplicate = (
            (first, second) if form.cleaned_data["survivor"] == str(first.pk) else (second, first)
        )
        merge = apply_form_errors(
            form,
            lambda: services.person_merge(
                actor=request.user, survivor=survivor, duplicate=duplicate, reason=form.cleaned_data["reason"]
            ),
        )
        if merge is not None:
            messages.success(request, "Records merged. You can undo this.")
            return redirect("linkage:merge", merge_id=merge.pk)
    from safehub.people import presenters as people_presenters

    context = {
        "form": form,
        "first": people_presenters.person_row(first),
        "second": people_presenters.person_row(second),
    }
    return render(request, "linkage/merge_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def merge_detail(request, merge_id):
    _require(rules.can_link(request.user))
    merge = load_for(request.user, Merge, merge_id, write=request.method == "POST")
    if request.method == "POST":
        try:
            services.merge_undo(actor=request.user, merge=merge)
        except services.ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Merge undone: both records are back as they were")
        return redirect("linkage:merge", merge_id=merge.pk)
    moved = sum(len(entry["ids"]) for entry in merge.moved)
    return render(request, "linkage/merge.html", {"merge": merge, "moved": moved})


# --- known to, model -----------------------------------------------------------------------------


@login_required
def known_to(request, person_id):
    _require(rules.can_ask_known_to(request.user))
    person = load_for(request.user, Person, person_id)  # scoped, audited read
    rows = services.known_to(actor=request.user, person=person)
    return render(request, "linkage/known_to.html", {"person": person, "rows": rows})


@login_required
def model_detail(request):
    _require(rules.can_see_model(request.user))
    model, meta, version = matching.current_model()
    parameters = selectors.model_parameters(model)
    context = {
        "version": version,
        "meta": meta,
        "versions": matching.model_versions(),
        "parameters": parameters,
        "chart": presenters.weight_chart(parameters),
        "prior": model.get("probability_two_random_records_match"),
        "blocking": [
            rule.get("blocking_rule", rule) if isinstance(rule, dict) else rule
            for rule in model.get("blocking_rules_to_generate_predictions", [])
        ],
        "thresholds": {"auto": rules.AUTO_LINK, "review": rules.REVIEW, "candidate": rules.CANDIDATE},
    }
    return render(request, "linkage/model.html", context)
