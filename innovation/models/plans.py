"""Departmental innovation plans: how each organisation gives its staff time, skills, tools and support."""

from __future__ import annotations

from django.db import models

from innovation.models.ideas import TEXT_LIMIT, TEXT_MAX
from innovation.querysets import InnovationPlanQuerySet
from odp.models import Member, Organisation


class InnovationPlan(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="innovation_plans")
    year = models.PositiveSmallIntegerField()
    time = models.TextField(
        max_length=TEXT_MAX, validators=[TEXT_LIMIT], help_text="How staff get time to raise and work on ideas."
    )
    skills = models.TextField(
        max_length=TEXT_MAX, validators=[TEXT_LIMIT], help_text="How staff get the skills to improve services."
    )
    tools = models.TextField(max_length=TEXT_MAX, validators=[TEXT_LIMIT], help_text="The tools staff have.")
    support = models.TextField(
        max_length=TEXT_MAX, validators=[TEXT_LIMIT], help_text="Support from managers and leaders."
    )
    updated_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = InnovationPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="plan_one_per_year")]

    def __str__(self) -> str:
        return f"{self.organisation} innovation plan {self.year}"


class Commitment(models.Model):
    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        DONE = "done", "Done"

    plan = models.ForeignKey(InnovationPlan, on_delete=models.CASCADE, related_name="commitments")
    description = models.CharField(max_length=500)
    due_on = models.DateField(null=True, blank=True)
    progress = models.CharField(max_length=12, choices=Progress.choices, default=Progress.NOT_STARTED)
    progress_note = models.TextField(max_length=TEXT_MAX, blank=True, default="", validators=[TEXT_LIMIT])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description
