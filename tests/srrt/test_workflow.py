"""The surge request state machine: every allowed and refused move, and the services that make them."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from odp.models import AuditEvent, Notification, OutboxMessage
from srrt import services, workflow
from srrt.models import TRANSITIONS, Agreement, Foreseeability, PlanAnswer, SurgeRequest, SurgeStatus, TriageOutcome
from tests.srrt.factories import SurgeRequestFactory, all_last_resort, complete_answers

pytestmark = pytest.mark.django_db

PAIRS = list(itertools.product(SurgeStatus.values, SurgeStatus.values))


@pytest.mark.parametrize(("start", "to"), PAIRS)
def test_transition_allows_exactly_the_workflow(requester, start, to):
    request = SurgeRequestFactory(requester=requester, status=start)
    if to in TRANSITIONS[start]:
        workflow.transition(request, to, by=requester, note="because")
        assert request.status == to
        event = AuditEvent.objects.get(action=AuditEvent.Action.TRANSITION, object_id=str(request.pk))
        assert event.changes == {"status": [start, to]}
        assert event.note == "because"
        assert event.actor == requester.user
    else:
        with pytest.raises(ValidationError, match="cannot be moved"):
            workflow.transition(request, to, by=requester)
        assert request.status == start
        assert not AuditEvent.objects.filter(action=AuditEvent.Action.TRANSITION).exists()


def test_ended_states_go_nowhere():
    for status in SurgeStatus.ended():
        assert TRANSITIONS[status] == frozenset()


def draft(requester, home_office, **overrides):
    return services.request_save_draft(
        by=requester, organisation=home_office, answers=complete_answers(**overrides), last_resort=all_last_resort()
    )


def test_submit_gives_reference_foreseeability_and_tells_coordinators(requester, home_office, coordinator):
    request = workflow.request_submit(request=draft(requester, home_office), by=requester)
    assert request.status == SurgeStatus.SUBMITTED
    assert request.reference == f"SRRT-{timezone.localdate().year}-0001"
    assert request.foreseeability == Foreseeability.UNFORESEEABLE
    assert request.foreseeability_assessed_at is not None
    note = Notification.objects.get(recipient=coordinator)
    assert request.reference in note.subject
    assert OutboxMessage.objects.filter(task_name="odp.deliver_notification").exists()


def test_submit_stores_the_reasons(requester, home_office, coordinator):
    request = draft(requester, home_office, in_forecast_or_plan=PlanAnswer.YES)
    request = workflow.request_submit(request=request, by=requester)
    assert request.foreseeability == Foreseeability.LIKELY
    assert request.foreseeability_reasons[0]["code"] == "in_plan"


def test_references_count_up(requester, home_office, coordinator):
    first = workflow.request_submit(request=draft(requester, home_office), by=requester)
    second = workflow.request_submit(request=draft(requester, home_office), by=requester)
    assert first.reference.endswith("-0001") and second.reference.endswith("-0002")


def test_submit_needs_every_answer(requester, home_office):
    request = services.request_save_draft(by=requester, organisation=home_office, answers={"title": "Help"})
    with pytest.raises(ValidationError) as caught:
        workflow.request_submit(request=request, by=requester)
    errors = caught.value.message_dict
    assert "demand_type" in errors and "clearance_required" in errors and "last_resort_overtime" in errors
    request.refresh_from_db()
    assert request.status == SurgeStatus.DRAFT and request.reference is None


def test_last_resort_needs_why_not_enough_unless_not_considered(requester, home_office):
    answers = all_last_resort()
    answers["overtime"] = {"outcome": "tried", "why_not_enough": " "}
    answers["mutual_aid"] = {"outcome": "not_considered", "why_not_enough": ""}
    request = services.request_save_draft(
        by=requester, organisation=home_office, answers=complete_answers(), last_resort=answers
    )
    with pytest.raises(ValidationError) as caught:
        workflow.request_submit(request=request, by=requester)
    assert list(caught.value.message_dict) == ["last_resort_overtime"]


@pytest.fixture
def submitted(requester, home_office, coordinator):
    return workflow.request_submit(request=draft(requester, home_office), by=requester)


@pytest.mark.parametrize(
    ("outcome", "status", "agreement"),
    [
        (TriageOutcome.APPROVE, SurgeStatus.APPROVED, Agreement.SRRT),
        (TriageOutcome.OFFER_PLANNED_SURGE, SurgeStatus.APPROVED, Agreement.PLANNED_SURGE),
        (TriageOutcome.DECLINE, SurgeStatus.DECLINED, ""),
        (TriageOutcome.MORE_INFO, SurgeStatus.MORE_INFO, ""),
    ],
)
def test_triage_outcomes(submitted, coordinator, requester, outcome, status, agreement):
    decision = workflow.request_triage(
        request=submitted,
        by=coordinator,
        outcome=outcome,
        reason="A reason",
        last_resort_justification="Overtime and redeployment are exhausted.",
    )
    submitted.refresh_from_db()
    assert submitted.status == status
    assert submitted.agreement == agreement
    assert decision.decided_by == coordinator
    assert decision.foreseeability == Foreseeability.UNFORESEEABLE
    assert Notification.objects.filter(recipient=requester).exists()
    event = AuditEvent.objects.filter(action="transition", object_id=str(submitted.pk)).first()
    assert event.changes == {"status": ["submitted", status]}


def test_more_information_then_resubmit(submitted, coordinator, requester):
    workflow.request_triage(
        request=submitted, by=coordinator, outcome=TriageOutcome.MORE_INFO, reason="Which sites need people?"
    )
    submitted.refresh_from_db()
    services.request_save_draft(by=requester, request=submitted, answers={"locations": "Durham only"})
    first_submitted_at = submitted.submitted_at
    again = workflow.request_submit(request=submitted, by=requester)
    assert again.status == SurgeStatus.SUBMITTED
    assert again.reference == submitted.reference
    assert again.submitted_at == first_submitted_at
    assert again.locations == "Durham only"


def test_triage_only_of_submitted_requests(requester, coordinator):
    request = SurgeRequestFactory(requester=requester, status=SurgeStatus.APPROVED)
    with pytest.raises(ValidationError, match="Only submitted"):
        workflow.request_triage(request=request, by=coordinator, outcome=TriageOutcome.DECLINE, reason="No")


def test_only_coordinators_triage(submitted, requester):
    with pytest.raises(PermissionDenied):
        workflow.request_triage(request=submitted, by=requester, outcome=TriageOutcome.DECLINE, reason="No")


def approved(submitted, coordinator):
    workflow.request_triage(
        request=submitted, by=coordinator, outcome=TriageOutcome.APPROVE, last_resort_justification="Last resort."
    )
    submitted.refresh_from_db()
    return submitted


def test_deployment_through_to_close(submitted, coordinator, responder):
    request = approved(submitted, coordinator)
    with pytest.raises(ValidationError, match="Assign at least one"):
        workflow.request_move(request=request, by=coordinator, to=SurgeStatus.DEPLOYING)
    services.assignment_create(
        by=coordinator,
        request=request,
        responder=responder,
        role="Team leader",
        start_date=request.start_date,
        end_date=request.end_date,
    )
    for to in (SurgeStatus.DEPLOYING, SurgeStatus.ACTIVE, SurgeStatus.CLOSING, SurgeStatus.CLOSED):
        request = workflow.request_move(request=request, by=coordinator, to=to, note=f"Now {to}")
    assert request.status == SurgeStatus.CLOSED and request.closed_at is not None
    moves = AuditEvent.objects.filter(action="transition", object_id=str(request.pk)).order_by("pk")
    assert [e.changes["status"][1] for e in moves] == [
        "submitted",
        "approved",
        "deploying",
        "active",
        "closing",
        "closed",
    ]


def test_moves_go_one_step_at_a_time(submitted, coordinator):
    request = approved(submitted, coordinator)
    with pytest.raises(ValidationError, match="cannot be moved"):
        workflow.request_move(request=request, by=coordinator, to=SurgeStatus.CLOSED)
    with pytest.raises(ValidationError, match="triage or cancel"):
        workflow.request_move(request=request, by=coordinator, to=SurgeStatus.DECLINED)


def test_requester_cannot_move_deployments(submitted, coordinator, requester):
    request = approved(submitted, coordinator)
    with pytest.raises(PermissionDenied):
        workflow.request_move(request=request, by=requester, to=SurgeStatus.DEPLOYING)


@pytest.mark.parametrize("status", SurgeStatus.values)
def test_cancel(requester, status):
    request = SurgeRequestFactory(requester=requester, status=status, organisation=requester.organisation)
    if SurgeStatus.CANCELLED in TRANSITIONS[status]:
        workflow.request_cancel(request=request, by=requester, note="No longer needed")
        request.refresh_from_db()
        assert request.status == SurgeStatus.CANCELLED
    else:
        with pytest.raises(ValidationError):
            workflow.request_cancel(request=request, by=requester, note="No longer needed")
        request.refresh_from_db()
        assert request.status == status


def test_cancel_after_submission_needs_a_reason(submitted, requester):
    with pytest.raises(ValidationError):
        workflow.request_cancel(request=submitted, by=requester, note="")


def test_planned_surge_offer_needs_the_justification(submitted, coordinator):
    with pytest.raises(ValidationError):
        workflow.request_triage(request=submitted, by=coordinator, outcome=TriageOutcome.OFFER_PLANNED_SURGE)
    assert SurgeRequest.objects.get(pk=submitted.pk).status == SurgeStatus.SUBMITTED


def test_triage_recomputes_foreseeability(submitted, coordinator):
    from tests.srrt.factories import CalendarPeakFactory

    start = submitted.start_date
    CalendarPeakFactory(
        name="Now", start_month=start.month, start_day=start.day, end_month=start.month, end_day=start.day
    )
    decision = workflow.request_triage(
        request=submitted, by=coordinator, outcome=TriageOutcome.DECLINE, reason="Foreseeable peak"
    )
    assert decision.foreseeability == Foreseeability.POSSIBLY
    assert decision.foreseeability_reasons[0]["code"] == "calendar_peak"
