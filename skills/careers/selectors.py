"""Reads for the careers pages and API: opportunities a member may see, filtered and with their fit."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet

from odp.models import Member, OrganisationKind
from skills.careers.fit import annotate_fit
from skills.models import Opportunity, SavedOpportunity

PAGE_SIZE = 20
SORTS = {
    "closing": ("closing_on", "pk"),
    "newest": ("-created_at", "-pk"),
    "fit": ("-fit_percent", "closing_on", "pk"),
}
# "Offered by" filter: the three sides of the divide.
OFFERED_BY = {
    "central": OrganisationKind.central_government(),
    "local": [OrganisationKind.LOCAL_AUTHORITY],
    "partner": [OrganisationKind.PRIVATE_PARTNER],
}


@dataclass(frozen=True)
class OpportunityFilters:
    q: str = ""
    kind: str = ""
    offered_by: str = ""
    job_family: str = ""
    remote: bool = False
    sort: str = "closing"


def with_member_facts(opportunities: QuerySet[Opportunity], member: Member) -> QuerySet[Opportunity]:
    """Each opportunity's fit for the member and whether they saved it, in the same query."""
    saved = SavedOpportunity.objects.filter(member_id=member.pk, opportunity_id=OuterRef("pk"))
    return annotate_fit(opportunities, member).annotate(is_saved=Exists(saved))


def browse(member: Member, filters: OpportunityFilters) -> QuerySet[Opportunity]:
    """Open opportunities the member may see, filtered, each with the member's fit."""
    rows = Opportunity.objects.visible_to(member).open()
    if filters.q:
        rows = rows.filter(Q(title__icontains=filters.q) | Q(summary__icontains=filters.q))
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.offered_by in OFFERED_BY:
        rows = rows.filter(organisation__kind__in=OFFERED_BY[filters.offered_by])
    if filters.job_family:
        rows = rows.filter(role_profile__job_family=filters.job_family)
    if filters.remote:
        rows = rows.filter(is_remote=True)
    rows = with_member_facts(rows.select_related("organisation", "role_profile"), member)
    return rows.order_by(*SORTS.get(filters.sort, SORTS["closing"]))


def paginate(rows: QuerySet[Opportunity], page: int | str | None) -> Page:
    return Paginator(rows, PAGE_SIZE).get_page(page)


def visible(member: Member) -> QuerySet[Opportunity]:
    """Every opportunity the member may open, open or closed, with their fit (the detail page and API start
    here, so anything out of scope is not found)."""
    return with_member_facts(
        Opportunity.objects.visible_to(member).select_related("organisation", "role_profile__version"), member
    )


def saved(member: Member) -> QuerySet[Opportunity]:
    return visible(member).filter(saves__member=member).order_by("closing_on", "pk")


def offered(member: Member, organisation_ids: frozenset[int]) -> QuerySet[Opportunity]:
    """Opportunities of the organisations the member offers for, newest first, open and closed."""
    return (
        Opportunity.objects.filter(organisation_id__in=organisation_ids)
        .select_related("organisation", "role_profile")
        .order_by("-created_at", "-pk")
    )


def for_profile(member: Member, profile_id: int) -> QuerySet[Opportunity]:
    return visible(member).open().filter(role_profile_id=profile_id).order_by("closing_on", "pk")
