"""ROI arithmetic against hand-computed cohorts, including the insufficient-data cases."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from odp.models import JobFamily
from skills import roi, services
from skills.models import (
    Assessment,
    Cohort,
    CostItem,
    Enrolment,
    Framework,
    Intervention,
    RaterKind,
    RoiAssumptions,
    RoiOutcome,
    Skill,
)
from tests.factories import MemberFactory, OrganisationFactory

START, END = datetime.date(2026, 1, 5), datetime.date(2026, 2, 27)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def setting(odp_admin):
    framework = Framework.objects.create(name="ODP skills framework", slug="odp-skills")
    version = services.version_create_draft(framework=framework, by=odp_admin)
    group = version.groups.create(code="D", name="Digital")
    skill = Skill.objects.create(version=version, group=group, code="AI1", name="Using AI tools safely")
    services.assign_lineages(version)
    skill.refresh_from_db()
    course = Intervention.objects.create(name="AI foundations", kind="course", provider="GDD")
    course.target_skills.add(skill)
    CostItem.objects.create(intervention=course, category="delivery", amount=Decimal("2000"))
    CostItem.objects.create(
        intervention=course, category="participant_time", amount=Decimal("100"), per_participant=True
    )
    cohort = Cohort.objects.create(intervention=course, name="Jan 2026", starts_on=START, ends_on=END)
    assumptions = RoiAssumptions.objects.create(
        effective_from=datetime.date(2025, 4, 1),
        value_per_level_point=Decimal("1000"),
        attribution_percent=50,
        confidence_percent=80,
        follow_up_days=30,
        minimum_group_size=10,
        source_note="Illustrative figures for tests.",
    )
    return {
        "skill": skill,
        "course": course,
        "cohort": cohort,
        "assumptions": assumptions,
        "org": OrganisationFactory(),
    }


def person(org, grade, *, before: int | None, after: int | None, skill: Skill):
    member = MemberFactory(organisation=org, grade=grade, job_family=JobFamily.CASEWORK, role_level=2)
    for level, day in ((before, START - datetime.timedelta(days=3)), (after, END + datetime.timedelta(days=20))):
        if level is not None:
            Assessment.objects.create(
                member=member,
                skill=skill,
                lineage=skill.lineage,
                version=skill.version,
                level=level,
                rater_kind=RaterKind.LINE_MANAGER,
                rated_at=at(day),
            )
    return member


def enrol(cohort, member, status="completed"):
    Enrolment.objects.create(
        cohort=cohort, member=member, status=status, completed_on=END if status == "completed" else None
    )


@pytest.fixture
def full_cohort(setting):
    org, skill, cohort = setting["org"], setting["skill"], setting["cohort"]
    for _ in range(10):
        enrol(cohort, person(org, "EO", before=1, after=3, skill=skill))
    for i in range(10):
        person(org, "EO", before=1, after=1 if i < 5 else 2, skill=skill)
    for _ in range(2):
        enrol(cohort, person(org, "HEO", before=2, after=2, skill=skill))
        person(org, "HEO", before=2, after=3, skill=skill)
    # Excluded: a treated member with no comparison in their stratum; a member enrolled on another cohort
    # of the same intervention; a withdrawn and a still-enrolled participant (who still cost money).
    enrol(cohort, person(org, "SEO", before=1, after=4, skill=skill))
    other = Cohort.objects.create(intervention=setting["course"], name="Later", starts_on=END, ends_on=END)
    enrol(other, person(org, "EO", before=1, after=4, skill=skill), status="enrolled")
    enrol(cohort, person(org, "EO", before=1, after=4, skill=skill), status="withdrawn")
    enrol(cohort, person(org, "EO", before=None, after=None, skill=skill), status="enrolled")
    return setting


def test_difference_in_differences_with_matched_strata(full_cohort, odp_admin):
    evaluation = roi.evaluate_cohort(cohort=full_cohort["cohort"], by=odp_admin)
    assert evaluation.outcome == RoiOutcome.RESULT
    assert (evaluation.treated_n, evaluation.comparison_n) == (12, 12)
    assert evaluation.treated_before == pytest.approx(14 / 12)
    assert evaluation.treated_after == pytest.approx(34 / 12)
    assert evaluation.comparison_before == pytest.approx(14 / 12)
    assert evaluation.comparison_after == pytest.approx(21 / 12)
    assert evaluation.uplift == pytest.approx(13 / 12)
    # 13/12 level points × 12 people × £1,000 × 50% attribution × 80% confidence
    assert evaluation.benefit == Decimal("5200.00")
    # £2,000 delivery + £100 × 15 enrolled on this cohort (withdrawn and unfinished included)
    assert evaluation.cost == Decimal("3500.00")
    assert evaluation.roi_percent == pytest.approx((5200 - 3500) / 3500 * 100)
    assert evaluation.benefit_cost_ratio == pytest.approx(5200 / 3500)
    assert (evaluation.baseline_date, evaluation.follow_up_date) == (START, END + datetime.timedelta(days=30))


def test_small_groups_give_insufficient_data_not_a_number(full_cohort, odp_admin):
    assumptions = full_cohort["assumptions"]
    assumptions.minimum_group_size = 13
    assumptions.save()
    evaluation = roi.evaluate_cohort(cohort=full_cohort["cohort"], by=odp_admin)
    assert evaluation.outcome == RoiOutcome.INSUFFICIENT_DATA
    assert "12 participants and 12 comparison members" in evaluation.reason
    assert (evaluation.uplift, evaluation.benefit, evaluation.roi_percent) == (None, None, None)


def test_no_completions_and_no_baseline_are_insufficient(setting, odp_admin):
    cohort, skill, org = setting["cohort"], setting["skill"], setting["org"]
    assert "No participant has completed" in roi.evaluate_cohort(cohort=cohort, by=odp_admin).reason
    for _ in range(12):
        enrol(cohort, person(org, "EO", before=None, after=3, skill=skill))
        person(org, "EO", before=1, after=2, skill=skill)
    evaluation = roi.evaluate_cohort(cohort=cohort, by=odp_admin)
    assert evaluation.outcome == RoiOutcome.INSUFFICIENT_DATA
    assert "baseline" in evaluation.reason


def test_only_admins_evaluate(setting, staff_member):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        roi.evaluate_cohort(cohort=setting["cohort"], by=staff_member)


def test_latest_evaluation_per_cohort(full_cohort, odp_admin):
    roi.evaluate_cohort(cohort=full_cohort["cohort"], by=odp_admin)
    newest = roi.evaluate_cohort(cohort=full_cohort["cohort"], by=odp_admin)
    assert list(roi.latest_evaluations()) == [newest]
