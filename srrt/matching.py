"""Who could go: hard filters, then a ranked shortlist for an approved request.

Hard filters (a responder failing any is not offered): active; clearance at or above the level required and
unexpired on the last day of the period; internationally available if the request is international; no
unavailable period and no other assignment (on a request not cancelled) overlapping the period; not
already assigned to this request.

Ranking: skill match first (how many of the request's skills the responder holds at any level, then the
sum of those levels, read from skills' current levels by lineage), then home region equal to the request's
region, then fair rotation (fewest deployment days in the last 365 days), then name. Every figure is an
SQL subquery over the whole roster; nothing loops over responders or assignments in Python."""

from __future__ import annotations

import datetime

from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from skills.models import CurrentLevel
from srrt.models import Assignment, Clearance, Responder, SurgeRequest, SurgeStatus, UnavailablePeriod

ROTATION_DAYS = 365


def _period(request: SurgeRequest, start: datetime.date | None, end: datetime.date | None):
    start = start or request.start_date
    end = end or request.end_date
    if start is None or end is None:
        raise ValueError("The request has no dates to match against.")
    return start, end


def _busy(start: datetime.date, end: datetime.date):
    unavailable = UnavailablePeriod.objects.filter(
        responder_id=OuterRef("pk"), start_date__lte=end, end_date__gte=start
    )
    assigned = (
        Assignment.objects.filter(responder_id=OuterRef("pk"))
        .overlapping(start, end)
        .exclude(request__status=SurgeStatus.CANCELLED)
    )
    return Exists(unavailable), Exists(assigned)


def eligible(
    request: SurgeRequest,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    responders: QuerySet[Responder] | None = None,
) -> QuerySet[Responder]:
    """Responders who pass every hard filter for this request over ``start``–``end`` (default: its period)."""
    start, end = _period(request, start, end)
    qs = (responders if responders is not None else Responder.objects.all()).active()
    qs = qs.filter(clearance_expires_on__gte=end)
    if request.clearance_required:
        qs = qs.filter(clearance_level__gte=request.clearance_required)
    if request.international:
        qs = qs.filter(international_available=True)
    unavailable, assigned = _busy(start, end)
    qs = qs.exclude(unavailable).exclude(assigned)
    if request.pk:
        qs = qs.exclude(assignments__request_id=request.pk)
    return qs


def why_ineligible(
    responder: Responder, request: SurgeRequest, *, start: datetime.date, end: datetime.date
) -> list[str]:
    """Every hard filter this responder fails for the period, as sentences (empty when eligible)."""
    problems: list[str] = []
    if not responder.is_active or not responder.member.is_active:
        problems.append(f"{responder} is not an active responder.")
    if request.clearance_required and responder.clearance_level < request.clearance_required:
        needed = Clearance(request.clearance_required).label
        problems.append(f"{responder} does not hold the clearance required ({needed}).")
    if responder.clearance_expires_on < end:
        problems.append(
            f"{responder}'s clearance expires on {responder.clearance_expires_on:%-d %B %Y}, before {end:%-d %B %Y}."
        )
    if request.international and not responder.international_available:
        problems.append(f"{responder} is not available for international deployment.")
    if responder.unavailable_periods.filter(start_date__lte=end, end_date__gte=start).exists():
        problems.append(f"{responder} is unavailable for some of these dates.")
    others = responder.assignments.overlapping(start, end).exclude(request__status=SurgeStatus.CANCELLED)
    if request.pk and responder.assignments.filter(request_id=request.pk).exists():
        problems.append(f"{responder} is already assigned to this request.")
        others = others.exclude(request_id=request.pk)
    if others.exists():
        problems.append(f"{responder} is already assigned elsewhere for some of these dates.")
    return problems


def recent_deployment_days(*, on: datetime.date) -> Subquery:
    """Per responder (OuterRef pk): deployment days within the ROTATION_DAYS ending ``on``, assignments on
    cancelled requests aside. Each assignment counts the days it overlaps the window, both ends included."""
    window_start = on - datetime.timedelta(days=ROTATION_DAYS - 1)
    overlap = ExpressionWrapper(
        Least(F("end_date"), Value(on, output_field=DateField()))
        - Greatest(F("start_date"), Value(window_start, output_field=DateField()))
        + Value(datetime.timedelta(days=1), output_field=DurationField()),
        output_field=DurationField(),
    )
    rows = (
        Assignment.objects.filter(responder_id=OuterRef("pk"), start_date__lte=on, end_date__gte=window_start)
        .exclude(request__status=SurgeStatus.CANCELLED)
        .order_by()
        .values("responder_id")
        .annotate(span=Sum(overlap))
    )
    return rows


def shortlist(
    request: SurgeRequest,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    on: datetime.date | None = None,
    responders: QuerySet[Responder] | None = None,
) -> QuerySet[Responder]:
    """Eligible responders, best first, annotated with ``skills_matched``, ``skill_level_total``,
    ``same_region`` (1 or 0) and ``recent_days``."""
    on = on or timezone.localdate()
    lineages = [lin for lin in request.skills_needed.values_list("lineage", flat=True) if lin is not None]
    levels = (
        CurrentLevel.objects.filter(member_id=OuterRef("member_id"), lineage__in=lineages, level__gte=1)
        .order_by()
        .values("member_id")
    )
    recent = recent_deployment_days(on=on)
    zero_span = Value(datetime.timedelta(0), output_field=DurationField())
    qs = eligible(request, start=start, end=end, responders=responders).annotate(
        skills_matched=Coalesce(
            Subquery(levels.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0
        ),
        skill_level_total=Coalesce(
            Subquery(levels.annotate(t=Sum("level")).values("t")[:1], output_field=IntegerField()), 0
        ),
        same_region=Case(
            When(home_region=request.region or "", then=Value(1)), default=Value(0), output_field=IntegerField()
        )
        if request.region
        else Value(0, output_field=IntegerField()),
        recent_span=Coalesce(Subquery(recent.values("span")[:1], output_field=DurationField()), zero_span),
    )
    return qs.select_related("member__user").order_by(
        F("skills_matched").desc(),
        F("skill_level_total").desc(),
        F("same_region").desc(),
        F("recent_span").asc(),
        "member__user__last_name",
        "member__user__first_name",
        "pk",
    )


def recent_days(responder: Responder) -> int:
    """Deployment days in the rotation window, for one annotated shortlist row."""
    span = getattr(responder, "recent_span", None) or datetime.timedelta(0)
    return span.days
