"""/api/v1/srrt/ per role: requesters for their own organisation (404 for others'), coordinators triage and
assign, the roster scoped to coordinators and each responder's own record, analytics for coordinators and
admins; the issue's bad input answered field by field with nothing changed."""

from __future__ import annotations

import datetime

import pytest
from rest_framework.test import APIClient

from srrt.models import Assignment, SurgeRequest, SurgeStatus, UnavailablePeriod
from tests.factories import MemberFactory
from tests.srrt.factories import ResponderFactory, SurgeRequestFactory, all_last_resort, complete_answers
from tests.srrt.test_analysis import history  # noqa: F401

pytestmark = pytest.mark.django_db
BASE = "/api/v1/srrt"


def api(member) -> APIClient:
    client = APIClient()
    client.force_authenticate(member.user)
    return client


def _json_answers(**overrides) -> dict:
    answers = complete_answers(**overrides)
    answers["start_date"] = answers["start_date"].isoformat()
    return answers


def fields(response) -> set:
    return {e["field"] for e in response.json()["errors"]}


def test_requester_creates_updates_and_submits_for_their_organisation(requester, home_office, coordinator):
    client = api(requester)
    created = client.post(
        f"{BASE}/requests/",
        {"organisation": home_office.pk, **_json_answers(), "last_resort": all_last_resort()},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["status"] == "draft"
    patched = client.patch(f"{BASE}/requests/{pk}/", {"people_needed": 8}, format="json")
    assert patched.status_code == 200 and patched.json()["people_needed"] == 8
    submitted = client.post(f"{BASE}/requests/{pk}/submit/")
    assert submitted.status_code == 200
    assert submitted.json()["reference"].startswith("SRRT-") and submitted.json()["foreseeability"]
    # The coordinator reads it; a requester cannot triage.
    assert api(coordinator).get(f"{BASE}/requests/{pk}/").status_code == 200
    assert client.post(f"{BASE}/requests/{pk}/triage/", {"outcome": "approve"}).status_code == 403


def test_bad_input_is_refused_field_by_field(requester, home_office, dwp):
    client = api(requester)
    zero = client.post(
        f"{BASE}/requests/", {"organisation": home_office.pk, "title": "x", "people_needed": 0}, format="json"
    )
    assert zero.status_code == 400 and "people_needed" in fields(zero)
    unknown = client.post(
        f"{BASE}/requests/", {"organisation": home_office.pk, "title": "x", "clearance_required": 9}, format="json"
    )
    assert unknown.status_code == 400 and "clearance_required" in fields(unknown)
    other = client.post(f"{BASE}/requests/", {"organisation": dwp.pk, "title": "x"}, format="json")
    assert other.status_code == 400 and fields(other) == {"organisation"}
    incomplete = client.post(f"{BASE}/requests/", {"organisation": home_office.pk, "title": "Only a title"})
    submit = client.post(f"{BASE}/requests/{incomplete.json()['id']}/submit/")
    assert submit.status_code == 400 and {"demand_type", "people_needed"} <= fields(submit)
    assert SurgeRequest.objects.filter(status=SurgeStatus.DRAFT).count() == 1


def test_closed_request_cannot_be_edited(requester):
    closed = SurgeRequestFactory(requester=requester, status=SurgeStatus.CLOSED)
    response = api(requester).patch(f"{BASE}/requests/{closed.pk}/", {"title": "New"}, format="json")
    assert response.status_code == 400
    closed.refresh_from_db()
    assert closed.title == "Surge support"


def test_other_organisations_requests_are_404(requester, dwp, staff_member):
    theirs = SurgeRequestFactory(requester=MemberFactory(organisation=dwp))
    client = api(requester)
    assert client.get(f"{BASE}/requests/{theirs.pk}/").status_code == 404
    assert client.patch(f"{BASE}/requests/{theirs.pk}/", {"title": "x"}, format="json").status_code == 404
    assert client.post(f"{BASE}/requests/{theirs.pk}/submit/").status_code == 404
    assert theirs.pk not in [r["id"] for r in client.get(f"{BASE}/requests/").json()["results"]]
    # A staff member with no SRRT role sees nothing and may not create.
    assert api(staff_member).get(f"{BASE}/requests/").json()["count"] == 0
    assert api(staff_member).post(f"{BASE}/requests/", {"title": "x"}).status_code == 403


def test_coordinator_triages_and_assigns(requester, coordinator, home_office_coordinator, responder):
    request = SurgeRequestFactory(requester=requester)
    client = api(coordinator)
    missing = client.post(f"{BASE}/requests/{request.pk}/triage/", {"outcome": "approve"})
    assert missing.status_code == 400 and fields(missing) == {"last_resort_justification"}
    # Approving your own organisation's request is refused.
    own = api(home_office_coordinator).post(
        f"{BASE}/requests/{request.pk}/triage/", {"outcome": "approve", "last_resort_justification": "Crisis"}
    )
    assert own.status_code == 403
    decided = client.post(
        f"{BASE}/requests/{request.pk}/triage/", {"outcome": "approve", "last_resort_justification": "A real crisis"}
    )
    assert decided.status_code == 200 and decided.json()["outcome"] == "approve"
    shortlist = client.get(f"{BASE}/requests/{request.pk}/shortlist/")
    assert [r["id"] for r in shortlist.json()["results"]] == [responder.pk]
    period = {"start_date": request.start_date.isoformat(), "end_date": request.end_date.isoformat()}
    backwards = client.post(
        f"{BASE}/requests/{request.pk}/assignments/",
        {
            "responder": responder.pk,
            "role": "Caseworker",
            "start_date": period["end_date"],
            "end_date": period["start_date"],
        },
    )
    assert backwards.status_code == 400 and fields(backwards) == {"end_date"}
    uncleared = ResponderFactory(clearance_expires_on=datetime.date.today() - datetime.timedelta(days=1))
    refused = client.post(
        f"{BASE}/requests/{request.pk}/assignments/", {"responder": uncleared.pk, "role": "Caseworker", **period}
    )
    assert refused.status_code == 400 and fields(refused) == {"responder"}
    away = ResponderFactory()
    UnavailablePeriod.objects.create(responder=away, start_date=request.start_date, end_date=request.start_date)
    unavailable = client.post(
        f"{BASE}/requests/{request.pk}/assignments/", {"responder": away.pk, "role": "Caseworker", **period}
    )
    assert unavailable.status_code == 400 and "unavailable" in unavailable.json()["errors"][0]["message"]
    assigned = client.post(
        f"{BASE}/requests/{request.pk}/assignments/", {"responder": responder.pk, "role": "Caseworker", **period}
    )
    assert assigned.status_code == 201
    assert list(Assignment.objects.values_list("responder_id", flat=True)) == [responder.pk]


def test_roster_for_coordinators_and_each_responder_their_own(coordinator, responder, requester):
    other = ResponderFactory()
    assert {r["id"] for r in api(coordinator).get(f"{BASE}/responders/").json()["results"]} == {responder.pk, other.pk}
    mine = api(responder.member)
    assert [r["id"] for r in mine.get(f"{BASE}/responders/").json()["results"]] == [responder.pk]
    assert mine.get(f"{BASE}/responders/{other.pk}/").status_code == 404
    assert api(requester).get(f"{BASE}/responders/").json()["count"] == 0


def test_analytics_for_coordinators_and_admins(history, coordinator, odp_admin, requester):  # noqa: F811
    for member in (coordinator, odp_admin):
        body = api(member).get(f"{BASE}/analytics/", {"year": 2024}).json()
        assert (body["deployments"], body["responder_days"], body["cost"]) == (4, 200, "70000.00")
        assert body["repeat_organisations"] == 1
    assert api(requester).get(f"{BASE}/analytics/").status_code == 403
    bad = api(coordinator).get(f"{BASE}/analytics/", {"year": "last"})
    assert bad.status_code == 400 and fields(bad) == {"year"}
