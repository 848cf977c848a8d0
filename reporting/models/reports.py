"""The annual report: one per year, in numbered versions. A published version carries its frozen HTML, data
tables and PDF, so what the public reads never changes when the data underneath it does."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from odp.audit import audited
from odp.models import Member


class SectionKind(models.TextChoices):
    FOREWORD = "foreword", "Foreword"
    IN_NUMBERS = "in_numbers", "The profession in numbers"
    OBJECTIVES = "objectives", "Performance against objectives"
    CAPABILITY = "capability", "Capability and skills, including digital and AI"
    INNOVATION = "innovation", "Innovation and key successes"
    SRRT = "srrt", "Surge and rapid response: absorbing our own peaks"
    MEMBERSHIP = "membership", "Benefits of membership"
    CAREERS = "careers", "Careers and how to join"


SECTION_ORDER: list[str] = [kind.value for kind in SectionKind]


@audited
class AnnualReport(models.Model):
    year = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title or f"Annual report {self.year}"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"  # approved by a second admin, waiting for its scheduled time
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"


class PdfStatus(models.TextChoices):
    NONE = "none", "Not started"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being produced"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


@audited
class ReportVersion(models.Model):
    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    change_note = models.TextField(blank=True, help_text="Public: what changed from the previous version and why.")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    frozen_html = models.TextField(blank=True)
    frozen_data = models.JSONField(default=dict, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_status = models.CharField(max_length=8, choices=PdfStatus.choices, default=PdfStatus.NONE)
    pdf_progress = models.PositiveSmallIntegerField(default=0)
    pdf_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_number_unique"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="report_version_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report.year} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_public(self) -> bool:
        return self.status in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)

    @property
    def pdf_in_progress(self) -> bool:
        return self.pdf_status in (PdfStatus.QUEUED, PdfStatus.RUNNING)


@audited
class Section(models.Model):
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(max_length=16, choices=SectionKind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown, with figure, KPI and chart tokens.")
    order = models.PositiveSmallIntegerField(default=0)
    case_studies = models.ManyToManyField("innovation.CaseStudy", blank=True, related_name="+")

    class Meta:
        ordering = ["version", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "kind"], name="report_section_kind_unique")]

    def __str__(self) -> str:
        return f"{self.version}: {self.title}"
