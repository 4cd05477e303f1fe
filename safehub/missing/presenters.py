"""Turn missing-person records into what templates show (dates, tags, rows)."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from django.utils import timezone

from safehub.core.access import access_route, can_edit
from safehub.missing import rules, selectors
from safehub.missing.models import (
    EpisodeStatus,
    MissingEpisode,
    ProblemPlan,
    ProtocolProfile,
    ReturnInterview,
    Routing,
)

LEVEL_TAGS = {
    "very_low": "govuk-tag--grey",
    "low": "govuk-tag--green",
    "medium": "govuk-tag--yellow",
    "high": "govuk-tag--red",
}
INTERVIEW_TAGS = {
    "pending": "govuk-tag--yellow",
    "offered": "govuk-tag--blue",
    "accepted": "govuk-tag--turquoise",
    "declined": "govuk-tag--grey",
    "completed": "govuk-tag--green",
}


def when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return f"{timezone.localtime(moment):%-d %b %Y at %H:%M}"


def level_tag(code: str, names: dict[str, str]) -> dict[str, str]:
    return {"text": names.get(code, code), "class": LEVEL_TAGS.get(code, "govuk-tag--purple")}


def episode_row(episode: MissingEpisode, names: dict[str, str]) -> dict[str, Any]:
    return {
        "id": episode.pk,
        "reference": episode.reference,
        "person": episode.person.full_name,
        "person_id": episode.person_id,
        "child": "Child" if episode.is_child else "Adult",
        "missing_from": episode.get_missing_from_display(),
        "reported": when(episode.reported_at),
        "level": level_tag(episode.risk_level, names),
        "status": episode.get_status_display(),
        "open": episode.status == EpisodeStatus.OPEN,
        "nhs": episode.routing == Routing.NHS_TRUST,
        "repeat": episode.repeat_missing,
        "duration": rules.duration_text(episode.duration),
        "district": episode.district.name,
    }


def episode_page(episode: MissingEpisode, user: Any) -> dict[str, Any]:
    names = selectors.level_names(episode.district.force)
    interview = ReturnInterview.objects.visible_to(user).filter(episode=episode).first()
    profile_visible = (
        episode.profile_id is not None
        and selectors.profiles_readable_by(user).filter(pk=episode.profile_id).exists()
    )
    editable = can_edit(user, episode)
    summary = [
        ("Person", f"{episode.person.full_name} ({'child' if episode.is_child else 'adult'})"),
        (
            "Reported",
            f"{when(episode.reported_at)} by {episode.reported_by_name}"
            + (f" ({episode.reported_by_relationship})" if episode.reported_by_relationship else ""),
        ),
        ("Last seen", f"{when(episode.last_seen_at)}, {episode.last_seen_place}"),
        ("Last seen with", episode.last_seen_with or "Not known"),
        (
            "Missing from",
            episode.get_missing_from_display()
            + (f": {episode.missing_from_detail}" if episode.missing_from_detail else ""),
        ),
        ("District", episode.district.name),
        ("Recorded by", episode.owning_agency.name),
    ]
    if episode.status == EpisodeStatus.FOUND:
        summary += [
            ("Found", f"{when(episode.found_at)}, {episode.found_place}"),
            ("Found by", episode.found_by),
            ("Condition on return", ", ".join(episode.condition_labels)),
            ("Missing for", rules.duration_text(episode.duration)),
        ]
    return {
        "episode": episode,
        "summary_rows": summary,
        "level": level_tag(episode.risk_level, names),
        "gradings": [
            {
                "level": level_tag(g.level, names) | {"text": g.level_name},
                "rationale": g.rationale,
                "at": when(g.graded_at),
                "by": str(g.graded_by),
                "initial": g.is_initial,
            }
            for g in episode.gradings.select_related("graded_by")
        ],
        "actions": [
            {
                "kind": a.get_kind_display(),
                "description": a.description,
                "result": a.result,
                "at": when(a.at),
                "by": str(a.recorded_by),
            }
            for a in episode.actions.select_related("recorded_by")
        ],
        "nhs": episode.routing == Routing.NHS_TRUST,
        "profile_visible": profile_visible,
        "interview": interview_row(interview) if interview else None,
        "editable": editable,
        "is_open": episode.status == EpisodeStatus.OPEN,
        "access": access_route(user, episode),
    }


def interview_row(interview: ReturnInterview) -> dict[str, Any]:
    return {
        "id": interview.pk,
        "episode": interview.episode.reference,
        "episode_id": interview.episode_id,
        "person": interview.person.full_name,
        "due": when(interview.due_at),
        "status": interview.get_status_display(),
        "tag": INTERVIEW_TAGS.get(interview.status, ""),
        "overdue": interview.is_overdue,
        "offered": when(interview.offered_at),
        "in_time": rules.offered_in_time(interview.offered_at, interview.due_at),
        "owner": interview.owning_agency.name,
    }


def labels(values: list[str], choices) -> str:
    names = dict(choices)
    return ", ".join(names.get(v, v) for v in values) or "None recorded"


def photo_uri(profile: ProtocolProfile) -> str:
    if not profile.photo:
        return ""
    return (
        f"data:{profile.photo_content_type};base64,{base64.b64encode(bytes(profile.photo)).decode('ascii')}"
    )


def profile_page(profile: ProtocolProfile, user: Any) -> dict[str, Any]:
    person = profile.person
    rows = [
        ("Name", person.full_name),
        ("Date of birth", f"{person.date_of_birth:%-d %B %Y}" if person.date_of_birth else "Not known"),
        ("Description", profile.description),
        ("Medical needs and medication", profile.medical_needs or "None recorded"),
        ("Places the person may go", profile.places or "None recorded"),
        ("Friends, family and contacts", profile.contacts or "None recorded"),
        ("Previous addresses", profile.previous_addresses or "None recorded"),
        ("Routines and other information", profile.routines or "None recorded"),
        ("Held by", profile.owning_agency.name),
        ("Last reviewed", when(profile.reviewed_at)),
    ]
    return {
        "profile": profile,
        "rows": rows,
        "photo": photo_uri(profile),
        "editable": can_edit(user, profile),
        "kind": profile.get_kind_display(),
    }


def heat_rows(heat: rules.HeatMap) -> list[dict[str, Any]]:
    return [{"day": day, "cells": [{"count": c, "band": b} for c, b in cells]} for day, cells in heat.rows]


def day(value) -> str:
    return f"{value:%-d %b %Y}" if value else ""


def plan_card(plan: ProblemPlan, user: Any) -> dict[str, Any]:
    """A plan on the problem profile: its SARA text, actions (open or done), reviews and links."""
    return {
        "id": plan.pk,
        "owner": plan.owner,
        "review_date": day(plan.review_date),
        "overdue": plan.review_overdue,
        "editable": can_edit(user, plan),
        "sara": [
            ("Scan", plan.scan),
            ("Analyse", plan.analyse),
            ("Respond", plan.respond),
            ("Assess", plan.assess),
        ],
        "actions": [
            {
                "id": a.pk,
                "number": number,
                "stage": a.get_stage_display(),
                "description": a.description,
                "owner": a.owner,
                "review_date": day(a.review_date),
                "done": a.is_done,
                "status": f"Done {day(a.done_on)}" if a.is_done else "Open",
                "tag": "govuk-tag--green" if a.is_done else "govuk-tag--blue",
                "note": a.done_note,
            }
            for number, a in enumerate(plan.actions.all(), start=1)
        ],
        "reviews": [
            {
                "on": day(r.reviewed_on),
                "by": str(r.reviewed_by),
                "note": r.note,
                "previous": day(r.previous_review_date),
                "next": day(r.next_review_date),
            }
            for r in plan.reviews.all()
        ],
    }
