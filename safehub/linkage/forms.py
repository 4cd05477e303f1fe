"""GOV.UK forms of person matching."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Size
from django import forms

from safehub.core.forms import GdsFormMixin
from safehub.linkage.models import PartnerKind
from safehub.people.forms import PersonForm


class MatchCheckForm(PersonForm):
    """The person form plus what the model compares: postcode, address and NHS number."""

    address_line1 = forms.CharField(label="Address line 1", max_length=150, required=False)
    town = forms.CharField(label="Town or city", max_length=80, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    nhs_number = forms.CharField(label="NHS number", max_length=12, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout.fields.extend(
            [
                Field.text("address_line1", field_width=20),
                Field.text("town", field_width=20),
                Field.text("postcode", field_width=10),
                Field.text("nhs_number", field_width=10),
            ]
        )

    def clean(self):
        data = super().clean()
        if data.get("postcode") and not data.get("address_line1"):
            self.add_error("address_line1", "Enter address line 1, or leave the postcode blank")
        return data

    def query(self) -> dict:
        data = self.cleaned_data
        return {
            "first_name": data["given_name"],
            "surname": data["family_name"],
            "dob": data.get("date_of_birth"),
            "postcode": data.get("postcode", ""),
            "address": data.get("address_line1", ""),
            "city": data.get("town", ""),
            "identifier": (data.get("nhs_number") or "").replace(" ", ""),
            "sex": data.get("sex") if data.get("sex") in ("female", "male") else "",
            "email": data.get("email", ""),
        }

    def person_data(self) -> dict:
        data = super().person_data()
        for name in ("address_line1", "town", "postcode", "nhs_number"):
            data.pop(name, None)
        return data


class ExtractUploadForm(GdsFormMixin, forms.Form):
    partner_name = forms.CharField(
        label="Partner system", max_length=120, error_messages={"required": "Enter the partner system's name"}
    )
    partner_kind = forms.ChoiceField(
        label="Kind of partner",
        choices=PartnerKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of partner"},
    )
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "Columns first_name, surname, dob; any of postcode, address, city, email, sex, identifier, "
            "reference"
        ),
        error_messages={"required": "Select a CSV file", "empty": "The file is empty"},
    )

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"] = forms.ModelChoiceField(
            label="District",
            queryset=districts,
            empty_label="Select a district",
            error_messages={
                "required": "Select a district",
                "invalid_choice": "Select a district your agency serves",
            },
        )
        self.helper = self.make_helper(
            Field.select("district"),
            Field.text("partner_name", field_width=20),
            Field.radios("partner_kind", legend_size=Size.SMALL),
            Field("file"),
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("The file must be smaller than 20 MB")
        return upload


class MergeForm(GdsFormMixin, forms.Form):
    survivor = forms.ChoiceField(
        label="Which record stays?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the record that stays"},
    )
    reason = forms.CharField(
        label="Why are these the same person?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": "Enter why these are the same person"},
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = choices
        self.helper = self.make_helper(
            Field.radios("survivor", legend_size=Size.SMALL), Field.textarea("reason")
        )


class MergePickForm(GdsFormMixin, forms.Form):
    """The MASH names the two records by their reference (shown on each person's page)."""

    first = forms.UUIDField(
        label="First record's reference",
        error_messages={
            "required": "Enter the first record's reference",
            "invalid": "Enter a record reference like 3f2c…",
        },
    )
    second = forms.UUIDField(
        label="Second record's reference",
        error_messages={
            "required": "Enter the second record's reference",
            "invalid": "Enter a record reference like 3f2c…",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.text("first", field_width=30), Field.text("second", field_width=30)
        )
