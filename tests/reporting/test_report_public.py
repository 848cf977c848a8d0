"""Public pages without sign-in, served only from frozen content: changing data afterwards changes nothing."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.urls import reverse

from innovation.models import IdeaStatus
from reporting.annual_report import blocks, services
from tests.innovation.factories import IdeaFactory
from tests.reporting.report_support import published_report, second_admin, written_report

pytestmark = pytest.mark.django_db


def _main(response) -> bytes:
    """The page without the per-request CSP nonce."""
    return re.sub(rb'nonce="[^"]*"', b"", response.content)


def _ideas(count: int) -> None:
    for _ in range(count):
        IdeaFactory(status=IdeaStatus.SUBMITTED, submitted_at="2026-06-01T10:00:00Z")


def test_published_report_pages_and_downloads_are_frozen(client, odp_admin, dwp, django_capture_on_commit_callbacks):
    _ideas(2)
    before = blocks.figure("ideas.submitted", 2026)
    with django_capture_on_commit_callbacks(execute=True):  # the outbox runs the PDF job after commit
        version = published_report(odp_admin, second_admin(dwp))
    urls = [
        reverse("annual-report", args=[2026]),
        reverse("annual-report-version", args=[2026, 1]),
        reverse("annual-report-data", args=[2026, "csv"]),
        reverse("annual-report-data", args=[2026, "ods"]),
        reverse("annual-report-data", args=[2026, "zip"]),
        reverse("annual-report-pdf", args=[2026]),
    ]
    first = {url: client.get(url) for url in urls}
    assert all(r.status_code == 200 for r in first.values()), {u: r.status_code for u, r in first.items()}
    assert before.display() in first[urls[0]].content.decode()
    assert before.display().encode() in first[urls[2]].content

    _ideas(3)
    after = blocks.figure("ideas.submitted", 2026)
    assert after.value != before.value  # the live figure moved...
    version.refresh_from_db()
    for url in urls:
        again = client.get(url)
        assert _main(again) == _main(first[url]), url  # ...the published report did not


def test_the_data_zip_holds_every_table_as_csv_and_ods(client, odp_admin, dwp):
    published_report(odp_admin, second_admin(dwp), body="{{ figure:ideas.submitted }}\n\n{{ chart:ideas }}")
    response = client.get(reverse("annual-report-data", args=[2026, "zip"]))
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert {"figures.csv", "figures.ods", "kpis.csv", "chart-ideas.csv", "chart-ideas.ods"} <= set(names)


def test_unpublished_reports_are_not_public(client, odp_admin, dwp):
    version = written_report(odp_admin)
    services.submit(odp_admin, version)
    assert client.get(reverse("annual-report", args=[2026])).status_code == 404
    assert client.get(reverse("annual-report-pdf", args=[2026])).status_code == 404
    assert client.get(reverse("annual-report-data", args=[2026, "csv"])).status_code == 404
    assert b"No annual report has been published yet" in client.get(reverse("annual-reports")).content


def test_earlier_versions_stay_readable_with_change_notes(client, odp_admin, dwp):
    approver = second_admin(dwp)
    first = published_report(odp_admin, approver, body="Original text {{ figure:ideas.submitted }}.")
    second = services.start_correction(odp_admin, first, change_note="Fixed a typo in the foreword.")
    for section in second.sections.all():
        services.update_section(odp_admin, section, title=section.title, body="Corrected text.")
    services.submit(odp_admin, second)
    services.approve(approver, second)
    latest = client.get(reverse("annual-report", args=[2026])).content.decode()
    assert "Corrected text." in latest and "Fixed a typo in the foreword." in latest
    old = client.get(reverse("annual-report-version", args=[2026, 1])).content.decode()
    assert "Original text" in old and "replaced by a later version" in old
    assert reverse("annual-report-version-data", args=[2026, 1, "csv"]) in old
    assert b"ideas.submitted" in client.get(reverse("annual-report-version-data", args=[2026, 1, "csv"])).content
    assert b"ideas.submitted" not in client.get(reverse("annual-report-data", args=[2026, "csv"])).content


def test_the_profession_page_shows_headline_figures_from_the_latest_report(client, odp_admin, dwp):
    assert client.get(reverse("profession")).status_code == 200
    _ideas(2)
    published_report(odp_admin, second_admin(dwp))
    page = client.get(reverse("profession")).content.decode()
    assert "how to join" in page.lower()
    assert blocks.figure("ideas.submitted", 2026).label in page
    assert reverse("ideas-case-studies") in page
    assert reverse("annual-report", args=[2026]) in page


def test_admin_pages_are_for_admins_only(client, staff_member, odp_admin):
    client.force_login(staff_member.user)
    assert client.get(reverse("reporting-reports")).status_code == 404
    client.force_login(odp_admin.user)
    assert client.get(reverse("reporting-reports")).status_code == 200
