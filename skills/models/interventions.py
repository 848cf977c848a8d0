"""Learning interventions, their costs, cohorts and enrolments."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from odp.models import Member
from skills.models.framework import Skill
from skills.querysets import EnrolmentQuerySet


class InterventionKind(models.TextChoices):
    APPRENTICESHIP = "apprenticeship", "Apprenticeship"
    COURSE = "course", "Course"
    LEADERSHIP_PROGRAMME = "leadership_programme", "Leadership programme"
    COACHING = "coaching", "Coaching"
    OTHER = "other", "Other"


class Intervention(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=InterventionKind.choices)
    provider = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    # Target skills by lineage, so an intervention keeps its targets across framework versions.
    target_skills = models.ManyToManyField(Skill, related_name="interventions", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def target_lineages(self) -> set[int]:
        return {skill.lineage for skill in self.target_skills.all()}


class CostCategory(models.TextChoices):
    DELIVERY = "delivery", "Delivery"
    PARTICIPANT_TIME = "participant_time", "Participant time"
    TRAVEL = "travel", "Travel and subsistence"
    OTHER = "other", "Other"


class CostItem(models.Model):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="cost_items")
    category = models.CharField(max_length=20, choices=CostCategory.choices)
    description = models.CharField(max_length=200, blank=True, default="")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    per_participant = models.BooleanField(default=False)

    class Meta:
        ordering = ["intervention", "category"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="cost_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: £{self.amount}"


class Cohort(models.Model):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=120)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["intervention", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "name"], name="cohort_name_unique"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="cohort_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.intervention}: {self.name}"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "Enrolled"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Enrolment(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="enrolments")
    status = models.CharField(max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED)
    completed_on = models.DateField(null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "member"]
        constraints = [models.UniqueConstraint(fields=["cohort", "member"], name="enrolment_unique")]

    def __str__(self) -> str:
        return f"{self.member} in {self.cohort} ({self.status})"
