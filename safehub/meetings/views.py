"""MARAC and MACE pages. Series, meetings, cases and actions are loaded only through
`safehub.meetings.access` (404 out of scope, 403 for the wrong role, the statement first for
cases); people only through `safehub.core.access` or their scoped search."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from safehub.core import audit
from safehub.core.access import load_for, require_person_level
from safehub.core.models import AuditAction
from safehub.core.presenters import apply_form_errors
from safehub.meetings import access, presenters, selectors, services
from safehub.meetings.access import ConfidentialityNotAccepted
from safehub.meetings.forms import (
    ActionForm,
    ActionUpdateForm,
    AttendanceForm,
    InviteForm,
    ManualAddForm,
    MeetingForm,
    MinutesForm,
    PersonPickForm,
    ReasonForm,
    ReferralForm,
    ResearchForm,
)
from safehub.meetings.models import Kind, MeetingStatus
from safehub.people import presenters as people_presenters
from safehub.people import selectors as people_selectors
from safehub.people.forms import PersonSearchForm
from safehub.people.models import Person


def statement_first(view):
    """A case opened before accepting the meeting's statement shows the statement, with a message."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ConfidentialityNotAccepted as exc:
            messages.warning(request, str(exc))
            url = reverse("meetings:confidentiality", args=[exc.meeting.pk])
            return redirect(f"{url}?next={request.path}" if request.method == "GET" else url)

    return wrapped


def _form_page(
    request, form, title: str, back: str, *, caption: str = "", submit: str = "Save", intro: str = ""
):
    context = {
        "form": form,
        "title": title,
        "back": back,
        "caption": caption,
        "submit": submit,
        "intro": intro,
    }
    return render(request, "meetings/form.html", context)


# --- home, series, meetings --------------------------------------------------------------------


@login_required
def home(request):
    require_person_level(request.user)
    actions = list(selectors.actions_for_agency(request.user)[:50])
    audit.record_listed(request.user, actions)
    context = {
        "series": access.series_visible_to(request.user).select_related("district"),
        "coordinated": set(access.coordinated_series(request.user).values_list("pk", flat=True)),
        "meetings": [presenters.meeting_row(m) for m in selectors.next_meetings(request.user)],
        "actions": [presenters.action_row(a) for a in actions],
    }
    return render(request, "meetings/home.html", context)


@login_required
def my_actions(request):
    require_person_level(request.user)
    actions = list(selectors.actions_for_agency(request.user))
    audit.record_listed(request.user, actions)
    return render(request, "meetings/actions.html", {"actions": [presenters.action_row(a) for a in actions]})


@login_required
def series_detail(request, series_id):
    series = access.series_for(request.user, series_id)
    context = {
        "series": series,
        "is_coordinator": access.is_coordinator(request.user, series),
        "meetings": [presenters.meeting_row(m) for m in series.meetings.order_by("-starts_at")[:30]],
        "agencies": selectors.member_agencies(series),
        "coordinators": series.coordinators.select_related("agency"),
    }
    return render(request, "meetings/series.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, series_id):
    series = access.series_for(request.user, series_id)
    if not access.is_coordinator(request.user, series):
        raise PermissionDenied("Only the coordinators of this meeting series can add meetings")
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = apply_form_errors(
            form,
            lambda: services.meeting_create(
                actor=request.user,
                series=series,
                starts_at=form.starts_at(),
                location=form.cleaned_data["location"],
                research_due_at=form.research_due_at(),
            ),
        )
        if meeting is not None:
            messages.success(request, "Meeting added")
            return redirect("meetings:meeting", meeting.pk)
    back = reverse("meetings:series", args=[series.pk])
    return _form_page(request, form, "Add a meeting", back, caption=series.name, submit="Add the meeting")


def _meeting_context(request, meeting) -> dict[str, Any]:
    user = request.user
    coordinator = access.is_coordinator(user, meeting.series)
    accepted = access.has_accepted(user, meeting)
    cases = list(access.cases_for_meeting(user, meeting)) if accepted else []
    attendances = list(meeting.attendances.select_related("user", "agency"))
    actions = [presenters.action_row(a) for a in selectors.meeting_actions(meeting)] if accepted else []
    matrix = selectors.research_matrix(meeting, cases) if accepted and coordinator else None
    return {
        "meeting": meeting,
        "row": presenters.meeting_row(meeting),
        "series_url": reverse("meetings:series", args=[meeting.series_id]),
        "is_coordinator": coordinator,
        "accepted": accepted,
        "cases": [presenters.case_row(c) for c in cases],
        "matrix": matrix,
        "attendances": attendances,
        "actions": actions,
        "planned": meeting.status == MeetingStatus.PLANNED,
        "can_hold": meeting.status in (MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED),
        "can_close": meeting.status == MeetingStatus.HELD,
        "open": meeting.status != MeetingStatus.CLOSED,
    }


@login_required
def meeting_detail(request, meeting_id):
    meeting = access.meeting_for(request.user, meeting_id)
    return render(request, "meetings/meeting.html", _meeting_context(request, meeting))


def _coordinator_meeting(request, meeting_id):
    meeting = access.meeting_for(request.user, meeting_id)
    access.require_coordinator(request.user, meeting)
    return meeting


def _run(request, action, success: str) -> bool:
    """Run a service from a button: its ValidationError becomes an error message on the page."""
    from django.core.exceptions import ValidationError

    try:
        action()
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return False
    messages.success(request, success)
    return True


@login_required
@require_POST
def meeting_publish(request, meeting_id):
    meeting = _coordinator_meeting(request, meeting_id)
    _run(
        request,
        lambda: services.agenda_publish(actor=request.user, meeting=meeting),
        "Agenda published: member agencies have been told",
    )
    return redirect("meetings:meeting", meeting.pk)


@login_required
@require_POST
def meeting_held(request, meeting_id):
    meeting = _coordinator_meeting(request, meeting_id)
    _run(
        request,
        lambda: services.meeting_mark_held(actor=request.user, meeting=meeting),
        "Meeting marked as held",
    )
    return redirect("meetings:meeting", meeting.pk)


@login_required
@require_POST
def meeting_close(request, meeting_id):
    meeting = _coordinator_meeting(request, meeting_id)
    _run(
        request,
        lambda: services.meeting_close(actor=request.user, meeting=meeting),
        "Minutes approved and the meeting closed",
    )
    return redirect("meetings:meeting", meeting.pk)


@login_required
@require_POST
def carry_forward(request, meeting_id):
    meeting = _coordinator_meeting(request, meeting_id)
    added: list = []
    ok = _run(
        request,
        lambda: added.extend(services.cases_carry_forward(actor=request.user, meeting=meeting)),
        "Reviews and transfers checked",
    )
    if ok:
        messages.info(request, f"{len(added)} case(s) added for review or transferred in")
    return redirect("meetings:meeting", meeting.pk)


# --- confidentiality and attendance ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def confidentiality(request, meeting_id):
    meeting = access.meeting_for(request.user, meeting_id)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ) or not next_url.startswith("/meetings/"):
        next_url = reverse("meetings:meeting", args=[meeting.pk])
    if request.method == "POST":
        services.confidentiality_accept(actor=request.user, meeting=meeting)
        messages.success(request, "You accepted the confidentiality statement")
        return redirect(next_url)
    context = {
        "meeting": meeting,
        "row": presenters.meeting_row(meeting),
        "next": next_url,
        "accepted": access.has_accepted(request.user, meeting),
    }
    return render(request, "meetings/confidentiality.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invite(request, meeting_id):
    meeting = _coordinator_meeting(request, meeting_id)
    form = InviteForm(request.POST or None, users=selectors.member_users(meeting.series))
    if request.method == "POST" and form.is_valid():
        done = apply_form_errors(
            form,
            lambda: services.attendee_invite(
                actor=request.user, meeting=meeting, user=form.cleaned_data["user"]
            ),
        )
        if done is not None:
            messages.success(request, f"{form.cleaned_data['user']} invited")
            return redirect("meetings:meeting", meeting.pk)
    back = reverse("meetings:meeting", args=[meeting.pk])
    return _form_page(request, form, "Invite someone", back, caption=str(meeting), submit="Invite")


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, meeting_id):
    meeting = _coordinator_meeting(request, meeting_id)
    rows = list(meeting.attendances.select_related("user", "agency"))
    form = AttendanceForm(request.POST or None, attendances=rows)
    if request.method == "POST" and form.is_valid():
        done = apply_form_errors(
            form,
            lambda: services.attendance_record(
                actor=request.user, meeting=meeting, attended_ids=form.cleaned_data["attended"]
            ),
        )
        if done is not None:
            messages.success(request, "Attendance recorded")
            return redirect("meetings:meeting", meeting.pk)
    back = reverse("meetings:meeting", args=[meeting.pk])
    return _form_page(
        request, form, "Record attendance", back, caption=str(meeting), submit="Save attendance"
    )


# --- building the agenda -----------------------------------------------------------------------


@login_required
def candidates(request, meeting_id):
    meeting = _coordinator_meeting(request, meeting_id)
    found = selectors.listing_candidates(request.user, meeting.series)  # audited: listed
    context = {
        "meeting": meeting,
        "found": found,
        "rows": [presenters.candidate_row(c) for c in found.candidates],
        "already": [presenters.candidate_row(c) for c in found.already_listed],
        "as_of": presenters.when(found.as_of),
        "can_add": meeting.status in (MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED),
        "on_agenda": set(meeting.cases.values_list("person_id", flat=True)),
    }
    return render(request, "meetings/candidates.html", context)


@login_required
@require_POST
def case_add_listed(request, meeting_id):
    meeting = _coordinator_meeting(request, meeting_id)
    form = PersonPickForm(request.POST)
    if form.is_valid():
        person = selectors.candidate_person(request.user, meeting.series, form.cleaned_data["person"])
        if person is None:
            messages.error(request, "Select a person from the list of candidates")
        else:
            _run(
                request,
                lambda: services.case_add_listed(actor=request.user, meeting=meeting, person=person),
                "Added to the agenda",
            )
    else:
        messages.error(request, "Select a person from the list of candidates")
    return redirect("meetings:candidates", meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def case_add_manual(request, meeting_id):
    """Search people the coordinator can see (POST, so no name is in a URL), then add with a reason."""
    meeting = _coordinator_meeting(request, meeting_id)
    search = PersonSearchForm(request.POST if "query" in request.POST else None)
    form = ManualAddForm(request.POST if "reason" in request.POST else None)
    results = None
    if search.is_bound and search.is_valid():
        people = list(people_selectors.person_search(request.user, search.cleaned_data["query"])[:50])
        audit.record(request.user, AuditAction.SEARCH, object_type="people.person", fields=["query"])
        audit.record_listed(request.user, people)
        results = [people_presenters.person_row(p) for p in people]
    if form.is_bound and form.is_valid():
        person = load_for(request.user, Person, form.cleaned_data["person"], audit_read=False)
        case = apply_form_errors(
            form,
            lambda: services.case_add_manual(
                actor=request.user, meeting=meeting, person=person, reason=form.cleaned_data["reason"]
            ),
        )
        if case is not None:
            messages.success(request, f"{person.full_name} added to the agenda")
            return redirect("meetings:meeting", meeting.pk)
    context = {"meeting": meeting, "search": search, "form": form, "results": results}
    return render(request, "meetings/add_manual.html", context)


@login_required
@require_POST
@statement_first
def case_move(request, case_id, direction):
    if direction not in ("up", "down"):
        raise Http404("No such direction")
    case = access.case_for(request.user, case_id, write=True)
    services.case_move(actor=request.user, case=case, up=direction == "up")
    return redirect("meetings:meeting", case.meeting_id)


@login_required
@require_http_methods(["GET", "POST"])
@statement_first
def case_remove(request, case_id):
    case = access.case_for(request.user, case_id, write=True)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply_form_errors(
            form,
            lambda: (
                services.case_remove(actor=request.user, case=case, reason=form.cleaned_data["reason"])
                or True
            ),
        )
        if done:
            messages.success(request, "Case removed from the agenda")
            return redirect("meetings:meeting", case.meeting_id)
    back = reverse("meetings:case", args=[case.pk])
    return _form_page(
        request,
        form,
        "Remove the case from the agenda",
        back,
        caption=case.person.full_name,
        submit="Remove the case",
    )


# --- a case --------------------------------------------------------------------------------------


def _case_page(request, case, *, research_form=None, minutes_form=None, action_form=None, status=200):
    user, meeting = request.user, case.meeting
    series = meeting.series
    coordinator = access.is_coordinator(user, series)
    member_ids = {a.pk for a in selectors.member_agencies(series)}
    links = selectors.case_evidence_links(user, case)
    context = {
        "case": case,
        "meeting": meeting,
        "summary": presenters.case_summary(case),
        "listed": presenters.listed_tag(case),
        "rules": presenters.fired_rows(case.rules_fired, links),
        "research": case.research.select_related("agency", "author"),
        "actions": [
            presenters.action_row(a)
            for a in case.actions.select_related("owner", "owner_agency", "case__meeting__series")
        ],
        "is_coordinator": coordinator,
        "can_research": user.agency_id in member_ids and meeting.status != MeetingStatus.CLOSED,
        "can_minute": coordinator and meeting.status in services.OPEN_FOR_MINUTES,
        "can_act": coordinator and meeting.status != MeetingStatus.CLOSED,
        "can_remove": coordinator and meeting.status == MeetingStatus.PLANNED,
        "research_form": research_form or ResearchForm(),
        "minutes_form": minutes_form or _minutes_form(case),
        "action_form": action_form or _action_form(case),
        "transfer": getattr(case, "transfer", None) if case.decision == "transfer" else None,
    }
    return render(request, "meetings/case.html", context, status=status)


def _minutes_form(case, data=None):
    initial = {
        "minutes": case.minutes,
        "risk_level_after": case.risk_level_after,
        "decision": case.decision,
        "decision_reason": case.decision_reason,
    }
    return MinutesForm(data, kind=case.meeting.series.kind, series=case.meeting.series, initial=initial)


def _action_form(case, data=None):
    series = case.meeting.series
    return ActionForm(data, agencies=selectors.member_agencies(series), users=selectors.member_users(series))


@login_required
@statement_first
def case_detail(request, case_id):
    case = access.case_for(request.user, case_id)  # audited read; the statement first
    return _case_page(request, case)


@login_required
@require_POST
@statement_first
def research_add(request, case_id):
    case = access.case_for(request.user, case_id)
    form = ResearchForm(request.POST)
    if form.is_valid():
        done = apply_form_errors(
            form, lambda: services.research_add(actor=request.user, case=case, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, "Research added")
            return redirect("meetings:case", case.pk)
    return _case_page(request, case, research_form=form, status=400)


@login_required
@require_POST
@statement_first
def case_minutes(request, meeting_id, case_id):
    meeting = access.meeting_for(request.user, meeting_id)
    case = access.case_for(request.user, case_id, write=True)
    form = _minutes_form(case, request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.setdefault("transfer_to_series", None)
        data.setdefault("transfer_to_area", "")
        done = apply_form_errors(
            form, lambda: services.case_minutes_record(actor=request.user, meeting=meeting, case=case, **data)
        )
        if done is not None:
            messages.success(request, "Minutes and decision saved")
            return redirect("meetings:case", case.pk)
    return _case_page(request, case, minutes_form=form, status=400)


@login_required
@require_POST
@statement_first
def action_create(request, case_id):
    case = access.case_for(request.user, case_id, write=True)
    form = _action_form(case, request.POST)
    if form.is_valid():
        done = apply_form_errors(
            form, lambda: services.action_create(actor=request.user, case=case, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, "Action added")
            return redirect("meetings:case", case.pk)
    return _case_page(request, case, action_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request, action_id):
    action = access.action_for(request.user, action_id, write=request.method == "POST")
    form = ActionUpdateForm(request.POST or None, initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        done = apply_form_errors(
            form, lambda: services.action_update(actor=request.user, action=action, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, "Action updated")
            return redirect("meetings:action", action.pk)
    context = {
        "action": action,
        "row": presenters.action_row(action),
        "form": form,
        "can_update": services.may_update_action(request.user, action),
    }
    return render(request, "meetings/action.html", context)


# --- practitioner referral -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def referral_search(request):
    require_person_level(request.user)
    search = PersonSearchForm(request.POST or None)
    results = None
    if request.method == "POST" and search.is_valid():
        people = list(people_selectors.person_search(request.user, search.cleaned_data["query"])[:50])
        audit.record(request.user, AuditAction.SEARCH, object_type="people.person", fields=["query"])
        audit.record_listed(request.user, people)
        results = [people_presenters.person_row(p) for p in people]
    return render(request, "meetings/refer_search.html", {"search": search, "results": results})


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request, person_id):
    person = load_for(request.user, Person, person_id)  # scoped, audited read
    districts = request.user.agency.districts.filter(meeting_series__active=True).distinct()
    initial = {"district": person.district_id, "kind": Kind.MARAC}
    form = ReferralForm(request.POST or None, districts=districts, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = apply_form_errors(
            form,
            lambda: services.meeting_referral_create(actor=request.user, person=person, **form.cleaned_data),
        )
        if done is not None:
            messages.success(
                request,
                f"Referral to {done.get_kind_display()} sent: the coordinators will see it as a candidate",
            )
            return redirect("people:detail", person.pk)
    back = reverse("people:detail", args=[person.pk])
    return _form_page(
        request,
        form,
        "Refer to MARAC or MACE",
        back,
        caption=person.full_name,
        submit="Send the referral",
        intro="Refer on professional judgement: say what the concerns are and why they meet the threshold.",
    )
