from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib.auth.forms import AuthenticationForm

# The apps whose records the audit trail covers (the project's own, not Django's).
_AUDITED_APPS = ("odp", "skills", "innovation", "srrt", "reporting")


class SignInForm(AuthenticationForm):
    """Django's sign-in form with GOV.UK wording for its errors."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account has been closed",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].widget.attrs["autocomplete"] = "username"


def _object_type_choices() -> list[tuple[str, str]]:
    models = [m for m in apps.get_models() if m._meta.app_label in _AUDITED_APPS]
    choices = sorted(
        (m._meta.label_lower, f"{m._meta.verbose_name.capitalize()} ({m._meta.label_lower})") for m in models
    )
    return [("", "Any type of record"), *choices]


class AuditFilterForm(forms.Form):
    object_type = forms.ChoiceField(label="Type of record", required=False, choices=_object_type_choices)
    actor = forms.CharField(label="Changed by (username or email address)", required=False, max_length=150)
