"""Forms for the skills pages. They check what a person typed; the rules about records live in the services,
whose ``ValidationError``s are put back on these forms by ``add_service_errors``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet

from odp.tabular import MAX_UPLOAD_BYTES
from odp.web.fields import DateField, ModelMultipleChoiceField
from skills.models import CostCategory, InterventionKind, ProficiencyLevel, Skill

EVIDENCE_MAX = 2000
COST_ROWS = 4


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError by the field it names, or at the top of the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@dataclass(frozen=True)
class LevelChoice:
    """One radio: a level of the scale with the skill's descriptor for it as the hint."""

    value: int
    name: str
    descriptor: str

    @property
    def label(self) -> str:
        return f"{self.name} (level {self.value})"


def level_choices(skill: Skill, levels: list[ProficiencyLevel]) -> list[LevelChoice]:
    """The levels defined for a skill: 0 ("not yet assessed") is never a choice, nor a level with no descriptor."""
    return [LevelChoice(lv.value, lv.name, skill.descriptor(lv.value)) for lv in levels if skill.descriptor(lv.value)]


class LevelForm(forms.Form):
    """A level chosen from the skill's own descriptors. The template draws the radios with their hints."""

    level = forms.TypedChoiceField(coerce=int, choices=())

    def __init__(self, *args: Any, choices: list[LevelChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.level_options = choices
        field = self.fields["level"]
        field.choices = [(str(c.value), c.label) for c in choices]
        field.error_messages["invalid_choice"] = "Select one of the levels shown"

    def radios(self) -> list[dict[str, Any]]:
        """What the template needs for each radio: its id, value, label, hint and whether it is chosen."""
        chosen = str(self["level"].value() or "")
        return [
            {
                "id": f"id_level_{index}" if index else "id_level",
                "hint_id": f"id_level_{index}-item-hint",
                "value": str(c.value),
                "label": c.label,
                "hint": c.descriptor,
                "checked": chosen == str(c.value),
            }
            for index, c in enumerate(self.level_options)
        ]


class SelfAssessmentForm(LevelForm):
    evidence = forms.CharField(
        label="Evidence (optional)",
        required=False,
        max_length=EVIDENCE_MAX,
        widget=forms.Textarea,
        error_messages={"max_length": f"Evidence must be {EVIDENCE_MAX} characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].error_messages["required"] = "Select the level that best describes what you do"


class RespondForm(LevelForm):
    reason = forms.CharField(
        label="Reason for changing the level",
        required=False,
        max_length=EVIDENCE_MAX,
        widget=forms.Textarea,
        error_messages={"max_length": f"Reason must be {EVIDENCE_MAX} characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].error_messages["required"] = "Select the level you agree with"


class DraftForm(forms.Form):
    change_notes = forms.CharField(
        label="What will change in this version?",
        required=False,
        max_length=EVIDENCE_MAX,
        widget=forms.Textarea,
        error_messages={"max_length": f"Change notes must be {EVIDENCE_MAX} characters or fewer"},
    )


class UploadField(forms.FileField):
    """An uploaded file no bigger than the importers accept, with GOV.UK messages."""

    def __init__(self, *, label: str, noun: str = "file", extensions: tuple[str, ...], **kwargs: Any) -> None:
        self.extensions = extensions
        wanted = " or ".join(f".{e}" for e in extensions)
        super().__init__(
            label=label,
            error_messages={"required": f"Select a {wanted} {noun}", "empty": "The selected file is empty"},
            **kwargs,
        )
        self.wanted = wanted

    def clean(self, data: Any, initial: Any = None) -> UploadedFile:
        upload = super().clean(data, initial)
        if upload.name.rsplit(".", 1)[-1].lower() not in self.extensions:
            raise ValidationError(f"The selected file must be a {self.wanted} file")
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(f"The selected file must be smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
        return upload


class ImportForm(DraftForm):
    file = UploadField(label="Upload a framework file", extensions=("csv", "json"))

    field_order = ["file", "change_notes"]

    @property
    def file_format(self) -> str:
        return self.cleaned_data["file"].name.rsplit(".", 1)[-1].lower()


class EnrolmentUploadForm(forms.Form):
    file = UploadField(label="Upload enrolments", extensions=("csv",))


class CohortForm(forms.Form):
    name = forms.CharField(
        label="Cohort name", max_length=120, error_messages={"required": "Enter a name for the cohort"}
    )
    starts_on = DateField(label="Start date", error_messages={"required": "Enter the start date"})
    ends_on = DateField(label="End date", error_messages={"required": "Enter the end date"})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be the same as or after the start date")
        return data


class InterventionForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the intervention's name"})
    kind = forms.ChoiceField(
        label="Type",
        choices=InterventionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of intervention"},
    )
    provider = forms.CharField(
        label="Provider", max_length=200, error_messages={"required": "Enter who provides the intervention"}
    )
    description = forms.CharField(label="Description (optional)", required=False, widget=forms.Textarea)
    target_skills = ModelMultipleChoiceField(
        label="Skills it builds",
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, skills: QuerySet[Skill], existing_costs: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Always one empty row more than the intervention has, so editing never drops a cost item.
        self.row_count = max(COST_ROWS, existing_costs + 1)
        self.fields["target_skills"].queryset = skills
        self.fields["target_skills"].label_from_instance = lambda s: f"{s.code} {s.name}"
        for n in range(1, self.row_count + 1):
            self.fields[f"cost_{n}_category"] = forms.ChoiceField(
                label="Category", required=False, choices=[("", "No cost"), *CostCategory.choices]
            )
            self.fields[f"cost_{n}_description"] = forms.CharField(label="Description", required=False, max_length=200)
            self.fields[f"cost_{n}_amount"] = forms.DecimalField(
                label="Amount in pounds",
                required=False,
                min_value=Decimal(0),
                max_digits=12,
                decimal_places=2,
                error_messages={
                    "invalid": f"Cost {n} amount must be a number, like 1500 or 1500.50",
                    "min_value": f"Cost {n} amount must be 0 or more",
                    "max_decimal_places": f"Cost {n} amount must be in pounds and pence, like 1500.50",
                    "max_digits": f"Cost {n} amount must be less than £10,000,000,000",
                    "max_whole_digits": f"Cost {n} amount must be less than £10,000,000,000",
                },
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            self.fields[f"cost_{n}_per_participant"] = forms.BooleanField(label="Per participant", required=False)

    def cost_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "number": n,
                "category": self[f"cost_{n}_category"],
                "description": self[f"cost_{n}_description"],
                "amount": self[f"cost_{n}_amount"],
                "per_participant": self[f"cost_{n}_per_participant"],
            }
            for n in range(1, self.row_count + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for n in range(1, self.row_count + 1):
            category, amount = data.get(f"cost_{n}_category"), data.get(f"cost_{n}_amount")
            described = data.get(f"cost_{n}_description") or data.get(f"cost_{n}_per_participant")
            if category and amount is None and f"cost_{n}_amount" not in self.errors:
                self.add_error(f"cost_{n}_amount", f"Enter cost {n}'s amount")
            elif not category and (amount is not None or described):
                self.add_error(f"cost_{n}_category", f"Select cost {n}'s category")
        return data

    @property
    def costs(self) -> list[tuple[str, Decimal, bool, str]]:
        """Filled-in cost rows as (category, amount, per participant, description) for the service."""
        d = self.cleaned_data
        return [
            (d[f"cost_{n}_category"], d[f"cost_{n}_amount"], d[f"cost_{n}_per_participant"], d[f"cost_{n}_description"])
            for n in range(1, self.row_count + 1)
            if d.get(f"cost_{n}_category")
        ]

    @staticmethod
    def initial_for(intervention: Any, current_skills: QuerySet[Skill]) -> dict[str, Any]:
        """The form's starting values for an existing intervention; targets map onto the current version."""
        lineages = intervention.target_lineages
        initial: dict[str, Any] = {
            "name": intervention.name,
            "kind": intervention.kind,
            "provider": intervention.provider,
            "description": intervention.description,
            "target_skills": [s.pk for s in current_skills if s.lineage in lineages],
        }
        for n, item in enumerate(intervention.cost_items.all(), start=1):
            initial |= {
                f"cost_{n}_category": item.category,
                f"cost_{n}_description": item.description,
                f"cost_{n}_amount": item.amount,
                f"cost_{n}_per_participant": item.per_participant,
            }
        return initial
