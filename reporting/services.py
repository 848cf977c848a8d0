"""Writes for objectives and KPIs: ODP admins only, validated here so pages and the API share the rules, and
audited (the models are @audited; a manual value also records who entered it and when)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from odp import access
from odp.models import Member
from reporting.figures import FIGURES
from reporting.models import MANUAL_SOURCE, Direction, Kpi, Objective

MANAGE = "reports.manage_kpis"
KPI_FIELDS = ("name", "unit", "baseline", "target", "direction", "source", "manual_value", "evidence", "order")


def _allowed(by: Member) -> None:
    if not access.can(by, MANAGE):
        raise PermissionDenied("Only ODP admins can change objectives and KPIs.")


def validate_kpi(answers: dict[str, Any]) -> None:
    """The rules a KPI must meet, as field errors (ValidationError with an error dict)."""
    errors: dict[str, str] = {}
    baseline, target = answers.get("baseline"), answers.get("target")
    direction, source = answers.get("direction"), answers.get("source")
    if baseline is not None and target is not None:
        if target == baseline:
            errors["target"] = "Target must be different from the baseline"
        elif direction == Direction.HIGHER and target < baseline:
            errors["target"] = "Target must be above the baseline when higher is better"
        elif direction == Direction.LOWER and target > baseline:
            errors["target"] = "Target must be below the baseline when lower is better"
    if source != MANUAL_SOURCE and source not in FIGURES:
        errors["source"] = "Select a figure from the list, or enter the value yourself"
    if (
        source == MANUAL_SOURCE
        and answers.get("manual_value") is not None
        and not (answers.get("evidence") or "").strip()
    ):
        errors["evidence"] = "Enter the evidence for the value: where it comes from and how it was measured"
    if source != MANUAL_SOURCE and answers.get("manual_value") is not None:
        errors["manual_value"] = "Only enter a value for a KPI you measure yourself"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def objective_save(
    *, by: Member, year: int, text: str, order: int = 1, objective: Objective | None = None
) -> Objective:
    _allowed(by)
    if not text.strip():
        raise ValidationError({"text": "Enter the objective"})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "Enter a year between 2000 and 2100"})
    objective = objective or Objective(year=year)
    objective.year, objective.text, objective.order = year, text.strip(), order
    objective.save()
    return objective


@transaction.atomic
def objective_delete(*, by: Member, objective: Objective) -> None:
    _allowed(by)
    objective.delete()


@transaction.atomic
def kpi_save(*, by: Member, objective: Objective, answers: dict[str, Any], kpi: Kpi | None = None) -> Kpi:
    """Create or change a KPI. A manual value that changes records who entered it and when."""
    _allowed(by)
    answers = {name: answers.get(name) for name in KPI_FIELDS if name in answers}
    current = {name: getattr(kpi, name) for name in KPI_FIELDS} if kpi is not None else {}
    merged = current | answers
    if merged.get("source") != MANUAL_SOURCE:
        merged["manual_value"], merged["evidence"] = None, ""
    validate_kpi(merged)
    kpi = kpi or Kpi(objective=objective)
    previous_value, previous_evidence = kpi.manual_value, kpi.evidence
    for name in KPI_FIELDS:
        if name in merged and merged[name] is not None:
            setattr(kpi, name, merged[name])
    kpi.manual_value = merged.get("manual_value")
    kpi.evidence = (merged.get("evidence") or "").strip()
    kpi.objective = objective
    if kpi.manual_value is None:
        kpi.entered_by, kpi.entered_at = None, None
    elif kpi.pk is None or kpi.manual_value != previous_value or kpi.evidence != previous_evidence:
        kpi.entered_by, kpi.entered_at = by, timezone.now()
    kpi.save()
    return kpi


@transaction.atomic
def kpi_record_value(*, by: Member, kpi: Kpi, value: Decimal, evidence: str) -> Kpi:
    """Enter the current value of a manual KPI with its evidence."""
    _allowed(by)
    if not kpi.is_manual:
        raise ValidationError({"manual_value": "This KPI is measured from a figure; its value cannot be entered"})
    return kpi_save(by=by, objective=kpi.objective, kpi=kpi, answers={"manual_value": value, "evidence": evidence})


@transaction.atomic
def kpi_delete(*, by: Member, kpi: Kpi) -> None:
    _allowed(by)
    kpi.delete()
