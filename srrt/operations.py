"""Writes after approval: tracking the deployment (dates, effort, cost, extensions), closing it out (outcomes,
lessons, recommendations tracked to done) and both sides' appraisals. Status moves go through
``workflow.request_move``; this module adds what each move needs first. Keyword-only, typed, atomic, audited."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DateField, F, IntegerField, Sum, Value
from django.db.models.functions import Least
from django.utils import timezone

from odp import audit
from odp.models import Member
from srrt import workflow
from srrt.dates import DaysBetween
from srrt.models import (
    TEXT_MAX,
    Appraisal,
    AppraisalSide,
    Assignment,
    CloseOut,
    Deployment,
    Extension,
    ObjectivesMet,
    Recommendation,
    SurgeRequest,
    SurgeStatus,
)
from srrt.permissions import can_request_for, is_coordinator, require_coordinator

TRACKED = (SurgeStatus.DEPLOYING, SurgeStatus.ACTIVE, SurgeStatus.CLOSING)


def daily_rate() -> Decimal:
    return Decimal(settings.SRRT_DAILY_RATE_POUNDS)


def _text(value: str | None, field: str, *, required: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: required})
    if len(value) > TEXT_MAX:
        raise ValidationError({field: f"Must be {TEXT_MAX} characters or fewer"})
    return value


def _require_status(request: SurgeRequest, allowed: tuple[str, ...], doing: str) -> None:
    if request.status == SurgeStatus.CLOSED and SurgeStatus.CLOSED not in allowed:
        raise ValidationError("This request is closed, so it can no longer be changed.", code="closed")
    if request.status not in allowed:
        raise ValidationError(
            f"You can {doing} only when a request is "
            f"{' or '.join(SurgeStatus(s).label.lower() for s in allowed)}; "
            f"this one is {request.get_status_display().lower()}.",
            code="invalid_status",
        )


def assigned_days(request: SurgeRequest, *, until: datetime.date | None = None) -> int:
    """Responder-days the assignments cover (each counted to ``until`` if given), summed in the database:
    the figure a coordinator starts from when recording responder-days."""
    end = F("end_date") if until is None else Least(F("end_date"), Value(until, output_field=DateField()))
    rows = Assignment.objects.filter(request=request)
    if until is not None:
        rows = rows.filter(start_date__lte=until)
    days = rows.aggregate(n=Sum(DaysBetween(end, F("start_date")) + 1, output_field=IntegerField()))["n"]
    return int(days or 0)


@transaction.atomic
def deployment_start(
    *, request: SurgeRequest, by: Member, actual_start_date: datetime.date | None, note: str = ""
) -> Deployment:
    """An approved request with responders assigned starts deploying: tracking begins at today's daily rate."""
    require_coordinator(by)
    request = workflow.locked(request)
    _require_status(request, (SurgeStatus.APPROVED,), "start a deployment")
    if actual_start_date is None:
        raise ValidationError({"actual_start_date": "Enter the date the deployment started"})
    expected_end = actual_start_date + datetime.timedelta(days=(request.expected_duration_days or 1) - 1)
    deployment = Deployment(
        request=request,
        actual_start_date=actual_start_date,
        planned_end_date=expected_end,
        daily_rate=daily_rate(),
        updated_by=by,
    )
    workflow.request_move(request=request, by=by, to=SurgeStatus.DEPLOYING, note=note)
    deployment.full_clean(exclude=["request"])
    with audit.acting_as(by.user):
        deployment.save()
    return deployment


@transaction.atomic
def deployment_record(
    *,
    request: SurgeRequest,
    by: Member,
    actual_start_date: datetime.date | None,
    actual_end_date: datetime.date | None,
    responder_days: int | None,
    hours: Decimal | None,
) -> Deployment:
    """The coordinator keeps the actual figures current; the recharge follows from responder-days."""
    require_coordinator(by)
    request = workflow.locked(request)
    _require_status(request, TRACKED, "record deployment figures")
    deployment = Deployment.objects.select_for_update().get(request=request)
    errors: dict[str, str] = {}
    if actual_start_date is None:
        errors["actual_start_date"] = "Enter the date the deployment started"
    elif actual_end_date is not None and actual_end_date < actual_start_date:
        errors["actual_end_date"] = "The end date must be the same as or after the start date"
    if responder_days is None or responder_days < 0:
        errors["responder_days"] = "Enter the responder-days worked, 0 or more"
    if hours is None or hours < 0:
        errors["hours"] = "Enter the hours worked, 0 or more"
    if errors:
        raise ValidationError(errors)
    deployment.actual_start_date = actual_start_date
    deployment.actual_end_date = actual_end_date
    deployment.planned_end_date = max(deployment.planned_end_date, actual_start_date)
    deployment.responder_days = responder_days
    deployment.hours = hours
    deployment.cost = Decimal(responder_days) * deployment.daily_rate
    deployment.updated_by = by
    deployment.updated_at = timezone.now()
    deployment.full_clean(exclude=["request"])
    with audit.acting_as(by.user):
        deployment.save()
    return deployment


@transaction.atomic
def deployment_extend(
    *, request: SurgeRequest, by: Member, new_end_date: datetime.date | None, reason: str
) -> Extension:
    """Keep the deployment on past its agreed end, with the reason."""
    require_coordinator(by)
    request = workflow.locked(request)
    _require_status(request, (SurgeStatus.DEPLOYING, SurgeStatus.ACTIVE), "extend a deployment")
    deployment = Deployment.objects.select_for_update().get(request=request)
    reason = _text(reason, "reason", required="Enter the reason for the extension")
    if new_end_date is None:
        raise ValidationError({"new_end_date": "Enter the new end date"})
    if new_end_date <= deployment.planned_end_date:
        raise ValidationError(
            {"new_end_date": f"The new end date must be after the current one, {deployment.planned_end_date:%-d %B %Y}"}
        )
    extension = Extension(
        request=request,
        previous_end_date=deployment.planned_end_date,
        new_end_date=new_end_date,
        reason=reason,
        extended_by=by,
    )
    deployment.planned_end_date = new_end_date
    deployment.updated_by = by
    deployment.updated_at = timezone.now()
    with audit.acting_as(by.user):
        extension.save()
        deployment.save()
    return extension


@transaction.atomic
def deployment_move(*, request: SurgeRequest, by: Member, to: str, note: str = "") -> SurgeRequest:
    """deploying → active → closing → closed, each once what it needs is recorded: going active needs the
    deployment tracked, closing needs the actual end date, and closing out needs the close-out and the
    coordinator's appraisal (the department's appraisal may follow)."""
    require_coordinator(by)
    request = workflow.locked(request)
    if to == SurgeStatus.DEPLOYING:
        raise ValidationError("Start a deployment with its start date.", code="invalid_transition")
    deployment = Deployment.objects.filter(request=request).first()
    if to in (SurgeStatus.ACTIVE, SurgeStatus.CLOSING) and deployment is None:
        raise ValidationError("Start the deployment before moving it on.", code="not_tracked")
    if to == SurgeStatus.CLOSING and request.status == SurgeStatus.ACTIVE and deployment.actual_end_date is None:
        raise ValidationError(
            {"actual_end_date": "Record the date the deployment ended before closing it"}, code="no_end_date"
        )
    if to == SurgeStatus.CLOSED and request.status == SurgeStatus.CLOSING:
        missing = []
        if not CloseOut.objects.filter(request=request).exists():
            missing.append("the outcomes")
        if not Appraisal.objects.filter(request=request, side=AppraisalSide.COORDINATOR).exists():
            missing.append("your appraisal")
        if missing:
            raise ValidationError(f"Record {' and '.join(missing)} before closing.", code="close_out_incomplete")
    return workflow.request_move(request=request, by=by, to=to, note=note)


@transaction.atomic
def close_out_save(
    *,
    request: SurgeRequest,
    by: Member,
    volumes_cleared: int | None,
    objectives_met: str,
    outcomes: str,
    lessons: str = "",
) -> CloseOut:
    require_coordinator(by)
    request = workflow.locked(request)
    _require_status(request, (SurgeStatus.CLOSING,), "record the close-out")
    errors: dict[str, str] = {}
    if volumes_cleared is None or volumes_cleared < 0:
        errors["volumes_cleared"] = "Enter the volume cleared, 0 or more"
    if objectives_met not in ObjectivesMet.values:
        errors["objectives_met"] = "Say whether the objectives were met"
    if errors:
        raise ValidationError(errors)
    close_out = CloseOut.objects.filter(request=request).first() or CloseOut(request=request)
    close_out.volumes_cleared = volumes_cleared
    close_out.objectives_met = objectives_met
    close_out.outcomes = _text(outcomes, "outcomes", required="Describe the outcomes")
    close_out.lessons = _text(lessons, "lessons")
    close_out.recorded_by = by
    close_out.recorded_at = timezone.now()
    with audit.acting_as(by.user):
        close_out.save()
    return close_out


@transaction.atomic
def recommendation_add(
    *, request: SurgeRequest, by: Member, text: str, owner: str, due_on: datetime.date | None
) -> Recommendation:
    """A recommendation to strengthen the department's own capability, with an owner and a due date."""
    require_coordinator(by)
    request = workflow.locked(request)
    _require_status(request, (SurgeStatus.CLOSING,), "add recommendations")
    text = _text(text, "text", required="Enter the recommendation")
    owner = _text(owner, "owner", required="Enter who owns it")[:150]
    if due_on is None:
        raise ValidationError({"due_on": "Enter the date it is due"})
    recommendation = Recommendation(request=request, text=text, owner=owner, due_on=due_on, created_by=by)
    with audit.acting_as(by.user):
        recommendation.save()
    return recommendation


def can_track_recommendations(member: Member, request: SurgeRequest) -> bool:
    return is_coordinator(member) or can_request_for(member, request.organisation_id)


@transaction.atomic
def recommendation_done(*, recommendation: Recommendation, by: Member, note: str = "") -> Recommendation:
    """The coordinator or the department marks a recommendation done (also after the request closed: the
    recommendations outlive the deployment)."""
    recommendation = Recommendation.objects.select_for_update().select_related("request").get(pk=recommendation.pk)
    if not can_track_recommendations(by, recommendation.request):
        raise PermissionDenied("Only SRRT coordinators or the department's requesters can do that.")
    if recommendation.done_on is not None:
        raise ValidationError("This recommendation is already done.", code="already_done")
    recommendation.done_on = timezone.localdate()
    recommendation.done_note = _text(note, "done_note")
    with audit.acting_as(by.user):
        recommendation.save()
    return recommendation


def appraisal_side_for(member: Member, request: SurgeRequest) -> str | None:
    """Which side this member appraises for: coordinators for the SRRT, requesters for their department."""
    if is_coordinator(member):
        return AppraisalSide.COORDINATOR
    if can_request_for(member, request.organisation_id):
        return AppraisalSide.REQUESTER
    return None


@transaction.atomic
def appraisal_give(*, request: SurgeRequest, by: Member, score: int | None, comment: str = "") -> Appraisal:
    """Each side rates the deployment once, 1 to 4, while it is closing or after it closed."""
    side = appraisal_side_for(by, request)
    if side is None:
        raise PermissionDenied("Only SRRT coordinators or the department's requesters can appraise a deployment.")
    request = workflow.locked(request)
    _require_status(request, (SurgeStatus.CLOSING, SurgeStatus.CLOSED), "appraise the deployment")
    if score not in Appraisal.SCALE:
        raise ValidationError({"score": "Choose a score from 1 to 4"})
    if Appraisal.objects.filter(request=request, side=side).exists():
        raise ValidationError(
            f"The {AppraisalSide(side).label.lower()} has already appraised this deployment.", code="already_appraised"
        )
    appraisal = Appraisal(request=request, side=side, score=score, comment=_text(comment, "comment"), given_by=by)
    with audit.acting_as(by.user):
        appraisal.save()
    return appraisal


def ending_soon_days() -> int:
    return settings.SRRT_ENDING_SOON_DAYS
