"""The missing-persons demo: a realistic year that loads with the small demo world, idempotent."""

from __future__ import annotations

import io
import statistics
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from safehub.core import histories
from safehub.core.models import AuditEvent, User
from safehub.missing import demo, selectors
from safehub.missing.models import MissingEpisode, ProtocolProfile, ReturnInterview, Routing

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("SAFEHUB_DEMO_PASSWORD", raising=False)
    out = io.StringIO()
    call_command("demo", "--no-serve", "--size", "small", stdout=out)
    return out.getvalue()


def test_small_demo_has_a_year_of_episodes_with_realistic_durations(demo_world):
    assert "Loading missing demo data..." in demo_world
    episodes = MissingEpisode.objects.all()
    assert episodes.count() >= demo.SIZES["small"]
    assert len(set(episodes.values_list("district__code", flat=True))) >= 4
    hours = [e.duration.total_seconds() / 3600 for e in episodes if e.duration is not None]
    assert 2 <= statistics.median(hours) <= 15
    assert max(hours) > 24  # a long tail of days
    assert episodes.filter(status="open").exists()
    reported = list(episodes.values_list("reported_at", flat=True))
    assert min(reported) < timezone.now() - timedelta(days=200)


def test_demo_has_care_home_repeaters_listed_for_mace_today(demo_world):
    assert MissingEpisode.objects.filter(missing_from="care_home", repeat_missing=True).exists()
    missing = User.objects.get(username="missing")
    flagged = selectors.repeat_people(missing)
    assert flagged, "some children meet the repeat-missing rule today"
    child = flagged[0]["person"]
    history = histories.for_people([child.pk], until=timezone.now(), types=("missing_episode",))
    assert len(history[child.pk]) >= 3


def test_demo_has_hospital_walk_outs_handled_by_the_nhs_and_herbert_profiles(demo_world):
    hospital = MissingEpisode.objects.filter(missing_from="hospital")
    assert hospital.filter(routing=Routing.NHS_TRUST).exists()
    assert not hospital.filter(routing=Routing.NHS_TRUST, immediate_risk_stated=True).exists()
    assert ProtocolProfile.objects.filter(kind="herbert").exists()
    assert ProtocolProfile.objects.filter(kind="philomena", episodes__isnull=False).exists()


def test_demo_interviews_follow_the_rhi_clock_mostly_in_time(demo_world):
    interviews = list(ReturnInterview.objects.select_related("episode"))
    assert interviews
    for interview in interviews:
        assert interview.due_at - interview.episode.found_at == timedelta(hours=72)
        assert interview.episode.is_child
    offered = [i for i in interviews if i.offered_at]
    in_time = [i for i in offered if i.offered_at <= i.due_at]
    assert offered and len(in_time) > len(offered) / 2


def test_demo_is_idempotent(demo_world):
    before = MissingEpisode.objects.count(), AuditEvent.objects.count()
    out = io.StringIO()
    call_command("demo", "--no-serve", "--size", "small", stdout=out)
    assert "missing: already loaded, nothing added" in out.getvalue()
    assert (MissingEpisode.objects.count(), AuditEvent.objects.count()) == before
