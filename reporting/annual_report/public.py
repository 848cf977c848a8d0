"""Public pages, no sign-in: the published report (frozen HTML), its earlier versions, PDF and data, and the
profession page. Everything here is served from frozen content only."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from reporting.annual_report import downloads
from reporting.models.reports import AnnualReport, ReportVersion, VersionStatus

PUBLIC = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)


def _versions(year: int) -> QuerySet[ReportVersion]:
    return ReportVersion.objects.select_related("report").filter(report__year=year, status__in=PUBLIC)


def latest_published(year: int) -> ReportVersion:
    version = _versions(year).filter(status=VersionStatus.PUBLISHED).first()
    if version is None:
        raise Http404
    return version


def _version(year: int, number: int | None) -> ReportVersion:
    if number is None:
        return latest_published(year)
    return get_object_or_404(_versions(year), number=number)


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    published = (
        ReportVersion.objects.select_related("report")
        .filter(status=VersionStatus.PUBLISHED)
        .order_by("-report__year")
        .defer("pdf", "frozen_html", "frozen_data")
    )
    return render(request, "reporting/public/list.html", {"versions": published})


@require_GET
def report(request: HttpRequest, year: int, number: int | None = None) -> HttpResponse:
    version = _version(year, number)
    history = _versions(year).order_by("-number").defer("pdf", "frozen_html", "frozen_data")
    return render(request, "reporting/public/report.html", {"version": version, "history": history})


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def report_pdf(request: HttpRequest, year: int, number: int | None = None) -> HttpResponse:
    version = _version(year, number)
    if not version.pdf:
        raise Http404("The PDF is still being produced.")
    response = HttpResponse(bytes(version.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="odp-annual-report-{year}-v{version.number}.pdf"'
    return response


@require_GET
def report_data(request: HttpRequest, year: int, fmt: str, number: int | None = None) -> HttpResponse:
    version = _version(year, number)
    name = f"odp-annual-report-{year}-v{version.number}"
    if fmt == "csv":
        return _file(downloads.figures_csv(version), "text/csv; charset=utf-8", f"{name}-figures.csv")
    if fmt == "ods":
        return _file(
            downloads.figures_ods(version), "application/vnd.oasis.opendocument.spreadsheet", f"{name}-figures.ods"
        )
    if fmt == "zip":
        return _file(downloads.all_tables_zip(version), "application/zip", f"{name}-data.zip")
    raise Http404


@require_GET
def profession(request: HttpRequest) -> HttpResponse:
    latest = (
        ReportVersion.objects.select_related("report")
        .filter(status=VersionStatus.PUBLISHED)
        .order_by("-report__year")
        .first()
    )
    headline: list[list[str]] = []
    if latest is not None:
        figures = next((t for t in latest.frozen_data.get("tables", []) if t["name"] == "figures"), None)
        headline = figures["rows"][:6] if figures else []
    return render(
        request,
        "reporting/public/profession.html",
        {"latest": latest, "headline": headline, "has_reports": AnnualReport.objects.exists()},
    )
