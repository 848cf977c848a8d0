"""Objectives and KPIs pages, mounted at /reporting/objectives/: a year's objectives with each KPI's value,
target and RAG for admins and heads of profession (read only); adding and changing them for ODP admins."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from innovation.forms import add_service_errors
from odp import access
from odp.web.pages import banner, bound, member_or_404
from reporting import services
from reporting.kpi_forms import KpiForm, KpiValueForm, ObjectiveForm
from reporting.kpis import RAG_LABELS, progress_for
from reporting.models import Kpi, Objective

VIEW, MANAGE = "reports.view_kpis", "reports.manage_kpis"


def _year_or_404(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404
    return year


@login_required
def objectives_home(request: HttpRequest) -> HttpResponse:
    member_or_404(request, VIEW)
    latest = Objective.objects.order_by("-year").values_list("year", flat=True).first()
    return redirect("reporting-objectives-year", year=latest or timezone.localdate().year)


@login_required
def objectives_year(request: HttpRequest, year: int) -> HttpResponse:
    member = member_or_404(request, VIEW)
    year = _year_or_404(year)
    objectives = list(Objective.objects.filter(year=year))
    kpis = list(Kpi.objects.filter(objective__year=year).select_related("objective", "entered_by__user"))
    progress = progress_for(kpis)
    rows = [{"objective": o, "kpis": [(k, progress[k.pk]) for k in kpis if k.objective_id == o.pk]} for o in objectives]
    counts = {rag: sum(1 for p in progress.values() if p.rag == rag) for rag in RAG_LABELS}
    years = sorted({*Objective.objects.values_list("year", flat=True).distinct(), year}, reverse=True)
    context = {
        "year": year,
        "rows": rows,
        "counts": [(RAG_LABELS[rag], n, rag) for rag, n in counts.items()],
        "years": years,
        "can_manage": access.can(member, MANAGE),
    }
    return render(request, "reporting/objectives/year.html", context)


@login_required
def objective_edit(request: HttpRequest, year: int, objective_id: int | None = None) -> HttpResponse:
    member = member_or_404(request, MANAGE)
    year = _year_or_404(year)
    objective = get_object_or_404(Objective, pk=objective_id, year=year) if objective_id else None
    initial = (
        {"text": objective.text, "order": objective.order}
        if objective
        else {"order": Objective.objects.filter(year=year).count() + 1}
    )
    form = ObjectiveForm(**bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_save(by=member, year=year, objective=objective, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            banner(request, "Objective saved" if objective else "Objective added")
            return redirect("reporting-objectives-year", year=year)
    return render(
        request, "reporting/objectives/objective_form.html", {"form": form, "year": year, "objective": objective}
    )


@login_required
def kpi_edit(request: HttpRequest, objective_id: int, kpi_id: int | None = None) -> HttpResponse:
    member = member_or_404(request, MANAGE)
    objective = get_object_or_404(Objective, pk=objective_id)
    kpi = get_object_or_404(Kpi, pk=kpi_id, objective=objective) if kpi_id else None
    if kpi:
        initial = {name: getattr(kpi, name) for name in services.KPI_FIELDS}
    else:
        initial = {"order": objective.kpis.count() + 1, "direction": "higher"}
    form = KpiForm(**bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.kpi_save(by=member, objective=objective, kpi=kpi, answers=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            banner(request, "KPI saved" if kpi else "KPI added")
            return redirect("reporting-objectives-year", year=objective.year)
    context = {"form": form, "objective": objective, "kpi": kpi, "year": objective.year}
    return render(request, "reporting/objectives/kpi_form.html", context)


@login_required
def kpi_value(request: HttpRequest, kpi_id: int) -> HttpResponse:
    member = member_or_404(request, MANAGE)
    kpi = get_object_or_404(Kpi.objects.select_related("objective", "entered_by__user"), pk=kpi_id)
    if not kpi.is_manual:
        raise Http404
    form = KpiValueForm(**bound(request), initial={"manual_value": kpi.manual_value, "evidence": kpi.evidence})
    if request.method == "POST" and form.is_valid():
        try:
            services.kpi_record_value(
                by=member, kpi=kpi, value=form.cleaned_data["manual_value"], evidence=form.cleaned_data["evidence"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            banner(request, "Value recorded", f"{kpi.name}: recorded with your name and today's date.")
            return redirect("reporting-objectives-year", year=kpi.objective.year)
    return render(
        request, "reporting/objectives/kpi_value.html", {"form": form, "kpi": kpi, "year": kpi.objective.year}
    )
