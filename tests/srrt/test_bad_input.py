"""Bad input from the issue: end before start, zero people, clearance unknown, assigning an unavailable or
uncleared responder, approving your own organisation's request, editing a closed request. Each is a clear
error and changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from odp.models import AuditEvent, Notification
from srrt import services, workflow
from srrt.models import Assignment, Clearance, Responder, SurgeRequest, SurgeStatus, TriageDecision, UnavailablePeriod
from tests.srrt.factories import ResponderFactory, SurgeRequestFactory, all_last_resort, complete_answers

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (
        SurgeRequest.objects.count(),
        Assignment.objects.count(),
        TriageDecision.objects.count(),
        UnavailablePeriod.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"people_needed": 0}, "people_needed"),
        ({"expected_duration_days": 0}, "expected_duration_days"),
        ({"clearance_required": 9}, "clearance_required"),
        ({"demand_type": "invented"}, "demand_type"),
        ({"title": "  "}, "title"),
    ],
)
def test_bad_answers_save_nothing(requester, home_office, answers, field):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.request_save_draft(by=requester, organisation=home_office, answers=complete_answers(**answers))
    assert field in caught.value.message_dict
    assert counts() == before


def test_database_refuses_zero_people_and_unknown_clearance(requester):
    for bad in ({"people_needed": 0}, {"clearance_required": 7}, {"expected_duration_days": 0}):
        with pytest.raises(IntegrityError), transaction.atomic():
            SurgeRequestFactory(requester=requester, **bad)


def test_requester_only_for_their_organisation(requester, dwp, coordinator):
    with pytest.raises(PermissionDenied):
        services.request_save_draft(by=requester, organisation=dwp, answers=complete_answers())
    with pytest.raises(PermissionDenied):
        services.request_save_draft(by=coordinator, organisation=dwp, answers=complete_answers())
    assert not SurgeRequest.objects.exists()


def test_unknown_last_resort_outcome(requester, home_office):
    answers = all_last_resort()
    answers["overtime"] = {"outcome": "maybe"}
    with pytest.raises(ValidationError) as caught:
        services.request_save_draft(
            by=requester, organisation=home_office, answers=complete_answers(), last_resort=answers
        )
    assert "last_resort_overtime" in caught.value.message_dict
    assert not SurgeRequest.objects.exists()


@pytest.mark.parametrize("status", [s for s in SurgeStatus.values if s not in SurgeStatus.editable()])
def test_editing_after_submission_is_refused(requester, status):
    request = SurgeRequestFactory(requester=requester, status=status)
    before = counts()
    with pytest.raises(ValidationError, match="closed" if status == SurgeStatus.CLOSED else "no longer"):
        services.request_save_draft(by=requester, request=request, answers={"title": "Changed"})
    request.refresh_from_db()
    assert request.title == "Surge support"
    assert counts() == before


def test_approving_your_own_organisations_request(requester, home_office, home_office_coordinator, passport_office):
    for organisation in (home_office, passport_office):  # its child bodies count as its own
        request = SurgeRequestFactory(requester=requester, organisation=organisation)
        before = counts()
        with pytest.raises(PermissionDenied, match="own organisation"):
            workflow.request_triage(
                request=request, by=home_office_coordinator, outcome="approve", last_resort_justification="Yes"
            )
        request.refresh_from_db()
        assert request.status == SurgeStatus.SUBMITTED
        assert counts() == before
    # Declining or asking for more is still theirs to do.
    workflow.request_triage(request=request, by=home_office_coordinator, outcome="more_info", reason="Which sites?")


@pytest.mark.parametrize(
    ("outcome", "field"), [("decline", "reason"), ("more_info", "reason"), ("approve", "last_resort_justification")]
)
def test_triage_needs_its_reason(requester, coordinator, outcome, field):
    request = SurgeRequestFactory(requester=requester)
    before = counts()
    with pytest.raises(ValidationError) as caught:
        workflow.request_triage(request=request, by=coordinator, outcome=outcome, reason=" ")
    assert field in caught.value.message_dict
    assert counts() == before


@pytest.fixture
def approved(requester):
    return SurgeRequestFactory(
        requester=requester, status=SurgeStatus.APPROVED, clearance_required=Clearance.SC, expected_duration_days=10
    )


def assign(approved, coordinator, responder, **overrides):
    values = {"role": "Agent", "start_date": approved.start_date, "end_date": approved.end_date} | overrides
    return services.assignment_create(by=coordinator, request=approved, responder=responder, **values)


def test_assignment_end_before_start(approved, coordinator, responder):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        assign(approved, coordinator, responder, end_date=approved.start_date - datetime.timedelta(days=1))
    assert "end_date" in caught.value.message_dict
    assert counts() == before


def test_assigning_an_uncleared_responder(approved, coordinator):
    uncleared = ResponderFactory(clearance_level=Clearance.BPSS)
    expired = ResponderFactory(clearance_expires_on=approved.start_date)
    before = counts()
    for responder, words in ((uncleared, "clearance required"), (expired, "expires")):
        with pytest.raises(ValidationError, match=words):
            assign(approved, coordinator, responder)
    assert counts() == before


def test_assigning_an_unavailable_responder(approved, coordinator, responder):
    services.unavailable_period_add(
        by=responder.member, responder=responder, start_date=approved.end_date, end_date=approved.end_date
    )
    before = counts()
    with pytest.raises(ValidationError, match="unavailable"):
        assign(approved, coordinator, responder)
    assert counts() == before


def test_assigning_twice_over_the_same_days(approved, coordinator, responder, requester):
    assign(approved, coordinator, responder)
    other = SurgeRequestFactory(requester=requester, status=SurgeStatus.APPROVED, start_date=approved.start_date)
    with pytest.raises(ValidationError, match="already assigned elsewhere"):
        assign(other, coordinator, responder)
    assert Assignment.objects.count() == 1


def test_assigning_before_approval_or_by_others(requester, coordinator, responder):
    submitted = SurgeRequestFactory(requester=requester)
    with pytest.raises(ValidationError, match="once a request is approved"):
        assign(submitted, coordinator, responder)
    approved_request = SurgeRequestFactory(requester=requester, status=SurgeStatus.APPROVED)
    with pytest.raises(PermissionDenied):
        assign(approved_request, requester, responder)
    assert not Assignment.objects.exists()


def test_unavailable_period_end_before_start(responder):
    day = datetime.date(2025, 7, 1)
    with pytest.raises(ValidationError):
        services.unavailable_period_add(
            by=responder.member, responder=responder, start_date=day, end_date=day - datetime.timedelta(days=1)
        )
    assert not UnavailablePeriod.objects.exists()


def test_roster_clearance_unknown_and_self_service_limits(coordinator, responder, responder_member, requester):
    with pytest.raises(ValidationError):
        services.responder_save(
            by=coordinator,
            member=requester,
            details={"clearance_level": 0, "clearance_expires_on": datetime.date(2030, 1, 1), "home_region": "london"},
        )
    assert not Responder.objects.filter(member=requester).exists()
    with pytest.raises(PermissionDenied):
        services.responder_save(by=responder_member, member=responder_member, details={"clearance_level": Clearance.DV})
    services.responder_save(by=responder_member, member=responder_member, details={"international_available": True})
    responder.refresh_from_db()
    assert responder.international_available and responder.clearance_level == Clearance.SC


def test_calendar_peak_needs_a_real_day(coordinator):
    with pytest.raises(ValidationError):
        services.calendar_peak_save(
            by=coordinator, details={"name": "Bad", "start_month": 2, "start_day": 30, "end_month": 3, "end_day": 1}
        )
    with pytest.raises(PermissionDenied):
        services.calendar_peak_save(by=ResponderFactory().member, details={"name": "x"})


def test_complete_draft_saves_last_resort_answers(requester, home_office):
    request = services.request_save_draft(
        by=requester, organisation=home_office, answers=complete_answers(), last_resort=all_last_resort()
    )
    assert request.last_resort_answers.count() == 5
    assert AuditEvent.objects.filter(object_type="srrt.surgerequest", action="create").exists()
