"""The modern slavery cast on top of the standard one: a child and an adult in the police's
person index in Leeds, and a helper that records a referral through the service."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from safehub.people.tests.factories import PersonFactory
from safehub.slavery import services


@pytest.fixture
def child(agencies, districts):
    return PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        given_name="Tyler",
        family_name="Testchild",
        date_of_birth=timezone.localdate().replace(year=timezone.localdate().year - 15) - timedelta(days=40),
    )


@pytest.fixture
def adult(agencies, districts):
    return PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        given_name="Arben",
        family_name="Testadult",
        date_of_birth=date(1990, 5, 17),
    )


def refer(actor, person, district, **overrides):
    values = {
        "actor": actor,
        "kind": "nrm",
        "person": person,
        "district": district,
        "exploitation_types": ["criminal"],
        "county_lines": True,
        "nationality": "British",
        "consent": "",
        "referred_at": timezone.now() - timedelta(hours=2),
        "age_at_exploitation": 14,
    }
    values.update(overrides)
    return services.referral_create(**values)


def notify(actor, district, **overrides):
    values = {
        "actor": actor,
        "kind": "dtn",
        "district": district,
        "exploitation_types": ["labour"],
        "nationality": "Albanian",
        "consent": "refused",
        "referred_at": timezone.now() - timedelta(hours=2),
        "age_at_referral": 31,
        "sex": "male",
        "circumstances": "Found working at a car wash with no pay.",
    }
    values.update(overrides)
    return services.referral_create(**values)


def aware(text: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(text))
