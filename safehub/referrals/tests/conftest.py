"""The MASH cast on top of the standard one: a MASH manager, a Leeds health agency and its
practitioner, and a child the school refers."""

from datetime import date

import pytest

from safehub.core.models import AgencyKind, ConsentStatus, LawfulBasis
from safehub.core.roles import Role
from safehub.core.tests.factories import AgencyFactory, UserFactory
from safehub.people.tests.factories import PersonFactory


@pytest.fixture
def health(districts):
    return AgencyFactory(
        code="leeds-icb", name="Leeds Health", kind=AgencyKind.HEALTH, districts=[districts["leeds"]]
    )


@pytest.fixture
def mashmanager(agencies, districts):
    return UserFactory(
        username="mashmanager",
        agency=agencies["leeds_csc"],
        district=districts["leeds"],
        roles=[Role.MASH_MANAGER],
        email="mashmanager@example.org",
    )


@pytest.fixture
def school_user(partner):
    """The school's designated safeguarding lead (the standard `partner`)."""
    return partner


@pytest.fixture
def health_user(health, districts):
    return UserFactory(
        username="health", agency=health, district=districts["leeds"], roles=[Role.PARTNER_PRACTITIONER]
    )


@pytest.fixture
def child(agencies, districts):
    return PersonFactory(
        owning_agency=agencies["leeds_school"],
        district=districts["leeds"],
        given_name="Charlie",
        family_name="Childtest",
        date_of_birth=date(2016, 5, 4),
    )


def referral_fields(**overrides):
    fields = {
        "categories": ["neglect"],
        "what_happened": "Arrives hungry most days; unwashed uniform (synthetic)",
        "risks": "Younger sibling at home",
        "strengths": "Attends every day",
        "consent_status": ConsentStatus.NOT_SOUGHT,
        "consent_note": "Asking would place the child at risk",
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "child_seen": "yes",
        "seen_alone": "yes",
        "wishes_and_feelings": "Wants more breakfast at school",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def make_referral(districts):
    from safehub.referrals import services

    def _make(actor, person, **overrides):
        return services.referral_create(
            actor=actor,
            district=overrides.pop("district", districts["leeds"]),
            subjects=[{"person": person}],
            **referral_fields(**overrides),
        )

    return _make


@pytest.fixture
def referral(make_referral, school_user, child):
    return make_referral(school_user, child)
