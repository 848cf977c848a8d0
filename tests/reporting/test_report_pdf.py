"""The PDF: made by WeasyPrint from the frozen HTML in the outbox job, tagged, with the key figures in its text."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from innovation.models import IdeaStatus
from reporting.annual_report import blocks
from reporting.models import PdfStatus
from tests.innovation.factories import IdeaFactory
from tests.reporting.report_support import published_report, second_admin

pytestmark = pytest.mark.django_db(transaction=True)


def test_publishing_produces_a_tagged_pdf_with_the_key_figures(odp_admin, dwp):
    for _ in range(7):
        IdeaFactory(status=IdeaStatus.SUBMITTED, submitted_at="2026-05-01T10:00:00Z")
    shown = blocks.figure("ideas.submitted", 2026).display()
    body = "We received {{ figure:ideas.submitted }} ideas.\n\n{{ chart:ideas }}"
    version = published_report(odp_admin, second_admin(dwp), body=body)
    # With no broker configured the outbox runs the job as soon as the publishing transaction commits.
    version.refresh_from_db()
    assert version.pdf_status == PdfStatus.READY, version.pdf_error
    assert version.pdf_progress == 100
    reader = PdfReader(io.BytesIO(bytes(version.pdf)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert f"We received {shown} ideas" in " ".join(text.split())
    assert "Foreword" in text and "Careers and how to join" in text
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"]
