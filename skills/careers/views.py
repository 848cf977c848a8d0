"""Careers pages, mounted at /careers/: a member's next steps with their gaps, opportunities across central and
local government and partners with the member's fit, saved opportunities, the weekly email, and offering an
opportunity. Every opportunity is looked up through visible_to, so anything out of scope is 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from odp import access
from odp.models import Member, Organisation
from odp.web.pages import banner, bound, member_or_404
from skills import selectors as skills_selectors
from skills.careers import fit, paths, selectors, services
from skills.careers.forms import AlertForm, BrowseForm, OpportunityForm
from skills.forms import add_service_errors
from skills.models import Intervention, Opportunity, OpportunityAlert, RoleProfile

VIEW = "careers.view"
OFFER = "careers.offer"


@login_required
def career_paths(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request, VIEW)
    context = {"member": member, "paths": paths.career_paths(member), "can_offer": access.can(member, OFFER)}
    return render(request, "skills/careers/paths.html", context)


@login_required
def career_path(request: HttpRequest, profile_id: int) -> HttpResponse:
    member = member_or_404(request, VIEW)
    path = paths.career_path(member, profile_id)
    if path is None:
        raise Http404
    opportunities = selectors.for_profile(member, profile_id)
    return render(request, "skills/careers/path.html", {"path": path, "opportunities": opportunities})


@login_required
def learning(request: HttpRequest, intervention_id: int) -> HttpResponse:
    """A learning intervention as a member sees it: what it is and which of their gap skills it builds."""
    member = member_or_404(request, VIEW)
    intervention = get_object_or_404(Intervention.objects.prefetch_related("target_skills"), pk=intervention_id)
    mine = skills_selectors.my_skills(member)
    current = {s.skill.lineage for s in mine.gaps}
    targets = [(skill, skill.lineage in current) for skill in intervention.target_skills.order_by("code")]
    return render(request, "skills/careers/learning.html", {"intervention": intervention, "targets": targets})


@login_required
def opportunities(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request, VIEW)
    form = BrowseForm(request.GET or None)
    filters = selectors.OpportunityFilters(**form.filters()) if form.is_bound else selectors.OpportunityFilters()
    page = selectors.paginate(selectors.browse(member, filters), request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "can_offer": access.can(member, OFFER)}
    return render(request, "skills/careers/opportunities.html", context)


def _visible(member: Member, opportunity_id: int) -> Opportunity:
    return get_object_or_404(selectors.visible(member), pk=opportunity_id)


@login_required
def opportunity(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    member = member_or_404(request, VIEW)
    found = _visible(member, opportunity_id)
    gap = fit.gaps_by_profile(member, [found.role_profile_id]).get(found.role_profile_id)
    context = {
        "opportunity": found,
        "gap": gap,
        "is_open": Opportunity.objects.filter(pk=found.pk).open().exists(),
        "can_close": found.organisation_id in access.offering_organisation_ids(member),
    }
    return render(request, "skills/careers/opportunity.html", context)


@login_required
@require_POST
def opportunity_save(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    member = member_or_404(request, VIEW)
    found = _visible(member, opportunity_id)
    if request.POST.get("remove"):
        services.opportunity_unsave(opportunity=found, by=member)
        banner(request, "Removed from your saved opportunities")
    else:
        try:
            services.opportunity_save(opportunity=found, by=member)
        except ValidationError as error:
            banner(request, "The opportunity was not saved", " ".join(error.messages), success=False)
        else:
            banner(request, "Opportunity saved", "Find it again under your saved opportunities.")
    return redirect("careers-opportunity", opportunity_id=found.pk)


@login_required
@require_POST
def opportunity_close(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    member = member_or_404(request, OFFER)
    found = _visible(member, opportunity_id)
    try:
        services.opportunity_close(opportunity=found, by=member)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        banner(request, "The opportunity was not closed", " ".join(error.messages), success=False)
    else:
        banner(request, "Opportunity closed", "Members can no longer find it or save it.")
    return redirect("careers-opportunity", opportunity_id=found.pk)


@login_required
def saved(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request, VIEW)
    context = {"opportunities": selectors.saved(member), "today": timezone.localdate()}
    return render(request, "skills/careers/saved.html", context)


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request, VIEW)
    alert = OpportunityAlert.objects.filter(member=member).first()
    initial = {"active": alert.is_active, "job_families": alert.job_families} if alert else {}
    form = AlertForm(**bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved_alert = services.alert_set(
                member=member, active=form.cleaned_data["active"], job_families=form.cleaned_data["job_families"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if saved_alert.is_active:
                banner(request, "Weekly email turned on", f"About: {', '.join(saved_alert.family_labels)}.")
            else:
                banner(request, "Weekly email turned off")
            return redirect("careers-alerts")
    return render(request, "skills/careers/alerts.html", {"form": form, "member": member})


def _offer_choices(member: Member) -> tuple[QuerySet[Organisation], QuerySet[RoleProfile]]:
    version = skills_selectors.current_version()
    profiles = RoleProfile.objects.filter(version=version) if version else RoleProfile.objects.none()
    organisations = Organisation.objects.filter(pk__in=access.offering_organisation_ids(member)).order_by("name")
    return organisations, profiles.order_by("job_family", "role_level")


@login_required
def offer(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request, OFFER)
    organisations, profiles = _offer_choices(member)
    initial = {"organisation": organisations.first()} if organisations.count() == 1 else {}
    form = OpportunityForm(**bound(request), organisations=organisations, profiles=profiles, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.opportunity_create(by=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            banner(request, "Opportunity published", f"{created.title} is open until {created.closing_on:%-d %B %Y}.")
            return redirect("careers-opportunity", opportunity_id=created.pk)
    offered = selectors.offered(member, access.offering_organisation_ids(member))[:50]
    context = {"form": form, "offered": offered, "today": timezone.localdate()}
    return render(request, "skills/careers/offer.html", context)
