"""Writes about surge requests other than their workflow (see workflow.py): drafting the answers, the
roster, unavailability, calendar peaks and assignments. Keyword-only, typed, atomic, audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from odp import audit
from odp.models import AuditEvent, Member, Organisation
from odp.notifications import notify
from skills.models import Skill, VersionStatus
from srrt import matching
from srrt.models import (
    Assignment,
    CalendarPeak,
    LastResortAnswer,
    LastResortOption,
    LastResortOutcome,
    Responder,
    SurgeRequest,
    SurgeStatus,
    UnavailablePeriod,
)
from srrt.permissions import is_coordinator, require_coordinator, require_requester_for
from srrt.workflow import locked

# What a requester answers on the question pages. Skills and last-resort answers are given separately.
ANSWER_FIELDS = (
    "title",
    "demand_type",
    "what_happened",
    "why_now",
    "forecast_volume",
    "normal_capacity",
    "volume_unit",
    "start_date",
    "expected_duration_days",
    "people_needed",
    "locations",
    "region",
    "international",
    "clearance_required",
    "in_forecast_or_plan",
)
_TEXT_ANSWERS = {"title", "what_happened", "why_now", "volume_unit", "locations"}


def _require_editable(request: SurgeRequest) -> None:
    if request.status == SurgeStatus.CLOSED:
        raise ValidationError("This request is closed, so it can no longer be changed.", code="closed")
    if request.status not in SurgeStatus.editable():
        raise ValidationError(
            f"This request is {request.get_status_display().lower()}, so its answers can no longer be changed.",
            code="not_editable",
        )


def _clean_last_resort(answers: Mapping[str, Mapping[str, str]]) -> list[tuple[str, str, str]]:
    cleaned = []
    errors: dict[str, str] = {}
    for option, answer in answers.items():
        if option not in LastResortOption.values:
            raise ValueError(f"Not a last-resort option: {option!r}")
        outcome = (answer or {}).get("outcome", "")
        why = ((answer or {}).get("why_not_enough") or "").strip()
        if outcome not in LastResortOutcome.values:
            errors[f"last_resort_{option}"] = f"Say whether {LastResortOption(option).label.lower()} was tried"
            continue
        cleaned.append((option, outcome, why))
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def request_save_draft(
    *,
    by: Member,
    answers: Mapping[str, Any],
    organisation: Organisation | None = None,
    request: SurgeRequest | None = None,
    skills: Iterable[Skill] | None = None,
    last_resort: Mapping[str, Mapping[str, str]] | None = None,
) -> SurgeRequest:
    """Create a draft for an organisation the member requests for, or save more answers to a draft (or to a
    request sent back for more information). Any subset of answers may be given; only the title is needed
    before submission. ``last_resort`` maps an option to {"outcome": ..., "why_not_enough": ...}."""
    unknown = set(answers) - set(ANSWER_FIELDS)
    if unknown:
        raise ValueError(f"Not answers to the surge request questions: {sorted(unknown)}")
    if request is None:
        if organisation is None:
            raise ValueError("Say which organisation the request is for.")
        require_requester_for(by, organisation.pk)
        request = SurgeRequest(organisation=organisation, requester=by)
    else:
        request = locked(request)
        require_requester_for(by, request.organisation_id)
        _require_editable(request)
    for name, value in answers.items():
        setattr(request, name, value.strip() if name in _TEXT_ANSWERS and isinstance(value, str) else value)
    if not request.title:
        raise ValidationError({"title": "Enter a short title for the request"})
    cleaned_answers = _clean_last_resort(last_resort or {})
    skill_list = list(skills) if skills is not None else None
    if skill_list is not None and any(s.version.status != VersionStatus.PUBLISHED for s in skill_list):
        raise ValidationError({"skills_needed": "Choose skills from the current skills framework"})
    request.full_clean(exclude=["reference"])
    with audit.acting_as(by.user):
        request.save()
        for option, outcome, why in cleaned_answers:
            answer = LastResortAnswer.objects.filter(request=request, option=option).first() or LastResortAnswer(
                request=request, option=option
            )
            answer.outcome, answer.why_not_enough = outcome, why
            answer.full_clean()
            answer.save()
    if skill_list is not None:
        request.skills_needed.set(skill_list)
    return request


# Roster -------------------------------------------------------------------------------------------------

ROSTER_FIELDS = ("clearance_level", "clearance_expires_on", "home_region", "international_available", "is_active")
# What responders may keep current themselves; clearance is checked and entered by coordinators.
SELF_SERVICE_FIELDS = ("home_region", "international_available")


@transaction.atomic
def responder_save(*, by: Member, member: Member, details: Mapping[str, Any]) -> Responder:
    """Coordinators add a member to the roster or change any of their details; a responder may change their
    own region and international availability."""
    unknown = set(details) - set(ROSTER_FIELDS)
    if unknown:
        raise ValueError(f"Not roster details: {sorted(unknown)}")
    responder = Responder.objects.select_for_update().filter(member=member).first()
    self_service = responder is not None and member.pk == by.pk and not set(details) - set(SELF_SERVICE_FIELDS)
    if not is_coordinator(by) and not self_service:
        raise PermissionDenied("Only SRRT coordinators can change clearance or add responders.")
    if responder is None:
        responder = Responder(member=member)
    for name, value in details.items():
        setattr(responder, name, value)
    responder.full_clean()
    with audit.acting_as(by.user):
        responder.save()
    return responder


@transaction.atomic
def unavailable_period_add(
    *, by: Member, responder: Responder, start_date: datetime.date, end_date: datetime.date, reason: str = ""
) -> UnavailablePeriod:
    """A responder (or a coordinator for them) records dates they cannot deploy."""
    if responder.member_id != by.pk:
        require_coordinator(by)
    if start_date is None or end_date is None:
        raise ValidationError({"start_date": "Enter the first and last dates"})
    if end_date < start_date:
        raise ValidationError({"end_date": "The last date must be the same as or after the first date"})
    period = UnavailablePeriod(responder=responder, start_date=start_date, end_date=end_date, reason=reason.strip())
    period.full_clean()
    with audit.acting_as(by.user):
        period.save()
    return period


@transaction.atomic
def unavailable_period_remove(*, by: Member, period: UnavailablePeriod) -> None:
    if period.responder.member_id != by.pk:
        require_coordinator(by)
    with audit.acting_as(by.user):
        period.delete()


@transaction.atomic
def calendar_peak_save(*, by: Member, details: Mapping[str, Any], peak: CalendarPeak | None = None) -> CalendarPeak:
    """Coordinators keep the list of known calendar peaks that foreseeability reads."""
    require_coordinator(by)
    peak = peak or CalendarPeak()
    for name, value in details.items():
        setattr(peak, name, value)
    peak.full_clean()
    for prefix in ("start", "end"):
        try:
            datetime.date(2024, getattr(peak, f"{prefix}_month"), getattr(peak, f"{prefix}_day"))
        except ValueError:
            raise ValidationError({f"{prefix}_day": "Enter a real day of that month"}) from None
    with audit.acting_as(by.user):
        peak.save()
    return peak


# Assignments --------------------------------------------------------------------------------------------


@transaction.atomic
def assignment_create(
    *,
    by: Member,
    request: SurgeRequest,
    responder: Responder,
    role: str,
    start_date: datetime.date,
    end_date: datetime.date,
    note: str = "",
) -> Assignment:
    """A coordinator assigns a responder who passes every hard filter for these dates. The responder's row is
    locked so two coordinators cannot book the same person twice."""
    require_coordinator(by)
    request = locked(request)
    if request.status not in SurgeStatus.staffable():
        raise ValidationError(
            "Responders can be assigned once a request is approved; "
            f"this one is {request.get_status_display().lower()}.",
            code="not_staffable",
        )
    role = (role or "").strip()
    if not role:
        raise ValidationError({"role": "Enter the responder's role"})
    if start_date is None or end_date is None:
        raise ValidationError({"start_date": "Enter the first and last dates"})
    if end_date < start_date:
        raise ValidationError({"end_date": "The last date must be the same as or after the first date"})
    responder = Responder.objects.select_for_update().select_related("member__user").get(pk=responder.pk)
    problems = matching.why_ineligible(responder, request, start=start_date, end=end_date)
    if problems:
        raise ValidationError({"responder": problems})
    assignment = Assignment(
        request=request,
        responder=responder,
        role=role,
        start_date=start_date,
        end_date=end_date,
        note=note.strip(),
        assigned_by=by,
    )
    assignment.full_clean()
    with audit.acting_as(by.user):
        assignment.save()
    notify(
        recipient=responder.member,
        subject=f"You are assigned to surge request {request.reference}",
        body=(
            f"{request.organisation}: {request.title}. Role: {role}. "
            f"From {start_date:%-d %B %Y} to {end_date:%-d %B %Y}."
        ),
        link=f"/srrt/requests/{request.pk}/",
    )
    return assignment


@transaction.atomic
def assignment_remove(*, by: Member, assignment: Assignment, note: str) -> None:
    """A coordinator takes a responder off a request that has not closed."""
    require_coordinator(by)
    request = locked(assignment.request)
    if request.status in SurgeStatus.ended() or request.status == SurgeStatus.CLOSING:
        raise ValidationError("Assignments on a closing or ended request are kept as the record.")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say why the responder is being taken off"})
    audit.record(
        action=AuditEvent.Action.UPDATE, obj=request, note=f"{assignment.responder} taken off: {note}", actor=by.user
    )
    with audit.acting_as(by.user):
        assignment.delete()
