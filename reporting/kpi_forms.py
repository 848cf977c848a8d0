"""Forms for objectives and KPIs. They check types and required answers; the rules live in reporting.services
(so the API applies them too) and come back as field errors."""

from __future__ import annotations

from django import forms

from reporting.figures import available_figures
from reporting.models import MANUAL_SOURCE, Direction, KpiUnit


def _number(label: str, required: str, *, hint: str = "", optional: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=not optional,
        help_text=hint,
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": required,
            "invalid": f"{label} must be a number, like 72.5",
            "max_digits": f"{label} must be 12 digits or fewer before the decimal point",
            "max_decimal_places": f"{label} must have 2 decimal places or fewer",
        },
    )


class ObjectiveForm(forms.Form):
    text = forms.CharField(
        label="Objective",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the profession will achieve this year, in a sentence.",
        error_messages={"required": "Enter the objective"},
    )
    order = forms.IntegerField(
        label="Position in the list",
        min_value=1,
        max_value=99,
        initial=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the position in the list",
            "invalid": "Position must be a whole number, like 2",
            "min_value": "Position must be 1 or more",
            "max_value": "Position must be 99 or less",
        },
    )


def source_choices() -> list[tuple[str, str]]:
    return [*available_figures(), (MANUAL_SOURCE, "Entered by an admin with evidence")]


class KpiForm(forms.Form):
    name = forms.CharField(label="KPI name", max_length=200, error_messages={"required": "Enter the KPI name"})
    source = forms.ChoiceField(
        label="Where the value comes from",
        choices=source_choices,
        help_text="A figure the service measures for the year, or a value you enter with its evidence.",
        error_messages={
            "required": "Select where the value comes from",
            "invalid_choice": "Select a figure from the list, or enter the value yourself",
        },
    )
    unit = forms.ChoiceField(
        label="Unit",
        choices=KpiUnit.choices,
        error_messages={"required": "Select the unit", "invalid_choice": "Select a unit from the list"},
    )
    baseline = _number("Baseline", "Enter the baseline", hint="The value at the start of the year.")
    target = _number("Target", "Enter the target", hint="The value to reach by the end of the year.")
    direction = forms.ChoiceField(
        label="Which way is better?",
        choices=Direction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether higher or lower is better"},
    )
    manual_value = _number(
        "Current value",
        "",
        optional=True,
        hint="Only for a value you enter yourself. Leave blank until you have it.",
    )
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Where the value comes from and how it was measured. Needed when you enter a value.",
    )
    order = forms.IntegerField(
        label="Position under the objective",
        min_value=1,
        max_value=99,
        initial=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the position",
            "invalid": "Position must be a whole number, like 2",
            "min_value": "Position must be 1 or more",
            "max_value": "Position must be 99 or less",
        },
    )


class KpiValueForm(forms.Form):
    manual_value = _number("Current value", "Enter the current value")
    evidence = forms.CharField(
        label="Evidence",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Where the value comes from and how it was measured.",
        error_messages={"required": "Enter the evidence for the value: where it comes from and how it was measured"},
    )
