"""The requester's pages: a new request a question a page with save-as-draft, check your answers, submit, the
confirmation with the SRRT reference; responding when more information is asked for; cancelling; the request
page for everyone in scope (others 404). Bad input shows GOV.UK errors and saves nothing."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from odp.models import AuditEvent, Role
from srrt import workflow
from srrt.models import LastResortAnswer, LastResortOption, SurgeRequest, SurgeStatus, TriageOutcome
from tests.factories import MemberFactory, grant
from tests.skills.factories import published_version
from tests.srrt.factories import SurgeRequestFactory, answer_last_resort

pytestmark = pytest.mark.django_db


def _client(member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def _last_resort() -> dict[str, str]:
    data = {}
    for option in LastResortOption.values:
        data[f"last_resort_{option}"] = "tried" if option != "mutual_aid" else "not_considered"
        data[f"why_{option}"] = f"{option} cannot cover 20,000 a week." if option != "mutual_aid" else ""
    return data


def _answer_every_question(client: Client, pk: int, skill_pk: int) -> None:
    start = timezone.localdate() + datetime.timedelta(days=21)
    answers = [
        ("demand-type", {"demand_type": "system_outage"}),
        ("what-happened", {"what_happened": "Our case system failed for nine days.", "why_now": "A backlog grows."}),
        ("volume", {"forecast_volume": "60000", "normal_capacity": "40000", "volume_unit": "applications a week"}),
        ("dates", {**_date("start_date", start), "expected_duration_days": "42"}),
        ("people", {"people_needed": "12"}),
        ("skills", {"skills_needed": [str(skill_pk)]}),
        ("locations", {"locations": "Durham", "region": "north_east", "international": "no"}),
        ("clearance", {"clearance_required": "3"}),
        ("last-resort", _last_resort()),
        ("plan", {"in_forecast_or_plan": "no"}),
    ]
    for step, data in answers:
        response = client.post(f"/srrt/requests/{pk}/questions/{step}/", data)
        assert response.status_code == 302, (step, response.content.decode()[:3000])


def test_request_end_to_end(requester, coordinator, django_capture_on_commit_callbacks):
    skill = published_version().skills.first()
    client = _client(requester)
    page = client.get("/srrt/requests/").content.decode()
    assert "Your surge requests" in page and "You have no surge requests yet" in page
    assert client.get("/srrt/requests/new/").status_code == 200
    response = client.post("/srrt/requests/new/", {"title": "Passport backlog after outage"})
    surge_request = SurgeRequest.objects.get()
    assert surge_request.organisation == requester.organisation and surge_request.status == SurgeStatus.DRAFT
    assert response.url == f"/srrt/requests/{surge_request.pk}/questions/demand-type/"
    _answer_every_question(client, surge_request.pk, skill.pk)
    check = client.get(f"/srrt/requests/{surge_request.pk}/check/").content.decode()
    assert "Check your answers" in check and "60,000 applications a week" in check and "Security Check (SC)" in check
    assert f"/srrt/requests/{surge_request.pk}/questions/last-resort/?return=check" in check
    assert str(skill) in check and "Not considered" in check
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/srrt/requests/{surge_request.pk}/check/", follow=True)
    surge_request.refresh_from_db()
    assert surge_request.status == SurgeStatus.SUBMITTED and surge_request.reference
    html = done.content.decode()
    assert "govuk-panel--confirmation" in html and surge_request.reference in html
    assert coordinator.notifications.filter(subject__contains=surge_request.reference).exists()
    # The requester's request page shows status and timeline but not the computed foreseeability.
    detail = client.get(f"/srrt/requests/{surge_request.pk}/").content.decode()
    assert "Submitted" in detail and "Computed foreseeability" not in detail
    assert "Passport backlog after outage" in client.get("/srrt/requests/").content.decode()


def test_save_as_draft_on_any_page(requester):
    client = _client(requester)
    response = client.post("/srrt/requests/new/", {"title": "Winter calls", "save_draft": "1"}, follow=True)
    assert "Your draft has been saved" in response.content.decode()
    surge_request = SurgeRequest.objects.get()
    response = client.post(
        f"/srrt/requests/{surge_request.pk}/questions/people/", {"people_needed": "4", "save_draft": "1"}
    )
    assert response.url == "/srrt/requests/"
    surge_request.refresh_from_db()
    assert surge_request.people_needed == 4 and surge_request.status == SurgeStatus.DRAFT


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("people", {"people_needed": "0"}, "Number of people must be 1 or more"),
        ("people", {"people_needed": ""}, "Enter how many people are needed"),
        ("dates", {"expected_duration_days": "3", "start_date_day": "1", "start_date_month": "2"},
         "must include a year"),
        ("dates", {"expected_duration_days": "0", **_date("start_date", datetime.date(2030, 1, 1))}, "1 or more"),
        ("dates", {"expected_duration_days": "5", "start_date_day": "31", "start_date_month": "2",
                   "start_date_year": "2030"}, "Start date must be a real date"),
        ("clearance", {"clearance_required": "9"}, "Select a security clearance from the list"),
        ("clearance", {}, "Select the security clearance required"),
        ("demand-type", {"demand_type": "invented"}, "Select the type of demand"),
        ("volume", {"forecast_volume": "-3", "normal_capacity": "x", "volume_unit": ""},
         "Normal capacity must be a whole number"),
        ("last-resort", {**_last_resort(), "why_overtime": ""}, "Explain why overtime is not enough"),
        ("last-resort", {**_last_resort(), "last_resort_recruitment": ""}, "Say whether recruitment was tried"),
    ],
)  # fmt: skip
def test_bad_answers_show_errors_and_save_nothing(requester, step, data, message):
    surge_request = SurgeRequestFactory(requester=requester, status=SurgeStatus.DRAFT, people_needed=3)
    client = _client(requester)
    before = (SurgeRequest.objects.get().updated_at, LastResortAnswer.objects.count(), AuditEvent.objects.count())
    response = client.post(f"/srrt/requests/{surge_request.pk}/questions/{step}/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page and message in page and "<title>Error:" in page
    surge_request.refresh_from_db()
    assert surge_request.people_needed == 3 and surge_request.clearance_required == 1
    assert (surge_request.updated_at, LastResortAnswer.objects.count(), AuditEvent.objects.count()) == before


def test_a_title_is_needed_to_start(requester):
    response = _client(requester).post("/srrt/requests/new/", {"title": "  "})
    assert response.status_code == 400 and "Enter a short title for the request" in response.content.decode()
    assert not SurgeRequest.objects.exists()


def test_submitting_an_incomplete_request_lists_what_is_missing(requester):
    surge_request = SurgeRequestFactory(requester=requester, status=SurgeStatus.DRAFT, why_now="")
    response = _client(requester).post(f"/srrt/requests/{surge_request.pk}/check/")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Explain why support is needed now" in page and "Say whether overtime was tried or ruled out" in page
    assert f"/srrt/requests/{surge_request.pk}/questions/what-happened/?return=check" in page
    surge_request.refresh_from_db()
    assert surge_request.status == SurgeStatus.DRAFT and not surge_request.reference


def test_requester_with_several_bodies_chooses_the_organisation(requester, home_office, passport_office):
    client = _client(requester)
    page = client.get("/srrt/requests/new/").content.decode()
    assert "Which organisation needs the support?" in page and "HM Passport Office" in page
    response = client.post("/srrt/requests/new/", {"title": "Summer peak"})
    assert response.status_code == 400 and "Choose the organisation" in response.content.decode()
    client.post("/srrt/requests/new/", {"title": "Summer peak", "organisation": passport_office.pk})
    assert SurgeRequest.objects.get().organisation == passport_office


def test_responding_to_a_request_for_more_information(requester, coordinator):
    surge_request = SurgeRequestFactory(requester=requester, people_needed=3)
    answer_last_resort(surge_request)
    workflow.request_triage(
        request=surge_request, by=coordinator, outcome=TriageOutcome.MORE_INFO, reason="Say how many calls a day."
    )
    client = _client(requester)
    listing = client.get("/srrt/requests/").content.decode()
    assert "More information requested" in listing and f"/srrt/requests/{surge_request.pk}/check/" in listing
    check = client.get(f"/srrt/requests/{surge_request.pk}/check/").content.decode()
    assert "Say how many calls a day." in check and "Resubmit request" in check
    client.post(f"/srrt/requests/{surge_request.pk}/questions/people/", {"people_needed": "5"})
    client.post(f"/srrt/requests/{surge_request.pk}/check/")
    surge_request.refresh_from_db()
    assert surge_request.status == SurgeStatus.SUBMITTED and surge_request.people_needed == 5


@pytest.mark.parametrize("status", [SurgeStatus.CLOSED, SurgeStatus.SUBMITTED, SurgeStatus.APPROVED])
def test_a_request_past_drafting_cannot_be_edited(requester, status):
    surge_request = SurgeRequestFactory(requester=requester, status=status, people_needed=3)
    client = _client(requester)
    events = AuditEvent.objects.count()
    label = SurgeStatus(status).label.lower()
    for response in (
        client.get(f"/srrt/requests/{surge_request.pk}/questions/people/", follow=True),
        client.post(f"/srrt/requests/{surge_request.pk}/questions/people/", {"people_needed": "9"}, follow=True),
        client.post(f"/srrt/requests/{surge_request.pk}/check/", follow=True),
    ):
        assert response.redirect_chain[-1][0] == f"/srrt/requests/{surge_request.pk}/"
        assert f"It is {label}, so its answers can no longer be changed." in response.content.decode()
    surge_request.refresh_from_db()
    assert surge_request.people_needed == 3 and surge_request.status == status
    assert AuditEvent.objects.count() == events


def test_cancel_needs_a_reason_once_submitted(requester):
    surge_request = SurgeRequestFactory(requester=requester)
    client = _client(requester)
    response = client.post(f"/srrt/requests/{surge_request.pk}/cancel/", {"note": ""})
    assert response.status_code == 400 and "Say why it is cancelled" in response.content.decode()
    surge_request.refresh_from_db()
    assert surge_request.status == SurgeStatus.SUBMITTED
    response = client.post(f"/srrt/requests/{surge_request.pk}/cancel/", {"note": "Overtime covered it."}, follow=True)
    assert "The request has been cancelled" in response.content.decode()
    surge_request.refresh_from_db()
    assert surge_request.status == SurgeStatus.CANCELLED
    # Cancelled is final: the page says so instead of offering it again.
    response = client.get(f"/srrt/requests/{surge_request.pk}/cancel/", follow=True)
    assert "can no longer be cancelled" in response.content.decode()


def test_a_draft_cancels_without_a_reason(requester):
    surge_request = SurgeRequestFactory(requester=requester, status=SurgeStatus.DRAFT)
    _client(requester).post(f"/srrt/requests/{surge_request.pk}/cancel/", {"note": ""})
    surge_request.refresh_from_db()
    assert surge_request.status == SurgeStatus.CANCELLED


def test_request_pages_by_role(requester, coordinator, dwp, responder_member, head_of_profession, staff_member):
    surge_request = SurgeRequestFactory(requester=requester)
    dwp_requester = MemberFactory(organisation=dwp)
    grant(dwp_requester, Role.DEPARTMENT_REQUESTER, dwp)
    url = f"/srrt/requests/{surge_request.pk}/"
    assert _client(requester).get(url).status_code == 200
    assert _client(coordinator).get(url).status_code == 200
    assert _client(head_of_profession).get(url).status_code == 200
    for outsider in (dwp_requester, responder_member, staff_member):
        assert _client(outsider).get(url).status_code == 404
        assert _client(outsider).get(f"{url}cancel/").status_code == 404
    # The requester pages need the requester role.
    for other in (coordinator, responder_member, staff_member):
        assert _client(other).get("/srrt/requests/").status_code == 404
        assert _client(other).get("/srrt/requests/new/").status_code == 404
    # Another organisation's requester cannot answer or submit this organisation's draft.
    draft = SurgeRequestFactory(requester=requester, status=SurgeStatus.DRAFT)
    assert _client(dwp_requester).get(f"/srrt/requests/{draft.pk}/questions/title/").status_code == 404
    assert _client(dwp_requester).post(f"/srrt/requests/{draft.pk}/check/").status_code == 404
    assert "Surge support" not in _client(dwp_requester).get("/srrt/requests/").content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/srrt/requests/")
    assert response.status_code == 302 and "sign-in" in response.url


def test_request_list_is_paginated(requester):
    for n in range(27):
        SurgeRequestFactory(requester=requester, title=f"Request number {n:02d}")
    client = _client(requester)
    first = client.get("/srrt/requests/").content.decode()
    assert first.count("Request number") == 25 and "govuk-pagination" in first
    assert client.get("/srrt/requests/?page=2").content.decode().count("Request number") == 2


def test_text_is_escaped(requester, coordinator):
    surge_request = SurgeRequestFactory(requester=requester, what_happened="<script>alert(1)</script>")
    page = _client(coordinator).get(f"/srrt/requests/{surge_request.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_international_is_not_preselected_until_answered(requester):
    client = _client(requester)
    response = client.post("/srrt/requests/new/", {"title": "Outage backlog"})
    assert response.status_code == 302
    pk = SurgeRequest.objects.get().pk
    page = client.get(f"/srrt/requests/{pk}/questions/locations/").content.decode()
    assert 'value="no" checked' not in page and 'value="yes" checked' not in page
    assert "Outside the UK" in client.get(f"/srrt/requests/{pk}/check/").content.decode()
    refused = client.post(f"/srrt/requests/{pk}/questions/locations/", {"locations": "Durham", "region": "north_east"})
    assert refused.status_code == 400 and "Say whether it is abroad" in refused.content.decode()
    assert not SurgeRequest.objects.get().locations
    answered = client.post(
        f"/srrt/requests/{pk}/questions/locations/",
        {"locations": "Durham", "region": "north_east", "international": "no"},
    )
    assert answered.status_code == 302
    page = client.get(f"/srrt/requests/{pk}/questions/locations/").content.decode()
    assert 'value="no" checked' in page


def test_skills_page_says_when_no_framework_is_published(requester):
    client = _client(requester)
    client.post("/srrt/requests/new/", {"title": "Outage backlog"})
    pk = SurgeRequest.objects.get().pk
    page = client.get(f"/srrt/requests/{pk}/questions/skills/").content.decode()
    assert "No skills framework has been published yet" in page
    assert 'type="checkbox"' not in page
    assert client.post(f"/srrt/requests/{pk}/questions/skills/", {}).status_code == 302
    skill = published_version().skills.first()
    page = client.get(f"/srrt/requests/{pk}/questions/skills/").content.decode()
    assert "No skills framework has been published yet" not in page and str(skill) in page
