"""ODP admin pages for the skills framework: versions, drafts, imports, contents, publishing and exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from odp.tabular import ImportRejected
from odp.web.pages import banner, bound, member_or_404
from skills import exporting, importing, selectors, services
from skills.forms import DraftForm, ImportForm, add_service_errors
from skills.models import Expectation, Framework, FrameworkVersion, VersionStatus

ACTION = "skills.manage_framework"


def _framework_or_404() -> Framework:
    return get_object_or_404(Framework, slug=selectors.ODP_FRAMEWORK_SLUG)


def _version_or_404(version_id: int) -> FrameworkVersion:
    return get_object_or_404(
        FrameworkVersion.objects.select_related("framework", "created_by"),
        pk=version_id,
        framework__slug=selectors.ODP_FRAMEWORK_SLUG,
    )


@login_required
def versions(request: HttpRequest) -> HttpResponse:
    member_or_404(request, ACTION)
    framework = Framework.objects.filter(slug=selectors.ODP_FRAMEWORK_SLUG).first()
    rows = list(selectors.framework_versions(framework).annotate(skill_count=Count("skills"))) if framework else []
    draft = next((v for v in rows if v.status == VersionStatus.DRAFT), None)
    context = {"framework": framework, "versions": rows, "draft": draft}
    return render(request, "skills/framework/versions.html", context)


@login_required
def draft_create(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request, ACTION)
    framework = _framework_or_404()
    form = DraftForm(**bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.version_create_draft(
                framework=framework, by=member, change_notes=form.cleaned_data["change_notes"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            banner(request, f"Version {draft.number} created as a draft", "It is a copy of the current version.")
            return redirect("web-skills-version", draft.pk)
    return render(request, "skills/framework/draft_create.html", {"framework": framework, "form": form})


@login_required
def version_import(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request, ACTION)
    framework = _framework_or_404()
    form = ImportForm(**bound(request))
    errors: list[importing.RowError] = []
    if request.method == "POST" and form.is_valid():
        try:
            version = importing.import_file(
                framework=framework,
                data=form.cleaned_data["file"].read(),
                file_format=form.file_format,
                by=member,
                change_notes=form.cleaned_data["change_notes"],
            )
        except ImportRejected as rejected:
            errors = rejected.errors
            count = rejected.total
            form.add_error(
                "file", f"The file has {count} problem{'s' if count != 1 else ''}, listed below. Nothing was imported"
            )
        else:
            banner(request, f"Version {version.number} imported as a draft", "Check it, then publish it.")
            return redirect("web-skills-version", version.pk)
    context = {"framework": framework, "form": form, "errors": errors}
    return render(request, "skills/framework/import.html", context)


@login_required
def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    member_or_404(request, ACTION)
    version = _version_or_404(version_id)
    levels = list(version.levels.all())
    profiles = version.role_profiles.prefetch_related(
        Prefetch("expectations", queryset=Expectation.objects.select_related("skill").order_by("skill__code"))
    )
    context = {
        "version": version,
        "levels": levels,
        "groups": [
            (group, [(skill, [(lv, skill.descriptor(lv.value)) for lv in levels]) for skill in group.skills.all()])
            for group in selectors.version_contents(version)
        ],
        "profiles": profiles,
    }
    return render(request, "skills/framework/version.html", context)


@login_required
def version_publish(request: HttpRequest, version_id: int) -> HttpResponse:
    member = member_or_404(request, ACTION)
    version = _version_or_404(version_id)
    if not version.is_editable:
        raise Http404
    problems: list[str] = []
    if request.method == "POST":
        try:
            services.version_publish(version=version, by=member)
        except ValidationError as error:
            problems = error.messages
        else:
            banner(
                request,
                f"Version {version.number} is published",
                "It is now the current version that staff assess themselves against. It can no longer be changed.",
            )
            return redirect("web-skills-version", version.pk)
    current = version.framework.current_version()
    context = {"version": version, "current": current, "problems": problems}
    return render(request, "skills/framework/publish.html", context)


_EXPORTS = {
    "csv": (exporting.export_version_csv, "text/csv; charset=utf-8", "csv"),
    "json": (exporting.export_version_json, "application/json", "json"),
    "profiles": (exporting.export_role_profiles_csv, "text/csv; charset=utf-8", "csv"),
}


@require_GET
@login_required
def version_export(request: HttpRequest, version_id: int, kind: str) -> HttpResponse:
    member_or_404(request, ACTION)
    version = _version_or_404(version_id)
    if kind not in _EXPORTS:
        raise Http404
    export, content_type, extension = _EXPORTS[kind]
    suffix = "-role-profiles" if kind == "profiles" else ""
    filename = f"{version.framework.slug}-v{version.number}{suffix}.{extension}"
    response = HttpResponse(export(version), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
