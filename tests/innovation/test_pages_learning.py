"""Pages for case studies, adoption and innovation plans."""

from __future__ import annotations

from django.test import Client

from innovation.models import Adoption, CaseStudy, IdeaStatus, InnovationPlan, Visibility
from tests.innovation.factories import IdeaFactory

CASE_STUDY = {
    "title": "Texting applicants",
    "summary": "A text at each stage.",
    "challenge": "People rang to chase.",
    "approach": "We texted them.",
    "results": "Calls fell by half.",
    "contact": "team@example.gov.uk",
    "audience": "public",
}


def _client(member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def test_the_author_writes_a_case_study_and_the_head_of_profession_publishes_it(staff_member, head_of_profession):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.IMPLEMENTED)
    author = _client(staff_member)
    assert author.post(f"/ideas/{idea.pk}/case-study/", {**CASE_STUDY, "results": ""}).status_code == 200
    assert author.post(f"/ideas/{idea.pk}/case-study/", CASE_STUDY).status_code == 302
    study = CaseStudy.objects.get()
    assert study.status == CaseStudy.Status.DRAFT
    author.post(f"/ideas/{idea.pk}/case-study/", {"publish": "1"})
    assert CaseStudy.objects.get().status == CaseStudy.Status.DRAFT  # only a head of profession publishes
    _client(head_of_profession).post(f"/ideas/{idea.pk}/case-study/", {"publish": "1"})
    assert CaseStudy.objects.get().status == CaseStudy.Status.PUBLISHED
    assert Client().get(f"/ideas/case-studies/{study.slug}/").status_code == 200


def test_others_cannot_write_the_case_study_and_undelivered_ideas_have_none(staff_member, colleague):
    delivered = IdeaFactory(author=staff_member, status=IdeaStatus.IMPLEMENTED)
    assert _client(colleague).get(f"/ideas/{delivered.pk}/case-study/").status_code == 404
    accepted = IdeaFactory(author=staff_member, status=IdeaStatus.ACCEPTED)
    assert _client(staff_member).get(f"/ideas/{accepted.pk}/case-study/").status_code == 404


def test_a_council_records_that_it_adopted_a_shared_idea(staff_member, council_member):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.IMPLEMENTED, visibility=Visibility.PARTNERS)
    client = _client(council_member)
    bad = client.post(
        f"/ideas/{idea.pk}/adopt/", {"adopted_on_day": "31", "adopted_on_month": "2", "adopted_on_year": "2026"}
    )
    assert bad.status_code == 200 and "must be a real date" in bad.content.decode()
    good = client.post(
        f"/ideas/{idea.pk}/adopt/",
        {"adopted_on_day": "2", "adopted_on_month": "3", "adopted_on_year": "2026", "hours_saved_per_year": "300"},
    )
    assert good.status_code == 302
    assert Adoption.objects.get().organisation == council_member.organisation
    again = client.post(
        f"/ideas/{idea.pk}/adopt/", {"adopted_on_day": "3", "adopted_on_month": "3", "adopted_on_year": "2026"}
    )
    assert "already recorded" in again.content.decode()


def test_heads_of_profession_keep_their_plan_and_staff_read_it(head_of_profession, home_office, staff_member, dwp):
    hop = _client(head_of_profession)
    answers = {"time": "Half a day a month", "skills": "Lean training", "tools": "Idea board", "support": "Sponsors"}
    assert hop.post(f"/ideas/plans/{home_office.pk}/2026/edit/", {**answers, "time": ""}).status_code == 200
    response = hop.post(f"/ideas/plans/{home_office.pk}/2026/edit/", answers)
    plan = InnovationPlan.objects.get()
    assert response.url == f"/ideas/plans/{plan.pk}/"
    hop.post(f"/ideas/plans/{plan.pk}/", {"description": "Every team runs a huddle", "progress": "on_track"})
    assert plan.commitments.get().progress == "on_track"
    staff = _client(staff_member)
    assert "Half a day a month" in staff.get(f"/ideas/plans/{plan.pk}/").content.decode()
    assert staff.post(f"/ideas/plans/{plan.pk}/", {"description": "Mine", "progress": "done"}).status_code == 404
    assert staff.get(f"/ideas/plans/{home_office.pk}/2026/edit/").status_code == 404
    assert hop.get(f"/ideas/plans/{dwp.pk}/2026/edit/").status_code == 404
