"""Reads composed for the core pages."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from odp.models import AuditEvent, Member, Notification


def audit_events(*, object_type: str = "", actor: str = "") -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor")
    if object_type:
        events = events.filter(object_type=object_type)
    if actor:
        events = events.filter(Q(actor__username__iexact=actor) | Q(actor__email__iexact=actor))
    return events


def notifications_for(member: Member) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=member)
