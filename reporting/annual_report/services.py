"""Annual report writes (audited): drafting, the review rule, publication with frozen content, corrections."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from odp import access, audit, outbox
from odp.models import Member
from reporting.annual_report.checklist import check
from reporting.annual_report.rendering import render_version
from reporting.models.reports import (
    SECTION_ORDER,
    AnnualReport,
    PdfStatus,
    ReportVersion,
    Section,
    SectionKind,
    VersionStatus,
)

logger = logging.getLogger(__name__)
AUTHOR = "reports.author"


def _require_author(member: Member) -> None:
    if not access.can(member, AUTHOR):
        raise PermissionDenied("Only ODP admins can write and publish the annual report.")


def _lock(version: ReportVersion) -> ReportVersion:
    # The PDF bytes are written only by render_pdf; leaving them out keeps them out of memory and the audit diff.
    return ReportVersion.objects.select_for_update().select_related("report").defer("pdf").get(pk=version.pk)


@transaction.atomic
def start_report(member: Member, *, year: int, title: str = "") -> ReportVersion:
    """A report for the year with a first draft holding every section, empty."""
    _require_author(member)
    if AnnualReport.objects.filter(year=year).exists():
        raise ValidationError({"year": f"There is already a report for {year}"})
    report = AnnualReport.objects.create(
        year=year, title=title or f"Operational Delivery Profession annual report {year}"
    )
    version = ReportVersion.objects.create(report=report, number=1, author=member)
    for order, kind in enumerate(SECTION_ORDER, start=1):
        Section.objects.create(version=version, kind=kind, title=SectionKind(kind).label, order=order)
    return version


@transaction.atomic
def update_section(
    member: Member, section: Section, *, title: str, body: str, case_study_ids: list[int] | None = None
) -> Section:
    _require_author(member)
    version = _lock(section.version)
    if not version.is_editable:
        raise ValidationError("Only a draft can be changed. Return it to draft first.", code="not_draft")
    section.title = title.strip()
    section.body = body
    section.save()
    if case_study_ids is not None:
        section.case_studies.set(case_study_ids)
    return section


@transaction.atomic
def submit(member: Member, version: ReportVersion) -> ReportVersion:
    """The author sends the draft to a second admin. The checklist's errors must be fixed first."""
    _require_author(member)
    version = _lock(version)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError("Only a draft can be submitted for review.", code="invalid_transition")
    _require_checklist(version)
    version.status = VersionStatus.IN_REVIEW
    version.submitted_at = timezone.now()
    version.save()
    audit.record(action="report.submitted", obj=version, actor=member.user)
    return version


@transaction.atomic
def return_to_draft(member: Member, version: ReportVersion, *, note: str = "") -> ReportVersion:
    _require_author(member)
    version = _lock(version)
    if version.status not in (VersionStatus.IN_REVIEW, VersionStatus.APPROVED):
        raise ValidationError("Only a version in review or waiting to publish can return to draft.")
    version.status = VersionStatus.DRAFT
    version.approved_by = None
    version.approved_at = None
    version.scheduled_for = None
    version.save()
    audit.record(action="report.returned_to_draft", obj=version, note=note, actor=member.user)
    return version


@transaction.atomic
def approve(member: Member, version: ReportVersion, *, publish_at: datetime.datetime | None = None) -> ReportVersion:
    """A second admin approves: published now, or at ``publish_at`` by the beat job. The author cannot approve
    their own version."""
    _require_author(member)
    version = _lock(version)
    if version.status != VersionStatus.IN_REVIEW:
        raise ValidationError("Only a version in review can be approved.", code="invalid_transition")
    if version.author_id == member.pk:
        raise PermissionDenied("You wrote this version, so a second admin must approve it.")
    _require_checklist(version)
    version.approved_by = member
    version.approved_at = timezone.now()
    audit.record(action="report.approved", obj=version, actor=member.user)
    if publish_at is not None and publish_at > timezone.now():
        version.status = VersionStatus.APPROVED
        version.scheduled_for = publish_at
        version.save()
        return version
    version.save()
    return _publish(version)


def _require_checklist(version: ReportVersion) -> None:
    result = check(version)
    if not result.passes:
        raise ValidationError([f"{i.section}: {i.message}" for i in result.errors], code="checklist")


def _publish(version: ReportVersion) -> ReportVersion:
    """Freeze the rendered report and its data into the version, supersede the one before, queue the PDF."""
    rendered = render_version(version)
    now = timezone.now()
    ReportVersion.objects.filter(report=version.report, status=VersionStatus.PUBLISHED).exclude(pk=version.pk).update(
        status=VersionStatus.SUPERSEDED
    )
    version.frozen_html = rendered.html
    version.frozen_data = {"year": version.report.year, "version": version.number, "tables": rendered.tables}
    version.status = VersionStatus.PUBLISHED
    version.published_at = now
    version.pdf_status = PdfStatus.QUEUED
    version.pdf_progress = 0
    version.pdf_error = ""
    version.save()
    audit.record(action="report.published", obj=version)
    outbox.enqueue("reporting.render_report_pdf", version_id=version.pk)
    return version


def publish_due(now: datetime.datetime | None = None) -> int:
    """Publish approved versions whose time has come. Safe to run again: each is locked and re-checked."""
    now = now or timezone.now()
    published = 0
    due = ReportVersion.objects.filter(status=VersionStatus.APPROVED, scheduled_for__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            version = ReportVersion.objects.select_for_update().select_related("report").defer("pdf").get(pk=pk)
            if version.status != VersionStatus.APPROVED or version.scheduled_for > now:
                continue
            _publish(version)
            published += 1
    return published


@transaction.atomic
def start_correction(member: Member, published: ReportVersion, *, change_note: str) -> ReportVersion:
    """A new draft copied from the published version; its public change note says what changed and why."""
    _require_author(member)
    published = _lock(published)
    if published.status != VersionStatus.PUBLISHED:
        raise ValidationError("Corrections start from the published version.", code="invalid_transition")
    if not change_note.strip():
        raise ValidationError({"change_note": "Enter what changed and why"})
    if published.report.versions.filter(
        status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.APPROVED]
    ).exists():
        raise ValidationError("A correction is already in progress for this report.", code="correction_exists")
    number = published.report.versions.order_by("-number").values_list("number", flat=True).first() + 1
    version = ReportVersion.objects.create(
        report=published.report, number=number, author=member, change_note=change_note.strip()
    )
    for section in published.sections.all():
        studies = list(section.case_studies.values_list("pk", flat=True))
        copy = Section.objects.create(
            version=version, kind=section.kind, title=section.title, body=section.body, order=section.order
        )
        copy.case_studies.set(studies)
    return version


def _pdf_progress(version_id: int, percent: int) -> None:
    ReportVersion.objects.filter(pk=version_id).update(pdf_progress=percent)


def render_pdf(version_id: int) -> None:
    """Produce the PDF from the frozen HTML, recording progress for the admin's page."""
    from reporting.annual_report import pdf

    version = ReportVersion.objects.select_related("report").get(pk=version_id)
    if not version.is_public or version.pdf_status == PdfStatus.READY:
        return
    ReportVersion.objects.filter(pk=version_id).update(pdf_status=PdfStatus.RUNNING, pdf_progress=10)
    try:
        content = pdf.render(version, progress=lambda p: _pdf_progress(version_id, p))
    except Exception as error:
        logger.exception("The PDF for report version %s failed", version_id)
        ReportVersion.objects.filter(pk=version_id).update(pdf_status=PdfStatus.FAILED, pdf_error=str(error)[:2000])
        raise
    ReportVersion.objects.filter(pk=version_id).update(
        pdf=content, pdf_status=PdfStatus.READY, pdf_progress=100, pdf_error=""
    )


@transaction.atomic
def retry_pdf(member: Member, version: ReportVersion) -> ReportVersion:
    _require_author(member)
    version = _lock(version)
    if not version.is_public:
        raise ValidationError("Only a published version has a PDF.")
    version.pdf_status = PdfStatus.QUEUED
    version.pdf_progress = 0
    version.pdf_error = ""
    version.save()
    outbox.enqueue("reporting.render_report_pdf", version_id=version.pk)
    return version
