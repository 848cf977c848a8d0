"""/api/v1/srrt/requests/{id}/: deployment tracking and close-out through the API. Coordinators write; the
department's requesters appraise their side and mark recommendations done; everyone else who can see the request
only reads it; other organisations get 404. Bad input is answered field by field with nothing changed. The last
test drives one request from the requester's first answer to closed through the API alone."""

from __future__ import annotations

import datetime

import pytest

from odp.models import Role
from srrt import services
from srrt.models import Appraisal, Deployment, Extension, Recommendation, SurgeRequest, SurgeStatus
from tests.factories import MemberFactory, grant
from tests.srrt.factories import SurgeRequestFactory, all_last_resort, complete_answers
from tests.srrt.test_api import BASE, api, fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(requester, coordinator, responder) -> SurgeRequest:
    request = SurgeRequestFactory(requester=requester, status=SurgeStatus.APPROVED, agreement="srrt")
    services.assignment_create(
        by=coordinator,
        request=request,
        responder=responder,
        role="Caseworker",
        start_date=request.start_date,
        end_date=request.end_date,
    )
    return request


def url(request: SurgeRequest, tail: str = "") -> str:
    return f"{BASE}/requests/{request.pk}/{tail}"


def figures(request: SurgeRequest, **overrides) -> dict:
    body = {
        "actual_start_date": request.start_date.isoformat(),
        "actual_end_date": request.end_date.isoformat(),
        "responder_days": 14,
        "hours": "105.5",
    }
    body.update(overrides)
    return body


def close_out_body(**overrides) -> dict:
    body = {
        "volumes_cleared": 52000,
        "objectives_met": "partly",
        "outcomes": "Backlog down to normal levels in Durham.",
        "lessons": "Start the second site a week earlier.",
    }
    body.update(overrides)
    return body


def to_closing(request: SurgeRequest, coordinator) -> None:
    client = api(coordinator)
    assert client.post(url(request, "deployment/"), {"actual_start_date": request.start_date.isoformat()}).status_code
    assert client.post(url(request, "move/"), {"to": "active"}).status_code == 200
    assert client.put(url(request, "deployment/"), figures(request), format="json").status_code == 200
    assert client.post(url(request, "move/"), {"to": "closing"}).status_code == 200


def test_coordinator_tracks_extends_and_closes_out(approved, coordinator, requester, settings):
    settings.SRRT_DAILY_RATE_POUNDS = 400
    client = api(coordinator)
    started = client.post(url(approved, "deployment/"), {"actual_start_date": approved.start_date.isoformat()})
    assert started.status_code == 201, started.json()
    assert started.json()["status"] == "deploying"
    assert started.json()["deployment"]["daily_rate"] == "400.00"
    recorded = client.put(url(approved, "deployment/"), figures(approved, actual_end_date=None), format="json")
    assert recorded.status_code == 200
    assert recorded.json()["deployment"]["responder_days"] == 14 and recorded.json()["deployment"]["cost"] == "5600.00"
    old_end = datetime.date.fromisoformat(recorded.json()["deployment"]["planned_end_date"])
    new_end = (old_end + datetime.timedelta(days=7)).isoformat()
    extended = client.post(url(approved, "extensions/"), {"new_end_date": new_end, "reason": "Backlog still high"})
    assert extended.status_code == 201
    assert extended.json()["deployment"]["planned_end_date"] == new_end
    assert [e["reason"] for e in extended.json()["extensions"]] == ["Backlog still high"]
    assert client.post(url(approved, "move/"), {"to": "active"}).json()["status"] == "active"
    assert client.put(url(approved, "deployment/"), figures(approved), format="json").status_code == 200
    assert client.post(url(approved, "move/"), {"to": "closing"}).json()["status"] == "closing"
    saved = client.put(url(approved, "close-out/"), close_out_body(), format="json")
    assert saved.status_code == 200 and saved.json()["close_out"]["volumes_cleared"] == 52000
    added = client.post(
        url(approved, "recommendations/"),
        {"text": "Cross-train 20 examiners", "owner": "Head of Operations Planning", "due_on": "2030-03-31"},
    )
    assert added.status_code == 201
    (recommendation,) = added.json()["recommendations"]
    assert recommendation["owner"] == "Head of Operations Planning" and recommendation["done_on"] is None
    appraised = client.post(url(approved, "appraisals/"), {"score": 3, "comment": "Well prepared site"})
    assert appraised.status_code == 201 and appraised.json()["appraisals"][0]["side"] == "coordinator"
    closed = client.post(url(approved, "move/"), {"to": "closed"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed" and closed.json()["closed_at"]
    # After closing, the department appraises its side and marks the recommendation done.
    department = api(requester)
    theirs = department.post(url(approved, "appraisals/"), {"score": 4})
    assert theirs.status_code == 201
    assert sorted((a["side"], a["score"]) for a in theirs.json()["appraisals"]) == [
        ("coordinator", 3),
        ("requester", 4),
    ]
    done = department.post(url(approved, f"recommendations/{recommendation['id']}/done/"), {"note": "Trained in May"})
    assert done.status_code == 200 and done.json()["recommendations"][0]["done_note"] == "Trained in May"
    again = department.post(url(approved, f"recommendations/{recommendation['id']}/done/"))
    assert again.status_code == 400
    # A closed request is no longer changed.
    late = client.put(url(approved, "close-out/"), close_out_body(volumes_cleared=1), format="json")
    assert late.status_code == 400 and "closed" in late.json()["errors"][0]["message"]
    assert approved.close_out.volumes_cleared == 52000


def test_bad_input_is_refused_field_by_field(approved, coordinator, requester):
    client = api(coordinator)
    missing = client.post(url(approved, "deployment/"), {})
    assert missing.status_code == 400 and fields(missing) == {"actual_start_date"}
    assert not Deployment.objects.exists()
    client.post(url(approved, "deployment/"), {"actual_start_date": approved.start_date.isoformat()})
    backwards = client.put(
        url(approved, "deployment/"),
        figures(approved, actual_end_date=(approved.start_date - datetime.timedelta(days=1)).isoformat()),
        format="json",
    )
    assert backwards.status_code == 400 and fields(backwards) == {"actual_end_date"}
    negative = client.put(url(approved, "deployment/"), figures(approved, responder_days=-1, hours="-2"), format="json")
    assert negative.status_code == 400 and fields(negative) == {"responder_days", "hours"}
    assert Deployment.objects.get().responder_days == 0
    planned_end = Deployment.objects.get().planned_end_date
    no_reason = client.post(
        url(approved, "extensions/"),
        {"new_end_date": (planned_end + datetime.timedelta(days=3)).isoformat(), "reason": "  "},
    )
    assert no_reason.status_code == 400 and fields(no_reason) == {"reason"}
    earlier = client.post(url(approved, "extensions/"), {"new_end_date": planned_end.isoformat(), "reason": "More"})
    assert earlier.status_code == 400 and fields(earlier) == {"new_end_date"}
    assert not Extension.objects.exists()
    skipping = client.post(url(approved, "move/"), {"to": "deploying"})
    assert skipping.status_code == 400 and fields(skipping) == {"to"}
    # Closing without the end date, then closing out without outcomes, is refused.
    client.post(url(approved, "move/"), {"to": "active"})
    no_end = client.post(url(approved, "move/"), {"to": "closing"})
    assert no_end.status_code == 400 and fields(no_end) == {"actual_end_date"}
    client.put(url(approved, "deployment/"), figures(approved), format="json")
    client.post(url(approved, "move/"), {"to": "closing"})
    not_yet = client.post(url(approved, "move/"), {"to": "closed"})
    assert not_yet.status_code == 400 and "outcomes" in not_yet.json()["errors"][0]["message"]
    no_outcomes = client.put(
        url(approved, "close-out/"), close_out_body(outcomes="", objectives_met="maybe"), format="json"
    )
    assert no_outcomes.status_code == 400 and fields(no_outcomes) == {"objectives_met"}
    blank = client.put(url(approved, "close-out/"), close_out_body(outcomes=" "), format="json")
    assert blank.status_code == 400 and fields(blank) == {"outcomes"}
    assert not hasattr(SurgeRequest.objects.get(pk=approved.pk), "close_out")
    five = api(requester).post(url(approved, "appraisals/"), {"score": 5})
    assert five.status_code == 400 and fields(five) == {"score"}
    assert five.json()["errors"][0]["message"] == "Choose a score from 1 to 4"
    no_owner = client.post(url(approved, "recommendations/"), {"text": "Plan", "owner": "", "due_on": "2030-01-01"})
    assert no_owner.status_code == 400 and fields(no_owner) == {"owner"}
    assert not Appraisal.objects.exists() and not Recommendation.objects.exists()
    assert SurgeRequest.objects.get(pk=approved.pk).status == SurgeStatus.CLOSING


def test_one_appraisal_per_side(approved, coordinator, requester):
    to_closing(approved, coordinator)
    assert api(requester).post(url(approved, "appraisals/"), {"score": 2}).status_code == 201
    twice = api(requester).post(url(approved, "appraisals/"), {"score": 4})
    assert twice.status_code == 400 and "already appraised" in twice.json()["errors"][0]["message"]
    assert list(Appraisal.objects.values_list("side", "score")) == [("requester", 2)]


def test_roles_read_or_write_as_their_policy_says(
    approved, coordinator, requester, responder_member, head_of_profession, staff_member, dwp
):
    to_closing(approved, coordinator)
    recommendation = Recommendation.objects.create(
        request=approved, text="Plan", owner="Ops", due_on=datetime.date(2030, 1, 1), created_by=coordinator
    )
    # The requester may read, appraise and mark done, but not do the coordinator's writes.
    department = api(requester)
    assert department.get(url(approved)).json()["deployment"]["responder_days"] == 14
    assert department.put(url(approved, "close-out/"), close_out_body(), format="json").status_code == 403
    assert department.post(url(approved, "move/"), {"to": "closed"}).status_code == 403
    assert department.put(url(approved, "deployment/"), figures(approved), format="json").status_code == 403
    # The assigned responder and the department's head of profession read only.
    for reader in (responder_member, head_of_profession):
        client = api(reader)
        assert client.get(url(approved)).json()["status"] == "closing"
        assert client.post(url(approved, "appraisals/"), {"score": 4}).status_code == 403
        done = client.post(url(approved, f"recommendations/{recommendation.pk}/done/"))
        assert done.status_code == 403
        assert (
            client.post(url(approved, "extensions/"), {"new_end_date": "2031-01-01", "reason": "x"}).status_code == 403
        )
    # A requester for another organisation, or a member with no part in it, does not find it.
    outsider = MemberFactory(organisation=dwp)
    grant(outsider, Role.DEPARTMENT_REQUESTER, dwp)
    for stranger in (outsider, staff_member):
        client = api(stranger)
        assert client.get(url(approved)).status_code == 404
        assert client.post(url(approved, "appraisals/"), {"score": 4}).status_code == 404
        assert client.post(url(approved, f"recommendations/{recommendation.pk}/done/")).status_code == 404
    # A recommendation of another request is not found through this one.
    other = SurgeRequestFactory(requester=requester, status=SurgeStatus.CLOSING)
    stray = department.post(url(other, f"recommendations/{recommendation.pk}/done/"))
    assert stray.status_code == 404
    assert not Appraisal.objects.exists() and Recommendation.objects.get().done_on is None


def test_one_request_from_first_answer_to_closed_through_the_api(requester, home_office, coordinator, responder):
    """The issue's journey through the API only: raise and submit, triage, shortlist and assign, track, extend,
    close out, both appraisals, closed."""
    department = api(requester)
    answers = complete_answers()
    answers["start_date"] = answers["start_date"].isoformat()
    created = department.post(
        f"{BASE}/requests/",
        {"organisation": home_office.pk, **answers, "last_resort": all_last_resort()},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    base = f"{BASE}/requests/{pk}/"
    assert department.post(f"{base}submit/").json()["status"] == "submitted"
    srrt = api(coordinator)
    decided = srrt.post(f"{base}triage/", {"outcome": "approve", "last_resort_justification": "A real outage"})
    assert decided.status_code == 200, decided.json()
    shortlist = srrt.get(f"{base}shortlist/").json()["results"]
    assert [r["id"] for r in shortlist] == [responder.pk]
    request = srrt.get(base).json()
    period = {"start_date": request["start_date"], "end_date": request["start_date"]}
    assigned = srrt.post(f"{base}assignments/", {"responder": shortlist[0]["id"], "role": "Examiner", **period})
    assert assigned.status_code == 201, assigned.json()
    assert srrt.post(f"{base}deployment/", {"actual_start_date": request["start_date"]}).status_code == 201
    assert srrt.post(f"{base}move/", {"to": "active"}).json()["status"] == "active"
    planned_end = datetime.date.fromisoformat(srrt.get(base).json()["deployment"]["planned_end_date"])
    new_end = planned_end + datetime.timedelta(days=5)
    extension = srrt.post(f"{base}extensions/", {"new_end_date": new_end.isoformat(), "reason": "Backlog still high"})
    assert extension.status_code == 201
    recorded = srrt.put(
        f"{base}deployment/",
        {
            "actual_start_date": request["start_date"],
            "actual_end_date": new_end.isoformat(),
            "responder_days": 47,
            "hours": "340",
        },
        format="json",
    )
    assert recorded.status_code == 200, recorded.json()
    assert srrt.post(f"{base}move/", {"to": "closing"}).json()["status"] == "closing"
    assert srrt.put(f"{base}close-out/", close_out_body(), format="json").status_code == 200
    recommendation = srrt.post(
        f"{base}recommendations/", {"text": "Keep a reserve of examiners", "owner": "Ops", "due_on": "2030-06-30"}
    ).json()["recommendations"][0]
    assert srrt.post(f"{base}appraisals/", {"score": 3}).status_code == 201
    assert srrt.post(f"{base}move/", {"to": "closed"}).json()["status"] == "closed"
    assert department.post(f"{base}appraisals/", {"score": 4}).status_code == 201
    assert department.post(f"{base}recommendations/{recommendation['id']}/done/").status_code == 200
    final = department.get(base).json()
    assert final["status"] == "closed"
    assert final["deployment"]["responder_days"] == 47 and len(final["extensions"]) == 1
    assert {a["side"] for a in final["appraisals"]} == {"coordinator", "requester"}
    assert final["recommendations"][0]["done_on"] is not None
    assert [r["status"] for r in department.get(f"{BASE}/requests/").json()["results"]] == ["closed"]
