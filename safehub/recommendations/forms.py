"""GOV.UK forms for the recommendations tracker. Services decide; forms parse input."""

from __future__ import annotations

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field
from django import forms

from safehub.core.forms import GdsFormMixin
from safehub.core.models import Agency, District, User
from safehub.core.roles import PERSON_LEVEL_ROLES
from safehub.recommendations.models import Finding, SourceKind, Status


def due_field() -> DateInputField:
    field = DateInputField(label="Due date", help_text="For example, 27 3 2027")
    field.error_messages.update({"required": "Enter the due date", "invalid": "Enter a real date"})
    return field


def owner_choices(force):
    """Agencies of the partnership, and the active practitioners and managers in them."""
    agencies = Agency.objects.filter(force=force).order_by("name")
    users = (
        User.objects.filter(agency__force=force, is_active=True, role_grants__role__in=PERSON_LEVEL_ROLES)
        .select_related("agency")
        .distinct()
        .order_by("agency__name", "last_name", "first_name")
    )
    return agencies, users


class OwnerFieldsMixin:
    def _owner_fields(self, force) -> None:
        agencies, users = owner_choices(force)
        self.fields["owning_agency"].queryset = agencies
        self.fields["owner"].queryset = users
        self.fields["owner"].label_from_instance = lambda u: (
            f"{u} ({u.job_title or 'no job title'}, {u.agency.name})"
        )


class RecommendationForm(OwnerFieldsMixin, GdsFormMixin, forms.Form):
    source_kind = forms.ChoiceField(
        label="Where it came from",
        choices=SourceKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the recommendation came from"},
    )
    finding = forms.ChoiceField(
        label="What the source called it",
        choices=Finding.choices,
        initial=Finding.RECOMMENDATION,
        widget=forms.RadioSelect,
        required=False,
    )
    source_reference = forms.CharField(
        label="Reference",
        max_length=200,
        help_text="The inspection, review or panel, and the recommendation's number, such as PEEL 2025 AFI 3",
        error_messages={"required": "Enter the inspection, review or panel and the recommendation's number"},
    )
    text = forms.CharField(
        label="Recommendation or action",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="About practice, never about a person: no names or dates of birth",
        error_messages={"required": "Enter the recommendation"},
    )
    district = forms.ModelChoiceField(
        label="District (optional)",
        queryset=District.objects.none(),
        required=False,
        empty_label="The whole partnership",
    )
    owning_agency = forms.ModelChoiceField(
        label="Owning agency",
        queryset=Agency.objects.none(),
        empty_label="Select an agency",
        error_messages={"required": "Select the agency that owns the recommendation"},
    )
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        empty_label="Select a person",
        error_messages={"required": "Select the person who owns the recommendation"},
    )
    due_on = due_field()

    def __init__(self, *args, force, with_source: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(force=force)
        self._owner_fields(force)
        layout = [
            Field.text("source_reference"),
            Field.radios("finding"),
            Field.textarea("text"),
            Field.select("district"),
        ]
        if with_source:
            layout.insert(0, Field.radios("source_kind"))
        else:
            del self.fields["source_kind"]
            del self.fields["source_reference"]
            del self.fields["finding"]
            layout = layout[2:]
        self.helper = self.make_helper(
            *layout, Field.select("owning_agency"), Field.select("owner"), Field("due_on")
        )

    def clean_finding(self) -> str:
        return self.cleaned_data.get("finding") or Finding.RECOMMENDATION


class ReassignForm(OwnerFieldsMixin, GdsFormMixin, forms.Form):
    owning_agency = forms.ModelChoiceField(
        label="Owning agency",
        queryset=Agency.objects.none(),
        empty_label="Select an agency",
        error_messages={"required": "Select the agency that owns the recommendation"},
    )
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        empty_label="Select a person",
        error_messages={"required": "Select the person who owns the recommendation"},
    )
    due_on = due_field()

    def __init__(self, *args, force, **kwargs):
        super().__init__(*args, **kwargs)
        self._owner_fields(force)
        self.helper = self.make_helper(Field.select("owning_agency"), Field.select("owner"), Field("due_on"))


class UpdateForm(GdsFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a status"},
    )
    note = forms.CharField(
        label="Evidence or progress note",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For completed, the evidence (what changed, and where it can be seen); "
        "for not accepted, the reason",
        required=False,
    )

    def __init__(self, *args, manager: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not manager:
            self.fields["status"].choices = [c for c in Status.choices if c[0] != Status.NOT_ACCEPTED]
        self.helper = self.make_helper(Field.radios("status"), Field.textarea("note"))


class FilterForm(forms.Form):
    """GET filters of the tracker list (no personal data: kinds, agency ids)."""

    view = forms.ChoiceField(
        choices=[("open", "Open"), ("overdue", "Overdue"), ("closed", "Closed"), ("all", "All")],
        required=False,
    )
    source_kind = forms.ChoiceField(choices=[("", "Any source"), *SourceKind.choices], required=False)
    agency = forms.UUIDField(required=False)
    mine = forms.BooleanField(required=False)
