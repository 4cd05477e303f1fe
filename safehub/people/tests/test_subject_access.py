"""`safehub sar`: everything held about a person, found by the model registry, third parties flagged."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safehub.contacts.tests.factories import record
from safehub.core.models import AuditEvent
from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.people import services
from safehub.people.models import RelationshipKind
from safehub.people.tests.factories import PersonFactory


@pytest.fixture
def callhandler(agencies, districts):
    return UserFactory(agency=agencies["police"], district=districts["leeds"], roles=[Role.CALL_HANDLER])


@pytest.fixture
def subject(agencies, districts):
    return PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        given_name="Vera",
        family_name="Victimson",
    )


@pytest.fixture
def other(agencies, districts):
    return PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        given_name="Sid",
        family_name="Suspectley",
    )


@pytest.fixture
def held(callhandler, subject, other, districts):
    services.identifier_add(actor=callhandler, person=subject, kind="police_nominal", value="NOM-0001")
    services.relationship_add(
        actor=callhandler, person=subject, related_person=other, kind=RelationshipKind.EX_PARTNER
    )
    return record(
        callhandler,
        districts["leeds"],
        category="domestic",
        people=[{"person": subject, "role": "victim"}, {"person": other, "role": "suspect"}],
    )


def _export(tmp_path, subject, *extra):
    path = tmp_path / "sar.json"
    call_command("sar", str(subject.pk), "--output", str(path), *extra)
    return json.loads(path.read_text())


def test_export_holds_the_person_their_records_and_the_records_they_are_part_of(tmp_path, subject, held):
    data = _export(tmp_path, subject)

    assert data["subject"]["given_name"] == "Vera"
    types = {record["type"] for record in data["records"]}
    assert {"people.Identifier", "people.Relationship", "contacts.ContactPerson"} <= types
    contact = next(r for r in data["records"] if r["type"] == "contacts.ContactPerson")
    assert contact["part_of"][0]["type"] == "contacts.Contact"
    assert contact["part_of"][0]["fields"]["narrative"].startswith("Caller reports")
    assert data["chronology"], "the timeline comes with the export"
    assert data["counts"]["records"] == len(data["records"])


def test_other_people_are_flagged_for_redaction_never_described(tmp_path, subject, other, held):
    data = _export(tmp_path, subject)

    third_parties = [item for item in data["redaction_review"] if item["why"].startswith("third party")]
    assert {item["person_id"] for item in third_parties} == {str(other.pk)}
    assert all(record["fields"].get("given_name") != "Sid" for record in data["records"])
    free_text = [item for item in data["redaction_review"] if item["why"].startswith("free text")]
    assert any(item["field"] == "narrative" for item in free_text)


def test_who_has_seen_the_record_is_listed_by_agency(tmp_path, subject, held):
    data = _export(tmp_path, subject)

    assert data["disclosures"]
    assert {"at", "action", "agency", "record_type"} == set(data["disclosures"][0])


def test_each_export_is_audited_without_personal_data_in_the_reason(tmp_path, subject, held, capsys):
    _export(tmp_path, subject, "--reason", "SAR-2026-0042")

    event = AuditEvent.objects.filter(action="export", person_id=subject.pk).get()
    assert event.reason == "Subject access request: SAR-2026-0042"
    assert event.actor_label == "job:sar"
    printed = capsys.readouterr().out
    assert "Vera" not in printed and "item(s) to review" in printed


def test_html_export_is_readable(tmp_path, subject, held):
    path = tmp_path / "sar.html"
    call_command("sar", str(subject.pk), "--output", str(path), "--format", "html")
    text = path.read_text()
    assert "<h1>Subject access export</h1>" in text and "Victimson" in text


@pytest.mark.parametrize(
    ("person", "message"),
    [("not-a-uuid", "is not a person id"), ("00000000-0000-0000-0000-000000000000", "No person has the id")],
)
def test_bad_ids_are_refused_clearly(db, tmp_path, person, message):
    with pytest.raises(CommandError, match=message):
        call_command("sar", person, "--output", str(tmp_path / "x.json"))
    assert not (tmp_path / "x.json").exists()


def test_an_existing_file_is_never_overwritten(tmp_path, subject):
    path = tmp_path / "sar.json"
    path.write_text("keep")
    with pytest.raises(CommandError, match="already exists"):
        call_command("sar", str(subject.pk), "--output", str(path))
    assert path.read_text() == "keep"
