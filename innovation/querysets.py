"""Who may see which ideas, comments, case studies and plans: decided here and nowhere else.

Ideas: drafts only to their author. Otherwise an idea is seen by its author, by heads of profession of the
organisation that owes the decision or that it came from (and admins), and by others according to its
visibility: colleagues in the same organisation; all of central government; or everyone signed in,
including local authorities and private partners. Hidden (moderated) ideas drop out for everyone but
their author and admins. Out-of-scope records are simply absent, so pages and the API answer 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from odp.models import Member

_DRAFT = "draft"
_ORGANISATION, _CIVIL_SERVICE, _PARTNERS, _PUBLIC = "organisation", "civil_service", "partners", "public"


def is_central_government(member: Member) -> bool:
    from odp.models import OrganisationKind

    return member.organisation.kind in OrganisationKind.central_government()


def ancestor_ids(organisation_id: int) -> list[int]:
    """An organisation and the bodies above it, nearest first (the tree is shallow)."""
    from odp.models import Organisation

    ids: list[int] = []
    current: int | None = organisation_id
    while current is not None and current not in ids:
        ids.append(current)
        current = Organisation.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return ids


def _audience(member: Member, field: str, organisation_field: str) -> Q:
    """Records shared with this member by their audience setting."""
    shared = Q(**{field: _PARTNERS}) | Q(**{field: _ORGANISATION, organisation_field: member.organisation_id})
    if is_central_government(member):
        shared |= Q(**{field: _CIVIL_SERVICE})
    return shared


class IdeaQuerySet(models.QuerySet):
    def visible_to(self, member: Member | None) -> IdeaQuerySet:
        from odp import access

        if member is None or not member.is_active:
            return self.none()
        own = Q(author_id=member.pk)
        if member.is_odp_admin:
            return self.filter(own | ~Q(status=_DRAFT))
        scope = _audience(member, "visibility", "organisation_id") & Q(is_hidden=False)
        led = access.head_of_profession_organisation_ids(member)
        if led:
            scope |= Q(organisation_id__in=led) | Q(origin_organisation_id__in=led)
        return self.filter(own | (scope & ~Q(status=_DRAFT)))

    def reviewable_by(self, member: Member | None) -> IdeaQuerySet:
        """Ideas this member may decide: submitted ideas owed by organisations they lead (admins: all)."""
        from odp import access

        if member is None or not member.is_active or not access.can(member, "ideas.review"):
            return self.none()
        submitted = self.exclude(status=_DRAFT)
        if member.is_odp_admin:
            return submitted
        return submitted.filter(organisation_id__in=access.head_of_profession_organisation_ids(member))


class CommentQuerySet(models.QuerySet):
    def visible_to(self, member: Member | None) -> CommentQuerySet:
        from innovation.models import Idea

        if member is None or not member.is_active:
            return self.none()
        on_visible_ideas = self.filter(idea__in=Idea.objects.visible_to(member).values("pk"))
        return on_visible_ideas.shown_to(member)

    def shown_to(self, member: Member) -> CommentQuerySet:
        """Comments a moderator has hidden drop out for everyone but their author and admins. Alone, for an idea
        already found through ``Idea.objects.visible_to(member)``; otherwise use ``visible_to``."""
        if member.is_odp_admin:
            return self
        return self.filter(Q(is_hidden=False) | Q(author_id=member.pk))


class CaseStudyQuerySet(models.QuerySet):
    def public(self) -> CaseStudyQuerySet:
        """Published for everyone, no sign-in needed (and never for an idea a moderator has hidden)."""
        return self.filter(status="published", audience=_PUBLIC, is_hidden=False, idea__is_hidden=False)

    def visible_to(self, member: Member | None) -> CaseStudyQuerySet:
        from odp import access

        if member is None or not member.is_active:
            return self.public()
        if member.is_odp_admin:
            return self
        shared = Q(audience=_PUBLIC) | _audience(member, "audience", "organisation_id")
        showing = Q(status="published", is_hidden=False, idea__is_hidden=False)
        scope = Q(written_by_id=member.pk) | (showing & shared)
        led = access.head_of_profession_organisation_ids(member)
        if led:
            scope |= Q(organisation_id__in=led)
        return self.filter(scope)


class InnovationPlanQuerySet(models.QuerySet):
    def visible_to(self, member: Member | None) -> InnovationPlanQuerySet:
        """Staff see their own organisation's plans and those of the bodies above it; heads of profession the
        organisations they lead; admins every plan."""
        from odp import access

        if member is None or not member.is_active:
            return self.none()
        if member.is_odp_admin:
            return self
        ids = set(ancestor_ids(member.organisation_id)) | access.head_of_profession_organisation_ids(member)
        return self.filter(organisation_id__in=ids)
