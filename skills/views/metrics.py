"""ODP admin pages for the capability metrics runs and the return on investment of interventions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from odp.web.pages import banner, member_or_404
from skills import metrics, roi
from skills.models import Cohort, MetricsRun, RunStatus

ACTION = "skills.run_metrics"
RUNS_SHOWN = 30
# While a run is queued or running its page checks progress this often (seconds), in place (static/src/js/progress.js).
PROGRESS_SECONDS = 3


@login_required
def runs(request: HttpRequest) -> HttpResponse:
    member_or_404(request, ACTION)
    rows = MetricsRun.objects.select_related("requested_by__user")[:RUNS_SHOWN]
    return render(request, "skills/metrics/runs.html", {"runs": rows})


@require_POST
@login_required
def run_now(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request, ACTION)
    run = metrics.request_and_enqueue(by=member)
    return redirect("web-skills-metrics-run", run.pk)


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    member_or_404(request, ACTION)
    run = get_object_or_404(MetricsRun.objects.select_related("requested_by__user"), pk=run_id)
    running = run.status in (RunStatus.QUEUED, RunStatus.RUNNING)
    context = {"run": run, "running": running, "interval": PROGRESS_SECONDS}
    return render(request, "skills/metrics/run.html", context)


@login_required
def roi_results(request: HttpRequest) -> HttpResponse:
    member_or_404(request, ACTION)
    latest = {e.cohort_id: e for e in roi.latest_evaluations()}
    cohorts = Cohort.objects.select_related("intervention").order_by("intervention__name", "starts_on")
    rows = [(cohort, latest.get(cohort.pk)) for cohort in cohorts]
    return render(request, "skills/metrics/roi.html", {"rows": rows})


@require_POST
@login_required
def roi_evaluate(request: HttpRequest, cohort_id: int) -> HttpResponse:
    member = member_or_404(request, ACTION)
    cohort = get_object_or_404(Cohort.objects.select_related("intervention"), pk=cohort_id)
    try:
        evaluation = roi.evaluate_cohort(cohort=cohort, by=member)
    except ValidationError as error:
        banner(request, f"{cohort} could not be evaluated", " ".join(error.messages), success=False)
    else:
        outcome = evaluation.get_outcome_display().lower()
        banner(request, f"{cohort.intervention.name}, {cohort.name} evaluated again", f"Outcome: {outcome}.")
    return redirect(f"{reverse('web-skills-roi')}#cohort-{cohort.pk}")
