"""Capability metrics snapshots, the runs that compute them, and ROI evaluations.

A run writes its rows tagged with its id; they become visible only when ``PublishedSnapshot`` points the
snapshot date at the run, which happens in one transaction at the end. Readers go through
``CapabilityMetric.objects.published()``, so a half-finished or killed run is never seen."""

from __future__ import annotations

from django.db import models

from odp.models import Member, Organisation


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class MetricsRun(models.Model):
    snapshot_date = models.DateField(db_index=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    requested_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    stage = models.CharField(max_length=120, blank=True, default="")
    rows = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Metrics run {self.pk} for {self.snapshot_date} ({self.status})"

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class MetricScope(models.TextChoices):
    ORGANISATION_GRADE_SKILL = "org_grade_skill", "Organisation × grade × skill"
    ORGANISATION_SKILL = "org_skill", "Organisation × skill"
    PROFESSION_SKILL = "profession_skill", "Profession × skill"
    ORGANISATION = "org", "Organisation overall"
    PROFESSION = "profession", "Profession overall"


class CapabilityMetricQuerySet(models.QuerySet):
    def published(self) -> CapabilityMetricQuerySet:
        return self.filter(run__publication__isnull=False)


class CapabilityMetric(models.Model):
    """Sums and counts for one group, so groups can be combined exactly (an organisation and its child
    bodies, say); the means are derived properties. Rows are member × expected skill pairs."""

    run = models.ForeignKey(MetricsRun, on_delete=models.CASCADE, related_name="metrics")
    snapshot_date = models.DateField()
    scope = models.CharField(max_length=20, choices=MetricScope.choices)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    grade = models.CharField(max_length=4, blank=True, default="")
    lineage = models.PositiveBigIntegerField(null=True, blank=True)
    members_in_scope = models.PositiveIntegerField()
    members_assessed = models.PositiveIntegerField()
    rows_in_scope = models.PositiveIntegerField()
    rows_assessed = models.PositiveIntegerField()
    sum_level = models.PositiveIntegerField()
    rows_meeting = models.PositiveIntegerField()
    sum_gap = models.PositiveIntegerField()
    sum_index = models.FloatField()

    objects = CapabilityMetricQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["run", "scope", "organisation"], name="metric_run_scope_org"),
            models.Index(fields=["snapshot_date", "scope"], name="metric_date_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_date} {self.scope} org={self.organisation_id} {self.grade} skill={self.lineage}"

    @property
    def coverage(self) -> float | None:
        return self.members_assessed / self.members_in_scope if self.members_in_scope else None

    @property
    def mean_level(self) -> float | None:
        return self.sum_level / self.rows_assessed if self.rows_assessed else None

    @property
    def share_at_expected(self) -> float | None:
        return self.rows_meeting / self.rows_in_scope if self.rows_in_scope else None

    @property
    def mean_gap(self) -> float | None:
        return self.sum_gap / self.rows_in_scope if self.rows_in_scope else None

    @property
    def capability_index(self) -> float | None:
        return self.sum_index / self.rows_in_scope if self.rows_in_scope else None


class PublishedSnapshot(models.Model):
    """Which run's rows are the snapshot for a date. Swapped in one transaction when a run completes."""

    snapshot_date = models.DateField(unique=True)
    run = models.OneToOneField(MetricsRun, on_delete=models.PROTECT, related_name="publication")
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-snapshot_date"]

    def __str__(self) -> str:
        return f"Snapshot {self.snapshot_date} (run {self.run_id})"
