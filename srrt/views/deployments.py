"""A responder's own page: their deployments (current and upcoming first, those ending within a week
highlighted), their clearance as recorded, and the dates they cannot deploy, which they keep current."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from odp.web.pages import banner, bound, member_or_404
from srrt import selectors, services
from srrt.forms import UnavailableForm, add_service_errors
from srrt.models import Responder, UnavailablePeriod

PAGE_SIZE = 25


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request, "srrt.respond")
    responder = Responder.objects.filter(member=member).first()
    form = UnavailableForm(**bound(request))
    if request.method == "POST":
        if responder is None:
            raise Http404
        if form.is_valid():
            try:
                services.unavailable_period_add(by=member, responder=responder, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                add_service_errors(form, error)
            else:
                banner(request, "Unavailable dates added", "You will not be offered for deployments on those dates.")
                return redirect("srrt-deployments")
    today = timezone.localdate()
    page = Paginator(selectors.my_assignments(member), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "ending_soon": selectors.my_ending_soon_ids(member),
        "ending_soon_days": settings.SRRT_ENDING_SOON_DAYS,
        "responder": responder,
        "periods": responder.unavailable_periods.filter(end_date__gte=today) if responder else [],
        "form": form,
        "today": today,
    }
    return render(request, "srrt/deployments.html", context, status=400 if form.is_bound and form.errors else 200)


@login_required
@require_POST
def unavailable_remove(request: HttpRequest, period_pk: int) -> HttpResponse:
    member = member_or_404(request, "srrt.respond")
    period = get_object_or_404(
        UnavailablePeriod.objects.select_related("responder"), pk=period_pk, responder__member=member
    )
    services.unavailable_period_remove(by=member, period=period)
    banner(request, "Unavailable dates removed")
    return redirect("srrt-deployments")
