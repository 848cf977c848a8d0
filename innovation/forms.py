"""Forms for the ideas pages: one per question page, plus the decision and engagement forms. They check
what a person typed; the rules about ideas live in the services, whose errors ``add_service_errors`` shows."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError

from innovation.models import (
    COMMENT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    EmailFrequency,
    IdeaStatus,
    ServiceArea,
    Theme,
    Visibility,
)
from innovation.selectors import SORTS
from odp.models import Organisation
from odp.web.fields import ModelMultipleChoiceField


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError by the field it names, or at the top of the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _text(label: str, required: str, *, max_length: int = TEXT_MAX, optional: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=not optional,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": required,
            "max_length": f"{label.rstrip('?')} must be {max_length} characters or fewer",
        },
    )


class TitleForm(forms.Form):
    title = forms.CharField(
        label="What is your idea called?",
        max_length=TITLE_MAX,
        help_text="A short name others will recognise, for example ‘Text applicants when their passport is posted’.",
        error_messages={
            "required": "Enter a title for your idea",
            "max_length": f"Title must be {TITLE_MAX} characters or fewer",
        },
    )


class ProblemForm(forms.Form):
    problem = _text("What is the problem and who does it affect?", "Describe the problem and who it affects")


class ChangeForm(forms.Form):
    proposed_change = _text("What change do you propose?", "Describe the change you propose")


class BenefitsForm(forms.Form):
    hours_saved_per_year = forms.IntegerField(
        label="Staff hours saved a year (optional)",
        required=False,
        min_value=0,
        max_value=10_000_000,
        error_messages={
            "invalid": "Hours saved must be a whole number, like 1200",
            "min_value": "Hours saved must be 0 or more",
            "max_value": "Hours saved must be 10,000,000 or fewer",
        },
    )
    cost_saved_per_year = forms.DecimalField(
        label="Money saved a year, in pounds (optional)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={
            "invalid": "Money saved must be an amount in pounds, like 25000",
            "min_value": "Money saved must be 0 or more",
            "max_digits": "Money saved must be less than £10,000,000,000",
            "max_decimal_places": "Money saved must have no more than 2 decimal places",
        },
    )
    customer_outcome = _text("How would customers be better off? (optional)", "", optional=True)


class ServiceAreaForm(forms.Form):
    service_area = forms.ChoiceField(
        label="Which service area is it about?",
        choices=ServiceArea.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the service area"},
    )


class ThemesForm(forms.Form):
    themes = ModelMultipleChoiceField(
        label="Which themes does it fit? (optional)",
        queryset=Theme.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )


class VisibilityForm(forms.Form):
    visibility = forms.ChoiceField(
        label="Who can see your idea?",
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        help_text="Your head of profession sees it whichever you choose.",
        error_messages={"required": "Select who can see your idea"},
    )


@dataclass(frozen=True)
class Step:
    slug: str
    form: type[forms.Form]
    check_label: str


STEPS: tuple[Step, ...] = (
    Step("title", TitleForm, "Title"),
    Step("problem", ProblemForm, "Problem"),
    Step("change", ChangeForm, "Proposed change"),
    Step("benefits", BenefitsForm, "Expected benefits"),
    Step("service-area", ServiceAreaForm, "Service area"),
    Step("themes", ThemesForm, "Themes"),
    Step("visibility", VisibilityForm, "Who can see it"),
)
STEP_BY_SLUG = {s.slug: s for s in STEPS}
# Where each answer is asked, so an error on the check page can link to the right question.
STEP_OF_FIELD = {name: s.slug for s in STEPS for name in s.form.base_fields}


class BrowseForm(forms.Form):
    q = forms.CharField(label="Search ideas", required=False, max_length=200)
    theme = forms.ChoiceField(label="Theme", required=False)
    organisation = forms.TypedChoiceField(label="Organisation", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *IdeaStatus.choices[1:]])
    service_area = forms.ChoiceField(
        label="Service area", required=False, choices=[("", "Any service area"), *ServiceArea.choices]
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("newest", "Newest"),
            ("most_endorsed", "Most endorsed"),
            ("recently_decided", "Recently decided"),
            ("relevance", "Best match"),
        ],
    )

    def __init__(
        self, *args, organisations: list[tuple[int, str]], themes: list[tuple[str, str]] | None = None, **kwargs
    ) -> None:
        """``organisations``: (id, name) pairs and ``themes`` (slug, name) pairs, from ``selectors.browse_choices``
        (themes: read here if not given)."""
        super().__init__(*args, **kwargs)
        if themes is None:
            themes = list(Theme.objects.order_by("name").values_list("slug", "name"))
        self.fields["theme"].choices = [("", "Any theme"), *themes]
        self.fields["organisation"].choices = [("", "Any organisation"), *organisations]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        sort = data.get("sort") or "newest"
        return {
            "q": data.get("q", ""),
            "theme": data.get("theme", ""),
            "organisation": data.get("organisation"),
            "status": data.get("status", ""),
            "service_area": data.get("service_area", ""),
            "sort": sort if sort in SORTS or sort == "relevance" else "newest",
        }


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Add a comment",
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter a comment",
            "max_length": f"Comment must be {COMMENT_MAX} characters or fewer",
        },
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label="Why are you reporting this?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why you are reporting this",
            "max_length": "Reason must be 500 characters or fewer",
        },
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What have you decided?",
        choices=[(s, IdeaStatus(s).label) for s in IdeaStatus.decisions()],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a decision"},
    )
    feedback = _text("Feedback for the author", "Enter feedback for the author")
    reason = forms.CharField(
        label="Reason it is not being taken forward",
        required=False,
        max_length=500,
        help_text="Needed if it is not being taken forward.",
    )
    route_to = forms.ModelChoiceField(
        label="Organisation to route it to",
        queryset=Organisation.objects.none(),
        required=False,
        help_text="Needed if you route it to another organisation.",
    )
    merge_into = forms.CharField(
        label="Reference of the idea it duplicates",
        required=False,
        max_length=20,
        help_text="Needed if you merge it as a duplicate, for example IDEA-2026-000123.",
    )

    def __init__(self, *args, current_organisation_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["route_to"]
        field.queryset = Organisation.objects.exclude(pk=current_organisation_id).order_by("name")
        field.empty_label = "Choose an organisation"


class MoveForm(forms.Form):
    note = _text("Note for the author and followers (optional)", "", optional=True)


class BaselineForm(forms.Form):
    measure = forms.CharField(
        label="What will be measured?",
        max_length=200,
        error_messages={"required": "Enter what will be measured"},
        help_text="For example, calls about application progress a week.",
    )
    unit = forms.CharField(label="Unit (optional)", max_length=40, required=False)
    baseline_value = forms.DecimalField(
        label="Value now",
        max_digits=14,
        decimal_places=2,
        error_messages={"required": "Enter the value now", "invalid": "Value now must be a number"},
    )


class RealisedForm(forms.Form):
    benefit = forms.IntegerField(widget=forms.HiddenInput)
    realised_value = forms.DecimalField(
        label="Measured value",
        max_digits=14,
        decimal_places=2,
        error_messages={"required": "Enter the measured value", "invalid": "Measured value must be a number"},
    )


class EmailPreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How do you want to get emails about ideas?",
        choices=EmailFrequency.choices,
        widget=forms.RadioSelect,
        help_text="Decisions on your ideas, changes to ideas you follow and, if you review ideas, new ideas to "
        "review. You always see every update on ODP Hub straight away.",
        error_messages={"required": "Select how you want to get emails about ideas"},
    )


class ModerationForm(forms.Form):
    ACTIONS = [
        ("hide", "Hide it"),
        ("restore", "Restore it"),
        ("dismiss", "Keep it showing and dismiss the reports"),
    ]
    action = forms.ChoiceField(
        label="What do you want to do?",
        choices=ACTIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you want to do"},
    )
    note = forms.CharField(
        label="Note for the audit record",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when hiding: the author sees it. For example, it names a customer.",
        error_messages={"max_length": "Note must be 500 characters or fewer"},
    )

    def __init__(self, *args, hidden: bool, has_open_reports: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        allowed = {"restore"} if hidden else {"hide"} | ({"dismiss"} if has_open_reports else set())
        self.fields["action"].choices = [c for c in self.ACTIONS if c[0] in allowed]
