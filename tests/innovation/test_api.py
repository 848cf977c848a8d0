"""/api/v1/ideas/ and /api/v1/case-studies/: scoped reads, writes through the services, one error shape."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from innovation.models import CaseStudy, Idea, IdeaStatus, ServiceArea, Visibility
from odp.models import AuditEvent
from tests.innovation.factories import IdeaFactory


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _as(api: APIClient, member) -> APIClient:
    api.force_authenticate(member.user)
    return api


def _errors(response) -> dict[str | None, str]:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def test_signed_out_callers_are_refused(api, db):
    assert api.get("/api/v1/ideas/").status_code == 401
    assert api.get("/api/v1/innovation-plans/").status_code == 401
    assert api.get("/api/v1/moderation/reports/").status_code == 401


def test_the_list_is_scoped_and_filtered(api, staff_member, council_member):
    shared = IdeaFactory(author=staff_member, visibility=Visibility.PARTNERS, title="Shared with councils")
    IdeaFactory(author=staff_member, visibility=Visibility.ORGANISATION)
    IdeaFactory(author=staff_member, status=IdeaStatus.DRAFT, visibility=Visibility.PARTNERS)
    body = _as(api, council_member).get("/api/v1/ideas/").json()
    assert [row["id"] for row in body["results"]] == [shared.pk]
    assert api.get("/api/v1/ideas/", {"status": "nonsense"}).status_code == 400


def test_out_of_scope_ideas_are_not_found(api, staff_member, council_member):
    private = IdeaFactory(author=staff_member, visibility=Visibility.ORGANISATION)
    assert _as(api, council_member).get(f"/api/v1/ideas/{private.pk}/").status_code == 404
    assert api.post(f"/api/v1/ideas/{private.pk}/endorse/").status_code == 404


def test_raise_an_idea_from_draft_to_submitted(api, staff_member):
    api = _as(api, staff_member)
    created = api.post(
        "/api/v1/ideas/", {"title": "<script>alert('x')</script> Text updates", "themes": ["digital-and-ai"]}, "json"
    )
    assert created.status_code == 201, created.content
    idea_id = created.json()["id"]
    assert created.json()["title"] == "<script>alert('x')</script> Text updates"
    assert created["Content-Type"] == "application/json"
    api.patch(
        f"/api/v1/ideas/{idea_id}/",
        {"problem": "People ring.", "proposed_change": "Text them.", "service_area": ServiceArea.PASSPORTS},
        "json",
    )
    submitted = api.post(f"/api/v1/ideas/{idea_id}/submit/")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["reference"].startswith("IDEA-")
    assert submitted.json()["decision_due_on"]
    assert [e["to_status"] for e in submitted.json()["timeline"]] == ["draft", "submitted"]
    assert AuditEvent.objects.filter(object_type="innovation.idea", actor=staff_member.user).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 151}, "title"),
        ({"title": "ok", "hours_saved_per_year": -1}, "hours_saved_per_year"),
    ],
)
def test_bad_answers_get_the_error_shape(api, staff_member, body, field):
    response = _as(api, staff_member).post("/api/v1/ideas/", body, "json")
    assert response.status_code == 400
    assert field in _errors(response)
    assert not Idea.objects.exists()


def test_incomplete_submission_names_each_missing_answer(api, staff_member):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.DRAFT, problem="")
    response = _as(api, staff_member).post(f"/api/v1/ideas/{idea.pk}/submit/")
    assert response.status_code == 400
    assert set(_errors(response)) == {"problem", "service_area"}


def test_a_second_endorsement_is_refused(api, staff_member, colleague):
    idea = IdeaFactory(author=staff_member)
    api = _as(api, colleague)
    assert api.post(f"/api/v1/ideas/{idea.pk}/endorse/").status_code == 204
    second = api.post(f"/api/v1/ideas/{idea.pk}/endorse/")
    assert second.status_code == 400
    assert _errors(second) == {None: "You have already endorsed this idea."}


def test_comments_are_added_and_listed(api, staff_member, colleague):
    idea = IdeaFactory(author=staff_member)
    api = _as(api, colleague)
    assert api.post(f"/api/v1/ideas/{idea.pk}/comments/", {"body": "   "}, "json").status_code == 400
    assert api.post(f"/api/v1/ideas/{idea.pk}/comments/", {"body": "Good idea"}, "json").status_code == 201
    assert [c["body"] for c in api.get(f"/api/v1/ideas/{idea.pk}/comments/").json()["results"]] == ["Good idea"]


def test_deciding_outside_your_organisation_is_not_found(api, staff_member, dwp_hop):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.UNDER_REVIEW, visibility=Visibility.CIVIL_SERVICE)
    response = _as(api, dwp_hop).post(
        f"/api/v1/ideas/{idea.pk}/decision/", {"outcome": "accepted", "feedback": "Yes"}, "json"
    )
    assert response.status_code == 404
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.UNDER_REVIEW


def test_staff_cannot_decide(api, staff_member, colleague):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.UNDER_REVIEW)
    response = _as(api, colleague).post(
        f"/api/v1/ideas/{idea.pk}/decision/", {"outcome": "accepted", "feedback": "Yes"}, "json"
    )
    assert response.status_code == 403


def test_the_head_of_profession_decides_with_feedback(api, staff_member, head_of_profession):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.UNDER_REVIEW)
    api = _as(api, head_of_profession)
    refused = api.post(f"/api/v1/ideas/{idea.pk}/decision/", {"outcome": "not_taken_forward", "feedback": "No"}, "json")
    assert refused.status_code == 400 and "reason" in _errors(refused)
    decided = api.post(
        f"/api/v1/ideas/{idea.pk}/decision/", {"outcome": "accepted", "feedback": "Piloting in May."}, "json"
    )
    assert decided.status_code == 201
    assert decided.json()["feedback"] == "Piloting in May."
    author_view = _as(APIClient(), staff_member).get(f"/api/v1/ideas/{idea.pk}/").json()
    assert author_view["status"] == "accepted"
    assert author_view["decisions"][0]["feedback"] == "Piloting in May."


def test_skipping_states_is_refused_with_a_clear_message(api, staff_member, head_of_profession):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.SUBMITTED)
    response = _as(api, head_of_profession).post(f"/api/v1/ideas/{idea.pk}/move/", {"to": "implemented"}, "json")
    assert response.status_code == 400
    assert "cannot be moved to implemented" in response.json()["errors"][0]["message"]


def test_review_queue_and_similar(api, staff_member, head_of_profession):
    idea = IdeaFactory(author=staff_member, title="Text applicants when their passport is printed")
    queue = _as(api, head_of_profession).get("/api/v1/ideas/review-queue/")
    assert [row["id"] for row in queue.json()["results"]] == [idea.pk]
    similar = api.get("/api/v1/ideas/similar/", {"title": "Text passport applicants"})
    assert [row["id"] for row in similar.json()] == [idea.pk]
    assert _as(APIClient(), staff_member).get("/api/v1/ideas/review-queue/").status_code == 403


def test_case_studies_list_only_published_visible_ones(api, staff_member, council_member):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.IMPLEMENTED)
    common = {"summary": "s", "challenge": "c", "approach": "a", "results": "r", "contact": "x"}
    CaseStudy.objects.create(
        idea=idea,
        slug="texts",
        title="Texts",
        status="published",
        organisation=idea.organisation,
        written_by=staff_member,
        audience="public",
        **common,
    )
    draft_idea = IdeaFactory(author=staff_member, status=IdeaStatus.IMPLEMENTED)
    CaseStudy.objects.create(
        idea=draft_idea, slug="draft", title="Draft", organisation=idea.organisation, written_by=staff_member, **common
    )
    body = _as(api, council_member).get("/api/v1/case-studies/").json()
    assert [row["slug"] for row in body["results"]] == ["texts"]
    assert api.get("/api/v1/case-studies/draft/").status_code == 404
