"""Reads composed for the core pages."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from odp.models import AuditEvent, Member, Notification, User


def audit_events(*, object_type: str = "", actor_id: int | None = None) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor")
    if object_type:
        events = events.filter(object_type=object_type)
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    return events


def audit_actor(username_or_email: str) -> User | None:
    """The person the audit filter names, by username or email address (either, any case)."""
    return (
        User.objects.filter(Q(username__iexact=username_or_email) | Q(email__iexact=username_or_email))
        .order_by("pk")
        .first()
    )


def notifications_for(member: Member) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=member)
