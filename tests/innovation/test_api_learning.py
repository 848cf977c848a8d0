"""API writes beyond ideas: case studies (public read), adoption, innovation plans with commitments, and
moderation (report; admins hide and restore). Scoped through visible_to; creation is rate limited."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from innovation import services
from innovation.models import (
    Adoption,
    CaseStudy,
    Comment,
    Commitment,
    IdeaEvent,
    IdeaStatus,
    InnovationPlan,
    Report,
    Visibility,
)
from odp.models import AuditEvent
from tests.innovation.factories import CommentFactory, IdeaFactory

STUDY = {
    "title": "Texting passport applicants",
    "summary": "Calls fell by a third.",
    "challenge": "People rang to ask where their passport was.",
    "approach": "A text at each stage.",
    "results": "Calls fell from 9,000 to 6,000 a week.",
    "contact": "innovation@hmpo.example",
    "audience": "public",
}


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()  # throttle counts live in the cache
    yield
    cache.clear()


def _as(member) -> APIClient:
    api = APIClient()
    api.force_authenticate(member.user)
    return api


def _errors(response) -> dict[str | None, str]:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


@pytest.fixture
def implemented(staff_member):
    return IdeaFactory(author=staff_member, status=IdeaStatus.IMPLEMENTED, visibility=Visibility.PARTNERS)


def test_the_author_writes_a_case_study_and_the_head_of_profession_publishes_it_for_anyone(
    implemented, staff_member, head_of_profession
):
    created = _as(staff_member).post(f"/api/v1/ideas/{implemented.pk}/case-study/", STUDY, "json")
    assert created.status_code == 201, created.json()
    slug = created.json()["slug"]
    assert created.json()["status"] == "draft"
    assert APIClient().get(f"/api/v1/case-studies/{slug}/").status_code == 404  # a draft is not public

    changed = _as(staff_member).patch(
        f"/api/v1/ideas/{implemented.pk}/case-study/", {"summary": "Calls fell by a third in six weeks."}, "json"
    )
    assert changed.status_code == 200 and changed.json()["summary"] == "Calls fell by a third in six weeks."
    assert _as(staff_member).post(f"/api/v1/case-studies/{slug}/publish/").status_code == 403
    published = _as(head_of_profession).post(f"/api/v1/case-studies/{slug}/publish/")
    assert published.status_code == 200 and published.json()["status"] == "published"

    anonymous = APIClient()
    listed = anonymous.get("/api/v1/case-studies/")
    assert listed.status_code == 200
    assert [row["slug"] for row in listed.json()["results"]] == [slug]
    assert anonymous.get(f"/api/v1/case-studies/{slug}/").json()["results"] == STUDY["results"]
    assert anonymous.post(f"/api/v1/case-studies/{slug}/publish/").status_code == 401
    assert AuditEvent.objects.filter(object_type="innovation.casestudy", actor=head_of_profession.user).exists()


def test_anonymous_callers_see_only_public_case_studies_of_ideas_still_showing(
    implemented, staff_member, head_of_profession, dwp_staff
):
    common = {k: v for k, v in STUDY.items() if k not in {"title", "audience"}}
    CaseStudy.objects.create(idea=implemented, slug="public", title="Public", status="published",
                             organisation=implemented.organisation, written_by=staff_member, audience="public",
                             **common)  # fmt: skip
    shared = IdeaFactory(author=staff_member, status=IdeaStatus.IMPLEMENTED)
    CaseStudy.objects.create(idea=shared, slug="civil-service", title="Shared", status="published",
                             organisation=shared.organisation, written_by=staff_member, audience="civil_service",
                             **common)  # fmt: skip
    hidden = IdeaFactory(author=staff_member, status=IdeaStatus.IMPLEMENTED, is_hidden=True)
    CaseStudy.objects.create(idea=hidden, slug="hidden-idea", title="Hidden", status="published",
                             organisation=hidden.organisation, written_by=staff_member, audience="public",
                             **common)  # fmt: skip

    anonymous = APIClient()
    assert [r["slug"] for r in anonymous.get("/api/v1/case-studies/").json()["results"]] == ["public"]
    assert anonymous.get("/api/v1/case-studies/civil-service/").status_code == 404
    assert anonymous.get("/api/v1/case-studies/hidden-idea/").status_code == 404
    signed_in = {r["slug"] for r in _as(dwp_staff).get("/api/v1/case-studies/").json()["results"]}
    assert signed_in == {"public", "civil-service"}


def test_case_study_bad_input_changes_nothing(implemented, staff_member, colleague):
    bad = _as(staff_member).post(
        f"/api/v1/ideas/{implemented.pk}/case-study/", {**STUDY, "audience": "everyone", "title": ""}, "json"
    )
    assert bad.status_code == 400
    assert set(_errors(bad)) >= {"title", "audience"}
    # Someone who is neither the author nor a head of profession may not write it.
    assert _as(colleague).post(f"/api/v1/ideas/{implemented.pk}/case-study/", STUDY, "json").status_code == 403
    not_yet = IdeaFactory(author=staff_member, status=IdeaStatus.ACCEPTED)
    assert _as(staff_member).post(f"/api/v1/ideas/{not_yet.pk}/case-study/", STUDY, "json").status_code == 400
    assert not CaseStudy.objects.exists()


def test_another_organisation_records_adopting_it_once(implemented, dwp_staff, staff_member):
    body = {"adopted_on": "2026-10-01", "notes": "Rolled out in Jobcentres.", "hours_saved_per_year": 800}
    created = _as(dwp_staff).post(f"/api/v1/ideas/{implemented.pk}/adoptions/", body, "json")
    assert created.status_code == 201, created.json()
    assert created.json()["organisation"]["id"] == dwp_staff.organisation_id
    again = _as(dwp_staff).post(f"/api/v1/ideas/{implemented.pk}/adoptions/", body, "json")
    assert again.status_code == 400
    own = _as(staff_member).post(f"/api/v1/ideas/{implemented.pk}/adoptions/", body, "json")
    assert own.status_code == 400  # the implementing organisation cannot adopt its own idea
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    assert (
        _as(dwp_staff).post(f"/api/v1/ideas/{implemented.pk}/adoptions/", {"adopted_on": future}, "json").status_code
        == 400
    )
    listed = _as(staff_member).get(f"/api/v1/ideas/{implemented.pk}/adoptions/").json()
    assert [row["hours_saved_per_year"] for row in listed["results"]] == [800]
    assert Adoption.objects.count() == 1


def test_adopting_an_idea_you_cannot_see_is_not_found(staff_member, council_member):
    private = IdeaFactory(author=staff_member, status=IdeaStatus.IMPLEMENTED, visibility=Visibility.ORGANISATION)
    response = _as(council_member).post(f"/api/v1/ideas/{private.pk}/adoptions/", {"adopted_on": "2026-10-01"}, "json")
    assert response.status_code == 404
    assert not Adoption.objects.exists()


def test_a_head_of_profession_records_a_plan_with_commitments(head_of_profession, home_office, staff_member, dwp):
    plan_body = {
        "organisation": home_office.pk,
        "year": 2026,
        "time": "Half a day a month.",
        "skills": "Service design training.",
        "tools": "An ideas board.",
        "support": "Leaders sponsor ideas.",
    }
    created = _as(head_of_profession).post("/api/v1/innovation-plans/", plan_body, "json")
    assert created.status_code == 201, created.json()
    plan_id = created.json()["id"]
    replaced = _as(head_of_profession).post(
        "/api/v1/innovation-plans/", {**plan_body, "time": "A day a month."}, "json"
    )
    assert replaced.json()["id"] == plan_id and replaced.json()["time"] == "A day a month."

    commitment = _as(head_of_profession).post(
        f"/api/v1/innovation-plans/{plan_id}/commitments/",
        {"description": "Train 50 people", "due_on": "2027-03-31"},
        "json",
    )
    assert commitment.status_code == 201, commitment.json()
    cid = commitment.json()["id"]
    updated = _as(head_of_profession).patch(
        f"/api/v1/innovation-plans/{plan_id}/commitments/{cid}/",
        {"progress": "on_track", "progress_note": "32 trained"},
        "json",
    )
    assert updated.status_code == 200 and updated.json()["progress"] == "on_track"
    assert updated.json()["description"] == "Train 50 people"

    # Staff read their organisation's plans (the passport office is under the Home Office) but cannot write them.
    assert (
        _as(staff_member).get(f"/api/v1/innovation-plans/{plan_id}/").json()["commitments"][0]["progress"] == "on_track"
    )
    assert _as(staff_member).post("/api/v1/innovation-plans/", plan_body, "json").status_code == 403
    assert (
        _as(staff_member)
        .post(f"/api/v1/innovation-plans/{plan_id}/commitments/", {"description": "x"}, "json")
        .status_code
        == 403
    )
    other = {**plan_body, "organisation": dwp.pk}
    assert _as(head_of_profession).post("/api/v1/innovation-plans/", other, "json").status_code == 403
    assert InnovationPlan.objects.count() == 1 and Commitment.objects.count() == 1


def test_plans_of_other_organisations_are_not_found(head_of_profession, home_office, dwp_staff):
    plan_body = {"organisation": home_office.pk, "year": 2026, "time": "t", "skills": "s", "tools": "t", "support": "s"}
    plan_id = _as(head_of_profession).post("/api/v1/innovation-plans/", plan_body, "json").json()["id"]
    assert _as(dwp_staff).get(f"/api/v1/innovation-plans/{plan_id}/").status_code == 404
    assert _as(dwp_staff).get("/api/v1/innovation-plans/").json()["results"] == []


def test_members_report_comments_and_admins_hide_and_restore(staff_member, colleague, dwp_staff, odp_admin):
    idea = IdeaFactory(author=dwp_staff)
    comment = CommentFactory(idea=idea, author=colleague, body="Call Jane Smith on 07700 900123.")
    reported = _as(staff_member).post(
        f"/api/v1/ideas/{idea.pk}/comments/{comment.pk}/report/", {"reason": "A phone number"}, "json"
    )
    assert reported.status_code == 204
    assert (
        _as(staff_member).post(f"/api/v1/ideas/{idea.pk}/report/", {"reason": "Duplicate"}, "json").status_code == 204
    )

    assert _as(staff_member).get("/api/v1/moderation/reports/").status_code == 403
    assert (
        _as(staff_member)
        .post(f"/api/v1/moderation/comments/{comment.pk}/", {"action": "hide", "note": "x"}, "json")
        .status_code
        == 403
    )
    reports = _as(odp_admin).get("/api/v1/moderation/reports/").json()
    assert {r["reason"] for r in reports} == {"A phone number", "Duplicate"}

    no_note = _as(odp_admin).post(f"/api/v1/moderation/comments/{comment.pk}/", {"action": "hide"}, "json")
    assert no_note.status_code == 400 and "note" in _errors(no_note)
    hidden = _as(odp_admin).post(
        f"/api/v1/moderation/comments/{comment.pk}/", {"action": "hide", "note": "Personal data."}, "json"
    )
    assert hidden.status_code == 200 and hidden.json()[0]["outcome"] == "hidden"
    assert Comment.objects.get(pk=comment.pk).is_hidden
    assert _as(staff_member).get(f"/api/v1/ideas/{idea.pk}/comments/").json()["results"] == []
    assert AuditEvent.objects.filter(object_type="innovation.comment", note="Personal data.").exists()

    hide_idea = _as(odp_admin).post(f"/api/v1/moderation/ideas/{idea.pk}/", {"action": "hide", "note": "Spam."}, "json")
    assert hide_idea.status_code == 200
    assert _as(staff_member).get(f"/api/v1/ideas/{idea.pk}/").status_code == 404
    restored = _as(odp_admin).post(
        f"/api/v1/moderation/ideas/{idea.pk}/", {"action": "restore", "note": "Not spam."}, "json"
    )
    assert restored.status_code == 200
    assert _as(staff_member).get(f"/api/v1/ideas/{idea.pk}/").status_code == 200
    assert idea.events.filter(kind=IdeaEvent.Kind.RESTORED).exists()
    assert Report.objects.get(idea=idea).outcome == Report.Outcome.HIDDEN


def test_admins_dismiss_a_report(staff_member, dwp_staff, odp_admin):
    idea = IdeaFactory(author=dwp_staff)
    report = services.report_raise(by=staff_member, idea=idea, reason="I disagree")
    response = _as(odp_admin).post(f"/api/v1/moderation/reports/{report.pk}/dismiss/")
    assert response.status_code == 200 and response.json()["outcome"] == "dismissed"
    assert _as(odp_admin).get("/api/v1/moderation/reports/").json() == []


def test_reporting_a_comment_you_cannot_see_is_not_found(staff_member, council_member):
    private = IdeaFactory(author=staff_member, visibility=Visibility.ORGANISATION)
    comment = CommentFactory(idea=private, author=staff_member)
    response = _as(council_member).post(
        f"/api/v1/ideas/{private.pk}/comments/{comment.pk}/report/", {"reason": "x"}, "json"
    )
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_creation_is_rate_limited(dwp_staff, settings):
    idea = IdeaFactory(author=dwp_staff, status=IdeaStatus.IMPLEMENTED)
    api = _as(dwp_staff)
    statuses = [
        api.post(f"/api/v1/ideas/{idea.pk}/report/", {"reason": f"Reason {n}"}, "json").status_code for n in range(61)
    ]
    assert statuses[:60] == [204] * 60  # (the service keeps one open report per person)
    assert statuses[60] == 429
    assert api.post(f"/api/v1/ideas/{idea.pk}/adoptions/", {"adopted_on": "2026-10-01"}, "json").status_code == 429


def test_an_idea_without_a_case_study_answers_404_in_the_error_format(implemented, staff_member):
    response = _as(staff_member).get(f"/api/v1/ideas/{implemented.pk}/case-study/")
    assert response.status_code == 404
    assert response.json()["errors"][0]["message"] == "This idea has no case study you can see."
    assert (
        _as(staff_member).patch(f"/api/v1/ideas/{implemented.pk}/case-study/", {"title": "x"}, "json").status_code
        == 404
    )
