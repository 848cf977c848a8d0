"""Forms for the careers pages. They check what a person typed; the rules live in skills.careers.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from odp.models import JobFamily, Organisation
from odp.web.fields import DateField
from skills.careers.selectors import SORTS
from skills.models import OpportunityAudience, OpportunityKind, RoleProfile
from skills.models.careers import TITLE_MAX


class BrowseForm(forms.Form):
    q = forms.CharField(label="Search opportunities", required=False, max_length=200)
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Any kind"), *OpportunityKind.choices])
    offered_by = forms.ChoiceField(
        label="Offered by",
        required=False,
        choices=[
            ("", "Anyone"),
            ("central", "Central government"),
            ("local", "Local government"),
            ("partner", "Partners"),
        ],
    )
    job_family = forms.ChoiceField(
        label="Job family", required=False, choices=[("", "Any job family"), *JobFamily.choices]
    )
    remote = forms.BooleanField(label="Can be done remotely", required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("closing", "Closing soonest"), ("fit", "Your best fit"), ("newest", "Newest")],
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        sort = data.get("sort") or "closing"
        return {
            "q": data.get("q", ""),
            "kind": data.get("kind", ""),
            "offered_by": data.get("offered_by", ""),
            "job_family": data.get("job_family", ""),
            "remote": bool(data.get("remote")),
            "sort": sort if sort in SORTS else "closing",
        }


class RoleProfileChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RoleProfile) -> str:
        return f"{obj.get_job_family_display()}: {obj.get_role_level_display().lower()}"


class OpportunityForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Offering organisation",
        queryset=Organisation.objects.none(),
        error_messages={"required": "Select the offering organisation"},
    )
    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX,
        error_messages={"required": "Enter a title", "max_length": f"Title must be {TITLE_MAX} characters or fewer"},
    )
    kind = forms.ChoiceField(
        label="Kind of opportunity",
        choices=OpportunityKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of opportunity"},
    )
    summary = forms.CharField(
        label="What it involves (optional)", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    location = forms.CharField(label="Location", required=False, max_length=120)
    is_remote = forms.BooleanField(label="Can be done remotely", required=False)
    grade = forms.CharField(
        label="Grade or band",
        max_length=60,
        help_text="In your organisation's own terms, for example ‘EO’ or ‘Band 5 (local government)’.",
        error_messages={"required": "Enter the grade or band"},
    )
    closing_on = DateField(
        label="Closing date", help_text="For example, 27 3 2027", error_messages={"required": "Enter the closing date"}
    )
    role_profile = RoleProfileChoiceField(
        label="Role profile it maps to",
        queryset=RoleProfile.objects.none(),
        help_text="Its expected skills are what members' fit is measured against.",
        error_messages={"required": "Select the role profile it maps to"},
    )
    apply_url = forms.URLField(
        label="Link to apply (optional if you give a contact)",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "Enter a full web address, like https://jobs.example.gov.uk/123"},
    )
    apply_contact = forms.CharField(
        label="Contact to apply through (optional if you give a link)", required=False, max_length=200
    )
    audience = forms.ChoiceField(
        label="Who can see it?",
        choices=OpportunityAudience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who can see the opportunity"},
    )

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation], profiles: QuerySet[RoleProfile], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["role_profile"].queryset = profiles


class AlertForm(forms.Form):
    active = forms.BooleanField(label="Email me new opportunities each week", required=False)
    job_families = forms.MultipleChoiceField(
        label="Job families you are interested in",
        required=False,
        choices=JobFamily.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. If you select none, we use your own job family.",
    )
