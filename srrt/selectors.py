"""Reads composed for the pages and API a later session adds. Each starts from a ``visible_to`` queryset."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from odp.models import AuditEvent, Member
from srrt.models import Assignment, LastResortAnswer, SurgeRequest, SurgeStatus
from srrt.permissions import is_coordinator


def triage_queue(member: Member) -> QuerySet[SurgeRequest]:
    """Submitted requests waiting for a coordinator, oldest first. Empty for anyone else."""
    if not is_coordinator(member):
        return SurgeRequest.objects.none()
    return (
        SurgeRequest.objects.visible_to(member)
        .filter(status=SurgeStatus.SUBMITTED)
        .select_related("organisation", "requester__user")
        .order_by("submitted_at", "pk")
    )


def in_progress(member: Member) -> QuerySet[SurgeRequest]:
    """Approved requests not yet closed (staffing, deploying, active, closing), for coordinators to pick up
    tracking and close-out; soonest start first. Empty for anyone else."""
    if not is_coordinator(member):
        return SurgeRequest.objects.none()
    return (
        SurgeRequest.objects.visible_to(member)
        .filter(status__in=[SurgeStatus.APPROVED, SurgeStatus.DEPLOYING, SurgeStatus.ACTIVE, SurgeStatus.CLOSING])
        .select_related("organisation")
        .order_by("start_date", "pk")
    )


def request_detail(member: Member, pk: int) -> SurgeRequest:
    """One request with what its page shows; raises DoesNotExist (a 404) when out of scope."""
    return (
        SurgeRequest.objects.visible_to(member)
        .select_related("organisation", "requester__user")
        .prefetch_related(
            "skills_needed",
            Prefetch("last_resort_answers", queryset=LastResortAnswer.objects.order_by("option")),
            "decisions__decided_by__user",
            Prefetch("assignments", queryset=Assignment.objects.select_related("responder__member__user")),
        )
        .get(pk=pk)
    )


def request_timeline(request: SurgeRequest) -> QuerySet[AuditEvent]:
    """Status changes, oldest first: who, when, from, to and the note."""
    return AuditEvent.objects.filter(
        object_type="srrt.surgerequest", object_id=str(request.pk), action=AuditEvent.Action.TRANSITION
    ).order_by("at", "pk")


def my_assignments(member: Member) -> QuerySet[Assignment]:
    """What a responder sees: their assignments on requests not cancelled, current and upcoming first."""
    return (
        Assignment.objects.filter(responder__member_id=member.pk)
        .exclude(request__status=SurgeStatus.CANCELLED)
        .select_related("request__organisation")
        .order_by("-end_date", "pk")
    )


def _ending_within_window(assignments: QuerySet[Assignment], on: datetime.date) -> QuerySet[Assignment]:
    return assignments.filter(
        request__status__in=[SurgeStatus.DEPLOYING, SurgeStatus.ACTIVE],
        end_date__gte=on,
        end_date__lte=on + datetime.timedelta(days=settings.SRRT_ENDING_SOON_DAYS),
    )


def ending_soon(member: Member, *, on: datetime.date | None = None) -> QuerySet[Assignment]:
    """Assignments on live deployments ending within SRRT_ENDING_SOON_DAYS, for coordinators' reminders."""
    if not is_coordinator(member):
        return Assignment.objects.none()
    on = on or timezone.localdate()
    return (
        _ending_within_window(Assignment.objects.visible_to(member), on)
        .select_related("request", "responder__member__user")
        .order_by("end_date", "pk")
    )


def my_ending_soon_ids(member: Member, *, on: datetime.date | None = None) -> set[int]:
    """A responder's own assignments ending within SRRT_ENDING_SOON_DAYS on a live deployment, to highlight."""
    on = on or timezone.localdate()
    mine = Assignment.objects.filter(responder__member_id=member.pk)
    return set(_ending_within_window(mine, on).values_list("pk", flat=True))


def requester_requests(member: Member) -> QuerySet[SurgeRequest]:
    """A requester's list: requests for the organisations they request for, and any they raised, newest first."""
    from odp import access

    mine = Q(requester_id=member.pk) | Q(organisation_id__in=access.requester_organisation_ids(member))
    return (
        SurgeRequest.objects.visible_to(member)
        .filter(mine)
        .select_related("organisation", "requester__user")
        .order_by("-updated_at", "-pk")
    )
