"""GOV.UK forms for missing-person pages. Times are a date input and a 24-hour time."""

from __future__ import annotations

from datetime import datetime

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import HTML, Field, Size
from django import forms
from django.utils import timezone

from safehub.core.forms import GdsFormMixin
from safehub.missing.models import (
    ActionKind,
    Condition,
    ExploitationIndicator,
    InterviewStatus,
    MissingFrom,
    PlanActionStatus,
    ProfileKind,
    PullFactor,
    PushFactor,
    Stage,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


def _date(label: str, what: str, required: bool = True) -> DateInputField:
    field = DateInputField(label=label, help_text="For example, 27 3 2026", required=required)
    field.error_messages.update(
        {
            "required": f"Enter the date {what}",
            "invalid": f"Enter a real date {what}",
            "incomplete": f"Enter the date {what} in full",
        }
    )
    return field


def _time(label: str, what: str, required: bool = True) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="Use the 24-hour clock, for example 14:30",
        error_messages={"required": f"Enter the time {what}", "invalid": "Enter a time like 14:30"},
    )


def combine(day, at) -> datetime | None:
    if day is None or at is None:
        return None
    return timezone.make_aware(datetime.combine(day, at))


def _text(label: str, required: bool = True, message: str = "", rows: int = 0, **kwargs) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(
        label=label,
        required=required,
        widget=widget,
        error_messages={"required": message or f"Enter {label.lower()}"},
        **kwargs,
    )


class EpisodeForm(GdsFormMixin, forms.Form):
    # Service field names that live under another form field.
    ERROR_FIELDS = {"reported_at": "reported_date", "last_seen_at": "last_seen_date"}

    district = forms.ModelChoiceField(
        label="District the person is missing from",
        queryset=None,
        empty_label="Select a district",
        error_messages={
            "required": "Select the district",
            "invalid_choice": "Select a district your agency serves",
        },
    )
    is_child = forms.ChoiceField(
        label="Is the person a child (under 18)?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the person is a child"},
    )
    reported_by_name = _text("Reported by", message="Enter who reported the person missing", max_length=120)
    reported_by_relationship = _text(
        "Reporter's relationship or role",
        required=False,
        max_length=120,
        help_text="For example care home staff",
    )
    reported_date = _date("Date reported", "it was reported")
    reported_time = _time("Time reported", "it was reported")
    last_seen_date = _date("Date last seen", "the person was last seen")
    last_seen_time = _time("Time last seen", "the person was last seen")
    last_seen_place = _text(
        "Where the person was last seen", message="Enter where the person was last seen", max_length=200
    )
    last_seen_with = _text(
        "Who they were last seen with", required=False, max_length=300, help_text="Separate names with commas"
    )
    missing_from = forms.ChoiceField(
        label="Missing from",
        choices=MissingFrom.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the person is missing from"},
    )
    missing_from_detail = _text("Name of the care home, hospital or school", required=False, max_length=200)
    immediate_risk_stated = forms.ChoiceField(
        label="Does the reporter state an immediate risk of serious harm or death?",
        choices=YES_NO,
        initial="no",
        widget=forms.RadioSelect,
        help_text=(
            "For a walk-out from hospital, police deploy only when this is stated (Right Care, Right Person)"
        ),
        error_messages={"required": "Say whether the reporter states an immediate risk"},
    )
    circumstances = _text("Circumstances", required=False, rows=4)
    risk_level = forms.ChoiceField(
        label="Risk grading", widget=forms.RadioSelect, error_messages={"required": "Select the risk grading"}
    )
    risk_rationale = _text(
        "Rationale for the risk grading", message="Enter the rationale for the risk grading", rows=3
    )

    def __init__(self, *args, districts=None, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["risk_level"].choices = [(level.code, level.name) for level in levels]
        self.fields["risk_level"].help_text = " ".join(f"{level.name}: {level.meaning}" for level in levels)
        self.helper = self.make_helper(
            Field.select("district"),
            Field.radios("is_child", inline=True, legend_size=Size.SMALL),
            HTML('<h2 class="govuk-heading-m">The report</h2>'),
            Field.text("reported_by_name"),
            Field.text("reported_by_relationship"),
            Field("reported_date"),
            Field.text("reported_time", field_width=5),
            HTML('<h2 class="govuk-heading-m">Last seen</h2>'),
            Field("last_seen_date"),
            Field.text("last_seen_time", field_width=5),
            Field.text("last_seen_place"),
            Field.text("last_seen_with"),
            Field.radios("missing_from", legend_size=Size.SMALL),
            Field.text("missing_from_detail"),
            Field.radios("immediate_risk_stated", inline=True, legend_size=Size.SMALL),
            Field.textarea("circumstances"),
            HTML('<h2 class="govuk-heading-m">Risk</h2>'),
            Field.radios("risk_level", legend_size=Size.SMALL),
            Field.textarea("risk_rationale"),
        )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["reported_at"] = combine(data.pop("reported_date"), data.pop("reported_time"))
        data["last_seen_at"] = combine(data.pop("last_seen_date"), data.pop("last_seen_time"))
        data["is_child"] = data["is_child"] == "yes"
        data["immediate_risk_stated"] = data["immediate_risk_stated"] == "yes"
        return data


class RegradeForm(GdsFormMixin, forms.Form):
    level = forms.ChoiceField(
        label="New risk grading",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the risk grading"},
    )
    rationale = _text(
        "Rationale for the new grading", rows=4, message="Enter the rationale for the new risk grading"
    )

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(level.code, level.name) for level in levels]
        self.helper = self.make_helper(
            Field.radios("level", legend_size=Size.SMALL), Field.textarea("rationale")
        )


class ActionForm(GdsFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Type",
        choices=ActionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type"},
    )
    description = _text("What was done or asked", rows=3, message="Enter what was done or asked")
    result = _text("Result", required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.radios("kind", inline=True, legend_size=Size.SMALL),
            Field.textarea("description"),
            Field.textarea("result"),
        )


class FoundForm(GdsFormMixin, forms.Form):
    ERROR_FIELDS = {"found_at": "found_date"}

    found_date = _date("Date found", "the person was found")
    found_time = _time("Time found", "the person was found")
    found_place = _text(
        "Where the person was found", message="Enter where the person was found", max_length=200
    )
    found_by = _text(
        "Found by",
        message="Enter who found the person, or how they returned",
        max_length=120,
        help_text="For example police patrol, care home staff, or returned by themselves",
    )
    condition_on_return = forms.MultipleChoiceField(
        label="Condition on return",
        choices=Condition.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"required": "Select the person's condition on return"},
    )
    return_notes = _text("Notes on the return", required=False, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field("found_date"),
            Field.text("found_time", field_width=5),
            Field.text("found_place"),
            Field.text("found_by"),
            Field.checkboxes("condition_on_return", legend_size=Size.SMALL),
            Field.textarea("return_notes"),
        )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["found_at"] = combine(data.pop("found_date"), data.pop("found_time"))
        return data


class InterviewForm(GdsFormMixin, forms.Form):
    status = forms.ChoiceField(label="What happened", widget=forms.RadioSelect, required=False)
    interviewer_name = _text("Name of the independent person", required=False, max_length=120)
    interviewer_organisation = _text("Their organisation", required=False, max_length=160)
    interviewer_independent = forms.ChoiceField(
        label="Is the interviewer independent of the placement and the local authority?",
        choices=YES_NO,
        initial="yes",
        widget=forms.RadioSelect,
    )
    decline_reason = _text("Why the child declined", required=False, rows=2)
    where_stayed = _text("Where the child was", required=False, rows=2)
    who_with = _text("Who the child was with", required=False, rows=2)
    push_factors = forms.MultipleChoiceField(
        label="Push factors", choices=PushFactor.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    pull_factors = forms.MultipleChoiceField(
        label="Pull factors", choices=PullFactor.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    exploitation_indicators = forms.MultipleChoiceField(
        label="Exploitation indicators",
        choices=ExploitationIndicator.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    child_words = _text("The child's own words", required=False, rows=4)
    notes = _text("Notes", required=False, rows=2)

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(InterviewStatus.choices)
        self.fields["status"].choices = [("", "No change"), *[(s, labels[s]) for s in statuses]]
        self.helper = self.make_helper(
            Field.radios("status", legend_size=Size.SMALL),
            Field.text("interviewer_name"),
            Field.text("interviewer_organisation"),
            Field.radios("interviewer_independent", inline=True, legend_size=Size.SMALL),
            Field.textarea("decline_reason"),
            HTML('<h2 class="govuk-heading-m">Themes</h2>'),
            Field.textarea("where_stayed"),
            Field.textarea("who_with"),
            Field.checkboxes("push_factors", legend_size=Size.SMALL),
            Field.checkboxes("pull_factors", legend_size=Size.SMALL),
            Field.checkboxes("exploitation_indicators", legend_size=Size.SMALL),
            Field.textarea("child_words"),
            Field.textarea("notes"),
        )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["interviewer_independent"] = data["interviewer_independent"] == "yes"
        data["status"] = data.get("status") or None
        return data


class ProfileForm(GdsFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Protocol",
        choices=ProfileKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select Philomena or Herbert protocol"},
    )
    description = _text(
        "Description",
        rows=3,
        message="Enter a description of the person",
        help_text="Height, build, hair, distinguishing marks, usual clothing",
    )
    photo = forms.FileField(
        label="Recent photo (PNG or JPEG, under 512 KB)",
        required=False,
        error_messages={
            "invalid": "The photo must be a PNG or JPEG image",
            "empty": "The photo file is empty",
        },
    )
    medical_needs = _text("Medical needs and medication", required=False, rows=3)
    places = _text("Places the person may go", required=False, rows=3)
    contacts = _text("Friends, family and contacts", required=False, rows=3)
    previous_addresses = _text("Previous addresses", required=False, rows=2)
    routines = _text("Routines and other information", required=False, rows=2)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [
            Field.textarea("description"),
            Field("photo"),
            Field.textarea("medical_needs"),
            Field.textarea("places"),
            Field.textarea("contacts"),
            Field.textarea("previous_addresses"),
            Field.textarea("routines"),
        ]
        if editing:
            del self.fields["kind"]
            self.fields["photo"].label = "Replace the photo (PNG or JPEG, under 512 KB)"
        else:
            fields.insert(0, Field.radios("kind", legend_size=Size.SMALL))
        self.helper = self.make_helper(*fields)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        upload = data.pop("photo", None)
        data["photo"] = upload.read() if upload else None
        return data


class PlanForm(GdsFormMixin, forms.Form):
    owner = _text("Plan owner", message="Enter who owns the plan", max_length=160, help_text="A team or role")
    review_date = _date("Review date", "of the review")
    scan = _text("Scan: the problem", required=False, rows=3)
    analyse = _text("Analyse: causes and patterns", required=False, rows=3)
    respond = _text("Respond: what partners will do", required=False, rows=3)
    assess = _text("Assess: did it work?", required=False, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.text("owner"),
            Field("review_date"),
            Field.textarea("scan"),
            Field.textarea("analyse"),
            Field.textarea("respond"),
            Field.textarea("assess"),
        )


class PlanActionForm(GdsFormMixin, forms.Form):
    stage = forms.ChoiceField(
        label="Stage",
        choices=Stage.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the stage"},
    )
    description = _text("Action", rows=2, message="Enter the action")
    owner = _text("Owner", message="Enter who owns the action", max_length=160)
    review_date = _date("Review date", "of the review")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.radios("stage", inline=True, legend_size=Size.SMALL),
            Field.textarea("description"),
            Field.text("owner"),
            Field("review_date"),
        )


ACTION_UPDATE_FIELDS = ("status", "done_on", "done_note", "owner", "review_date")


class PlanActionUpdateForm(GdsFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Is the action done?",
        choices=[(PlanActionStatus.OPEN, "No, still open"), (PlanActionStatus.DONE, "Yes, it is done")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the action is done"},
    )
    done_on = _date("Date done", "the action was done", required=False)
    done_note = _text("What was done", required=False, rows=3, help_text="Or why the action was closed")
    owner = _text("Owner", message="Enter who owns the action", max_length=160)
    review_date = _date("Review date", "of the review")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.radios("status", legend_size=Size.SMALL),
            Field("done_on"),
            Field.textarea("done_note"),
            Field.text("owner"),
            Field("review_date"),
        )


class PlanReviewForm(GdsFormMixin, forms.Form):
    note = _text(
        "What has changed since the last review",
        rows=4,
        message="Enter what has changed since the last review",
        help_text="Episodes since, what partners did, whether the plan is working",
    )
    next_review_date = _date("Next review date", "of the next review")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(Field.textarea("note"), Field("next_review_date"))
