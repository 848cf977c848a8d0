"""The admin pages: writing a section, the checklist, the review rule through the forms, scheduling, corrections."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.annual_report import services
from reporting.models import PdfStatus, ReportVersion, VersionStatus
from tests.reporting.report_support import second_admin, written_report

pytestmark = pytest.mark.django_db


def _action(version) -> str:
    return reverse("reporting-report-action", args=[version.pk])


def test_an_admin_starts_a_report_and_writes_a_section(client, odp_admin):
    client.force_login(odp_admin.user)
    page = client.get(reverse("reporting-reports"))
    assert 'href="/reporting/reports/"' in page.content.decode()  # in the navigation
    response = client.post(reverse("reporting-reports"), {"year": ""})
    assert response.status_code == 200 and "Enter the reporting year" in response.content.decode()
    response = client.post(reverse("reporting-reports"), {"year": "2026"})
    version = ReportVersion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting-report-version", args=[version.pk])
    again = client.post(reverse("reporting-reports"), {"year": "2026"})
    assert "There is already a report for 2026" in again.content.decode()

    section = version.sections.first()
    url = reverse("reporting-report-section", args=[version.pk, section.pk])
    assert "figure:ideas.submitted" in client.get(url).content.decode()  # the tokens an author can use
    assert "Enter the heading" in client.post(url, {"title": "", "body": "x"}).content.decode()
    client.post(url, {"title": "Foreword", "body": "Hello {{ figure:ideas.submitted }}"})
    section.refresh_from_db()
    assert section.body == "Hello {{ figure:ideas.submitted }}"
    page = client.get(reverse("reporting-report-version", args=[version.pk])).content.decode()
    assert "Pre-publication checklist" in page and "The section has no text" in page


def test_the_author_is_not_offered_approval_and_is_refused_if_they_try(client, odp_admin, dwp):
    version = written_report(odp_admin)
    services.submit(odp_admin, version)
    client.force_login(odp_admin.user)
    page = client.get(reverse("reporting-report-version", args=[version.pk])).content.decode()
    assert "another ODP admin must approve it" in page and 'value="approve"' not in page
    response = client.post(_action(version), {"action": "approve", "when": "now"})
    assert response.status_code == 400
    assert "a second admin must approve it" in response.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW

    client.force_login(second_admin(dwp).user)
    assert 'value="approve"' in client.get(reverse("reporting-report-version", args=[version.pk])).content.decode()


def test_a_second_admin_schedules_publication(client, odp_admin, dwp):
    version = written_report(odp_admin)
    services.submit(odp_admin, version)
    client.force_login(second_admin(dwp).user)
    past = client.post(
        _action(version),
        {
            "action": "approve",
            "when": "later",
            "publish_on_day": "1",
            "publish_on_month": "1",
            "publish_on_year": "2020",
            "publish_time": "09:00",
        },
    )
    assert past.status_code == 400 and "must be in the future" in past.content.decode()
    when = timezone.localtime() + datetime.timedelta(days=3)
    response = client.post(
        _action(version),
        {
            "action": "approve",
            "when": "later",
            "publish_on_day": str(when.day),
            "publish_on_month": str(when.month),
            "publish_on_year": str(when.year),
            "publish_time": "09:30",
        },
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.APPROVED
    assert timezone.localtime(version.scheduled_for).strftime("%H:%M") == "09:30"
    assert client.get(reverse("annual-report", args=[2026])).status_code == 404


def test_publishing_through_the_page_shows_the_pdf_progress_and_offers_a_correction(
    client, odp_admin, dwp, django_capture_on_commit_callbacks
):
    version = written_report(odp_admin)
    services.submit(odp_admin, version)
    client.force_login(second_admin(dwp).user)
    with django_capture_on_commit_callbacks(execute=False):  # hold the PDF job back to see the progress
        client.post(_action(version), {"action": "approve", "when": "now"})
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED and version.pdf_status == PdfStatus.QUEUED
    page = client.get(reverse("reporting-report-version", args=[version.pk])).content.decode()
    assert "0% done" in page and 'http-equiv="refresh"' not in page  # a meta refresh moves focus (WCAG F41)
    assert '<div id="pdf-progress" aria-live="polite">' in page and "Check progress" in page

    missing = client.post(_action(version), {"action": "correct", "change_note": ""})
    assert missing.status_code == 400 and "Enter what changed and why" in missing.content.decode()
    response = client.post(_action(version), {"action": "correct", "change_note": "Fixed a figure."})
    correction = version.report.versions.get(number=2)
    assert response["Location"] == reverse("reporting-report-version", args=[correction.pk])
    assert correction.change_note == "Fixed a figure." and correction.status == VersionStatus.DRAFT
