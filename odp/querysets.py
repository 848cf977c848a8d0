"""Read filters for the core models. ``visible_to`` is the one place object scoping is decided."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from odp.models import Member


class OrganisationQuerySet(models.QuerySet):
    def subtree_ids(self, root_ids: Iterable[int]) -> set[int]:
        """The given organisations and all their descendants. The tree is shallow (department, agency,
        body), so one query per level is simpler than a recursive CTE and as fast."""
        found: set[int] = set(root_ids)
        frontier = set(found)
        while frontier:
            children = set(self.model.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            frontier = children - found
            found |= frontier
        return found

    def visible_to(self, member: Member | None) -> OrganisationQuerySet:
        from odp import access

        if member is None or not member.is_active:
            return self.none()
        if member.is_odp_admin:
            return self
        return self.filter(pk__in=access.visible_organisation_ids(member))


class MemberQuerySet(models.QuerySet):
    def active(self) -> MemberQuerySet:
        return self.filter(is_active=True)

    def visible_to(self, member: Member | None) -> MemberQuerySet:
        from odp import access

        if member is None or not member.is_active:
            return self.none()
        if member.is_odp_admin:
            return self
        scope = Q(pk=member.pk) | Q(line_manager_id=member.pk)
        reviewable = access.head_of_profession_organisation_ids(member)
        if reviewable:
            scope |= Q(organisation_id__in=reviewable)
        return self.filter(scope)
