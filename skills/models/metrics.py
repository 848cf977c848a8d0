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
    # The finest rows; every other scope is summed from them. Job family lets admins filter by it.
    ORGANISATION_GRADE_FAMILY_SKILL = "org_grade_jf_skill", "Organisation × grade × job family × skill"
    ORGANISATION_GRADE_SKILL = "org_grade_skill", "Organisation × grade × skill"
    ORGANISATION_SKILL = "org_skill", "Organisation × skill"
    PROFESSION_SKILL = "profession_skill", "Profession × skill"
    ORGANISATION = "org", "Organisation overall"
    PROFESSION = "profession", "Profession overall"


class CapabilityMetricQuerySet(models.QuerySet):
    def published(self) -> CapabilityMetricQuerySet:
        return self.filter(run__publication__isnull=False)

    def visible_to(self, member: Member | None) -> CapabilityMetricQuerySet:
        """Published figures: every row for admins; for heads of profession, the organisations they lead
        (and their child bodies); nothing for anyone else."""
        from odp import access

        if member is None or not member.is_active:
            return self.none()
        published = self.published()
        if member.is_odp_admin:
            return published
        return published.filter(organisation_id__in=access.head_of_profession_organisation_ids(member))


class CapabilityMetric(models.Model):
    """Sums and counts for one group, so groups can be combined exactly (an organisation and its child
    bodies, say); the means are derived properties. Rows are member × expected skill pairs."""

    # No database constraints on these keys: rows are derived, written only by the metrics job's INSERT ... SELECT
    # from the runs and organisations themselves, and the constraint checks on 140,000 rows per run cost about a
    # second at full scale (benchmarks/README.md). Deleting a run or an organisation still cascades (in Django).
    # Nor single-column indexes: every read is by run (and scope), which the composite index below leads with, and
    # each index costs the job's 140,000-row insert about 0.1 s (benchmarks/README.md). Deleting an organisation,
    # which is rare and admin-only, scans for its rows.
    run = models.ForeignKey(
        MetricsRun, on_delete=models.CASCADE, related_name="metrics", db_constraint=False, db_index=False
    )
    snapshot_date = models.DateField()
    scope = models.CharField(max_length=20, choices=MetricScope.choices)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    grade = models.CharField(max_length=4, blank=True, default="")
    job_family = models.CharField(max_length=40, blank=True, default="")
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


class RoiAssumptions(models.Model):
    """The documented assumptions every ROI result is shown with. One row per effective date; the latest
    applies. Amounts are pounds; percentages are 0 to 100."""

    effective_from = models.DateField(unique=True)
    value_per_level_point = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        help_text="Value to the organisation of one proficiency level point, per person, per year (£).",
    )
    attribution_percent = models.PositiveSmallIntegerField(
        help_text="Share of the improvement attributed to the intervention rather than other causes."
    )
    confidence_percent = models.PositiveSmallIntegerField(help_text="Confidence in the estimate (Phillips adjustment).")
    follow_up_days = models.PositiveSmallIntegerField(help_text="Days after the cohort ends to measure the follow-up.")
    minimum_group_size = models.PositiveSmallIntegerField(default=10)
    source_note = models.TextField(help_text="Where these figures come from.")

    class Meta:
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(condition=models.Q(attribution_percent__lte=100), name="attribution_at_most_100"),
            models.CheckConstraint(condition=models.Q(confidence_percent__lte=100), name="confidence_at_most_100"),
            models.CheckConstraint(condition=models.Q(minimum_group_size__gte=2), name="minimum_group_at_least_2"),
        ]

    def __str__(self) -> str:
        return f"ROI assumptions from {self.effective_from}"


class RoiOutcome(models.TextChoices):
    RESULT = "result", "Result"
    INSUFFICIENT_DATA = "insufficient", "Insufficient data"


class RoiEvaluation(models.Model):
    """A cohort's difference-in-differences evaluation, with every input needed to read it honestly."""

    cohort = models.ForeignKey("skills.Cohort", on_delete=models.CASCADE, related_name="roi_evaluations")
    assumptions = models.ForeignKey(RoiAssumptions, on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(auto_now_add=True)
    baseline_date = models.DateField()
    follow_up_date = models.DateField()
    outcome = models.CharField(max_length=12, choices=RoiOutcome.choices)
    reason = models.CharField(max_length=300, blank=True, default="")
    treated_n = models.PositiveIntegerField(default=0)
    comparison_n = models.PositiveIntegerField(default=0)
    treated_before = models.FloatField(null=True, blank=True)
    treated_after = models.FloatField(null=True, blank=True)
    comparison_before = models.FloatField(null=True, blank=True)
    comparison_after = models.FloatField(null=True, blank=True)
    uplift = models.FloatField(null=True, blank=True)
    benefit = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    cost = models.DecimalField(max_digits=14, decimal_places=2)
    roi_percent = models.FloatField(null=True, blank=True)
    benefit_cost_ratio = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"ROI of {self.cohort} ({self.get_outcome_display()})"
