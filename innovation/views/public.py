"""Case studies: published ones for their audience, the public ones without signing in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from innovation.models import CaseStudy
from odp import access


def _studies(request: HttpRequest):
    member = access.member_for(request.user)
    return (
        CaseStudy.objects.visible_to(member)
        .filter(status=CaseStudy.Status.PUBLISHED, is_hidden=False)
        .select_related("organisation", "idea")
    )


def case_studies(request: HttpRequest) -> HttpResponse:
    studies = _studies(request).order_by("-published_at", "-pk")
    return render(request, "innovation/case_studies.html", {"studies": studies})


def case_study(request: HttpRequest, slug: str) -> HttpResponse:
    study = get_object_or_404(_studies(request), slug=slug)
    adoptions = study.idea.adoptions.select_related("organisation")
    return render(request, "innovation/case_study.html", {"study": study, "adoptions": adoptions})
