"""Template filters for KPI values: ``{{ progress|kpi_display:kpi.unit }}`` and ``{{ number|kpi_number:unit }}``."""

from __future__ import annotations

from decimal import Decimal

from django import template

from reporting.figures import format_value
from reporting.kpis import KpiProgress

register = template.Library()


@register.filter
def kpi_display(progress: KpiProgress, unit: str) -> str:
    return progress.display(unit)


@register.filter
def kpi_number(value: Decimal | None, unit: str) -> str:
    return "not available" if value is None else format_value(Decimal(value), unit)
