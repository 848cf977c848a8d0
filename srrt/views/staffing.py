"""Staffing an approved request: the ranked shortlist with why each responder ranks where they do, assigning a
responder with a role and dates (the domain refuses anyone unavailable or uncleared, saying why), and taking a
responder off. Coordinators only; the responder sees the assignment on their deployments page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from odp.web.pages import banner, bound, member_or_404
from srrt import matching, selectors, services
from srrt.forms import AssignmentForm, NoteForm, add_service_errors, default_period
from srrt.models import Assignment, SurgeRequest, SurgeStatus

SHORTLIST_SIZE = 25


def _request(member, pk: int) -> SurgeRequest:
    try:
        return selectors.request_detail(member, pk)
    except SurgeRequest.DoesNotExist:
        raise Http404 from None


@login_required
def staffing(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_or_404(request, "srrt.triage")
    surge_request = _request(member, pk)
    staffable = surge_request.status in SurgeStatus.staffable()
    initial = default_period(surge_request)
    if request.GET.get("responder", "").isdigit():
        initial["responder"] = int(request.GET["responder"])
    form = AssignmentForm(**bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.assignment_create(
                by=member,
                request=surge_request,
                responder=data["responder"],
                role=data["role"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                note=data["note"],
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            banner(request, f"{assignment.responder} assigned as {assignment.role}", "They have been told.")
            return redirect("srrt-staffing", pk=surge_request.pk)
    shortlist = []
    if staffable and surge_request.start_date and surge_request.end_date:
        for responder in matching.shortlist(surge_request)[:SHORTLIST_SIZE]:
            responder.recent_days_count = matching.recent_days(responder)
            shortlist.append(responder)
    context = {
        "surge_request": surge_request,
        "form": form,
        "staffable": staffable,
        "shortlist": shortlist,
        "skills_wanted": len(surge_request.skills_needed.all()),
        "rotation_days": matching.ROTATION_DAYS,
        "assignments": Assignment.objects.filter(request=surge_request).select_related("responder__member__user"),
        "removable": surge_request.status not in (*SurgeStatus.ended(), SurgeStatus.CLOSING),
    }
    return render(request, "srrt/staffing.html", context, status=400 if form.is_bound and form.errors else 200)


@login_required
def assignment_remove(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    member = member_or_404(request, "srrt.triage")
    surge_request = _request(member, pk)
    assignment = get_object_or_404(
        Assignment.objects.select_related("responder__member__user", "request"), pk=assignment_pk, request=surge_request
    )
    form = NoteForm(**bound(request), label="Why is the responder being taken off?", required="Say why")
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_remove(by=member, assignment=assignment, note=form.cleaned_data["note"])
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            banner(request, f"{assignment.responder} taken off this request")
            return redirect("srrt-staffing", pk=surge_request.pk)
    context = {"surge_request": surge_request, "assignment": assignment, "form": form}
    return render(request, "srrt/assignment_remove.html", context, status=400 if form.is_bound and form.errors else 200)
