"""Importing a checked file: all or none, subjects matched to people the importer can see, audited."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from safehub.core.models import AuditAction, AuditEvent
from safehub.people.models import Address, Identifier, IdentifierKind, Person
from safehub.people.tests.factories import IdentifierFactory, synthetic_nhs_number
from safehub.referrals import intake
from safehub.referrals.models import Referral, ReferralSubject
from safehub.referrals.tests.test_intake_parse import csv_bytes, row

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def forty_rows() -> list[dict[str, str]]:
    return [
        row(subject_given_name=f"Child{n}", subject_nhs_number=synthetic_nhs_number(100 + n))
        for n in range(40)
    ]


def parsed_for(user, rows) -> intake.ParsedFile:
    return intake.parse_referral_csv(io.BytesIO(csv_bytes(rows)), actor=user)


def test_an_error_in_row_37_of_40_saves_nothing(partner):
    rows = forty_rows()
    rows[35]["received_at"] = "not a date"  # file row 37 (the header is row 1)
    before = counts()
    parsed = parsed_for(partner, rows)
    assert [(e.row_number, e.column) for e in parsed.errors] == [(37, "received_at")]
    with pytest.raises(intake.ImportRefused) as refused:
        intake.import_referrals(actor=partner, parsed=parsed)
    assert refused.value.errors[0].row_number == 37
    assert counts() == before


def test_a_failure_while_saving_the_last_row_rolls_back_every_row(partner, monkeypatch):
    from safehub.referrals import services

    real = services.referral_create
    calls = []

    def failing_on_the_fortieth(**kwargs):
        calls.append(1)
        if len(calls) == 40:
            raise ValidationError({"what_happened": "Something the service refused"})
        return real(**kwargs)

    monkeypatch.setattr(services, "referral_create", failing_on_the_fortieth)
    before = counts()
    parsed = parsed_for(partner, forty_rows())
    with pytest.raises(intake.ImportRefused) as refused:
        intake.import_referrals(actor=partner, parsed=parsed)
    assert len(calls) == 40
    error = refused.value.errors[0]
    assert (error.row_number, error.column) == (41, "what_happened")
    assert counts() == before


def test_a_valid_file_imports_every_row_with_progress_and_audit(partner):
    seen = []
    parsed = parsed_for(partner, forty_rows())
    result = intake.import_referrals(actor=partner, parsed=parsed, progress=lambda d, t: seen.append((d, t)))
    assert result.count == 40 == Referral.objects.count()
    assert result.new_people == 40
    assert seen == [(40, 40)]
    referral = Referral.objects.get(subjects__person__given_name="Child3")
    assert referral.source == "school"
    assert referral.categories == ["neglect", "domestic_abuse"]
    assert referral.referring_agency == partner.agency
    assert referral.child_seen == "yes" and referral.seen_alone == "yes"
    person = referral.subjects.get().person
    assert Identifier.objects.get(person=person, kind=IdentifierKind.NHS_NUMBER).value == (
        synthetic_nhs_number(103)
    )
    assert Address.objects.get(person=person).postcode == "LS6 2AB"
    created = AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="referrals.referral")
    assert created.count() == 40
    summary = AuditEvent.objects.get(object_type="referrals.import")
    assert summary.actor == partner
    assert "40 referrals" in summary.reason


def test_progress_is_reported_every_fifty_rows(partner, monkeypatch):
    monkeypatch.setattr(intake, "PROGRESS_EVERY", 10)
    seen = []
    intake.import_referrals(
        actor=partner, parsed=parsed_for(partner, forty_rows()[:25]), progress=lambda d, t: seen.append(d)
    )
    assert seen == [10, 20, 25]


def test_subjects_are_matched_to_people_the_importer_can_see(partner, person, share, bradford_person):
    nhs = synthetic_nhs_number(900)
    IdentifierFactory(person=person, value=nhs)
    rows = [
        row(subject_given_name="Someone", subject_family_name="Else", subject_nhs_number=nhs),
        row(
            subject_given_name=person.given_name.upper(),
            subject_family_name=person.family_name,
            subject_date_of_birth=person.date_of_birth.isoformat(),
            subject_nhs_number="",
        ),
        row(  # held by Bradford, not visible to a Leeds school: a new record
            subject_given_name=bradford_person.given_name,
            subject_family_name=bradford_person.family_name,
            subject_date_of_birth=bradford_person.date_of_birth.isoformat(),
            subject_nhs_number="",
        ),
    ]
    people_before = Person.objects.count()
    result = intake.import_referrals(actor=partner, parsed=parsed_for(partner, rows))
    assert (result.matched_people, result.new_people) == (2, 1)
    assert ReferralSubject.objects.filter(person=person).count() == 2
    assert not ReferralSubject.objects.filter(person=bradford_person).exists()
    assert Person.objects.count() == people_before + 1
    assert Identifier.objects.filter(person=person).count() == 1  # nothing added to a matched person


def test_rows_for_a_district_the_agency_does_not_serve_are_refused(outsider):
    parsed = parsed_for(outsider, [row(district="leeds")])
    assert [(e.row_number, e.column) for e in parsed.errors] == [(2, "district")]
    assert "Use one of: bradford" in parsed.errors[0].message


def test_a_file_with_errors_is_refused_even_if_some_rows_are_good(partner):
    parsed = parsed_for(partner, [row(), row(categories="wizardry")])
    assert len(parsed.rows) == 1
    with pytest.raises(intake.ImportRefused):
        intake.import_referrals(actor=partner, parsed=parsed)
    assert not Referral.objects.exists()


def test_an_analyst_cannot_import(analyst, partner):
    parsed = parsed_for(partner, [row()])
    with pytest.raises(PermissionDenied):
        intake.import_referrals(actor=analyst, parsed=parsed)
    assert not Referral.objects.exists()
