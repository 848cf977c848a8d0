"""Who may see which opportunity: decided here and nowhere else.

- Members of the offering organisation (or of a body within it) see all of its opportunities.
- Members of any central government organisation see those shared with all of central government.
- Everyone signed in sees those shared across central and local government and partners.
- Heads of profession see every opportunity of the organisations they lead; ODP admins see everything."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils import timezone

if TYPE_CHECKING:
    from odp.models import Member


def _ancestor_ids(member: Member) -> set[int]:
    """The member's organisation and every organisation above it (a shallow tree: a few steps at most)."""
    from odp.models import Organisation

    found: set[int] = set()
    org_id: int | None = member.organisation_id
    while org_id is not None and org_id not in found:
        found.add(org_id)
        org_id = Organisation.objects.filter(pk=org_id).values_list("parent_id", flat=True).first()
    return found


class OpportunityQuerySet(models.QuerySet):
    def visible_to(self, member: Member | None) -> OpportunityQuerySet:
        from odp import access
        from odp.models import OrganisationKind

        if member is None or not member.is_active:
            return self.none()
        if member.is_odp_admin:
            return self
        scope = Q(audience="across_the_divide") | Q(organisation_id__in=_ancestor_ids(member))
        if member.organisation.kind in OrganisationKind.central_government():
            scope |= Q(audience="central_government")
        led = access.head_of_profession_organisation_ids(member)
        if led:
            scope |= Q(organisation_id__in=led)
        return self.filter(scope)

    def open(self) -> OpportunityQuerySet:
        """Open and not past its closing date: an expired opportunity counts as closed before the daily job
        marks it so."""
        return self.filter(status="open", closing_on__gte=timezone.localdate())

    def closed(self) -> OpportunityQuerySet:
        return self.filter(Q(status="closed") | Q(closing_on__lt=timezone.localdate()))
