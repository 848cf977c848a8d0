"""Coordinators' triage pages: the queue with foreseeability and submitted date, the decision page with the
foreseeability reasons in words; approve, decline (reason), more information (reason), planned-surge agreement;
approving your own organisation's request is a clear error, not a 500, and nothing changes."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from odp.models import AuditEvent
from srrt import workflow
from srrt.models import Agreement, DemandType, PlanAnswer, SurgeRequest, SurgeStatus, TriageDecision
from tests.srrt.factories import CalendarPeakFactory, SurgeRequestFactory, answer_last_resort

pytestmark = pytest.mark.django_db


def _client(member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


@pytest.fixture
def foreseeable(requester) -> SurgeRequest:
    """A seasonal peak in January, asked for the year before too, over a known calendar peak, submitted."""
    start = timezone.localdate() + datetime.timedelta(days=40)
    CalendarPeakFactory(
        name="Self Assessment deadline", start_month=start.month, start_day=1, end_month=start.month, end_day=28
    )
    SurgeRequestFactory(
        requester=requester,
        demand_type=DemandType.SEASONAL_PEAK,
        start_date=start.replace(year=start.year - 1, day=min(start.day, 28)),
        reference="SRRT-2000-0001",
    )
    draft = SurgeRequestFactory(
        requester=requester,
        status=SurgeStatus.DRAFT,
        title="Self Assessment calls",
        demand_type=DemandType.SEASONAL_PEAK,
        start_date=start,
        in_forecast_or_plan=PlanAnswer.PARTLY,
    )
    answer_last_resort(draft)
    return workflow.request_submit(request=draft, by=requester)


def test_queue_shows_foreseeability_and_submitted_date(coordinator, foreseeable):
    SurgeRequestFactory(requester=foreseeable.requester, status=SurgeStatus.DRAFT, title="Not yet submitted")
    page = _client(coordinator).get("/srrt/triage/").content.decode()
    assert "Self Assessment calls" in page and "Likely foreseeable" in page
    assert f"{foreseeable.submitted_at:%-d %B %Y}" in page
    assert "Not yet submitted" not in page


def test_queue_empty_state(coordinator):
    assert (
        "There are no surge requests waiting for a decision"
        in _client(coordinator).get("/srrt/triage/").content.decode()
    )


def test_decision_page_shows_the_reasons_in_words(coordinator, foreseeable):
    page = _client(coordinator).get(f"/srrt/requests/{foreseeable.pk}/triage/").content.decode()
    assert "Likely foreseeable" in page
    assert "Repeat use: this organisation asked for help with a seasonal peak" in page and "SRRT-2000-0001" in page
    assert "The period overlaps a known calendar peak: Self Assessment deadline." in page
    assert "partly in the forecast or plan" in page
    # The request page shows the same reasons to coordinators.
    detail = _client(coordinator).get(f"/srrt/requests/{foreseeable.pk}/").content.decode()
    assert "Self Assessment deadline" in detail and "Computed foreseeability" in detail


def test_approve_records_the_justification_and_goes_to_staffing(coordinator, foreseeable):
    response = _client(coordinator).post(
        f"/srrt/requests/{foreseeable.pk}/triage/",
        {"outcome": "approve", "last_resort_justification": "Overtime is exhausted and the backlog doubles weekly."},
    )
    assert response.url == f"/srrt/requests/{foreseeable.pk}/staffing/"
    foreseeable.refresh_from_db()
    assert foreseeable.status == SurgeStatus.APPROVED and foreseeable.agreement == Agreement.SRRT
    decision = TriageDecision.objects.get()
    assert decision.last_resort_justification.startswith("Overtime is exhausted")
    detail = _client(foreseeable.requester).get(f"/srrt/requests/{foreseeable.pk}/").content.decode()
    assert "Overtime is exhausted" in detail and "Approved" in detail


def test_offer_a_planned_surge_agreement(coordinator, foreseeable):
    _client(coordinator).post(
        f"/srrt/requests/{foreseeable.pk}/triage/",
        {"outcome": "offer_planned_surge", "last_resort_justification": "A recurring peak: agree it in advance."},
    )
    foreseeable.refresh_from_db()
    assert foreseeable.status == SurgeStatus.APPROVED and foreseeable.agreement == Agreement.PLANNED_SURGE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select a decision"),
        ({"outcome": "decline", "reason": ""}, "Enter the reason for declining"),
        ({"outcome": "more_info", "reason": " "}, "Say what more information is needed"),
        ({"outcome": "approve", "last_resort_justification": ""}, "Explain why the SRRT is the last resort here"),
        ({"outcome": "rubber-stamp"}, "Select a decision"),
    ],
)
def test_bad_decisions_show_errors_and_change_nothing(coordinator, foreseeable, data, message):
    client = _client(coordinator)
    events = AuditEvent.objects.count()
    response = client.post(f"/srrt/requests/{foreseeable.pk}/triage/", data)
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page and message in page
    foreseeable.refresh_from_db()
    assert foreseeable.status == SurgeStatus.SUBMITTED
    assert not TriageDecision.objects.exists() and AuditEvent.objects.count() == events


def test_decline_with_a_reason(coordinator, foreseeable):
    _client(coordinator).post(
        f"/srrt/requests/{foreseeable.pk}/triage/", {"outcome": "decline", "reason": "Foreseeable: plan for it."}
    )
    foreseeable.refresh_from_db()
    assert foreseeable.status == SurgeStatus.DECLINED
    assert foreseeable.requester.notifications.filter(body="Foreseeable: plan for it.").exists()


def test_approving_your_own_organisations_request_is_a_clear_error(home_office_coordinator, foreseeable):
    client = _client(home_office_coordinator)
    response = client.post(
        f"/srrt/requests/{foreseeable.pk}/triage/", {"outcome": "approve", "last_resort_justification": "Because."}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "You cannot approve a request from your own organisation" in page and "govuk-error-summary" in page
    foreseeable.refresh_from_db()
    assert foreseeable.status == SurgeStatus.SUBMITTED and not TriageDecision.objects.exists()


def test_a_decided_request_is_not_triaged_again(coordinator, foreseeable):
    client = _client(coordinator)
    client.post(f"/srrt/requests/{foreseeable.pk}/triage/", {"outcome": "decline", "reason": "No."})
    page = client.get(f"/srrt/requests/{foreseeable.pk}/triage/").content.decode()
    assert "not waiting for triage" in page and "Record decision" not in page
    response = client.post(
        f"/srrt/requests/{foreseeable.pk}/triage/", {"outcome": "approve", "last_resort_justification": "Changed."}
    )
    assert response.status_code == 400 and "Only submitted requests can be triaged" in response.content.decode()
    assert TriageDecision.objects.count() == 1


def test_only_coordinators_triage(requester, responder_member, head_of_profession, odp_admin, foreseeable):
    for other in (requester, responder_member, head_of_profession, odp_admin):
        client = _client(other)
        assert client.get("/srrt/triage/").status_code == 404
        assert client.get(f"/srrt/requests/{foreseeable.pk}/triage/").status_code == 404
        response = client.post(f"/srrt/requests/{foreseeable.pk}/triage/", {"outcome": "decline", "reason": "x"})
        assert response.status_code == 404
    foreseeable.refresh_from_db()
    assert foreseeable.status == SurgeStatus.SUBMITTED
    # Foreseeability is for coordinators (and admins): the requester and head of profession do not see it.
    assert "Computed foreseeability" not in _client(requester).get(f"/srrt/requests/{foreseeable.pk}/").content.decode()
    assert "Computed foreseeability" in _client(odp_admin).get(f"/srrt/requests/{foreseeable.pk}/").content.decode()


def test_queue_is_paginated(coordinator, requester):
    for n in range(27):
        SurgeRequestFactory(requester=requester, title=f"Queued request {n:02d}")
    client = _client(coordinator)
    assert client.get("/srrt/triage/").content.decode().count("Queued request") == 25
    assert client.get("/srrt/triage/?page=2").content.decode().count("Queued request") == 2


def test_queue_lists_approved_and_live_requests_for_tracking(coordinator, requester, settings):
    settings.SRRT_ENDING_SOON_DAYS = 10
    live = SurgeRequestFactory(requester=requester, status=SurgeStatus.ACTIVE, title="Live outage support")
    SurgeRequestFactory(requester=requester, status=SurgeStatus.CLOSED, title="Long finished")
    SurgeRequestFactory(requester=requester, status=SurgeStatus.SUBMITTED, title="Waiting for triage")
    page = _client(coordinator).get("/srrt/triage/").content.decode()
    live_section = page.split("Approved and live requests", 1)[1]
    assert "Live outage support" in live_section and f'href="/srrt/requests/{live.pk}/"' in live_section
    assert "Long finished" not in page and "Waiting for triage" not in live_section
    assert "Assignments ending within 10 days" in page
    assert _client(requester).get("/srrt/triage/").status_code == 404
