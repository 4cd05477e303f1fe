"""Factories for organisations and users (synthetic en_GB data)."""

import factory
from factory.django import DjangoModelFactory

from safehub.core.models import Agency, AgencyKind, District, Force, RoleGrant, User

TEST_PASSWORD = "correct-horse-battery-staple-42"


class ForceFactory(DjangoModelFactory):
    class Meta:
        model = Force
        django_get_or_create = ("code",)

    code = "west-yorkshire"
    name = "West Yorkshire"


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    force = factory.SubFactory(ForceFactory)
    code = factory.Sequence(lambda n: f"district-{n}")
    name = factory.LazyAttribute(lambda o: o.code.replace("-", " ").title())


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    force = factory.SubFactory(ForceFactory)
    code = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.LazyAttribute(lambda o: o.code.replace("-", " ").title())
    kind = AgencyKind.POLICE

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.add(*extracted)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        for role in extracted or []:
            RoleGrant.objects.get_or_create(user=self, role=role)
        self.__dict__.pop("role_codes", None)
