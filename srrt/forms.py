"""Forms for the SRRT pages: one per question page of a surge request, then triage, the roster, calendar peaks
and assignments. They check what a person typed; the rules live in services.py and workflow.py, whose errors
``add_service_errors`` shows by the field they name."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet

from odp.models import Member, Organisation, Region
from odp.web.fields import DateField, ModelMultipleChoiceField
from skills.models import Skill, VersionStatus
from srrt.models import (
    TEXT_MAX,
    CalendarPeak,
    Clearance,
    DemandType,
    LastResortOption,
    LastResortOutcome,
    PlanAnswer,
    Responder,
    SurgeRequest,
    TriageOutcome,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


def add_service_errors(form: forms.Form, error: ValidationError | PermissionDenied) -> None:
    """Show a service's error by the field it names, or at the top of the form."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _text(label: str, required: str, *, optional: bool = False, rows: int = 5, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=not optional,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required,
            "max_length": f"{label.rstrip('?').split(' (')[0]} must be {TEXT_MAX} characters or fewer",
        },
    )


def _whole(label: str, required: str, name: str, *, minimum: int, help_text: str = "") -> forms.IntegerField:
    """A whole number; ``name`` starts the error messages, for example "Number of people"."""
    return forms.IntegerField(
        label=label,
        min_value=minimum,
        max_value=10_000_000,
        help_text=help_text,
        error_messages={
            "required": required,
            "invalid": f"{name} must be a whole number, like 12",
            "min_value": f"{name} must be {minimum} or more",
            "max_value": f"{name} must be 10,000,000 or fewer",
        },
    )


def _yes_no(label: str, required: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": required},
    )


class QuestionForm(forms.Form):
    """A question page: reads its answers off a request and gives them back for request_save_draft."""

    def __init__(self, *args: Any, surge_request: SurgeRequest | None = None, **kwargs: Any) -> None:
        if surge_request is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(surge_request)
        super().__init__(*args, **kwargs)

    def initial_from(self, surge_request: SurgeRequest) -> dict[str, Any]:
        initial = {}
        for name in self.base_fields:
            value = getattr(surge_request, name, None)
            if isinstance(value, bool):
                value = "yes" if value else "no"
            initial[name] = value
        return initial

    def answers(self) -> dict[str, Any]:
        """Keyword arguments for request_save_draft besides ``by`` and the request."""
        return {"answers": {name: self.cleaned_data[name] for name in self.fields}}


class TitleForm(QuestionForm):
    title = forms.CharField(
        label="What is the request called?",
        max_length=150,
        help_text="A short name the coordinators will recognise, for example ‘Passport applications after outage’.",
        error_messages={
            "required": "Enter a short title for the request",
            "max_length": "Title must be 150 characters or fewer",
        },
    )

    def __init__(self, *args: Any, organisations: list[Organisation] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A requester for several bodies says which one this is for, once, when the request is started.
        if organisations and len(organisations) > 1:
            self.fields["organisation"] = forms.ModelChoiceField(
                label="Which organisation needs the support?",
                queryset=Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by("name"),
                empty_label="Choose an organisation",
                error_messages={"required": "Choose the organisation that needs the support"},
            )

    def answers(self) -> dict[str, Any]:
        return {"answers": {"title": self.cleaned_data["title"]}}


class DemandTypeForm(QuestionForm):
    demand_type = forms.ChoiceField(
        label="What kind of demand is it?",
        choices=DemandType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of demand", "invalid_choice": "Select the type of demand"},
    )


class WhatHappenedForm(QuestionForm):
    what_happened = _text("What happened?", "Describe what happened")
    why_now = _text(
        "Why do you need support now?",
        "Explain why support is needed now",
        help_text="Say what changed, and what happens if no support comes.",
    )


class VolumeForm(QuestionForm):
    forecast_volume = _whole("Forecast volume", "Enter the forecast volume", "Forecast volume", minimum=0)
    normal_capacity = _whole(
        "Normal capacity",
        "Enter your normal capacity",
        "Normal capacity",
        minimum=0,
        help_text="What your teams clear in the same period.",
    )
    volume_unit = forms.CharField(
        label="Unit",
        max_length=60,
        help_text="For example: calls a week, applications a month.",
        error_messages={
            "required": "Enter the unit, like applications a week",
            "max_length": "Unit must be 60 characters or fewer",
        },
    )


class DatesForm(QuestionForm):
    start_date = DateField(
        label="Start date",
        help_text="For example, 27 3 2027.",
        error_messages={"required": "Enter the date support should start"},
    )
    expected_duration_days = _whole(
        "Expected duration, in days",
        "Enter how many days support is expected to be needed",
        "Expected duration",
        minimum=1,
    )

    def clean_expected_duration_days(self) -> int:
        value = self.cleaned_data["expected_duration_days"]
        if value > 730:
            raise ValidationError("Expected duration must be 730 days or fewer: ask again if it runs longer")
        return value


class PeopleForm(QuestionForm):
    people_needed = _whole(
        "How many people do you need?", "Enter how many people are needed", "Number of people", minimum=1
    )


class SkillsForm(QuestionForm):
    skills_needed = ModelMultipleChoiceField(
        label="Which skills are needed? (optional)",
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="From the published skills framework. Select all that apply.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skills_needed"].queryset = published_skills()
        self.framework_published = self.fields["skills_needed"].queryset.exists()

    def initial_from(self, surge_request: SurgeRequest) -> dict[str, Any]:
        if surge_request.pk is None:
            return {}
        return {"skills_needed": list(surge_request.skills_needed.values_list("pk", flat=True))}

    def answers(self) -> dict[str, Any]:
        return {"answers": {}, "skills": list(self.cleaned_data["skills_needed"])}


def published_skills() -> QuerySet[Skill]:
    return Skill.objects.filter(version__status=VersionStatus.PUBLISHED).select_related("version")


class LocationsForm(QuestionForm):
    locations = _text(
        "Where is the work?", "Enter where the work is", rows=3, help_text="Towns, sites or offices, one a line."
    )
    region = forms.ChoiceField(
        label="Which region is most of the work in?",
        choices=[("", "Choose a region"), *Region.choices],
        error_messages={
            "required": "Select the region most of the work is in",
            "invalid_choice": "Select a region from the list",
        },
    )
    international = _yes_no("Does any of the work involve deployment outside the UK?", "Say whether it is abroad")

    def initial_from(self, surge_request: SurgeRequest) -> dict[str, Any]:
        # The model keeps international as a plain boolean, so False also means "not yet asked". This page saves
        # it together with the (required) locations: until locations are recorded the question is unanswered and
        # no radio is pre-selected, so the requester has to choose.
        initial = super().initial_from(surge_request)
        if not surge_request.locations and not surge_request.international:
            initial.pop("international", None)
        return initial


class ClearanceForm(QuestionForm):
    clearance_required = forms.TypedChoiceField(
        label="What security clearance do responders need?",
        choices=Clearance.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the security clearance required",
            "invalid_choice": "Select a security clearance from the list",
        },
    )


class LastResortForm(QuestionForm):
    """The five alternatives to the SRRT, each tried, ruled out or not considered, and why it is not enough."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for option, label in LastResortOption.choices:
            self.fields[f"last_resort_{option}"] = forms.ChoiceField(
                label=label,
                choices=LastResortOutcome.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Say whether {label.lower()} was tried, ruled out or not considered",
                    "invalid_choice": f"Say whether {label.lower()} was tried, ruled out or not considered",
                },
            )
            self.fields[f"why_{option}"] = _text(
                f"Why is {label.lower()} not enough?",
                "",
                optional=True,
                rows=3,
                help_text="Not needed if it was not considered.",
            )

    def initial_from(self, surge_request: SurgeRequest) -> dict[str, Any]:
        if surge_request.pk is None:
            return {}
        initial: dict[str, Any] = {}
        for answer in surge_request.last_resort_answers.all():
            initial[f"last_resort_{answer.option}"] = answer.outcome
            initial[f"why_{answer.option}"] = answer.why_not_enough
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for option, label in LastResortOption.choices:
            outcome = data.get(f"last_resort_{option}")
            if outcome and outcome != LastResortOutcome.NOT_CONSIDERED and not data.get(f"why_{option}", "").strip():
                self.add_error(f"why_{option}", f"Explain why {label.lower()} is not enough")
        return data

    def pairs(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (label, self[f"last_resort_{option}"], self[f"why_{option}"]) for option, label in LastResortOption.choices
        ]

    def answers(self) -> dict[str, Any]:
        return {
            "answers": {},
            "last_resort": {
                option: {
                    "outcome": self.cleaned_data[f"last_resort_{option}"],
                    "why_not_enough": self.cleaned_data.get(f"why_{option}", ""),
                }
                for option in LastResortOption.values
            },
        }


class PlanForm(QuestionForm):
    in_forecast_or_plan = forms.ChoiceField(
        label="Was this demand in your forecast or capability plan?",
        choices=PlanAnswer.choices,
        widget=forms.RadioSelect,
        help_text="Answer honestly: it helps the profession plan, and a ‘yes’ does not mean a refusal.",
        error_messages={
            "required": "Say whether this demand was in your forecast or capability plan",
            "invalid_choice": "Say whether this demand was in your forecast or capability plan",
        },
    )


@dataclass(frozen=True)
class Step:
    slug: str
    form: type[QuestionForm]
    heading: str  # the page's h1 and caption topic
    fields: tuple[str, ...]  # the answers this page asks, for linking errors on the check page back here


STEPS: tuple[Step, ...] = (
    Step("title", TitleForm, "What is the request called?", ("title", "organisation")),
    Step("demand-type", DemandTypeForm, "What kind of demand is it?", ("demand_type",)),
    Step("what-happened", WhatHappenedForm, "What happened, and why now", ("what_happened", "why_now")),
    Step(
        "volume",
        VolumeForm,
        "Forecast volume against normal capacity",
        ("forecast_volume", "normal_capacity", "volume_unit"),
    ),
    Step("dates", DatesForm, "When is support needed?", ("start_date", "expected_duration_days")),
    Step("people", PeopleForm, "How many people do you need?", ("people_needed",)),
    Step("skills", SkillsForm, "Which skills are needed?", ("skills_needed",)),
    Step("locations", LocationsForm, "Where is the work?", ("locations", "region", "international")),
    Step("clearance", ClearanceForm, "What security clearance do responders need?", ("clearance_required",)),
    Step(
        "last-resort",
        LastResortForm,
        "What have you tried or ruled out?",
        tuple(f"last_resort_{o}" for o in LastResortOption.values),
    ),
    Step("plan", PlanForm, "Was this demand in your forecast or capability plan?", ("in_forecast_or_plan",)),
)
STEP_BY_SLUG = {s.slug: s for s in STEPS}
STEP_OF_FIELD = {name: s.slug for s in STEPS for name in s.fields}


# Decisions -----------------------------------------------------------------------------------------------


class TriageForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What have you decided?",
        choices=TriageOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a decision", "invalid_choice": "Select a decision"},
    )
    reason = _text(
        "Reason (needed to decline or ask for more information)",
        "",
        optional=True,
        help_text="The requester reads this.",
    )
    last_resort_justification = _text(
        "Why is the SRRT the last resort here? (needed to approve or offer an agreement)",
        "",
        optional=True,
        help_text="Record what makes this a genuine surge the department could not absorb.",
    )


class NoteForm(forms.Form):
    """Why something is being withdrawn or undone: cancelling a request, taking a responder off."""

    note = _text("Why?", "Say why", rows=3)

    def __init__(self, *args: Any, label: str = "Why?", required: str = "Say why", optional: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = label
        self.fields["note"].required = not optional
        self.fields["note"].error_messages["required"] = required


# Roster ------------------------------------------------------------------------------------------------


def _end_not_before_start(form: forms.Form, data: dict[str, Any], *, end: str = "end_date") -> None:
    start, finish = data.get("start_date"), data.get(end)
    if start and finish and finish < start:
        form.add_error(end, "The last day must be the same as or after the first day")


class ResponderForm(forms.Form):
    clearance_level = forms.TypedChoiceField(
        label="Security clearance held",
        choices=Clearance.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the clearance the responder holds",
            "invalid_choice": "Select a security clearance from the list",
        },
    )
    clearance_expires_on = DateField(
        label="Clearance expires on",
        help_text="For example, 31 8 2028.",
        error_messages={"required": "Enter the date the clearance expires"},
    )
    home_region = forms.ChoiceField(
        label="Home region",
        choices=[("", "Choose a region"), *Region.choices],
        error_messages={"required": "Select the responder’s home region"},
    )
    international_available = _yes_no(
        "Available for deployment outside the UK?", "Say whether they can deploy outside the UK"
    )
    is_active = forms.BooleanField(label="On the active roster", required=False, initial=True)

    @staticmethod
    def initial_for(responder: Responder) -> dict[str, Any]:
        return {
            "clearance_level": responder.clearance_level,
            "clearance_expires_on": responder.clearance_expires_on,
            "home_region": responder.home_region,
            "international_available": "yes" if responder.international_available else "no",
            "is_active": responder.is_active,
        }


class AddResponderForm(ResponderForm):
    person = forms.CharField(
        label="Username or email address",
        max_length=254,
        help_text="The member joining the roster.",
        error_messages={"required": "Enter the username or email address of the member"},
    )
    field_order = ["person"]

    def clean_person(self) -> Member:
        text = self.cleaned_data["person"].strip()
        member = (
            Member.objects.select_related("user").filter(is_active=True).filter(user__username__iexact=text).first()
            or Member.objects.select_related("user").filter(is_active=True, user__email__iexact=text).first()
        )
        if member is None:
            raise ValidationError("No active member has that username or email address")
        if Responder.objects.filter(member=member).exists():
            raise ValidationError(f"{member} is already on the roster: change their record instead")
        return member


class UnavailableForm(forms.Form):
    start_date = DateField(label="First day unavailable", error_messages={"required": "Enter the first day"})
    end_date = DateField(label="Last day unavailable", error_messages={"required": "Enter the last day"})
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=200,
        error_messages={"max_length": "Reason must be 200 characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _end_not_before_start(self, data)
        return data


def _day(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=31,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be a number from 1 to 31",
            "min_value": f"{label} must be a number from 1 to 31",
            "max_value": f"{label} must be a number from 1 to 31",
        },
    )


def _month(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=12,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be a number from 1 to 12",
            "min_value": f"{label} must be a number from 1 to 12",
            "max_value": f"{label} must be a number from 1 to 12",
        },
    )


class CalendarPeakForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=120,
        help_text="For example, Self Assessment deadline.",
        error_messages={"required": "Enter a name for the peak", "max_length": "Name must be 120 characters or fewer"},
    )
    start_day = _day("Start day")
    start_month = _month("Start month")
    end_day = _day("End day")
    end_month = _month("End month")
    demand_type = forms.ChoiceField(
        label="What it brings", choices=DemandType.choices, initial=DemandType.SEASONAL_PEAK
    )
    description = _text("Description (optional)", "", optional=True, rows=3)
    is_active = forms.BooleanField(label="Counts towards foreseeability", required=False, initial=True)

    @staticmethod
    def initial_for(peak: CalendarPeak) -> dict[str, Any]:
        return {name: getattr(peak, name) for name in CalendarPeakForm.base_fields}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        name = (data.get("name") or "").strip()
        others = CalendarPeak.objects.filter(name__iexact=name)
        if self.peak is not None:
            others = others.exclude(pk=self.peak.pk)
        if name and others.exists():
            self.add_error("name", "There is already a peak with that name")
        return data

    def __init__(self, *args: Any, peak: CalendarPeak | None = None, **kwargs: Any) -> None:
        self.peak = peak
        super().__init__(*args, **kwargs)


# Assignments -------------------------------------------------------------------------------------------


class AssignmentForm(forms.Form):
    responder = forms.ModelChoiceField(
        label="Responder",
        queryset=Responder.objects.none(),
        empty_label="Choose a responder",
        error_messages={"required": "Choose a responder", "invalid_choice": "Choose a responder from the roster"},
    )
    role = forms.CharField(
        label="Role on this deployment",
        max_length=120,
        help_text="For example, Team leader or Decision maker.",
        error_messages={"required": "Enter the responder’s role", "max_length": "Role must be 120 characters or fewer"},
    )
    start_date = DateField(label="First day", error_messages={"required": "Enter the first day"})
    end_date = DateField(label="Last day", error_messages={"required": "Enter the last day"})
    note = _text("Note (optional)", "", optional=True, rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["responder"]
        field.queryset = Responder.objects.active().select_related("member__user")
        field.label_from_instance = lambda r: f"{r} ({Clearance(r.clearance_level).name})"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _end_not_before_start(self, data)
        return data


def default_period(surge_request: SurgeRequest) -> dict[str, datetime.date | None]:
    return {"start_date": surge_request.start_date, "end_date": surge_request.end_date}
