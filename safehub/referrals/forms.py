"""GOV.UK forms for MASH referrals. Every form that changes a referral carries its version."""

from __future__ import annotations

from datetime import datetime, time

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import HTML, Field, Size
from django import forms
from django.utils import timezone

from safehub.core.forms import GdsFormMixin
from safehub.core.models import Agency, ConsentStatus, LawfulBasis
from safehub.core.models.sharing import SpecialCategoryCondition
from safehub.people.forms import PersonForm
from safehub.referrals.models import ChildSeen, ConcernCategory, Outcome, Rag, SeenAlone, Source, Status

CHILD_CHOICES = [("yes", "Child (under 18)"), ("no", "Adult")]


def _version() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "Reload the referral and try again", "invalid": "Reload the referral"},
    )


class ReferralForm(GdsFormMixin, forms.Form):
    district = forms.ModelChoiceField(
        label="District where the person lives",
        queryset=None,
        empty_label="Select a district",
        error_messages={
            "required": "Select the district",
            "invalid_choice": "Select a district your agency serves",
        },
    )
    source = forms.ChoiceField(
        label="Where does the concern come from?",
        choices=Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the concern comes from"},
    )
    categories = forms.MultipleChoiceField(
        label="Concerns",
        choices=ConcernCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"required": "Select at least one concern"},
    )
    what_happened = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what happened"},
    )
    risks = forms.CharField(label="Risks", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    strengths = forms.CharField(
        label="Strengths and protective factors", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    consent_status = forms.ChoiceField(
        label="Consent to this referral",
        choices=ConsentStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether consent was given"},
    )
    consent_note = forms.CharField(
        label="Why are you referring without consent?",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Needed when consent was refused or not sought",
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for sharing",
        choices=LawfulBasis.choices,
        initial=LawfulBasis.PUBLIC_TASK,
        error_messages={"required": "Select the lawful basis"},
    )
    condition = forms.ChoiceField(
        label="Special category condition",
        choices=SpecialCategoryCondition.choices,
        initial="dpa_sch1_18",
        required=False,
    )
    child_seen = forms.ChoiceField(
        label="Has the child been seen?",
        choices=ChildSeen.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the child has been seen"},
    )
    seen_alone = forms.ChoiceField(
        label="Was the child seen alone?",
        choices=[c for c in SeenAlone.choices if c[0]],
        widget=forms.RadioSelect,
        required=False,
    )
    wishes_and_feelings = forms.CharField(
        label="The child's wishes and feelings, in their words",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.helper = self.make_helper(
            Field.select("district"),
            Field.radios("source", legend_size=Size.SMALL),
            Field.checkboxes("categories", legend_size=Size.SMALL),
            Field.textarea("what_happened"),
            Field.textarea("risks"),
            Field.textarea("strengths"),
            HTML('<h2 class="govuk-heading-m">Consent and the basis for sharing</h2>'),
            Field.radios("consent_status", legend_size=Size.SMALL),
            Field.textarea("consent_note"),
            Field.select("lawful_basis"),
            Field.select("condition"),
            HTML('<h2 class="govuk-heading-m">The voice of the child</h2>'),
            Field.radios("child_seen", legend_size=Size.SMALL),
            Field.radios("seen_alone", inline=True, legend_size=Size.SMALL),
            Field.textarea("wishes_and_feelings"),
        )

    def clean(self):
        data = super().clean()
        if (
            data.get("consent_status") in (ConsentStatus.REFUSED, ConsentStatus.NOT_SOUGHT)
            and not (data.get("consent_note") or "").strip()
        ):
            self.add_error("consent_note", "Enter why you are referring without consent")
        if data.get("child_seen") == ChildSeen.YES and not data.get("seen_alone"):
            self.add_error("seen_alone", "Say whether the child was seen alone")
        return data


class SubjectPickForm(forms.Form):
    person = forms.UUIDField(error_messages={"required": "Select a person", "invalid": "Select a person"})
    is_child = forms.ChoiceField(choices=CHILD_CHOICES, error_messages={"required": "Say child or adult"})


class NewSubjectForm(PersonForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["is_child"] = forms.ChoiceField(
            label="Child or adult?",
            choices=CHILD_CHOICES,
            widget=forms.RadioSelect,
            error_messages={"required": "Say whether the person is a child or an adult"},
        )
        self.helper.layout.fields.insert(0, Field.radios("is_child", inline=True, legend_size=Size.SMALL))

    def person_data(self) -> dict:
        data = super().person_data()
        data.pop("is_child", None)
        return data


class TriageForm(GdsFormMixin, forms.Form):
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a RAG rating"},
    )
    reason = forms.CharField(
        label="Reason for the rating",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the rating"},
    )
    version = _version()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.radios("rag", inline=True, legend_size=Size.SMALL), Field.textarea("reason")
        )


class AssignForm(GdsFormMixin, forms.Form):
    assignee = forms.ModelChoiceField(
        label="Assign to",
        queryset=None,
        empty_label="Select a MASH practitioner",
        error_messages={
            "required": "Select who to assign it to",
            "invalid_choice": "Select a MASH practitioner",
        },
    )
    version = _version()

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users
        self.helper = self.make_helper(Field.select("assignee"))


class InformationRequestForm(GdsFormMixin, forms.Form):
    to_agency = forms.ModelChoiceField(
        label="Agency to ask",
        queryset=None,
        empty_label="Select an agency",
        error_messages={
            "required": "Select the agency to ask",
            "invalid_choice": "Select an agency from the list",
        },
    )
    person = forms.ChoiceField(label="About", required=False)
    question = forms.CharField(
        label="What do you want to know?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the question"},
    )
    purpose = forms.CharField(
        label="Purpose", max_length=500, error_messages={"required": "Enter the purpose of the request"}
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis", choices=LawfulBasis.choices, initial=LawfulBasis.PUBLIC_TASK
    )
    condition = forms.ChoiceField(
        label="Special category condition",
        choices=SpecialCategoryCondition.choices,
        initial="dpa_sch1_18",
        required=False,
    )
    due_date = DateInputField(label="Answer due by (date)", help_text="For example, 27 3 2026")
    due_time = forms.TimeField(
        label="Answer due by (time)",
        input_formats=["%H:%M", "%H.%M"],
        initial=time(17, 0),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="Use the 24-hour clock, for example 14:30",
        error_messages={"required": "Enter the time", "invalid": "Enter a time like 14:30"},
    )
    version = _version()

    ERROR_FIELDS = {"due_at": "due_date"}

    def __init__(self, *args, agencies=None, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = agencies if agencies is not None else Agency.objects.none()
        self.fields["person"].choices = [("", "The whole referral"), *subjects]
        self.fields["due_date"].error_messages.update(
            {"required": "Enter the date the answer is due", "invalid": "Enter a real date"}
        )
        self.helper = self.make_helper(
            Field.select("to_agency"),
            Field.select("person"),
            Field.textarea("question"),
            Field.text("purpose"),
            Field.select("lawful_basis"),
            Field.select("condition"),
            Field("due_date"),
            Field.text("due_time", field_width=5),
        )

    def due_at(self) -> datetime | None:
        day, at = self.cleaned_data.get("due_date"), self.cleaned_data.get("due_time")
        if day is None or at is None:
            return None
        return timezone.make_aware(datetime.combine(day, at))


class AnswerForm(GdsFormMixin, forms.Form):
    answer = forms.CharField(
        label="What your agency knows",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Share only what the MASH needs for this purpose",
        error_messages={"required": "Enter what your agency knows"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(Field.textarea("answer"))


class DecisionForm(GdsFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the rationale for the decision"},
    )
    feedback_text = forms.CharField(
        label="Feedback to the referrer",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What the referring agency is told: no more than it needs",
    )
    version = _version()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.textarea("rationale"),
            Field.textarea("feedback_text"),
        )


class ApprovalForm(GdsFormMixin, forms.Form):
    approve = forms.ChoiceField(
        label="Your decision",
        choices=[("yes", "Approve the decision"), ("no", "Return it for a new decision")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select approve or return"},
    )
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = _version()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.radios("approve", legend_size=Size.SMALL), Field.textarea("note")
        )


class QueueFilterForm(forms.Form):
    rag = forms.ChoiceField(
        label="RAG", required=False, choices=[("", "Any"), ("none", "Not triaged"), *Rag.choices]
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Open"), ("all", "All"), *Status.choices]
    )
    category = forms.ChoiceField(
        label="Concern", required=False, choices=[("", "Any"), *ConcernCategory.choices]
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("due", "Due time"), ("received", "Newest received"), ("oldest", "Oldest received")],
    )
