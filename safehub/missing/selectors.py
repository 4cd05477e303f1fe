"""Reads of missing-person records, always within the user's scope (or, for the history provider and
the profile attached at report time, by the system on the user's behalf)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from safehub.core import audit, histories, rulesets
from safehub.core.access import access_route, parse_id
from safehub.core.context import method_var
from safehub.core.models import AgencyKind, AuditAction
from safehub.core.rules import Event
from safehub.missing import rules
from safehub.missing.models import (
    EpisodeStatus,
    MissingEpisode,
    ProblemPlan,
    ProtocolProfile,
    ReturnInterview,
    RiskLevel,
)
from safehub.people.models import Person

EXPLOITATION_INSTRUMENT = "child-exploitation"
ASSOCIATE_KINDS = ("Associate of", "Partner of", "Ex-partner of")


# --- risk levels (reference data) ------------------------------------------------------------


def risk_levels(force: Any) -> list[RiskLevel]:
    """The force's own active levels if it has any, else the default APP continuum."""
    own = list(RiskLevel.objects.filter(force=force, active=True)) if force is not None else []
    return own or list(RiskLevel.objects.filter(force__isnull=True, active=True))


def risk_level(force: Any, code: str) -> RiskLevel | None:
    return next((level for level in risk_levels(force) if level.code == code), None)


def level_names(force: Any) -> dict[str, str]:
    names = {level.code: level.name for level in RiskLevel.objects.filter(force__isnull=True)}
    names.update({level.code: level.name for level in risk_levels(force)})
    return names


def high_level_codes() -> set[str]:
    return set(RiskLevel.objects.filter(is_high=True).values_list("code", flat=True))


# --- episodes --------------------------------------------------------------------------------


def episodes_for(
    user: Any, *, status: str = "", district: Any = None, person: Any = None
) -> QuerySet[MissingEpisode]:
    """Episodes the user may see, newest first (index missing_district_reported)."""
    episodes = MissingEpisode.objects.visible_to(user).select_related("person", "district", "owning_agency")
    if status in EpisodeStatus.values:
        episodes = episodes.filter(status=status)
    if district is not None:
        episodes = episodes.filter(district=district)
    if person is not None:
        episodes = episodes.filter(person=person)
    return episodes.order_by("-reported_at")


def history_events(
    person_ids: set[Any] | None, since: datetime | None, until: datetime
) -> Iterator[tuple[Any, Event]]:
    """History provider (core.histories): a `missing_episode` event per episode, at the time it was
    reported (attrs missing_from, risk_level, is_child). Uses index missing_person_reported."""
    rows = MissingEpisode.objects.filter(reported_at__lte=until)
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    if since is not None:
        rows = rows.filter(reported_at__gte=since)
    values = rows.values_list("person_id", "pk", "reported_at", "missing_from", "risk_level", "is_child")
    for person_id, pk, at, missing_from, level, is_child in values.iterator(chunk_size=2000):
        yield (
            person_id,
            Event(
                "missing_episode",
                at,
                {"missing_from": missing_from, "risk_level": level, "is_child": is_child},
                str(pk),
            ),
        )


# --- protocol profiles -----------------------------------------------------------------------


def current_profile(person: Person) -> ProtocolProfile | None:
    """The person's current profile (the latest reviewed active one), attached when reported."""
    return (
        ProtocolProfile.objects.filter(person=person, active=True)
        .order_by("-reviewed_at", "-created_at")
        .first()
    )


def is_police(user: Any) -> bool:
    return bool(user.has_person_level_access and user.agency_id and user.agency.kind == AgencyKind.POLICE)


def profiles_readable_by(user: Any) -> QuerySet[ProtocolProfile]:
    """The owning agency (and any share it made) reads its profiles; the police read the profiles of
    people in the districts the force serves. Nobody else."""
    if not getattr(user, "is_authenticated", False) or not user.has_person_level_access:
        return ProtocolProfile.objects.none()
    visible = ProtocolProfile.objects.visible_to(user)
    if not is_police(user):
        return visible
    served = user.agency.districts.values("pk")
    return ProtocolProfile.objects.visible_to(user) | ProtocolProfile.objects.filter(district__in=served)


def profile_for(user: Any, profile_id: Any) -> ProtocolProfile:
    """One profile, audited (a police read of another agency's profile is noted as such); Http404 else."""
    profile = profiles_readable_by(user).filter(pk=parse_id(profile_id)).select_related("person").first()
    if profile is None:
        raise Http404("No such profile")
    route = access_route(user, profile)
    reason = "" if route in ("owner", "district") else "Police access to a protocol profile"
    if route == "break_glass":
        reason = "emergency access"
    audit.record(user, AuditAction.READ, profile, reason=reason, flagged=route == "break_glass")
    return profile


def profile_to_change(user: Any, profile_id: Any) -> ProtocolProfile:
    """A profile the user may change (its owning agency); 403 for the police, who only read it."""
    pk = parse_id(profile_id)
    if not profiles_readable_by(user).filter(pk=pk).exists():
        raise Http404("No such profile")
    profile = ProtocolProfile.objects.editable_by(user).filter(pk=pk).select_related("person").first()
    if profile is None:
        raise PermissionDenied("Only the agency that holds this profile can change it")
    if method_var.get() in ("GET", "HEAD"):  # the change form shows the profile: a read
        audit.record(user, AuditAction.READ, profile)
    return profile


def profiles_owned_by(user: Any) -> QuerySet[ProtocolProfile]:
    if not getattr(user, "has_person_level_access", False):
        return ProtocolProfile.objects.none()
    return (
        ProtocolProfile.objects.visible_to(user)
        .filter(owning_agency_id=user.agency_id, active=True)
        .select_related("person")
        .order_by("person__family_name", "person__given_name")
    )


# --- return home interviews ------------------------------------------------------------------


def interviews_for(user: Any, *, open_only: bool = False) -> QuerySet[ReturnInterview]:
    interviews = ReturnInterview.objects.visible_to(user).select_related("episode", "person", "owning_agency")
    if open_only:
        interviews = interviews.filter(status__in=["pending", "offered", "accepted"])
    return interviews.order_by("due_at")


# --- repeat missing and the problem profile --------------------------------------------------


def _window_days(ruleset: Any) -> int:
    days = [rule.window_days for rule in ruleset.rules if rule.window_days]
    return max(days) if days else 365


def repeat_people(user: Any, *, as_of: datetime | None = None) -> list[dict[str, Any]]:
    """People (with an episode the user can see) whom the repeat-missing rule flags now."""
    as_of = as_of or timezone.now()
    force = user.agency.force if getattr(user, "agency_id", None) else None
    ruleset = rulesets.ruleset_for(rules.REPEAT_RULESET, force, at=as_of)
    since = as_of - timedelta(days=_window_days(ruleset))
    recent = episodes_for(user).filter(reported_at__gte=since, reported_at__lte=as_of)
    people = {e.person_id: e.person for e in recent}
    history = histories.for_people(people, until=as_of, types=("missing_episode",))
    rows = []
    for person_id, person in people.items():
        fired = rules.repeat_missing(ruleset, history.get(person_id, []), as_of)
        if fired is not None:
            rows.append({"person": person, "fired": fired, "count": len(fired.evidence)})
    rows.sort(key=lambda row: (-row["count"], row["person"].family_name, row["person"].given_name))
    return rows


def person_with_episodes(user: Any, person_id: Any) -> tuple[Person, list[MissingEpisode]]:
    """The person and the episodes of theirs the user may see; Http404 when there are none."""
    episodes = list(
        MissingEpisode.objects.visible_to(user)
        .filter(person_id=parse_id(person_id))
        .select_related("person", "district", "person__district")
        .order_by("reported_at")
    )
    if not episodes:
        raise Http404("No such person")
    person = episodes[0].person
    audit.record(user, AuditAction.READ, person, reason="Repeat-missing problem profile")
    return person, episodes


@dataclass
class ProblemProfile:
    person: Person
    episodes: list[MissingEpisode]
    fired: Any
    heat_map: rules.HeatMap
    places_found: list[tuple[str, int]]
    associates: list[tuple[str, int]]
    assessments: list[Any]
    plans: list[ProblemPlan]


def problem_profile(user: Any, person: Person, episodes: list[MissingEpisode]) -> ProblemProfile:
    from safehub.instruments.selectors import assessment_list_for
    from safehub.people.selectors import person_relationships

    now = timezone.now()
    force = person.district.force
    history = histories.for_people([person.pk], until=now, types=("missing_episode",)).get(person.pk, [])
    fired = rules.repeat_missing(rulesets.ruleset_for(rules.REPEAT_RULESET, force, at=now), history, now)
    places = Counter(e.found_place.strip() for e in episodes if e.found_place.strip())
    associates: Counter[str] = Counter()
    for episode in episodes:
        for name in episode.last_seen_with.replace(";", ",").split(","):
            if name.strip():
                associates[name.strip()] += 1
    if Person.objects.visible_to(user).filter(pk=person.pk).exists():
        for row in person_relationships(person, user):
            if row["person"] is not None and row["kind"] in ASSOCIATE_KINDS:
                associates[f"{row['person'].full_name} ({row['kind'].lower()}, from the person's file)"] += 0
    assessments = list(
        assessment_list_for(user, person=person).filter(
            instrument_version__instrument_id=EXPLOITATION_INSTRUMENT
        )
    )
    audit.record_listed(user, assessments)
    plans = list(
        ProblemPlan.objects.visible_to(user)
        .filter(person=person)
        .prefetch_related("actions", "reviews__reviewed_by")
        .order_by("-created_at")
    )
    return ProblemProfile(
        person=person,
        episodes=episodes,
        fired=fired,
        heat_map=rules.heat_map(e.reported_at for e in episodes),
        places_found=places.most_common(),
        associates=associates.most_common(),
        assessments=assessments,
        plans=plans,
    )


def plan_query(user: Any) -> QuerySet[ProblemPlan]:
    return ProblemPlan.objects.visible_to(user)


def plans_for(user: Any, *, person: Any = None) -> QuerySet[ProblemPlan]:
    """Plans the user may see, newest first, with their actions."""
    plans = ProblemPlan.objects.visible_to(user).select_related("person", "district", "owning_agency")
    if person is not None:
        plans = plans.filter(person=person)
    return plans.prefetch_related("actions").order_by("-created_at")


def people_with_overdue_plan_reviews(user: Any, person_ids: Any) -> set[Any]:
    """Of `person_ids`, those with a plan the user can see whose review date has passed."""
    return set(
        ProblemPlan.objects.visible_to(user)
        .filter(person_id__in=list(person_ids), review_date__lt=timezone.localdate())
        .values_list("person_id", flat=True)
    )


def person_for_plan(user: Any, person_id: Any) -> Person | None:
    """The person, when the user can see one of their missing episodes (who may have a plan)."""
    episode = (
        MissingEpisode.objects.visible_to(user)
        .filter(person_id=parse_id(person_id))
        .select_related("person", "person__district")
        .first()
    )
    return episode.person if episode else None
