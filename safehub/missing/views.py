"""Missing-person pages. Episodes, interviews and plans load only through `safehub.core.access`;
protocol profiles only through `selectors.profile_for` (owning agency and police)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safehub.core import audit
from safehub.core.access import can_edit, load_for, require_person_level
from safehub.core.forms import apply_service
from safehub.core.models import AuditAction
from safehub.missing import forms, presenters, rules, selectors, services
from safehub.missing.models import MissingEpisode, PlanAction, ProblemPlan, ReturnInterview
from safehub.people import presenters as people_presenters
from safehub.people import selectors as people_selectors
from safehub.people.forms import PersonSearchForm
from safehub.people.models import Person


def _require_recorder(user) -> None:
    require_person_level(user)
    if not services.may_record(user):
        raise PermissionDenied("Only police officers and missing person coordinators record missing episodes")


def _form_page(request, form, title, *, back, caption="", multipart=False, status=200):
    context = {"form": form, "title": title, "back": back, "caption": caption, "multipart": multipart}
    return render(request, "missing/form.html", context, status=status)


# --- lists -------------------------------------------------------------------------------------


@login_required
def episode_list(request):
    require_person_level(request.user)
    status = request.GET.get("status", "open")
    episodes = selectors.episodes_for(request.user, status="" if status == "all" else status)
    page = Paginator(episodes, 50).get_page(request.GET.get("page"))
    audit.record_listed(request.user, page.object_list)
    names = selectors.level_names(request.user.agency.force)
    return render(
        request,
        "missing/list.html",
        {
            "rows": [presenters.episode_row(e, names) for e in page.object_list],
            "page": page,
            "status": status,
            "may_record": services.may_record(request.user),
            "query_prefix": f"status={status}&",
        },
    )


@login_required
def interview_list(request):
    require_person_level(request.user)
    interviews = list(selectors.interviews_for(request.user)[:200])
    audit.record_listed(request.user, interviews)
    rows = [presenters.interview_row(i) for i in interviews]
    return render(
        request,
        "missing/interviews.html",
        {
            "open": [r for r in rows if r["status"] in ("To be offered", "Offered", "Accepted")],
            "closed": [r for r in rows if r["status"] in ("Declined", "Completed")],
        },
    )


@login_required
def repeat_list(request):
    require_person_level(request.user)
    rows = selectors.repeat_people(request.user)
    audit.record_listed(request.user, [row["person"] for row in rows])
    overdue = selectors.people_with_overdue_plan_reviews(request.user, [row["person"].pk for row in rows])
    rows = [row | {"review_overdue": row["person"].pk in overdue} for row in rows]
    return render(request, "missing/repeat.html", {"rows": rows})


# --- report an episode ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def episode_start(request):
    """Find the person first (POST keeps names out of URLs)."""
    _require_recorder(request.user)
    form = PersonSearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        people = list(people_selectors.person_search(request.user, form.cleaned_data["query"])[:50])
        audit.record(request.user, AuditAction.SEARCH, object_type="people.person", fields=["query"])
        audit.record_listed(request.user, people)
        results = [people_presenters.person_row(p) for p in people]
    return render(request, "missing/start.html", {"form": form, "results": results})


@login_required
@require_http_methods(["GET", "POST"])
def episode_create(request, person_id):
    _require_recorder(request.user)
    person = load_for(request.user, Person, person_id)  # scoped, audited read
    now = timezone.localtime()
    child = rules.is_child_on(person.date_of_birth, now.date())
    levels = selectors.risk_levels(request.user.agency.force)
    initial = {
        "district": person.district_id,
        "is_child": "no" if child is False else "yes",
        "reported_date": now.date(),
        "reported_time": now.strftime("%H:%M"),
    }
    form = forms.EpisodeForm(
        request.POST or None, districts=request.user.agency.districts.all(), levels=levels, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        episode = apply_service(
            form, lambda: services.episode_create(actor=request.user, person=person, **form.service_data())
        )
        if episode is not None:
            messages.success(request, f"Missing episode {episode.reference} recorded")
            return redirect("missing:detail", episode_id=episode.pk)
    return _form_page(
        request, form, "Report a missing person", back=reverse("missing:start"), caption=person.full_name
    )


# --- one episode -----------------------------------------------------------------------------------


@login_required
def episode_detail(request, episode_id):
    episode = load_for(request.user, MissingEpisode, episode_id)  # scoped, audited read
    return render(request, "missing/detail.html", presenters.episode_page(episode, request.user))


def _episode_action(request, episode_id, form_class, title, action, success, form_kwargs=None):
    episode = load_for(request.user, MissingEpisode, episode_id, write=True)
    form = form_class(request.POST or None, **(form_kwargs(episode) if form_kwargs else {}))
    if request.method == "POST" and form.is_valid():
        result = apply_service(form, lambda: action(episode, form))
        if result is not None:
            messages.success(request, success(result))
            return redirect("missing:detail", episode_id=episode.pk)
    return _form_page(
        request, form, title, back=reverse("missing:detail", args=[episode.pk]), caption=episode.reference
    )


@login_required
@require_http_methods(["GET", "POST"])
def episode_regrade(request, episode_id):
    return _episode_action(
        request,
        episode_id,
        forms.RegradeForm,
        "Regrade the risk",
        lambda episode, form: services.episode_regrade(
            actor=request.user, episode=episode, **form.cleaned_data
        ),
        lambda grading: f"Risk regraded: {grading.level_name}",
        form_kwargs=lambda episode: {"levels": selectors.risk_levels(episode.district.force)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def episode_action(request, episode_id):
    return _episode_action(
        request,
        episode_id,
        forms.ActionForm,
        "Record an action or enquiry",
        lambda episode, form: services.episode_action_add(
            actor=request.user, episode=episode, **form.cleaned_data
        ),
        lambda action: f"{action.get_kind_display()} recorded",
    )


@login_required
@require_http_methods(["GET", "POST"])
def episode_found(request, episode_id):
    def success(episode):
        if episode.is_child:
            interview = ReturnInterview.objects.visible_to(request.user).filter(episode=episode).first()
            if interview is not None:
                due = presenters.when(interview.due_at)
                return f"Return recorded. The return home interview is due by {due}"
        return "Return recorded"

    return _episode_action(
        request,
        episode_id,
        forms.FoundForm,
        "Record the return",
        lambda episode, form: services.episode_found(
            actor=request.user, episode=episode, **form.service_data()
        ),
        success,
    )


# --- return home interviews ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def interview_detail(request, interview_id):
    interview = load_for(request.user, ReturnInterview, interview_id)  # scoped, audited read
    editable = can_edit(request.user, interview)
    form = None
    if editable:
        initial = {name: getattr(interview, name) for name in services.INTERVIEW_FIELDS}
        initial["interviewer_independent"] = "yes" if interview.interviewer_independent else "no"
        form = forms.InterviewForm(
            request.POST or None, statuses=rules.next_statuses(interview.status), initial=initial
        )
        if request.method == "POST" and form.is_valid():
            done = apply_service(
                form,
                lambda: services.return_interview_update(
                    actor=request.user, interview=interview, **form.service_data()
                ),
            )
            if done is not None:
                messages.success(request, f"Return home interview saved: {done.get_status_display().lower()}")
                return redirect("missing:interview", interview_id=interview.pk)
    elif request.method == "POST":
        raise PermissionDenied("You can read this interview but not change it")
    context = {
        "row": presenters.interview_row(interview),
        "interview": interview,
        "form": form,
        "themes": [
            ("Where the child was", interview.where_stayed or "Not recorded"),
            ("Who the child was with", interview.who_with or "Not recorded"),
            ("Push factors", presenters.labels(interview.push_factors, forms.PushFactor.choices)),
            ("Pull factors", presenters.labels(interview.pull_factors, forms.PullFactor.choices)),
            (
                "Exploitation indicators",
                presenters.labels(interview.exploitation_indicators, forms.ExploitationIndicator.choices),
            ),
            ("The child's own words", interview.child_words or "Not recorded"),
        ],
    }
    return render(request, "missing/interview.html", context)


# --- protocol profiles ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile_list(request):
    """The agency's profiles, and a person search (POST) to complete a new one."""
    require_person_level(request.user)
    profiles = list(selectors.profiles_owned_by(request.user)[:200])
    audit.record_listed(request.user, profiles)
    form = PersonSearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        people = list(people_selectors.person_search(request.user, form.cleaned_data["query"])[:50])
        audit.record(request.user, AuditAction.SEARCH, object_type="people.person", fields=["query"])
        audit.record_listed(request.user, people)
        results = [people_presenters.person_row(p) for p in people]
    return render(request, "missing/profiles.html", {"profiles": profiles, "form": form, "results": results})


@login_required
@require_http_methods(["GET", "POST"])
def profile_create(request, person_id):
    require_person_level(request.user)
    person = load_for(request.user, Person, person_id)  # scoped, audited read
    form = forms.ProfileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        profile = apply_service(
            form, lambda: services.profile_create(actor=request.user, person=person, **form.service_data())
        )
        if profile is not None:
            messages.success(request, f"{profile.get_kind_display()} profile saved")
            return redirect("missing:profile", profile_id=profile.pk)
    return _form_page(
        request,
        form,
        "Complete a protocol profile",
        back=reverse("people:detail", args=[person.pk]),
        caption=person.full_name,
        multipart=True,
    )


@login_required
def profile_detail(request, profile_id):
    profile = selectors.profile_for(request.user, profile_id)  # owner or police, audited
    return render(request, "missing/profile.html", presenters.profile_page(profile, request.user))


@login_required
def profile_pdf(request, profile_id):
    import weasyprint

    profile = selectors.profile_for(request.user, profile_id)  # owner or police, audited
    audit.record(request.user, AuditAction.EXPORT, profile, reason="Briefing sheet (PDF)")
    html = render_to_string("missing/briefing_pdf.html", presenters.profile_page(profile, request.user))
    pdf = weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="briefing-{profile.pk}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, profile_id):
    profile = selectors.profile_to_change(request.user, profile_id)  # owning agency only
    initial = {name: getattr(profile, name) for name in services.PROFILE_FIELDS}
    form = forms.ProfileForm(request.POST or None, request.FILES or None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form, lambda: services.profile_update(actor=request.user, profile=profile, **form.service_data())
        )
        if done is not None:
            messages.success(request, "Profile updated")
            return redirect("missing:profile", profile_id=profile.pk)
    return _form_page(
        request,
        form,
        "Update the protocol profile",
        back=reverse("missing:profile", args=[profile.pk]),
        caption=profile.person.full_name,
        multipart=True,
    )


# --- repeat missing: the problem profile and its plan ----------------------------------------------


@login_required
def problem_profile(request, person_id):
    require_person_level(request.user)
    person, episodes = selectors.person_with_episodes(request.user, person_id)  # scoped, audited
    data = selectors.problem_profile(request.user, person, episodes)
    names = selectors.level_names(person.district.force)
    return render(
        request,
        "missing/problem_profile.html",
        {
            "person": person,
            "data": data,
            "timeline": [
                presenters.episode_row(e, names) | {"found_place": e.found_place} for e in reversed(episodes)
            ],
            "heat": presenters.heat_rows(data.heat_map),
            "plans": [presenters.plan_card(plan, request.user) for plan in data.plans],
            "hours": range(24),
            "may_plan": request.user.has_person_level_access,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request, person_id):
    require_person_level(request.user)
    person, _ = selectors.person_with_episodes(request.user, person_id)  # scoped, audited
    form = forms.PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = apply_service(
            form, lambda: services.plan_create(actor=request.user, person=person, **form.cleaned_data)
        )
        if plan is not None:
            messages.success(request, "Problem-solving plan saved")
            return redirect("missing:problem_profile", person_id=person.pk)
    return _form_page(
        request,
        form,
        "Agree a problem-solving plan (SARA)",
        back=reverse("missing:problem_profile", args=[person.pk]),
        caption=person.full_name,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_action(request, plan_id):
    plan = load_for(request.user, ProblemPlan, plan_id, write=True)
    form = forms.PlanActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form, lambda: services.plan_action_add(actor=request.user, plan=plan, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, "Action added to the plan")
            return redirect("missing:problem_profile", person_id=plan.person_id)
    return _form_page(
        request,
        form,
        "Add an action to the plan",
        back=reverse("missing:problem_profile", args=[plan.person_id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, plan_id):
    plan = load_for(request.user, ProblemPlan, plan_id, write=True)
    initial = {name: getattr(plan, name) for name in services.PLAN_FIELDS}
    form = forms.PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form, lambda: services.plan_update(actor=request.user, plan=plan, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, "Problem-solving plan updated")
            return redirect("missing:problem_profile", person_id=plan.person_id)
    return _form_page(
        request,
        form,
        "Change the problem-solving plan",
        back=reverse("missing:problem_profile", args=[plan.person_id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_review(request, plan_id):
    plan = load_for(request.user, ProblemPlan, plan_id, write=True)
    form = forms.PlanReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form, lambda: services.plan_review_record(actor=request.user, plan=plan, **form.cleaned_data)
        )
        if done is not None:
            next_review = presenters.day(done.next_review_date)
            messages.success(request, f"Plan review recorded. Next review by {next_review}")
            return redirect("missing:problem_profile", person_id=plan.person_id)
    return _form_page(
        request,
        form,
        "Record a review of the plan",
        back=reverse("missing:problem_profile", args=[plan.person_id]),
        caption=f"Review due by {presenters.day(plan.review_date)}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_action_update(request, action_id):
    action = load_for(request.user, PlanAction, action_id, write=True)
    form = forms.PlanActionUpdateForm(
        request.POST or None, initial={name: getattr(action, name) for name in forms.ACTION_UPDATE_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form,
            lambda: services.plan_action_update(actor=request.user, action=action, **form.cleaned_data),
        )
        if done is not None:
            messages.success(request, f"Action {'done' if done.is_done else 'updated'}")
            return redirect("missing:problem_profile", person_id=action.plan.person_id)
    return _form_page(
        request,
        form,
        "Update the action",
        back=reverse("missing:problem_profile", args=[action.plan.person_id]),
        caption=f"{action.get_stage_display()}: {action.description[:80]}",
    )
