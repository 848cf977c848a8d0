"""Admin pages for writing, checking, approving and publishing the annual report (/reporting/reports/)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from odp.web.pages import banner, bound, member_or_404
from reporting.annual_report import services
from reporting.annual_report.checklist import check
from reporting.annual_report.forms import ApproveForm, CorrectionForm, SectionForm, StartReportForm
from reporting.annual_report.rendering import render_version
from reporting.models.reports import AnnualReport, ReportVersion, Section, SectionKind, VersionStatus

AUTHOR = services.AUTHOR


def _messages(error: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error)]


def reports(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request, AUTHOR)
    form = StartReportForm(**bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            version = services.start_report(member, year=form.cleaned_data["year"])
        except ValidationError as error:
            form.add_error("year", error.message_dict.get("year", error.messages)[0])
        else:
            banner(request, f"Report for {version.report.year} started")
            return redirect("reporting-report-version", version.pk)
    annual = AnnualReport.objects.prefetch_related("versions").order_by("-year")
    return render(request, "reporting/report/list.html", {"reports": annual, "form": form})


def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    member = member_or_404(request, AUTHOR)
    version = get_object_or_404(ReportVersion.objects.select_related("report", "author", "approved_by"), pk=version_id)
    checklist = check(version) if not version.is_public else None
    context = {
        "version": version,
        "sections": version.sections.all(),
        "checklist": checklist,
        "is_author": version.author_id == member.pk,
        "approve_form": ApproveForm(),
        "correction_form": CorrectionForm(),
        "others": version.report.versions.exclude(pk=version.pk).order_by("-number"),
        "errors": [],
    }
    return render(request, "reporting/report/version.html", context)


def _act(request: HttpRequest, version: ReportVersion, context: dict, action) -> HttpResponse | None:
    try:
        action()
    except (ValidationError, PermissionDenied) as error:
        context["errors"] = _messages(error)
        context["checklist"] = check(version) if not version.is_public else None
        version.refresh_from_db()
        return render(request, "reporting/report/version.html", context, status=400)
    return None


@require_POST
def version_action(request: HttpRequest, version_id: int) -> HttpResponse:
    member = member_or_404(request, AUTHOR)
    version = get_object_or_404(ReportVersion.objects.select_related("report"), pk=version_id)
    action = request.POST.get("action")
    approve_form = ApproveForm(request.POST if action == "approve" else None)
    correction_form = CorrectionForm(request.POST if action == "correct" else None)
    context = {
        "version": version,
        "sections": version.sections.all(),
        "is_author": version.author_id == member.pk,
        "approve_form": approve_form,
        "correction_form": correction_form,
        "others": version.report.versions.exclude(pk=version.pk).order_by("-number"),
        "errors": [],
    }
    if action == "submit":
        failed = _act(request, version, context, lambda: services.submit(member, version))
        if failed:
            return failed
        banner(request, "Sent for review", "Another ODP admin must approve it before it is published.")
    elif action == "return":
        failed = _act(request, version, context, lambda: services.return_to_draft(member, version))
        if failed:
            return failed
        banner(request, "Returned to draft")
    elif action == "approve":
        if not approve_form.is_valid():
            context["checklist"] = check(version)
            return render(request, "reporting/report/version.html", context, status=400)
        publish_at = approve_form.publish_at()
        failed = _act(request, version, context, lambda: services.approve(member, version, publish_at=publish_at))
        if failed:
            return failed
        version.refresh_from_db()
        if version.status == VersionStatus.PUBLISHED:
            banner(request, "Report published", "The PDF is being produced; its progress is shown below.")
        else:
            banner(request, "Approved", f"It will be published on {version.scheduled_for:%d %B %Y at %H:%M}.")
    elif action == "correct":
        if not correction_form.is_valid():
            return render(request, "reporting/report/version.html", context, status=400)
        created: list[ReportVersion] = []
        failed = _act(
            request,
            version,
            context,
            lambda: created.append(
                services.start_correction(member, version, change_note=correction_form.cleaned_data["change_note"])
            ),
        )
        if failed:
            return failed
        banner(request, f"Version {created[0].number} started", "Make the correction, then submit it for review.")
        return redirect("reporting-report-version", created[0].pk)
    elif action == "retry_pdf":
        failed = _act(request, version, context, lambda: services.retry_pdf(member, version))
        if failed:
            return failed
        banner(request, "The PDF is being produced again")
    return redirect("reporting-report-version", version.pk)


def section_edit(request: HttpRequest, version_id: int, section_id: int) -> HttpResponse:
    member = member_or_404(request, AUTHOR)
    section = get_object_or_404(Section.objects.select_related("version__report"), pk=section_id, version_id=version_id)
    version = section.version
    with_studies = section.kind == SectionKind.INNOVATION
    initial = {"title": section.title, "body": section.body}
    if with_studies:
        initial["case_studies"] = list(section.case_studies.all())
    form = SectionForm(**bound(request), initial=initial, with_case_studies=with_studies)
    if not version.is_editable:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        studies = form.cleaned_data.get("case_studies")
        services.update_section(
            member,
            section,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            case_study_ids=[s.pk for s in studies] if studies is not None else None,
        )
        banner(request, f"{section.title} saved")
        return redirect("reporting-report-version", version.pk)
    from reporting.annual_report.blocks import REPORT_CHARTS, available_figures

    figures = available_figures()
    return render(
        request,
        "reporting/report/section.html",
        {"section": section, "version": version, "form": form, "figures": figures, "charts": REPORT_CHARTS},
    )


def preview(request: HttpRequest, version_id: int) -> HttpResponse:
    member_or_404(request, AUTHOR)
    version = get_object_or_404(ReportVersion.objects.select_related("report"), pk=version_id)
    html = version.frozen_html if version.is_public else render_version(version).html
    return render(request, "reporting/report/preview.html", {"version": version, "html": html})
