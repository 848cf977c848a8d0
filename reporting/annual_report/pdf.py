"""The report's PDF, made by WeasyPrint from the version's frozen HTML (never from live data).

Tagged for accessibility: WeasyPrint's ``pdf/ua-1`` variant writes the structure tree, the document language
and title, so screen readers read headings, lists and tables in order."""

from __future__ import annotations

from collections.abc import Callable

from django.template.loader import render_to_string

from reporting.models.reports import ReportVersion

PDF_VARIANT = "pdf/ua-1"


def document_html(version: ReportVersion) -> str:
    return render_to_string("reporting/report/pdf.html", {"version": version, "body": version.frozen_html})


def render(version: ReportVersion, progress: Callable[[int], object] | None = None) -> bytes:
    from weasyprint import HTML

    note = progress or (lambda _p: None)
    html = HTML(string=document_html(version), base_url=None)
    note(30)
    document = html.render()
    note(70)
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
