"""Object-level answers about surge requests, built on odp.access. Scoping of reads stays in querysets.py."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from odp import access
from odp.models import Member


def can_request_for(member: Member | None, organisation_id: int | None) -> bool:
    """Department requesters for this organisation (or a body above it)."""
    if member is None or not member.is_active or not access.can(member, "srrt.request"):
        return False
    return organisation_id in access.requester_organisation_ids(member)


def require_requester_for(member: Member, organisation_id: int | None) -> None:
    if not can_request_for(member, organisation_id):
        raise PermissionDenied("Only a department requester for this organisation can do that.")


def is_coordinator(member: Member | None) -> bool:
    return member is not None and member.is_active and access.can(member, "srrt.triage")


def require_coordinator(member: Member) -> None:
    if not is_coordinator(member):
        raise PermissionDenied("Only SRRT coordinators can do that.")
