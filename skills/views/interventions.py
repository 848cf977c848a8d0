"""ODP admin pages for learning interventions: the list, create and edit, cohorts and their enrolments."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from odp.tabular import ImportRejected
from odp.web.pages import banner, bound, member_or_404
from skills import interventions, selectors
from skills.forms import CohortForm, EnrolmentUploadForm, InterventionForm, add_service_errors
from skills.models import Cohort, Intervention, Skill

ACTION = "skills.manage_framework"


def _current_skills() -> QuerySet[Skill]:
    version = selectors.current_version()
    if version is None:
        return Skill.objects.none()
    return Skill.objects.filter(version=version).select_related("group").order_by("group__position", "position")


@login_required
def intervention_list(request: HttpRequest) -> HttpResponse:
    member_or_404(request, ACTION)
    rows = Intervention.objects.annotate(cohort_count=Count("cohorts", distinct=True)).order_by("name")
    return render(request, "skills/interventions/list.html", {"interventions": rows})


@login_required
def intervention_edit(request: HttpRequest, intervention_id: int | None = None) -> HttpResponse:
    member = member_or_404(request, ACTION)
    intervention = get_object_or_404(Intervention, pk=intervention_id) if intervention_id else None
    skills = _current_skills()
    initial = InterventionForm.initial_for(intervention, skills) if intervention else None
    existing_costs = intervention.cost_items.count() if intervention else 0
    form = InterventionForm(**bound(request), initial=initial, skills=skills, existing_costs=existing_costs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = interventions.intervention_save(
                by=member,
                intervention=intervention,
                name=data["name"],
                kind=data["kind"],
                provider=data["provider"],
                description=data["description"],
                target_skills=data["target_skills"],
                costs=form.costs,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            banner(request, f"{saved.name} {'saved' if intervention else 'added'}")
            return redirect("web-skills-intervention", saved.pk)
    context = {"form": form, "intervention": intervention, "has_skills": skills.exists()}
    return render(request, "skills/interventions/edit.html", context)


@login_required
def intervention_detail(request: HttpRequest, intervention_id: int) -> HttpResponse:
    member_or_404(request, ACTION)
    intervention = get_object_or_404(
        Intervention.objects.prefetch_related("target_skills", "cost_items"), pk=intervention_id
    )
    cohorts = intervention.cohorts.annotate(enrolment_count=Count("enrolments")).order_by("starts_on")
    return render(request, "skills/interventions/detail.html", {"intervention": intervention, "cohorts": cohorts})


@login_required
def cohort_create(request: HttpRequest, intervention_id: int) -> HttpResponse:
    member = member_or_404(request, ACTION)
    intervention = get_object_or_404(Intervention, pk=intervention_id)
    form = CohortForm(**bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            cohort = interventions.cohort_create(by=member, intervention=intervention, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            banner(request, f"{cohort.name} added", "Upload its enrolments from a CSV file.")
            return redirect("web-skills-cohort", cohort.pk)
    return render(request, "skills/interventions/cohort_create.html", {"form": form, "intervention": intervention})


@login_required
def cohort_detail(request: HttpRequest, cohort_id: int) -> HttpResponse:
    member = member_or_404(request, ACTION)
    cohort = get_object_or_404(Cohort.objects.select_related("intervention"), pk=cohort_id)
    form = EnrolmentUploadForm(**bound(request))
    errors: list = []
    if request.method == "POST" and form.is_valid():
        try:
            count = interventions.enrolments_import_csv(by=member, cohort=cohort, data=form.cleaned_data["file"].read())
        except ImportRejected as rejected:
            errors = rejected.errors
            n = rejected.total
            form.add_error("file", f"The file has {n} problem{'s' if n != 1 else ''}, listed below. Nothing was saved")
        else:
            banner(request, f"{count} enrolment{'s' if count != 1 else ''} saved", f"{cohort.name} is up to date.")
            return redirect("web-skills-cohort", cohort.pk)
    enrolments = cohort.enrolments.select_related("member__user", "member__organisation").order_by(
        "member__user__last_name", "member__user__first_name"
    )
    context = {"cohort": cohort, "enrolments": enrolments, "form": form, "errors": errors}
    return render(request, "skills/interventions/cohort.html", context)
