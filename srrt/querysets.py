"""Who may see which surge requests, responders and assignments: decided here and nowhere else.

Coordinators and admins see everything. Department requesters see their organisations' requests (and
child bodies'), drafts included, so colleagues can pick up a draft; heads of profession see their
organisations' requests once submitted; responders see the requests they are assigned to. Everyone sees
what they raised themselves. Out-of-scope records are simply absent, so pages and the API answer 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from odp.models import Member

_DRAFT = "draft"


def sees_everything(member: Member) -> bool:
    from odp import access
    from odp.models import Role

    return member.is_odp_admin or access.has_role(member, Role.SRRT_COORDINATOR)


class SurgeRequestQuerySet(models.QuerySet):
    def visible_to(self, member: Member | None) -> SurgeRequestQuerySet:
        from odp import access

        if member is None or not member.is_active:
            return self.none()
        if sees_everything(member):
            return self
        scope = Q(requester_id=member.pk)
        requestable = access.requester_organisation_ids(member)
        if requestable:
            scope |= Q(organisation_id__in=requestable)
        led = access.head_of_profession_organisation_ids(member)
        if led:
            scope |= Q(organisation_id__in=led) & ~Q(status=_DRAFT)
        scope |= Q(assignments__responder__member_id=member.pk)
        # The join through assignments can repeat a request; filter by id to keep one row each.
        return self.filter(pk__in=self.model.objects.filter(scope).values("pk"))


class ResponderQuerySet(models.QuerySet):
    def active(self) -> ResponderQuerySet:
        return self.filter(is_active=True, member__is_active=True)

    def visible_to(self, member: Member | None) -> ResponderQuerySet:
        """The roster: coordinators and admins see it all; a responder sees their own record."""
        if member is None or not member.is_active:
            return self.none()
        if sees_everything(member):
            return self
        return self.filter(member_id=member.pk)


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, member: Member | None) -> AssignmentQuerySet:
        """Coordinators and admins: all; responders: their own; others: assignments on requests they see."""
        from srrt.models import SurgeRequest

        if member is None or not member.is_active:
            return self.none()
        if sees_everything(member):
            return self
        return self.filter(
            Q(responder__member_id=member.pk) | Q(request__in=SurgeRequest.objects.visible_to(member).values("pk"))
        )

    def overlapping(self, start, end) -> AssignmentQuerySet:
        return self.filter(start_date__lte=end, end_date__gte=start)
