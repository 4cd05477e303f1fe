"""The person index: people, their names, identifiers, addresses, relationships and markers.

Every record here is person-level: scoped through `visible_to(user)` and loaded in views only
through `safehub.core.access`.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from safehub.core.models.base import ScopedChildModel, ScopedModel
from safehub.core.models.organisations import Agency, District
from safehub.people import rules


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_KNOWN = "not_known", "Not known"


class Gender(models.TextChoices):
    SAME_AS_SEX = "same", "Same as sex registered at birth"
    DIFFERENT = "different", "Different from sex registered at birth"
    PREFER_NOT = "prefer_not", "Prefers not to say"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    """ONS 2021 census ethnic groups for England and Wales (19 categories), plus not stated."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian, Asian British or Asian Welsh: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian, Asian British or Asian Welsh: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian, Asian British or Asian Welsh: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian, Asian British or Asian Welsh: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian, Asian British or Asian Welsh: Other Asian"
    BLACK_AFRICAN = "black_african", "Black, Black British, Black Welsh, Caribbean or African: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Black Welsh, Caribbean or African: Caribbean"
    BLACK_OTHER = "black_other", "Black, Black British, Black Welsh, Caribbean or African: Other Black"
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or Multiple ethnic groups: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = (
        "mixed_white_black_african",
        "Mixed or Multiple ethnic groups: White and Black African",
    )
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        "Mixed or Multiple ethnic groups: White and Black Caribbean",
    )
    MIXED_OTHER = "mixed_other", "Mixed or Multiple ethnic groups: Other Mixed or Multiple"
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: Other White"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER_ANY = "other_any", "Other ethnic group: Any other ethnic group"
    NOT_STATED = "not_stated", "Not stated"


class DobPrecision(models.TextChoices):
    EXACT = "exact", "Exact"
    MONTH = "month", "Month and year known"
    YEAR = "year", "Year known"
    ESTIMATED = "estimated", "Estimated"


class Disability(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class Person(ScopedModel):
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=150, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    dob_precision = models.CharField(max_length=10, choices=DobPrecision.choices, default=DobPrecision.EXACT)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.NOT_KNOWN)
    gender = models.CharField(max_length=12, choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = models.CharField(max_length=40, choices=Ethnicity.choices, default=Ethnicity.NOT_STATED)
    first_language = models.CharField(max_length=60, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    disability = models.CharField(max_length=10, choices=Disability.choices, default=Disability.NOT_KNOWN)
    disability_notes = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set by the linkage app's merge (and cleared by its undo): this record is a duplicate whose
    # linked records now sit on `merged_into`. Kept, never deleted, so a merge can be undone.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_duplicates"
    )

    scope_label = "people.person"

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            # person_search: surname (prefix) within a scope, then forename.
            models.Index(fields=["family_name", "given_name"], name="person_name"),
            # person_search by date of birth.
            models.Index(fields=["date_of_birth"], name="person_dob"),
            # scope_filter: own-agency and district scopes.
            models.Index(fields=["owning_agency", "district"], name="person_scope"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_of_birth__isnull=True)
                | models.Q(date_of_birth__gte=date(1900, 1, 1)),
                name="person_dob_after_1900",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.middle_names, self.family_name) if part)

    @property
    def age(self) -> int | None:
        return rules.age_on(self.date_of_birth, timezone.localdate())

    def clean(self) -> None:
        super().clean()
        problem = rules.date_of_birth_problem(self.date_of_birth, timezone.localdate())
        if problem:
            raise ValidationError({"date_of_birth": problem})
        if self.owning_agency_id and self.district_id:
            if not self.owning_agency.districts.filter(pk=self.district_id).exists():
                raise ValidationError({"district": "Select a district that the owning agency serves"})


class AliasKind(models.TextChoices):
    ALIAS = "alias", "Alias"
    PREVIOUS = "previous", "Previous name"
    KNOWN_AS = "known_as", "Known as"
    SPELLING = "spelling", "Other spelling"


class PersonAlias(ScopedChildModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=12, choices=AliasKind.choices, default=AliasKind.ALIAS)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "person aliases"
        indexes = [models.Index(fields=["family_name", "given_name"], name="alias_name")]  # person_search

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def clean(self) -> None:
        if not (self.given_name or self.family_name):
            raise ValidationError("Enter a first name or a last name for the alias")


class IdentifierKind(models.TextChoices):
    NHS_NUMBER = "nhs_number", "NHS number"
    POLICE_NOMINAL = "police_nominal", "Police nominal reference"
    LA_ID = "la_id", "Local authority id"
    UPN = "upn", "Unique pupil number"


class Identifier(ScopedChildModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=20, choices=IdentifierKind.choices)
    value = models.CharField(max_length=40)
    issuer = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "value"], name="identifier_unique_per_person"),
        ]
        indexes = [models.Index(fields=["kind", "value"], name="identifier_lookup")]  # person_search by id

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"

    def clean(self) -> None:
        if self.kind == IdentifierKind.NHS_NUMBER:
            self.value = rules.normalise_nhs_number(self.value)
            problem = rules.nhs_number_problem(self.value)
        elif self.kind == IdentifierKind.UPN:
            self.value = rules.normalise_upn(self.value)
            problem = rules.upn_problem(self.value)
        else:
            self.value = (self.value or "").strip()
            problem = None if self.value else "Enter the identifier"
        if problem:
            raise ValidationError({"value": problem})


class AddressKind(models.TextChoices):
    HOME = "home", "Home"
    TEMPORARY = "temporary", "Temporary"
    CARE_PLACEMENT = "care_placement", "Care placement"
    PREVIOUS = "previous", "Previous"
    NO_FIXED_ABODE = "nfa", "No fixed abode"


class Address(ScopedChildModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(max_length=20, choices=AddressKind.choices, default=AddressKind.HOME)
    line1 = models.CharField("Address line 1", max_length=150, blank=True)
    line2 = models.CharField("Address line 2", max_length=150, blank=True)
    town = models.CharField(max_length=80, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    lsoa_code = models.CharField("LSOA code", max_length=9, blank=True)
    from_date = models.DateField(null=True, blank=True)
    to_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-from_date"]
        verbose_name_plural = "addresses"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_date__isnull=True)
                | models.Q(from_date__isnull=True)
                | models.Q(to_date__gte=models.F("from_date")),
                name="address_dates_in_order",
            )
        ]
        indexes = [models.Index(fields=["postcode"], name="address_postcode")]  # repeat-location lookups

    def __str__(self) -> str:
        return ", ".join(part for part in (self.line1, self.town, self.postcode) if part)

    @property
    def is_current(self) -> bool:
        return self.to_date is None or self.to_date >= timezone.localdate()

    def clean(self) -> None:
        errors = {}
        if self.kind != AddressKind.NO_FIXED_ABODE:
            if not self.line1:
                errors["line1"] = "Enter address line 1"
            if self.postcode:
                self.postcode = rules.normalise_postcode(self.postcode)
                problem = rules.postcode_problem(self.postcode)
                if problem:
                    errors["postcode"] = problem
        today = timezone.localdate()
        if self.from_date and self.from_date > today:
            errors["from_date"] = "The date they moved in must be today or in the past"
        if self.from_date and self.to_date and self.to_date < self.from_date:
            errors["to_date"] = "The date they moved out must be after the date they moved in"
        if errors:
            raise ValidationError(errors)


class RelationshipKind(models.TextChoices):
    PARENT = "parent", "Parent of"
    CHILD = "child", "Child of"
    CARER = "carer", "Carer of"
    CARED_FOR = "cared_for", "Cared for by"
    PARTNER = "partner", "Partner of"
    EX_PARTNER = "ex_partner", "Ex-partner of"
    SIBLING = "sibling", "Sibling of"
    HOUSEHOLD = "household", "Lives with"
    ASSOCIATE = "associate", "Associate of"


INVERSE_RELATIONSHIP = {
    RelationshipKind.PARENT: RelationshipKind.CHILD,
    RelationshipKind.CHILD: RelationshipKind.PARENT,
    RelationshipKind.CARER: RelationshipKind.CARED_FOR,
    RelationshipKind.CARED_FOR: RelationshipKind.CARER,
    RelationshipKind.PARTNER: RelationshipKind.PARTNER,
    RelationshipKind.EX_PARTNER: RelationshipKind.EX_PARTNER,
    RelationshipKind.SIBLING: RelationshipKind.SIBLING,
    RelationshipKind.HOUSEHOLD: RelationshipKind.HOUSEHOLD,
    RelationshipKind.ASSOCIATE: RelationshipKind.ASSOCIATE,
}


class Relationship(ScopedChildModel):
    """`person` is <kind> `related_person` ("A is parent of B"); the inverse row is kept too."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    related_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    from_date = models.DateField(null=True, blank=True)
    to_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["person", "related_person", "kind"], name="relationship_unique"),
            models.CheckConstraint(
                condition=~models.Q(person=models.F("related_person")), name="relationship_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} another person"


class MarkerKind(models.TextChoices):
    VIOLENCE = "violence", "Violent"
    WEAPONS = "weapons", "Weapons"
    SELF_HARM = "self_harm", "Self-harm or suicide risk"
    MENTAL_HEALTH = "mental_health", "Mental health"
    DRUGS = "drugs", "Drugs"
    RISK_TO_CHILDREN = "risk_to_children", "Risk to children"
    EXPLOITATION_RISK = "exploitation_risk", "Risk of exploitation"
    MISSING_RISK = "missing_risk", "Goes missing"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse (victim or perpetrator)"
    ESCAPE = "escape", "Escaper"
    CONTAGION = "contagion", "Contagious disease"


class Marker(ScopedChildModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="markers")
    kind = models.CharField(max_length=30, choices=MarkerKind.choices)
    note = models.CharField(max_length=300, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    from_date = models.DateField(default=timezone.localdate)
    review_date = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-active", "kind"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        if self.review_date and self.from_date and self.review_date < self.from_date:
            raise ValidationError(
                {"review_date": "The review date must be after the date the marker was raised"}
            )


class ChronologyEvent(ScopedChildModel):
    """One line of a person's timeline, written by any app through `people.chronology.add`."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="chronology")
    kind = models.SlugField(max_length=60)
    at = models.DateTimeField()
    summary = models.CharField(max_length=300)
    source_type = models.CharField(max_length=80, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    recorded_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at"]
        # Person page and chronology API: one person's events, newest first.
        indexes = [models.Index(fields=["person", "-at"], name="chronology_person_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.kind}"
