"""GOV.UK forms for core pages (crispy-forms-gds renders the markup)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from safehub.core.models import AuditAction
from safehub.core.models.sharing import BreakGlassReview


class GdsFormMixin:
    submit_label = "Continue"

    def make_helper(self, *fields) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.label_size = Size.SMALL
        helper.legend_size = Size.SMALL
        if fields:
            helper.layout = Layout(*fields)
        return helper


def apply_service(form, action):
    """Run a service call; its ValidationError goes on the form field it names (through the form's
    ERROR_FIELDS where a service field lives under another form field), or on the whole form.
    Returns the service's result, or None when it refused."""
    try:
        return action()
    except ValidationError as exc:
        mapping = getattr(form, "ERROR_FIELDS", {})
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                name = mapping.get(name, name)
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return None


class SignInForm(GdsFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account is not active",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username"
        self.fields["password"].label = "Password"
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.helper = self.make_helper(
            Field.text("username", field_width=20), Field.text("password", field_width=20)
        )


class TokenForm(GdsFormMixin, forms.Form):
    token = forms.RegexField(
        label="Code from your authenticator app",
        regex=r"^\d{6}$",
        error_messages={
            "required": "Enter the 6-digit code",
            "invalid": "Enter the 6-digit code, like 123456",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})
        self.helper = self.make_helper(Field.text("token", field_width=5))


class BreakGlassSearchForm(GdsFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why do you need emergency access?",
        help_text="Your reason is recorded and every emergency access is reviewed by an auditor.",
        min_length=20,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why you need emergency access",
            "min_length": "Enter the reason for emergency access in at least 20 characters",
        },
    )
    query = forms.CharField(
        label="Name, date of birth or identifier",
        max_length=200,
        error_messages={"required": "Enter a name, date of birth or identifier to search for"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(Field.textarea("reason"), Field.text("query", field_width=20))


class AuditSearchForm(GdsFormMixin, forms.Form):
    object_id = forms.UUIDField(
        label="Record id", required=False, error_messages={"invalid": "Enter a record id in UUID form"}
    )
    actor = forms.CharField(label="Username", required=False, max_length=150)
    action = forms.ChoiceField(label="Action", required=False, choices=[("", "Any")] + AuditAction.choices)
    flagged = forms.BooleanField(label="Emergency access only", required=False)
    date_from = forms.DateField(
        label="From (DD/MM/YYYY)",
        required=False,
        error_messages={"invalid": "Enter the from date as DD/MM/YYYY"},
    )
    date_to = forms.DateField(
        label="To (DD/MM/YYYY)", required=False, error_messages={"invalid": "Enter the to date as DD/MM/YYYY"}
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The to date must be the same as or after the from date")
        return data


class BreakGlassReviewForm(GdsFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Was the emergency access justified?",
        choices=[
            (BreakGlassReview.JUSTIFIED, "Justified"),
            (BreakGlassReview.NOT_JUSTIFIED, "Not justified"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the emergency access was justified"},
    )
    note = forms.CharField(
        label="Review note", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.make_helper(
            Field.radios("outcome", legend_size=Size.SMALL), Field.textarea("note")
        )
