"""Case studies, adoption elsewhere, and departmental innovation plans."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from innovation import learning
from innovation.models import CaseStudy, CaseStudyAudience, Commitment, IdeaStatus, InnovationPlan, Visibility
from tests.innovation.factories import IdeaFactory

ANSWERS = {
    "title": "Texting passport applicants cut chasing calls by half",
    "summary": "A text at each stage of an application.",
    "challenge": "A third of calls asked where an application was.",
    "approach": "We sent a text at each stage using GOV.UK Notify.",
    "results": "Calls about progress fell from 900 to 430 a week.",
    "contact": "innovation@passport.example.gov.uk",
    "audience": CaseStudyAudience.PUBLIC,
}


def test_an_implemented_idea_becomes_a_published_public_case_study(staff_member, head_of_profession):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.IMPLEMENTED)
    study = learning.case_study_save(by=staff_member, idea=idea, answers=ANSWERS)
    assert study.status == CaseStudy.Status.DRAFT and not CaseStudy.objects.public().exists()
    with pytest.raises(PermissionDenied):
        learning.case_study_publish(by=staff_member, case_study=study)
    learning.case_study_publish(by=head_of_profession, case_study=study)
    assert list(CaseStudy.objects.public()) == [study]
    assert study.slug.startswith("texting-passport-applicants")


def test_only_delivered_ideas_become_case_studies_once(staff_member):
    with pytest.raises(ValidationError, match="implemented"):
        learning.case_study_save(by=staff_member, idea=IdeaFactory(author=staff_member), answers=ANSWERS)
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.BENEFITS_REALISED)
    learning.case_study_save(by=staff_member, idea=idea, answers=ANSWERS)
    with pytest.raises(ValidationError, match="already"):
        learning.case_study_save(by=staff_member, idea=idea, answers=ANSWERS)


def test_case_study_answers_are_validated(staff_member, colleague):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.IMPLEMENTED)
    with pytest.raises(ValidationError):
        learning.case_study_save(by=staff_member, idea=idea, answers={**ANSWERS, "results": ""})
    with pytest.raises(PermissionDenied):
        learning.case_study_save(by=colleague, idea=idea, answers=ANSWERS)


def test_other_organisations_record_adoption_with_their_own_benefits_once(staff_member, council_member, dwp_staff):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.IMPLEMENTED, visibility=Visibility.PARTNERS)
    adoption = learning.adoption_record(
        by=council_member,
        idea=idea,
        adopted_on=datetime.date(2026, 3, 1),
        hours_saved_per_year=300,
        cost_saved_per_year=Decimal("8200.00"),
    )
    assert adoption.organisation == council_member.organisation
    with pytest.raises(ValidationError, match="already"):
        learning.adoption_record(by=council_member, idea=idea, adopted_on=datetime.date(2026, 3, 2))
    with pytest.raises(ValidationError, match="other organisations"):
        learning.adoption_record(by=staff_member, idea=idea, adopted_on=datetime.date(2026, 3, 2))
    with pytest.raises(ValidationError):
        learning.adoption_record(by=dwp_staff, idea=idea, adopted_on=timezone.localdate() + datetime.timedelta(days=1))


def test_adoption_needs_a_visible_delivered_idea(staff_member, council_member, dwp_staff):
    private = IdeaFactory(author=staff_member, status=IdeaStatus.IMPLEMENTED, visibility=Visibility.CIVIL_SERVICE)
    with pytest.raises(PermissionDenied):
        learning.adoption_record(by=council_member, idea=private, adopted_on=datetime.date(2026, 1, 5))
    with pytest.raises(ValidationError):
        learning.adoption_record(
            by=dwp_staff, idea=IdeaFactory(author=staff_member), adopted_on=datetime.date(2026, 1, 5)
        )


def test_heads_of_profession_keep_a_plan_a_year_with_commitments(head_of_profession, home_office, staff_member, dwp):
    answers = {"time": "Half a day a month", "skills": "Lean training", "tools": "Idea board", "support": "Sponsors"}
    plan = learning.plan_save(by=head_of_profession, organisation=home_office, year=2026, answers=answers)
    again = learning.plan_save(
        by=head_of_profession, organisation=home_office, year=2026, answers={"time": "A day a month"}
    )
    assert again.pk == plan.pk and again.time == "A day a month"
    assert InnovationPlan.objects.count() == 1
    commitment = learning.commitment_save(
        by=head_of_profession,
        plan=plan,
        description="Every team runs an ideas huddle",
        due_on=datetime.date(2026, 9, 1),
    )
    learning.commitment_save(
        by=head_of_profession,
        plan=plan,
        commitment=commitment,
        description=commitment.description,
        progress=Commitment.Progress.ON_TRACK,
        progress_note="40 of 60 teams",
    )
    commitment.refresh_from_db()
    assert commitment.progress == Commitment.Progress.ON_TRACK
    with pytest.raises(PermissionDenied):
        learning.plan_save(by=staff_member, organisation=home_office, year=2026, answers=answers)
    with pytest.raises(PermissionDenied):
        learning.plan_save(by=head_of_profession, organisation=dwp, year=2026, answers=answers)
    with pytest.raises(ValidationError):
        learning.plan_save(by=head_of_profession, organisation=home_office, year=2027, answers={"time": ""})
