"""Helpers that make missing-person records through the services (so the rules apply)."""

from datetime import timedelta

from django.utils import timezone

from safehub.missing import services


def report(
    actor, person, *, district=None, reported_at=None, missing_from="care_home", level="medium", **extra
):
    reported = reported_at or timezone.now() - timedelta(hours=2)
    fields = {
        "reported_by_name": "Care home duty manager",
        "reported_by_relationship": "Care home staff",
        "last_seen_at": reported - timedelta(hours=1),
        "last_seen_place": "Outside the care home",
        "missing_from": missing_from,
        "risk_level": level,
        "risk_rationale": "Out of character; no phone; cold weather",
    }
    fields.update(extra)
    return services.episode_create(
        actor=actor, person=person, district=district or person.district, reported_at=reported, **fields
    )


def found(actor, episode, *, found_at=None, conditions=("safe_and_well",)):
    return services.episode_found(
        actor=actor,
        episode=episode,
        found_at=found_at
        or min(episode.reported_at + timedelta(hours=5), timezone.now() - timedelta(minutes=1)),
        found_place="City bus station",
        found_by="Police patrol",
        condition_on_return=list(conditions),
    )
