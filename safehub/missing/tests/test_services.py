"""Writes: episodes, gradings, returns, interviews and profiles; bad input saves nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safehub.core.models import AuditEvent, Notification, Share
from safehub.missing import services
from safehub.missing.models import (
    InterviewStatus,
    MissingEpisode,
    ProtocolProfile,
    ReturnInterview,
    RiskGrading,
    Routing,
)
from safehub.missing.tests.factories import found, report
from safehub.people.models import ChronologyEvent

pytestmark = pytest.mark.django_db


def _profile(owner, child, png, **extra):
    return services.profile_create(
        actor=owner,
        person=child,
        kind="philomena",
        description="Slim, 5ft 2in, long dark hair",
        photo=png,
        **extra,
    )


def test_report_attaches_the_current_profile_grades_routes_and_shares_with_the_authority(
    coordinator, owner, child, png, agencies
):
    profile = _profile(owner, child, png, places="Leeds bus station; her aunt's flat")
    episode = report(coordinator, child)
    assert episode.profile == profile
    assert episode.is_child and episode.routing == Routing.POLICE and episode.risk_level == "medium"
    grading = RiskGrading.objects.get(episode=episode)
    assert grading.is_initial and grading.rationale
    assert Share.objects.filter(object_id=episode.pk, to_agency=agencies["leeds_csc"]).exists()
    assert ChronologyEvent.objects.filter(person=child, kind="missing_reported").exists()
    attach = AuditEvent.objects.get(object_id=str(profile.pk), action="read")
    assert "Attached to missing episode" in attach.reason


def test_hospital_walk_out_without_stated_risk_stays_with_the_nhs_trust(coordinator, older_adult):
    episode = report(coordinator, older_adult, missing_from="hospital", missing_from_detail="St James's")
    assert episode.routing == Routing.NHS_TRUST and "NHS trust" in episode.routing_reason
    assert not episode.is_child
    assert not Share.objects.filter(object_id=episode.pk).exists()
    urgent = report(coordinator, older_adult, missing_from="hospital", immediate_risk_stated=True)
    assert urgent.routing == Routing.POLICE and "immediate risk" in urgent.routing_reason


def test_regrading_keeps_every_grading_and_needs_a_rationale(coordinator, child):
    episode = report(coordinator, child, level="low")
    services.episode_regrade(
        actor=coordinator, episode=episode, level="high", rationale="Seen with older males"
    )
    episode.refresh_from_db()
    assert episode.risk_level == "high"
    assert list(episode.gradings.values_list("level", flat=True)) == ["low", "high"]
    with pytest.raises(ValidationError) as error:
        services.episode_regrade(actor=coordinator, episode=episode, level="medium", rationale="   ")
    assert "rationale" in error.value.message_dict
    episode.refresh_from_db()
    assert episode.risk_level == "high" and episode.gradings.count() == 2


def test_unknown_risk_level_is_refused(coordinator, child):
    with pytest.raises(ValidationError) as error:
        report(coordinator, child, level="amber")
    assert "very_low" in error.value.message_dict["risk_level"][0]
    assert not MissingEpisode.objects.exists()


def test_found_before_reported_is_refused_and_nothing_is_saved(coordinator, child):
    episode = report(coordinator, child)
    with pytest.raises(ValidationError) as error:
        found(coordinator, episode, found_at=episode.reported_at - timedelta(minutes=1))
    assert "found_at" in error.value.message_dict
    episode.refresh_from_db()
    assert episode.status == "open" and episode.found_at is None
    assert not ReturnInterview.objects.exists()


def test_return_of_a_child_makes_the_interview_due_in_72_hours_and_tells_the_authority(
    coordinator, child, agencies
):
    episode = report(coordinator, child)
    found_at = timezone.now() - timedelta(minutes=30)
    found(coordinator, episode, found_at=found_at)
    interview = ReturnInterview.objects.get(episode=episode)
    assert interview.owning_agency == agencies["leeds_csc"]
    assert interview.due_at == found_at + timedelta(hours=72)
    assert interview.status == InterviewStatus.PENDING
    note = Notification.objects.get(object_id=interview.pk)
    assert note.recipient_agency == agencies["leeds_csc"] and note.due_at == interview.due_at
    # The recorder reads the interview through the authority's share.
    assert ReturnInterview.objects.visible_to(coordinator).filter(pk=interview.pk).exists()


def test_interview_for_an_adult_episode_is_refused(coordinator, older_adult):
    episode = report(coordinator, older_adult)
    found(coordinator, episode)
    assert not ReturnInterview.objects.exists()
    with pytest.raises(ValidationError) as error:
        services.return_interview_create(actor=coordinator, episode=episode)
    assert "for children" in error.value.message_dict["episode"][0]
    assert not ReturnInterview.objects.exists()


def test_interview_moves_through_its_statuses_with_themes(coordinator, owner, child):
    episode = report(coordinator, child)
    found(coordinator, episode)
    interview = ReturnInterview.objects.get()
    with pytest.raises(ValidationError) as error:
        services.return_interview_update(actor=owner, interview=interview, status="offered")
    assert "interviewer_name" in error.value.message_dict
    services.return_interview_update(
        actor=owner,
        interview=interview,
        status="offered",
        interviewer_name="Sam Advocate",
        interviewer_organisation="Safe Harbour Youth Charity",
    )
    with pytest.raises(ValidationError):
        services.return_interview_update(actor=owner, interview=interview, status="pending")
    done = services.return_interview_update(
        actor=owner,
        interview=interview,
        status="completed",
        where_stayed="A friend's flat",
        push_factors=["boundaries"],
        pull_factors=["friends", "money_gifts"],
        exploitation_indicators=["older_adults"],
        child_words="I just wanted to be with my mates.",
    )
    assert done.status == "completed" and done.completed_at and done.offered_at
    with pytest.raises(PermissionDenied):
        services.return_interview_update(actor=coordinator, interview=interview, notes="police note")


def test_third_episode_in_90_days_flags_the_child(coordinator, child):
    now = timezone.now()
    first = report(coordinator, child, reported_at=now - timedelta(days=80))
    second = report(coordinator, child, reported_at=now - timedelta(days=40))
    third = report(coordinator, child, reported_at=now - timedelta(hours=3))
    assert not first.repeat_missing and not second.repeat_missing
    assert third.repeat_missing and "3 missing episodes" in third.repeat_reason


def test_episodes_91_days_apart_do_not_flag(coordinator, child):
    now = timezone.now()
    report(coordinator, child, reported_at=now - timedelta(days=95))
    report(coordinator, child, reported_at=now - timedelta(days=40))
    third = report(coordinator, child, reported_at=now - timedelta(hours=3))
    assert not third.repeat_missing


def test_profile_photo_that_is_not_an_image_or_too_large_saves_nothing(owner, child, png):
    with pytest.raises(ValidationError) as error:
        _profile(owner, child, b"GIF89a not really")
    assert "PNG or JPEG" in error.value.message_dict["photo"][0]
    with pytest.raises(ValidationError) as error:
        _profile(owner, child, png + b"\0" * (600 * 1024))
    assert "smaller than" in error.value.message_dict["photo"][0]
    assert not ProtocolProfile.objects.exists()


def test_a_new_profile_replaces_the_agencys_earlier_one(owner, child, png):
    old = _profile(owner, child, png)
    new = _profile(owner, child, None)
    old.refresh_from_db()
    assert not old.active and new.active


def test_only_recorders_report_episodes(owner, analyst, child):
    with pytest.raises(PermissionDenied):
        report(owner, child)
    with pytest.raises(PermissionDenied):
        report(analyst, child)


def test_overdue_alerts_notify_once(coordinator, child, agencies):
    episode = report(coordinator, child, reported_at=timezone.now() - timedelta(days=5))
    found(coordinator, episode, found_at=timezone.now() - timedelta(days=4))
    first = services.overdue_interview_alerts()
    second = services.overdue_interview_alerts()
    assert len(first) == 1 and second == []
    alerts = Notification.objects.filter(kind="missing_rhi_overdue")
    assert alerts.count() == 1 and alerts.get().recipient_agency == agencies["leeds_csc"]


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (
            timedelta(days=-365 * 1700),
            "after the time the person was last seen",
        ),  # found by fuzzing: year 290
        (timedelta(hours=-4), "after the time the person was last seen"),
        (timedelta(days=2), "cannot be in the future"),
    ],
)
def test_an_action_time_must_fall_between_last_seen_and_now(coordinator, child, offset, message):
    episode = report(coordinator, child)
    with pytest.raises(ValidationError, match=message):
        services.episode_action_add(
            actor=coordinator,
            episode=episode,
            kind="enquiry",
            description="Called the school",
            at=timezone.now() + offset,
        )
    assert not episode.actions.exists()
