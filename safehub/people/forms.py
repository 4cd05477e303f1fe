"""GOV.UK forms for the person index."""

from __future__ import annotations

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.utils import timezone

from safehub.core.forms import GdsFormMixin
from safehub.core.models import Agency, ConsentStatus, District, LawfulBasis
from safehub.core.models.sharing import SpecialCategoryCondition
from safehub.people.models import (
    AddressKind,
    AliasKind,
    Disability,
    DobPrecision,
    Ethnicity,
    Gender,
    IdentifierKind,
    MarkerKind,
    Person,
    RelationshipKind,
    Sex,
)


def _date(label: str, required: bool = False, help_text: str = "") -> DateInputField:
    field = DateInputField(label=label, required=required, help_text=help_text or "For example, 27 3 2007")
    return field


class PersonSearchForm(GdsFormMixin, forms.Form):
    query = forms.CharField(
        label="Name, date of birth, NHS number, other identifier or postcode",
        max_length=200,
        error_messages={"required": "Enter a name, date of birth, identifier or postcode"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(Field.text("query", field_width=30))


class PersonForm(GdsFormMixin, forms.Form):
    given_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter a first name"}
    )
    middle_names = forms.CharField(label="Middle names", max_length=150, required=False)
    family_name = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "Enter a last name"}
    )
    date_of_birth = _date("Date of birth")
    dob_precision = forms.ChoiceField(
        label="How sure is the date of birth?",
        choices=DobPrecision.choices,
        initial=DobPrecision.EXACT,
        widget=forms.RadioSelect,
    )
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, initial=Sex.NOT_KNOWN, widget=forms.RadioSelect)
    gender = forms.ChoiceField(label="Gender identity", choices=Gender.choices, initial=Gender.NOT_KNOWN)
    ethnicity = forms.ChoiceField(
        label="Ethnic group (ONS 2021)",
        choices=Ethnicity.choices,
        initial=Ethnicity.NOT_STATED,
        error_messages={"invalid_choice": "Select an ethnic group from the list"},
    )
    first_language = forms.CharField(label="First language", max_length=60, required=False)
    interpreter_needed = forms.BooleanField(label="Needs an interpreter", required=False)
    disability = forms.ChoiceField(
        label="Disability", choices=Disability.choices, initial=Disability.NOT_KNOWN, widget=forms.RadioSelect
    )
    disability_notes = forms.CharField(label="Disability or access needs", max_length=300, required=False)
    phone = forms.CharField(label="Phone number", max_length=30, required=False)
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [
            Field.text("given_name", field_width=20),
            Field.text("middle_names", field_width=20),
            Field.text("family_name", field_width=20),
            Field("date_of_birth"),
            Field.radios("dob_precision", inline=True, legend_size=Size.SMALL),
            Field.radios("sex", inline=True, legend_size=Size.SMALL),
            Field.select("gender"),
            Field.select("ethnicity"),
            Field.text("first_language", field_width=20),
            Field.checkbox("interpreter_needed"),
            Field.radios("disability", inline=True, legend_size=Size.SMALL),
            Field.text("disability_notes"),
            Field.text("phone", field_width=20),
            Field.text("email", field_width=30),
        ]
        if districts is not None:
            self.fields["district"] = forms.ModelChoiceField(
                label="District",
                queryset=districts,
                empty_label="Select a district",
                error_messages={
                    "required": "Select a district",
                    "invalid_choice": "Select a district your agency serves",
                },
            )
            fields.insert(0, Field.select("district"))
        self.helper = self.make_helper(*fields)

    def clean_date_of_birth(self):
        dob = self.cleaned_data.get("date_of_birth")
        if dob and dob > timezone.localdate():
            raise forms.ValidationError("Date of birth must be today or in the past")
        return dob

    def person_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("district", None)
        return data

    @classmethod
    def initial_for(cls, person: Person) -> dict:
        return {name: getattr(person, name) for name in cls.base_fields}


class IdentifierForm(GdsFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Type of identifier", choices=IdentifierKind.choices)
    value = forms.CharField(
        label="Identifier", max_length=40, error_messages={"required": "Enter the identifier"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(Field.select("kind"), Field.text("value", field_width=20))


class AliasForm(GdsFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Type of name", choices=AliasKind.choices)
    given_name = forms.CharField(label="First name", max_length=100, required=False)
    family_name = forms.CharField(label="Last name", max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.select("kind"),
            Field.text("given_name", field_width=20),
            Field.text("family_name", field_width=20),
        )


class AddressForm(GdsFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Type of address", choices=AddressKind.choices)
    line1 = forms.CharField(label="Address line 1", max_length=150, required=False)
    line2 = forms.CharField(label="Address line 2", max_length=150, required=False)
    town = forms.CharField(label="Town or city", max_length=80, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    district = forms.ModelChoiceField(
        label="District",
        queryset=District.objects.all(),
        required=False,
        empty_label="Outside the force area or not known",
    )
    from_date = _date("Moved in")
    to_date = _date("Moved out", help_text="Leave blank if they still live here")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.select("kind"),
            Field.text("line1"),
            Field.text("line2"),
            Field.text("town", field_width=20),
            Field.text("postcode", field_width=10),
            Field.select("district"),
            Field("from_date"),
            Field("to_date"),
        )


class RelationshipForm(GdsFormMixin, forms.Form):
    kind = forms.ChoiceField(label="This person is", choices=RelationshipKind.choices)
    related_person = forms.UUIDField(
        label="Record id of the other person",
        help_text="Find the other person first; their record id is shown on their page",
        error_messages={
            "required": "Enter the record id of the other person",
            "invalid": "Enter a record id in the form shown on the person's page",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(Field.select("kind"), Field.text("related_person", field_width=30))


class MarkerForm(GdsFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Warning marker", choices=MarkerKind.choices)
    note = forms.CharField(label="Note", max_length=300, required=False)
    review_date = _date("Review date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(Field.select("kind"), Field.text("note"), Field("review_date"))


class ShareForm(GdsFormMixin, forms.Form):
    to_agency = forms.ModelChoiceField(
        label="Share with",
        queryset=Agency.objects.none(),
        empty_label="Select an agency",
        error_messages={"required": "Select the agency to share with"},
    )
    purpose = forms.CharField(
        label="Purpose",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why you are sharing this record"},
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis",
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the lawful basis for sharing"},
    )
    condition = forms.ChoiceField(
        label="Special category condition", choices=SpecialCategoryCondition.choices, required=False
    )
    consent_status = forms.ChoiceField(
        label="Consent",
        choices=ConsentStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the consent position"},
    )
    consent_note = forms.CharField(
        label="Why consent was not sought or was overridden",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    expires_on = _date("Share ends on", help_text="Leave blank for no end date. For example, 31 3 2027")

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["to_agency"].queryset = agencies
        self.helper = self.make_helper(
            Field.select("to_agency"),
            Field.textarea("purpose"),
            Fieldset(Field.radios("lawful_basis", legend_size=Size.SMALL)),
            Field.select("condition"),
            Field.radios("consent_status", legend_size=Size.SMALL),
            Field.textarea("consent_note"),
            Field("expires_on"),
        )

    def clean_expires_on(self):
        value = self.cleaned_data.get("expires_on")
        if value and value <= timezone.localdate():
            raise forms.ValidationError("The share must end after today")
        return value


class BreakGlassOpenForm(GdsFormMixin, forms.Form):
    reason = forms.CharField(min_length=20, max_length=2000, widget=forms.HiddenInput)
