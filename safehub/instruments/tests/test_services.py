"""Writing assessments and instrument versions: stored, audited, in the chronology; bad input
stores nothing; old assessments keep their version."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from safehub.core.models import AuditEvent
from safehub.instruments import rules, services
from safehub.instruments.definitions import shipped_definition
from safehub.instruments.models import Assessment, Instrument, InstrumentVersion
from safehub.people.models import ChronologyEvent

from .helpers import dash_answers, yes_to

pytestmark = pytest.mark.django_db


def test_shipped_instruments_are_loaded_by_migrate_as_version_1():
    assert set(Instrument.objects.values_list("id", flat=True)) == {
        "dash",
        "child-exploitation",
        "missing-risk",
        "thrive",
    }
    assert set(InstrumentVersion.objects.filter(is_current=True).values_list("version", flat=True)) == {1}


def test_owner_assessment_is_scored_stored_audited_and_in_the_chronology(owner, person, assess):
    assessment = assess(owner, person, "dash", dash_answers(15))

    assessment.refresh_from_db()
    assert (assessment.instrument_id, assessment.version) == ("dash", 1)
    assert (assessment.score, assessment.level, assessment.computed_level) == (15, "high", "high")
    assert "marac:visible_high_risk" in assessment.triggers
    assert assessment.answers == dash_answers(15)
    assert assessment.assessor == owner and assessment.assessor_agency == owner.agency
    event = AuditEvent.objects.get(action="create", object_id=str(assessment.pk))
    assert event.person_id == person.pk and "answers" in event.fields
    line = ChronologyEvent.objects.get(person=person, kind="assessment")
    assert line.summary == "DASH risk assessment: high (15 yes)"
    assert line.source_type == "instruments.assessment" and line.source_id == str(assessment.pk)


@pytest.mark.parametrize(
    ("instrument_id", "answers", "judgement", "summary"),
    [
        (
            "dash",
            dash_answers(12),
            {"level": "high", "reason": "Threats to kill"},
            "DASH risk assessment: high (12 yes, professional judgement)",
        ),
        (
            "child-exploitation",
            yes_to("child-exploitation", "missing", "travel_out_of_area"),
            None,
            "Child exploitation screening: medium (score 5)",
        ),
        (
            "missing-risk",
            yes_to("missing-risk", "out_of_character"),
            None,
            "Missing person risk assessment: medium risk",
        ),
        ("thrive", yes_to("thrive", risk="high"), None, "THRIVE grading: high"),
    ],
)
def test_chronology_summary_for_each_instrument(
    owner, person, assess, instrument_id, answers, judgement, summary
):
    assess(owner, person, instrument_id, answers, professional_judgement=judgement)

    assert ChronologyEvent.objects.get(person=person, kind="assessment").summary == summary


def test_a_partner_with_a_share_may_assess_and_the_assessment_follows_the_person(
    owner, partner, outsider, person, share, assess
):
    assessment = assess(partner, person)

    for user in (owner, partner):
        assert Assessment.objects.visible_to(user).filter(pk=assessment.pk).exists()
    assert not Assessment.objects.visible_to(outsider).exists()
    assert assessment.assessor_agency == partner.agency


@pytest.mark.parametrize("persona", ["outsider", "analyst", "auditor", "commissioner"])
def test_who_cannot_see_the_person_cannot_assess(request, person, assess, persona):
    with pytest.raises(PermissionDenied):
        assess(request.getfixturevalue(persona), person)
    assert not Assessment.objects.exists()


def _nothing_stored(person):
    assert not Assessment.objects.exists()
    assert not ChronologyEvent.objects.filter(person=person, kind="assessment").exists()
    assert not AuditEvent.objects.filter(object_type="instruments.assessment").exists()


@pytest.mark.parametrize(
    ("answers", "judgement", "fields"),
    [
        ({**dash_answers(3), "q28": "yes"}, None, {"q28"}),
        ({**dash_answers(3), "q1": "maybe"}, None, {"q1"}),
        ({k: v for k, v in dash_answers(3).items() if k != "q7"}, None, {"q7"}),
        (dash_answers(15), {"level": "medium", "reason": "Victim minimised it"}, {rules.PJ_LEVEL}),
        (dash_answers(3), {"level": "high", "reason": ""}, {rules.PJ_REASON}),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(owner, person, assess, answers, judgement, fields):
    with pytest.raises(ValidationError) as caught:
        assess(owner, person, "dash", answers, professional_judgement=judgement)

    assert set(caught.value.message_dict) == fields
    _nothing_stored(person)


def test_unknown_instrument_is_refused(owner, person, assess):
    with pytest.raises(ValidationError) as caught:
        assess(owner, person, "oasys")
    assert "Unknown instrument 'oasys'" in caught.value.message_dict["instrument"][0]
    _nothing_stored(person)


def test_assessment_in_the_future_is_refused(owner, person, assess):
    with pytest.raises(ValidationError):
        assess(owner, person, assessed_at=timezone.now() + timedelta(hours=1))
    _nothing_stored(person)


def test_the_record_that_prompted_it_is_kept_without_importing_its_app(owner, person, share, assess):
    by_object = assess(owner, person, context=share)
    by_pair = assess(owner, person, context=("contacts.contact", "0b3c6f0e-0000-4000-8000-000000000001"))

    assert (by_object.context_type, by_object.context_id) == ("core.share", str(share.pk))
    assert (by_pair.context_type, by_pair.context_id) == (
        "contacts.contact",
        "0b3c6f0e-0000-4000-8000-000000000001",
    )


# --- versions ---------------------------------------------------------------------------------


def test_old_assessments_keep_their_version_after_a_new_one_is_made_current(
    owner, person, assess, admin_user
):
    old = assess(owner, person, "dash", dash_answers(12))
    data = copy.deepcopy(shipped_definition("dash", 1))
    data["scoring"]["bands"][2]["min_score"] = 12

    version = services.instrument_version_create(actor=admin_user, instrument_id="dash", definition=data)
    new = assess(owner, person, "dash", dash_answers(12))

    assert version.version == 2 and version.is_current and version.definition["version"] == 2
    assert list(InstrumentVersion.objects.filter(instrument_id="dash", is_current=True)) == [version]
    old.refresh_from_db()
    assert (old.version, old.level) == (1, "medium")
    assert (new.version, new.level) == (2, "high")
    assert AuditEvent.objects.filter(
        action="create", object_type="instruments.instrumentversion", actor=admin_user
    ).exists()


def test_a_definition_that_does_not_validate_is_refused_with_the_reasons(admin_user):
    data = copy.deepcopy(shipped_definition("dash", 1))
    data["sections"][0]["questions"][3]["id"] = "q3"
    data["scoring"]["method"] = "average"

    with pytest.raises(ValidationError) as caught:
        services.instrument_version_create(actor=admin_user, instrument_id="dash", definition=data)

    problems = caught.value.message_dict["definition"]
    assert "sections[0].questions[3].id: duplicate id q3" in problems
    assert any(p.startswith("scoring.method") for p in problems)
    assert InstrumentVersion.objects.filter(instrument_id="dash").count() == 1


def test_a_new_version_keeps_the_instruments_id(admin_user):
    data = {**copy.deepcopy(shipped_definition("dash", 1)), "id": "thrive"}
    with pytest.raises(ValidationError) as caught:
        services.instrument_version_create(actor=admin_user, instrument_id="dash", definition=data)
    assert caught.value.message_dict["definition"] == [
        "id: must be dash (a new version keeps the instrument's id)"
    ]


@pytest.mark.parametrize("persona", ["owner", "analyst", "auditor"])
def test_only_administrators_make_versions(request, persona):
    with pytest.raises(PermissionDenied):
        services.instrument_version_create(
            actor=request.getfixturevalue(persona),
            instrument_id="dash",
            definition=shipped_definition("dash", 1),
        )


def test_loading_the_shipped_files_again_adds_nothing():
    before = (InstrumentVersion.objects.count(), AuditEvent.objects.count())
    out = call_command_output("load_instruments")

    assert "dash v1: already loaded" in out
    assert (InstrumentVersion.objects.count(), AuditEvent.objects.count()) == before


def test_a_newer_shipped_version_is_loaded_and_made_current(monkeypatch, owner, person, assess):
    old = assess(owner, person)
    v2 = {**copy.deepcopy(shipped_definition("dash", 1)), "version": 2}
    monkeypatch.setattr(services, "shipped", lambda: {"dash": {1: shipped_definition("dash", 1), 2: v2}})

    report = services.instruments_load_shipped()

    assert report == ["dash v1: already loaded", "dash v2: loaded (current)"]
    assert InstrumentVersion.objects.get(instrument_id="dash", is_current=True).version == 2
    assert Assessment.objects.get(pk=old.pk).version == 1


def test_a_shipped_file_that_does_not_validate_is_refused(monkeypatch):
    broken = {
        **copy.deepcopy(shipped_definition("dash", 1)),
        "version": 3,
        "scoring": {"method": "x", "bands": []},
    }
    monkeypatch.setattr(services, "shipped", lambda: {"dash": {3: broken}})

    with pytest.raises(rules.DefinitionError) as caught:
        services.instruments_load_shipped()
    assert any(p.startswith("dash v3: scoring.method") for p in caught.value.problems)
    assert not InstrumentVersion.objects.filter(version=3).exists()


def call_command_output(*args) -> str:
    import io

    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
