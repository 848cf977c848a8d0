"""Surge requests: what a department asks for, its last-resort answers, and the workflow's states."""

from __future__ import annotations

import datetime

from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from odp.models import Member, Organisation, Region
from skills.models import Skill
from srrt.querysets import SurgeRequestQuerySet

TEXT_MAX = 5000
TEXT_LIMIT = MaxLengthValidator(TEXT_MAX)


class DemandType(models.TextChoices):
    CRISIS = "crisis", "Crisis or emergency"
    SEASONAL_PEAK = "seasonal_peak", "Seasonal peak"
    BACKLOG = "backlog_recovery", "Backlog recovery"
    POLICY_CHANGE = "policy_change", "Policy or legislative change"
    SYSTEM_OUTAGE = "system_outage", "System outage"
    OTHER = "other", "Other"


class Clearance(models.IntegerChoices):
    """Security clearance, lowest to highest: a higher level satisfies a lower requirement."""

    BPSS = 1, "Baseline Personnel Security Standard (BPSS)"
    CTC = 2, "Counter-Terrorist Check (CTC)"
    SC = 3, "Security Check (SC)"
    DV = 4, "Developed Vetting (DV)"


class PlanAnswer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PARTLY = "partly", "Partly"


class Foreseeability(models.TextChoices):
    LIKELY = "likely", "Likely foreseeable"
    POSSIBLY = "possibly", "Possibly foreseeable"
    UNFORESEEABLE = "unforeseeable", "Unforeseeable"


class SurgeStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    MORE_INFO = "more_info_requested", "More information requested"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    DEPLOYING = "deploying", "Deploying"
    ACTIVE = "active", "Active"
    CLOSING = "closing", "Closing"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"

    @classmethod
    def editable(cls) -> list[str]:
        """States in which the requester may change their answers."""
        return [cls.DRAFT, cls.MORE_INFO]

    @classmethod
    def staffable(cls) -> list[str]:
        """States in which responders may be assigned."""
        return [cls.APPROVED, cls.DEPLOYING, cls.ACTIVE]

    @classmethod
    def ended(cls) -> list[str]:
        return [cls.DECLINED, cls.CLOSED, cls.CANCELLED]


# The workflow, as data: from each state, the states it may move to. Nothing else changes a status.
TRANSITIONS: dict[str, frozenset[str]] = {
    SurgeStatus.DRAFT: frozenset({SurgeStatus.SUBMITTED, SurgeStatus.CANCELLED}),
    SurgeStatus.SUBMITTED: frozenset(
        {SurgeStatus.APPROVED, SurgeStatus.DECLINED, SurgeStatus.MORE_INFO, SurgeStatus.CANCELLED}
    ),
    SurgeStatus.MORE_INFO: frozenset({SurgeStatus.SUBMITTED, SurgeStatus.CANCELLED}),
    SurgeStatus.APPROVED: frozenset({SurgeStatus.DEPLOYING, SurgeStatus.CANCELLED}),
    SurgeStatus.DEPLOYING: frozenset({SurgeStatus.ACTIVE, SurgeStatus.CANCELLED}),
    SurgeStatus.ACTIVE: frozenset({SurgeStatus.CLOSING}),
    SurgeStatus.CLOSING: frozenset({SurgeStatus.CLOSED}),
    SurgeStatus.DECLINED: frozenset(),
    SurgeStatus.CLOSED: frozenset(),
    SurgeStatus.CANCELLED: frozenset(),
}


class Agreement(models.TextChoices):
    """On what terms approved support is given."""

    SRRT = "srrt", "SRRT deployment"
    PLANNED_SURGE = "planned_surge", "Planned-surge agreement (agreed in advance, fully recharged)"


class SurgeRequest(models.Model):
    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)  # given on first submission
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="surge_requests")
    requester = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="surge_requests")
    title = models.CharField(max_length=150)
    # Drafts are saved a question page at a time: only the title is needed until submission.
    demand_type = models.CharField(max_length=20, choices=DemandType.choices, blank=True, default="")
    what_happened = models.TextField(blank=True, default="", validators=[TEXT_LIMIT])
    why_now = models.TextField(blank=True, default="", validators=[TEXT_LIMIT])
    forecast_volume = models.PositiveIntegerField(null=True, blank=True)
    normal_capacity = models.PositiveIntegerField(null=True, blank=True)
    volume_unit = models.CharField(max_length=60, blank=True, default="", help_text="For example: calls a week")
    start_date = models.DateField(null=True, blank=True)
    expected_duration_days = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(1)])
    people_needed = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(1)])
    skills_needed = models.ManyToManyField(Skill, blank=True, related_name="+")
    locations = models.TextField(blank=True, default="", validators=[TEXT_LIMIT])
    # Where most of the work is, for matching responders by home region.
    region = models.CharField(max_length=20, choices=Region.choices, blank=True, default="")
    international = models.BooleanField(default=False)
    clearance_required = models.PositiveSmallIntegerField(choices=Clearance.choices, null=True, blank=True)
    in_forecast_or_plan = models.CharField(max_length=10, choices=PlanAnswer.choices, blank=True, default="")
    status = models.CharField(max_length=20, choices=SurgeStatus.choices, default=SurgeStatus.DRAFT)
    agreement = models.CharField(max_length=20, choices=Agreement.choices, blank=True, default="")
    # The computed foreseeability, stored when submitted and again at triage: [{"code": ..., "text": ...}].
    foreseeability = models.CharField(max_length=15, choices=Foreseeability.choices, blank=True, default="")
    foreseeability_reasons = models.JSONField(default=list, blank=True)
    foreseeability_assessed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = SurgeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Repeat use: the same organisation and demand type around the same date in earlier years.
            models.Index(fields=["organisation", "demand_type", "start_date"], name="surge_repeat_idx"),
            models.Index(fields=["status", "-submitted_at"], name="surge_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(people_needed__isnull=True) | Q(people_needed__gte=1), name="surge_people_at_least_one"
            ),
            models.CheckConstraint(
                condition=Q(expected_duration_days__isnull=True) | Q(expected_duration_days__gte=1),
                name="surge_duration_at_least_one_day",
            ),
            models.CheckConstraint(
                condition=Q(clearance_required__isnull=True) | Q(clearance_required__in=Clearance.values),
                name="surge_clearance_known",
            ),
            models.CheckConstraint(
                # A draft may be cancelled before it was ever submitted, so before it has a reference.
                condition=Q(status__in=["draft", "cancelled"]) | Q(reference__isnull=False),
                name="surge_reference_once_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}" if self.reference else self.title

    @property
    def end_date(self) -> datetime.date | None:
        """The last day of the expected period."""
        if self.start_date is None or not self.expected_duration_days:
            return None
        return self.start_date + datetime.timedelta(days=self.expected_duration_days - 1)

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]


class LastResortOption(models.TextChoices):
    OVERTIME = "overtime", "Overtime"
    REDEPLOYMENT = "redeployment", "Internal redeployment"
    RECRUITMENT = "recruitment", "Recruitment"
    CONTRACTORS = "contractors", "Contractors or third parties"
    MUTUAL_AID = "mutual_aid", "Mutual aid from other departments"


class LastResortOutcome(models.TextChoices):
    TRIED = "tried", "Tried"
    RULED_OUT = "ruled_out", "Ruled out"
    NOT_CONSIDERED = "not_considered", "Not considered"


class LastResortAnswer(models.Model):
    """What the department did about one alternative to the SRRT, and why it is not enough."""

    request = models.ForeignKey(SurgeRequest, on_delete=models.CASCADE, related_name="last_resort_answers")
    option = models.CharField(max_length=20, choices=LastResortOption.choices)
    outcome = models.CharField(max_length=20, choices=LastResortOutcome.choices)
    why_not_enough = models.TextField(blank=True, default="", validators=[TEXT_LIMIT])

    class Meta:
        ordering = ["request", "option"]
        constraints = [
            models.UniqueConstraint(fields=["request", "option"], name="last_resort_one_per_option"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.option}: {self.outcome}"


class ReferenceCounter(models.Model):
    """The last surge reference number given in a year, locked while the next one is taken."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
