"""The surge request workflow: every status change goes through ``transition``, guarded by ``TRANSITIONS``.

draft → submitted → approved / declined / more information requested; more information requested →
submitted (the requester answers and resubmits); approved → deploying → active → closing → closed; a
request may be cancelled until it is active. Each change is an audit event (who, when, from, to, note)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from odp import access, audit
from odp.models import AuditEvent, Member, Role
from odp.notifications import notify
from srrt import foreseeability
from srrt.models import (
    TEXT_MAX,
    TRANSITIONS,
    Agreement,
    DemandType,
    LastResortOption,
    LastResortOutcome,
    ReferenceCounter,
    SurgeRequest,
    SurgeStatus,
    TriageDecision,
    TriageOutcome,
)
from srrt.permissions import require_coordinator, require_requester_for

REQUIRED_TO_SUBMIT = {
    "title": "Enter a short title for the request",
    "demand_type": "Select the type of demand",
    "what_happened": "Describe what happened",
    "why_now": "Explain why support is needed now",
    "forecast_volume": "Enter the forecast volume",
    "normal_capacity": "Enter your normal capacity",
    "start_date": "Enter the date support should start",
    "expected_duration_days": "Enter how many days support is expected to be needed",
    "people_needed": "Enter how many people are needed",
    "locations": "Enter where the work is",
    "clearance_required": "Select the security clearance required",
    "in_forecast_or_plan": "Say whether this demand was in your forecast or capability plan",
}
# Moves a coordinator makes with nothing but a note. Submitting, triage and cancelling have their own services.
DEPLOYMENT_MOVES = (SurgeStatus.DEPLOYING, SurgeStatus.ACTIVE, SurgeStatus.CLOSING, SurgeStatus.CLOSED)
CANCELLABLE = (
    SurgeStatus.DRAFT,
    SurgeStatus.SUBMITTED,
    SurgeStatus.MORE_INFO,
    SurgeStatus.APPROVED,
    SurgeStatus.DEPLOYING,
)
_OUTCOME_STATUS = {
    TriageOutcome.APPROVE: SurgeStatus.APPROVED,
    TriageOutcome.OFFER_PLANNED_SURGE: SurgeStatus.APPROVED,
    TriageOutcome.DECLINE: SurgeStatus.DECLINED,
    TriageOutcome.MORE_INFO: SurgeStatus.MORE_INFO,
}


def _label(status: str) -> str:
    return SurgeStatus(status).label.lower()


def transition(request: SurgeRequest, to: str, *, by: Member, note: str = "") -> None:
    """Move the request to ``to`` if the workflow allows it and record the audit event. The caller saves the
    request (with whatever else changed) in the same transaction."""
    allowed = TRANSITIONS[request.status]
    if to not in allowed:
        onward = ", ".join(sorted(_label(s) for s in allowed)) or "nothing: its workflow has ended"
        raise ValidationError(
            f"A request that is {_label(request.status)} cannot be moved to {_label(to)}. It can next be: {onward}.",
            code="invalid_transition",
        )
    before = request.status
    request.status = to
    audit.record(
        action=AuditEvent.Action.TRANSITION, obj=request, changes={"status": [before, to]}, note=note, actor=by.user
    )


def locked(request: SurgeRequest) -> SurgeRequest:
    """The request as it is now, locked until the transaction ends, so two people cannot both move it."""
    return SurgeRequest.objects.select_for_update().get(pk=request.pk)


def next_reference(year: int) -> str:
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"SRRT-{year}-{counter.last:04d}"


def _clean_text(value: str, field: str, *, required: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: required})
    if len(value) > TEXT_MAX:
        raise ValidationError({field: f"Must be {TEXT_MAX} characters or fewer"})
    return value


def check_complete(request: SurgeRequest) -> None:
    """Every question answered, including all five last-resort options (with why they are not enough)."""
    errors: dict[str, str] = {}
    for name, message in REQUIRED_TO_SUBMIT.items():
        value = getattr(request, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[name] = message
    answers = {a.option: a for a in request.last_resort_answers.all()}
    for option in LastResortOption:
        answer = answers.get(option.value)
        if answer is None:
            errors[f"last_resort_{option.value}"] = f"Say whether {option.label.lower()} was tried or ruled out"
        elif answer.outcome != LastResortOutcome.NOT_CONSIDERED and not answer.why_not_enough.strip():
            errors[f"last_resort_{option.value}"] = f"Explain why {option.label.lower()} is not enough"
    if request.demand_type == DemandType.OTHER and not request.what_happened.strip():
        errors["what_happened"] = "Describe the demand"
    if errors:
        raise ValidationError(errors)
    request.full_clean(exclude=["reference", "organisation", "requester"])


def _store_foreseeability(request: SurgeRequest) -> foreseeability.Assessment:
    """Compute and keep the foreseeability, with lead time counted from the first submission."""
    submitted_on = timezone.localdate(request.submitted_at) if request.submitted_at else timezone.localdate()
    result = foreseeability.assess(request, submitted_on=submitted_on)
    request.foreseeability = result.result
    request.foreseeability_reasons = result.reasons_as_json()
    request.foreseeability_assessed_at = timezone.now()
    return result


def coordinators() -> QuerySet[Member]:
    return Member.objects.filter(is_active=True, role_assignments__role=Role.SRRT_COORDINATOR).distinct()


@transaction.atomic
def request_submit(*, request: SurgeRequest, by: Member) -> SurgeRequest:
    """Submit (or resubmit after more information was asked for): give a reference on the first submission,
    compute foreseeability, and tell the coordinators."""
    request = locked(request)
    require_requester_for(by, request.organisation_id)
    check_complete(request)
    resubmission = request.status == SurgeStatus.MORE_INFO
    transition(request, SurgeStatus.SUBMITTED, by=by, note="Resubmitted with more information" if resubmission else "")
    now = timezone.now()
    if not request.reference:
        request.reference = next_reference(timezone.localdate(now).year)
    request.submitted_at = request.submitted_at or now
    result = _store_foreseeability(request)
    with audit.acting_as(by.user):
        request.save()
    verb = "resubmitted" if resubmission else "submitted"
    for coordinator in coordinators():
        notify(
            recipient=coordinator,
            subject=f"Surge request {request.reference} {verb}",
            body=(
                f"{request.organisation} has {verb} a surge request: {request.title}. "
                f"Computed foreseeability: {result.result.label.lower()}."
            ),
            link=f"/srrt/requests/{request.pk}/",
        )
    return request


@transaction.atomic
def request_triage(
    *,
    request: SurgeRequest,
    by: Member,
    outcome: str,
    reason: str = "",
    last_resort_justification: str = "",
) -> TriageDecision:
    """A coordinator decides a submitted request. Declining and asking for more information need a reason;
    approving (or offering a planned-surge agreement) needs the last-resort justification, and may not be
    done by a coordinator from the requesting organisation or a body above it."""
    require_coordinator(by)
    if outcome not in TriageOutcome.values:
        raise ValidationError({"outcome": "Select a decision"})
    request = locked(request)
    if request.status != SurgeStatus.SUBMITTED:
        raise ValidationError(
            f"Only submitted requests can be triaged; this one is {_label(request.status)}.", code="invalid_transition"
        )
    approving = outcome in (TriageOutcome.APPROVE, TriageOutcome.OFFER_PLANNED_SURGE)
    if approving and request.organisation_id in by.organisation.subtree_ids():
        raise PermissionDenied("You cannot approve a request from your own organisation: ask another coordinator.")
    reason = _clean_text(
        reason,
        "reason",
        required=""
        if approving
        else (
            "Enter the reason for declining"
            if outcome == TriageOutcome.DECLINE
            else "Say what more information is needed"
        ),
    )
    justification = _clean_text(
        last_resort_justification,
        "last_resort_justification",
        required="Explain why the SRRT is the last resort here" if approving else "",
    )
    result = _store_foreseeability(request)
    decision = TriageDecision(
        request=request,
        outcome=outcome,
        reason=reason,
        last_resort_justification=justification,
        foreseeability=result.result,
        foreseeability_reasons=result.reasons_as_json(),
        decided_by=by,
    )
    transition(request, _OUTCOME_STATUS[outcome], by=by, note=reason or justification)
    if approving:
        request.agreement = Agreement.PLANNED_SURGE if outcome == TriageOutcome.OFFER_PLANNED_SURGE else Agreement.SRRT
    request.decided_at = timezone.now()
    with audit.acting_as(by.user):
        decision.save()
        request.save()
    notify(
        recipient=request.requester,
        subject=f"Surge request {request.reference}: {TriageOutcome(outcome).label.lower()}",
        body=reason or justification,
        link=f"/srrt/requests/{request.pk}/",
    )
    return decision


@transaction.atomic
def request_move(*, request: SurgeRequest, by: Member, to: str, note: str = "") -> SurgeRequest:
    """Coordinators: start deploying (needs at least one assignment), go active, start closing, close."""
    require_coordinator(by)
    if to not in DEPLOYMENT_MOVES:
        raise ValidationError(
            f"Use the triage or cancel action to mark a request {_label(to)}.", code="invalid_transition"
        )
    request = locked(request)
    note = _clean_text(note, "note")
    if to == SurgeStatus.DEPLOYING and request.status == SurgeStatus.APPROVED and not request.assignments.exists():
        raise ValidationError("Assign at least one responder before deploying.", code="no_assignments")
    transition(request, to, by=by, note=note)
    if to == SurgeStatus.CLOSED:
        request.closed_at = timezone.now()
    with audit.acting_as(by.user):
        request.save()
    return request


@transaction.atomic
def request_cancel(*, request: SurgeRequest, by: Member, note: str) -> SurgeRequest:
    """The requester (for their organisation) or a coordinator withdraws a request before it is active."""
    request = locked(request)
    is_coordinator = access.can(by, "srrt.triage")
    if not is_coordinator:
        require_requester_for(by, request.organisation_id)
    note = _clean_text(note, "note", required="" if request.status == SurgeStatus.DRAFT else "Say why it is cancelled")
    transition(request, SurgeStatus.CANCELLED, by=by, note=note)
    with audit.acting_as(by.user):
        request.save()
    return request
