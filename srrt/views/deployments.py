"""A responder's own deployments: current and upcoming first, those ending within a week highlighted."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from odp.web.pages import member_or_404
from srrt import selectors
from srrt.models import Responder

PAGE_SIZE = 25


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request, "srrt.respond")
    page = Paginator(selectors.my_assignments(member), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "ending_soon": selectors.my_ending_soon_ids(member),
        "responder": Responder.objects.filter(member=member).first(),
        "today": timezone.localdate(),
    }
    return render(request, "srrt/deployments.html", context)
