"""Object-level answers about ideas, built on odp.access. Scoping of reads stays in querysets.py."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from innovation.models import Idea
from odp import access
from odp.models import Member, Organisation


def can_review(member: Member | None, idea: Idea) -> bool:
    """Heads of profession of the organisation that owes the decision (or a body above it), and admins."""
    if member is None or not member.is_active or not access.can(member, "ideas.review"):
        return False
    return member.is_odp_admin or idea.organisation_id in access.head_of_profession_organisation_ids(member)


def can_lead(member: Member | None, organisation: Organisation) -> bool:
    """May this member act for the profession in this organisation (its plan, its case studies)?"""
    if member is None or not member.is_active:
        return False
    return member.is_odp_admin or organisation.pk in access.head_of_profession_organisation_ids(member)


def require_reviewer(member: Member, idea: Idea) -> None:
    if not can_review(member, idea):
        raise PermissionDenied("Only a head of profession for the organisation this idea is with can do that.")


def require_visible(member: Member, idea: Idea) -> None:
    if not Idea.objects.visible_to(member).filter(pk=idea.pk).exists():
        raise PermissionDenied("You cannot see this idea.")
