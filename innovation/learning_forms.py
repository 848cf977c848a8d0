"""Forms for case studies, adoption and innovation plans (kept apart from the idea forms by concept)."""

from __future__ import annotations

from django import forms

from innovation.models import TEXT_MAX, CaseStudyAudience, Commitment
from odp.web.fields import DateField


def _long(label: str, required: str, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": required, "max_length": f"{label} must be {TEXT_MAX} characters or fewer"},
    )


class CaseStudyForm(forms.Form):
    title = forms.CharField(label="Title", max_length=150, error_messages={"required": "Enter a title"})
    summary = forms.CharField(
        label="Summary",
        max_length=300,
        help_text="One or two sentences.",
        error_messages={"required": "Enter a summary"},
    )
    challenge = _long("The challenge", "Describe the challenge")
    approach = _long("What you did", "Describe what you did")
    results = _long("Results", "Describe the results", "Say what was measured, before and after.")
    contact = forms.CharField(
        label="Who to contact", max_length=200, error_messages={"required": "Enter who to contact to find out more"}
    )
    audience = forms.ChoiceField(
        label="Who can read it once published?",
        choices=CaseStudyAudience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who can read it"},
    )


class AdoptionForm(forms.Form):
    adopted_on = DateField(label="Date adopted", help_text="For example, 27 3 2026.")
    hours_saved_per_year = forms.IntegerField(
        label="Staff hours saved a year (optional)", required=False, min_value=0, max_value=10_000_000
    )
    cost_saved_per_year = forms.DecimalField(
        label="Money saved a year, in pounds (optional)", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    notes = forms.CharField(
        label="What you changed to make it work for you (optional)",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["adopted_on"].error_messages["required"] = "Enter the date adopted"


class PlanForm(forms.Form):
    time = _long("Time", "Say how staff get time to raise and work on ideas", "How staff get time for improvement.")
    skills = _long("Skills", "Say how staff get the skills", "Training and coaching in improvement.")
    tools = _long("Tools", "Say which tools staff have", "Systems, data and places to share ideas.")
    support = _long("Support", "Say how leaders support ideas", "Sponsors, decisions and recognition.")


class CommitmentForm(forms.Form):
    description = forms.CharField(
        label="Commitment", max_length=500, error_messages={"required": "Enter the commitment"}
    )
    due_on = DateField(label="Due by (optional)", required=False)
    progress = forms.ChoiceField(label="Progress", choices=Commitment.Progress.choices, widget=forms.RadioSelect)
    progress_note = forms.CharField(
        label="Progress note (optional)", required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
