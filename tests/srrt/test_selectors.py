"""Reads for the later pages: the triage queue, a request's detail and timeline, a responder's assignments,
and assignments ending soon."""

from __future__ import annotations

import datetime

import pytest

from srrt import selectors, workflow
from srrt.models import Assignment, SurgeRequest, SurgeStatus
from tests.srrt.factories import SurgeRequestFactory

pytestmark = pytest.mark.django_db


def test_triage_queue_only_for_coordinators(requester, coordinator):
    waiting = SurgeRequestFactory(requester=requester)
    SurgeRequestFactory(requester=requester, status=SurgeStatus.APPROVED)
    assert list(selectors.triage_queue(coordinator)) == [waiting]
    assert not selectors.triage_queue(requester).exists()


def test_detail_is_scoped(requester, coordinator, staff_member):
    request = SurgeRequestFactory(requester=requester)
    assert selectors.request_detail(coordinator, request.pk) == request
    with pytest.raises(SurgeRequest.DoesNotExist):
        selectors.request_detail(staff_member, request.pk)


def test_timeline_lists_transitions(requester, coordinator):
    request = SurgeRequestFactory(requester=requester)
    workflow.request_triage(request=request, by=coordinator, outcome="decline", reason="Foreseeable")
    (event,) = selectors.request_timeline(request)
    assert event.changes == {"status": ["submitted", "declined"]} and event.note == "Foreseeable"


def test_responder_sees_their_assignment_and_ending_soon(requester, coordinator, responder):
    today = datetime.date(2025, 3, 10)
    live = SurgeRequestFactory(requester=requester, status=SurgeStatus.ACTIVE, start_date=today)
    gone = SurgeRequestFactory(requester=requester, status=SurgeStatus.CANCELLED, start_date=today)
    for request, end in ((live, today + datetime.timedelta(days=5)), (gone, today + datetime.timedelta(days=2))):
        Assignment.objects.create(
            request=request, responder=responder, role="Agent", start_date=today, end_date=end, assigned_by=coordinator
        )
    assert [a.request for a in selectors.my_assignments(responder.member)] == [live]
    assert [a.request for a in selectors.ending_soon(coordinator, on=today)] == [live]
    assert not selectors.ending_soon(coordinator, on=today + datetime.timedelta(days=6)).exists()
    assert not selectors.ending_soon(responder.member, on=today).exists()


def test_ending_soon_window_follows_the_setting(requester, coordinator, responder, settings):
    today = datetime.date(2025, 3, 10)
    live = SurgeRequestFactory(requester=requester, status=SurgeStatus.ACTIVE, start_date=today)
    assignment = Assignment.objects.create(
        request=live,
        responder=responder,
        role="Agent",
        start_date=today,
        end_date=today + datetime.timedelta(days=10),
        assigned_by=coordinator,
    )
    settings.SRRT_ENDING_SOON_DAYS = 7
    assert not selectors.ending_soon(coordinator, on=today).exists()
    assert selectors.my_ending_soon_ids(responder.member, on=today) == set()
    settings.SRRT_ENDING_SOON_DAYS = 10
    assert list(selectors.ending_soon(coordinator, on=today)) == [assignment]
    assert selectors.my_ending_soon_ids(responder.member, on=today) == {assignment.pk}
