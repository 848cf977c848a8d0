"""Calendar peaks (the maintained list foreseeability reads) and coordinators' triage decisions."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from odp.models import Member
from srrt.models.requests import TEXT_LIMIT, DemandType, Foreseeability, SurgeRequest

_MONTH = [MinValueValidator(1), MaxValueValidator(12)]
_DAY = [MinValueValidator(1), MaxValueValidator(31)]


class CalendarPeak(models.Model):
    """A known recurring peak, such as Self Assessment in January. May wrap the year end (December to
    January). Maintained by coordinators; only active peaks count towards foreseeability."""

    name = models.CharField(max_length=120, unique=True)
    start_month = models.PositiveSmallIntegerField(validators=_MONTH)
    start_day = models.PositiveSmallIntegerField(validators=_DAY)
    end_month = models.PositiveSmallIntegerField(validators=_MONTH)
    end_day = models.PositiveSmallIntegerField(validators=_DAY)
    demand_type = models.CharField(
        max_length=20, choices=DemandType.choices, default=DemandType.SEASONAL_PEAK, help_text="What it brings"
    )
    description = models.TextField(blank=True, default="")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["start_month", "start_day", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_month__gte=1, start_month__lte=12, end_month__gte=1, end_month__lte=12),
                name="calendar_peak_months_valid",
            ),
            models.CheckConstraint(
                condition=Q(start_day__gte=1, start_day__lte=31, end_day__gte=1, end_day__lte=31),
                name="calendar_peak_days_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TriageOutcome(models.TextChoices):
    APPROVE = "approve", "Approve"
    DECLINE = "decline", "Decline"
    MORE_INFO = "more_info", "Ask for more information"
    OFFER_PLANNED_SURGE = "offer_planned_surge", "Offer a planned-surge agreement"


class TriageDecision(models.Model):
    """A coordinator's decision on a submitted request. A request sent back for more information and
    resubmitted gets a later decision too; the foreseeability seen at the time is kept with it."""

    request = models.ForeignKey(SurgeRequest, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=TriageOutcome.choices)
    reason = models.TextField(blank=True, default="", validators=[TEXT_LIMIT])
    last_resort_justification = models.TextField(blank=True, default="", validators=[TEXT_LIMIT])
    foreseeability = models.CharField(max_length=15, choices=Foreseeability.choices)
    foreseeability_reasons = models.JSONField(default=list, blank=True)
    decided_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["approve", "offer_planned_surge"]) | ~Q(reason=""),
                name="triage_decline_or_more_info_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(outcome__in=["approve", "offer_planned_surge"]) | ~Q(last_resort_justification=""),
                name="triage_approval_has_justification",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.outcome}"
