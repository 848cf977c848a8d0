"""Coordinators' triage: the queue of submitted requests, oldest first, with their computed foreseeability, and
one request's decision page (approve, decline, ask for more information, offer a planned-surge agreement)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from odp.web.pages import banner, bound, member_or_404
from srrt import selectors, workflow
from srrt.forms import TriageForm, add_service_errors
from srrt.models import SurgeRequest, SurgeStatus, TriageOutcome
from srrt.views.requests import answer_rows

PAGE_SIZE = 25
_DONE = {
    TriageOutcome.APPROVE: ("Request approved", "The requester has been told. Now assign responders."),
    TriageOutcome.OFFER_PLANNED_SURGE: (
        "Planned-surge agreement offered",
        "The request is approved on planned-surge terms. Now assign responders.",
    ),
    TriageOutcome.DECLINE: ("Request declined", "The requester has been told why."),
    TriageOutcome.MORE_INFO: ("More information asked for", "The request is back with the requester."),
}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request, "srrt.triage")
    page = Paginator(selectors.triage_queue(member), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "in_progress": selectors.in_progress(member)[:50],
        "ending_soon": selectors.ending_soon(member)[:20],
        "ending_soon_days": settings.SRRT_ENDING_SOON_DAYS,
    }
    return render(request, "srrt/triage_queue.html", context)


@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_or_404(request, "srrt.triage")
    try:
        surge_request = selectors.request_detail(member, pk)
    except SurgeRequest.DoesNotExist:
        raise Http404 from None
    form = TriageForm(**bound(request))
    if request.method == "POST" and form.is_valid():
        outcome = form.cleaned_data["outcome"]
        try:
            workflow.request_triage(
                request=surge_request,
                by=member,
                outcome=outcome,
                reason=form.cleaned_data["reason"],
                last_resort_justification=form.cleaned_data["last_resort_justification"],
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            heading, detail = _DONE[TriageOutcome(outcome)]
            banner(request, heading, detail)
            if outcome in (TriageOutcome.APPROVE, TriageOutcome.OFFER_PLANNED_SURGE):
                return redirect("srrt-staffing", pk=surge_request.pk)
            return redirect("srrt-request", pk=surge_request.pk)
    context = {
        "surge_request": surge_request,
        "form": form,
        "rows": answer_rows(surge_request),
        "can_decide": surge_request.status == SurgeStatus.SUBMITTED,
    }
    return render(request, "srrt/triage.html", context, status=400 if form.is_bound and form.errors else 200)
