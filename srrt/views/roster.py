"""The roster for coordinators: responders with their clearance (expired ones flagged), adding and changing a
responder, their unavailable periods; and the calendar peaks that foreseeability reads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from odp.web.pages import banner, bound, member_or_404
from srrt import services
from srrt.forms import AddResponderForm, CalendarPeakForm, ResponderForm, UnavailableForm, add_service_errors
from srrt.models import CalendarPeak, Responder, UnavailablePeriod

PAGE_SIZE = 50


def _roster_details(form: ResponderForm) -> dict:
    return {name: form.cleaned_data[name] for name in services.ROSTER_FIELDS}


@login_required
def responders(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request, "srrt.triage")
    roster = Responder.objects.visible_to(member).select_related("member__user", "member__organisation")
    if request.GET.get("show") == "expired":
        roster = roster.filter(clearance_expires_on__lt=timezone.localdate())
    page = Paginator(roster, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "today": timezone.localdate(),
        "expired_only": request.GET.get("show") == "expired",
        "query": "show=expired" if request.GET.get("show") == "expired" else "",
    }
    return render(request, "srrt/responders.html", context)


@login_required
def responder_add(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request, "srrt.triage")
    form = AddResponderForm(**bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            responder = services.responder_save(
                by=member, member=form.cleaned_data["person"], details=_roster_details(form)
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            banner(request, f"{responder} added to the roster")
            return redirect("srrt-responder", pk=responder.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "srrt/responder_add.html", {"form": form}, status=status)


@login_required
def responder(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a responder's details, and list or add their unavailable periods."""
    member = member_or_404(request, "srrt.triage")
    record = get_object_or_404(Responder.objects.visible_to(member).select_related("member__user"), pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    form = ResponderForm(
        request.POST if action == "details" else None, initial=ResponderForm.initial_for(record), prefix="details"
    )
    period_form = UnavailableForm(request.POST if action == "unavailable" else None, prefix="unavailable")
    try:
        if action == "details" and form.is_valid():
            services.responder_save(by=member, member=record.member, details=_roster_details(form))
            banner(request, "Responder’s details saved")
            return redirect("srrt-responder", pk=record.pk)
        if action == "unavailable" and period_form.is_valid():
            services.unavailable_period_add(by=member, responder=record, **period_form.cleaned_data)
            banner(request, "Unavailable period added")
            return redirect("srrt-responder", pk=record.pk)
    except (ValidationError, PermissionDenied) as error:
        add_service_errors(form if action == "details" else period_form, error)
    forms = [f for f in (form, period_form) if f.is_bound]
    context = {
        "responder": record,
        "form": form,
        "period_form": period_form,
        "forms": forms,
        "periods": record.unavailable_periods.order_by("start_date"),
        "assignments": record.assignments.select_related("request__organisation").order_by("-start_date")[:20],
        "expired": record.clearance_expired(),
    }
    return render(request, "srrt/responder.html", context, status=400 if forms else 200)


@login_required
@require_POST
def unavailable_remove(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    member = member_or_404(request, "srrt.triage")
    record = get_object_or_404(Responder.objects.visible_to(member), pk=pk)
    period = get_object_or_404(UnavailablePeriod.objects.select_related("responder"), pk=period_pk, responder=record)
    services.unavailable_period_remove(by=member, period=period)
    banner(request, "Unavailable period removed")
    return redirect("srrt-responder", pk=record.pk)


@login_required
def peaks(request: HttpRequest) -> HttpResponse:
    member_or_404(request, "srrt.triage")
    return render(request, "srrt/peaks.html", {"peaks": CalendarPeak.objects.all()})


@login_required
def peak_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    member = member_or_404(request, "srrt.triage")
    peak = get_object_or_404(CalendarPeak, pk=pk) if pk is not None else None
    initial = CalendarPeakForm.initial_for(peak) if peak else {}
    form = CalendarPeakForm(**bound(request), initial=initial, peak=peak)
    if request.method == "POST" and form.is_valid():
        try:
            # A fresh copy: the service sets the answers on it before validating, and the page keeps the old name.
            fresh = CalendarPeak.objects.get(pk=peak.pk) if peak else None
            saved = services.calendar_peak_save(by=member, details=form.cleaned_data, peak=fresh)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            banner(request, f"{saved.name} saved")
            return redirect("srrt-peaks")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "srrt/peak_edit.html", {"form": form, "peak": peak}, status=status)
