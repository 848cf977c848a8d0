"""Objectives and KPIs per reporting year. A KPI is measured either from a figure in ``reporting.figures.FIGURES``
(its ``source`` is the figure key) or from a value an admin enters with evidence (``source`` is ``"manual"``)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from odp.audit import audited
from odp.models import Member

MANUAL_SOURCE = "manual"


class KpiUnit(models.TextChoices):
    PERCENT = "%", "Percentage"
    PEOPLE = "people", "People"
    POUNDS = "£", "Pounds"
    DAYS = "days", "Days"
    COUNT = "count", "Count"
    INDEX = "index", "Index"
    HOURS = "hours", "Hours"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


@audited
class Objective(models.Model):
    year = models.PositiveSmallIntegerField(db_index=True)
    order = models.PositiveSmallIntegerField(default=1)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.year}: {self.text[:80]}"


@audited
class Kpi(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="kpis")
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=10, choices=KpiUnit.choices)
    baseline = models.DecimalField(max_digits=14, decimal_places=2)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    # A key of reporting.figures.FIGURES, or MANUAL_SOURCE.
    source = models.CharField(max_length=80)
    manual_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    evidence = models.TextField(blank=True, default="")
    entered_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["objective__year", "objective__order", "order", "pk"]
        verbose_name = "KPI"
        constraints = [
            models.CheckConstraint(condition=~Q(target=F("baseline")), name="reporting_kpi_target_differs"),
            models.CheckConstraint(
                condition=Q(source=MANUAL_SOURCE) | Q(manual_value__isnull=True),
                name="reporting_kpi_manual_value_only_for_manual",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_manual(self) -> bool:
        return self.source == MANUAL_SOURCE

    @property
    def year(self) -> int:
        return self.objective.year
