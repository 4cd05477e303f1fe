"""Factories for the person index (synthetic en_GB data; NHS numbers only in the 999 test range)."""

import random

import factory
from factory.django import DjangoModelFactory

from safehub.people import rules
from safehub.people.models import Ethnicity, Identifier, IdentifierKind, Person, Sex


def synthetic_nhs_number(seed: int) -> str:
    """A valid NHS number in the 999 range reserved for testing."""
    rng = random.Random(seed)
    while True:
        first_nine = "999" + "".join(str(rng.randint(0, 9)) for _ in range(6))
        check = rules.nhs_check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=1, maximum_age=80)
    sex = Sex.FEMALE
    ethnicity = Ethnicity.WHITE_BRITISH


class IdentifierFactory(DjangoModelFactory):
    class Meta:
        model = Identifier

    person = factory.SubFactory(PersonFactory)
    kind = IdentifierKind.NHS_NUMBER
    value = factory.Sequence(synthetic_nhs_number)
