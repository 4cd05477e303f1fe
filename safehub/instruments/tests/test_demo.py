"""Demo assessments: scored by the real rules, in the chronology, and calibration shows real counts."""

from __future__ import annotations

import pytest

from safehub.core import demo as core_demo
from safehub.core.models import AuditEvent, User
from safehub.instruments import demo as instruments_demo
from safehub.instruments import rules, selectors
from safehub.instruments.models import Assessment, InstrumentVersion
from safehub.people import demo as people_demo
from safehub.people.models import ChronologyEvent

pytestmark = pytest.mark.django_db


def no_progress(label: str, done: int, total: int) -> None:
    pass


@pytest.fixture
def demo_world():
    core_demo.load(size="small", progress=no_progress)
    people_demo.load(size="small", progress=no_progress)
    return instruments_demo.load(size="small", progress=no_progress)


def test_demo_assessments_are_scored_by_the_rules_and_in_the_chronology(demo_world):
    assert demo_world["assessments"] == Assessment.objects.count() > 5
    for assessment in Assessment.objects.select_related("instrument_version"):
        result = rules.score(assessment.instrument_version.parsed, assessment.answers)
        assert (result.score, result.level) == (assessment.score, assessment.level)
    assert ChronologyEvent.objects.filter(kind="assessment").count() == Assessment.objects.count()
    assert AuditEvent.objects.filter(
        actor_label="job:demo", object_type="instruments.assessment"
    ).count() == (Assessment.objects.count())


def test_calibration_counts_the_demo_assessments(demo_world):
    version = InstrumentVersion.objects.get(instrument_id="dash", is_current=True)
    calibration = selectors.calibration(version)

    people = Assessment.objects.filter(instrument_version=version).values("person").distinct().count()
    assert calibration.total.assessed == people > 0


def test_second_load_adds_nothing(demo_world):
    before = Assessment.objects.count()
    assert instruments_demo.load(size="small", progress=no_progress) == {"already_loaded": before}
    assert Assessment.objects.count() == before


def test_demo_administrators_may_publish_new_versions(demo_world):
    admin = User.objects.get(username="admin")
    assert admin.has_perm("instruments.add_instrumentversion")
    assert not admin.has_perm("instruments.view_assessment")
