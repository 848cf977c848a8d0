"""Append-only assessments and each member's current level per skill."""

from __future__ import annotations

from django.db import models

from odp.models import Member
from skills.models.framework import FrameworkVersion, Skill
from skills.querysets import AssessmentQuerySet


class RaterKind(models.TextChoices):
    SELF = "self", "Self-assessment"
    LINE_MANAGER = "line_manager", "Line manager"
    ASSESSOR = "assessor", "Assessor"

    @classmethod
    def trust(cls, kind: str) -> int:
        """Higher is more trusted: a manager's or assessor's rating outranks a self-assessment."""
        return {cls.SELF: 1, cls.LINE_MANAGER: 2, cls.ASSESSOR: 2}[kind]


class Assessment(models.Model):
    """One rating of one member on one skill. Append-only: a new rating is a new row, never an edit."""

    # This table holds every rating ever made (tens of millions of rows), so it carries only the indexes its
    # queries use: (member, lineage, rated_at) and skill. Members are deactivated, never deleted.
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="assessments", db_index=False)
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="assessments")
    lineage = models.PositiveBigIntegerField()
    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="+", db_index=False)
    level = models.PositiveSmallIntegerField()
    rater_kind = models.CharField(max_length=12, choices=RaterKind.choices)
    rated_by = models.ForeignKey(
        Member, null=True, on_delete=models.SET_NULL, related_name="ratings_given", db_index=False
    )
    rated_at = models.DateTimeField()
    rationale = models.TextField(blank=True, default="")
    # A manager's rating that responds to a self-assessment: confirms it (same level) or adjusts it.
    responds_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="responses", db_index=False
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-rated_at", "-pk"]
        indexes = [models.Index(fields=["member", "lineage", "-rated_at"], name="assessment_member_lineage")]

    def __str__(self) -> str:
        return f"{self.member} {self.skill.code}={self.level} ({self.rater_kind})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Assessments are append-only: record a new rating instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Assessments are append-only and are never deleted.")


class CurrentLevel(models.Model):
    """Each member's current level on each skill lineage: the latest rating by the most trusted rater.
    Maintained by skills.services on every new rating so pages and metrics never rank history row by row."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="current_levels", db_index=False)
    lineage = models.PositiveBigIntegerField()
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+", db_index=False)
    level = models.PositiveSmallIntegerField()
    rater_kind = models.CharField(max_length=12, choices=RaterKind.choices)
    rated_at = models.DateTimeField()
    # A self-assessment newer than the current rating, waiting for the line manager.
    pending_self_assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "lineage"], name="current_level_unique")]

    def __str__(self) -> str:
        return f"{self.member_id}/{self.lineage}={self.level}"


class MemberCoverage(models.Model):
    """Whether a member's role expects any skill (in scope) and whether they have a level above 0 on at least one
    of those skills (assessed): the capability metrics' members in scope and assessed. Kept up to date by
    skills.services with every rating, and worked out for the version and role it records, so a new framework
    version or a change of role is noticed (and redone) by the metrics job instead of trusted."""

    member = models.OneToOneField(Member, primary_key=True, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="+", db_index=False)
    job_family = models.CharField(max_length=40)
    role_level = models.PositiveSmallIntegerField()
    in_scope = models.BooleanField()
    assessed = models.BooleanField()

    def __str__(self) -> str:
        return f"{self.member_id}: {'assessed' if self.assessed else 'not assessed'} (version {self.version_id})"
