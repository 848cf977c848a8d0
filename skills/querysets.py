"""Read filters for skills records: scoping is decided here and nowhere else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from odp.models import Member


def _member_scope(member: Member, prefix: str = "member") -> Q:
    """Ratings a member may see: their own, their reports', and everyone's in organisations they lead."""
    from odp import access

    scope = Q(**{f"{prefix}_id": member.pk}) | Q(**{f"{prefix}__line_manager_id": member.pk})
    led = access.head_of_profession_organisation_ids(member)
    if led:
        scope |= Q(**{f"{prefix}__organisation_id__in": led})
    return scope


class FrameworkVersionQuerySet(models.QuerySet):
    def published(self) -> FrameworkVersionQuerySet:
        return self.filter(status="published")

    def visible_to(self, member: Member | None) -> FrameworkVersionQuerySet:
        """Every signed-in member reads published and retired versions; drafts are for admins."""
        if member is None or not member.is_active:
            return self.none()
        if member.is_odp_admin:
            return self
        return self.exclude(status="draft")


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, member: Member | None) -> AssessmentQuerySet:
        if member is None or not member.is_active:
            return self.none()
        if member.is_odp_admin:
            return self
        return self.filter(_member_scope(member))


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, member: Member | None) -> EnrolmentQuerySet:
        if member is None or not member.is_active:
            return self.none()
        if member.is_odp_admin:
            return self
        return self.filter(_member_scope(member))
