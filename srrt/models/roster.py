"""The responder roster: who can deploy, when they cannot, and where they are assigned."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from odp.models import Member, Region
from srrt.models.requests import TEXT_LIMIT, Clearance, SurgeRequest
from srrt.querysets import AssignmentQuerySet, ResponderQuerySet


class Responder(models.Model):
    member = models.OneToOneField(Member, on_delete=models.PROTECT, related_name="srrt_responder")
    clearance_level = models.PositiveSmallIntegerField(choices=Clearance.choices)
    clearance_expires_on = models.DateField()
    home_region = models.CharField(max_length=20, choices=Region.choices)
    international_available = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ResponderQuerySet.as_manager()

    class Meta:
        ordering = ["member__user__last_name", "member__user__first_name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(clearance_level__in=Clearance.values), name="responder_clearance_known"),
        ]

    def __str__(self) -> str:
        return str(self.member)

    def clearance_expired(self, on=None) -> bool:
        return self.clearance_expires_on < (on or timezone.localdate())


class UnavailablePeriod(models.Model):
    responder = models.ForeignKey(Responder, on_delete=models.CASCADE, related_name="unavailable_periods")
    start_date = models.DateField()
    end_date = models.DateField()
    reason = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["responder", "start_date"]
        indexes = [models.Index(fields=["responder", "start_date", "end_date"], name="unavailable_period_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="unavailable_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.responder_id} unavailable {self.start_date}–{self.end_date}"


class Assignment(models.Model):
    request = models.ForeignKey(SurgeRequest, on_delete=models.PROTECT, related_name="assignments")
    responder = models.ForeignKey(Responder, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=120)
    start_date = models.DateField()
    end_date = models.DateField()
    note = models.TextField(blank=True, default="", validators=[TEXT_LIMIT])
    assigned_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "pk"]
        indexes = [models.Index(fields=["responder", "start_date", "end_date"], name="assignment_period_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="assignment_end_after_start"),
            models.UniqueConstraint(fields=["request", "responder"], name="assignment_once_per_request"),
            models.CheckConstraint(condition=~Q(role=""), name="assignment_has_role"),
        ]

    def __str__(self) -> str:
        return f"{self.responder} on {self.request_id} as {self.role}"

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1
