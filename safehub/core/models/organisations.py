"""The partnership's organisations: a force, its districts, the agencies serving them, teams."""

import uuid

from django.db import models


class Force(models.Model):
    """A police force area, and the safeguarding partnership settings that go with it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="districts")
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    ons_code = models.CharField("ONS local authority code", max_length=9, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    HEALTH = "health", "Health or ICB"
    SCHOOL = "school", "School"
    IDVA_SERVICE = "idva_service", "IDVA service"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    COMMISSIONER_OFFICE = "commissioner_office", "Office of the Police and Crime Commissioner or Mayor"


class Agency(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="agencies")
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=40, choices=AgencyKind.choices)
    districts = models.ManyToManyField(District, related_name="agencies", help_text="Districts it serves")
    safeguarding_contact = models.CharField(
        max_length=200, blank=True, help_text="Team or duty line other agencies use (no personal names)"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="teams"
    )
    name = models.CharField(max_length=160)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_unique_name_in_agency")]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"
