"""Fit and gap computed in SQL from current levels, and the career paths built on them."""

from __future__ import annotations

import pytest

from odp.models import JobFamily
from skills.careers import fit, paths
from skills.models import Intervention
from tests.factories import MemberFactory
from tests.skills.careers_factories import OpportunityFactory, career_version, rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return career_version()


@pytest.fixture
def member(version, passport_office):
    """Meets S1..S9 at level 2; S10 at 2 (one short); S11 and S12 never rated."""
    member = MemberFactory(organisation=passport_office, job_family=JobFamily.CUSTOMER_SERVICE, role_level=2)
    for n in range(1, 11):
        rate(member, version.skill[f"S{n}"], 2)
    return member


def test_fit_counts_met_skills_against_the_profile(version, member):
    fits = fit.fit_by_profile(member, [version.next_level.pk, version.casework.pk])
    assert fits[version.next_level.pk] == fit.Fit(met=9, expected=12)
    assert fits[version.next_level.pk].text == "You meet 9 of 12 expected skills"
    assert fits[version.casework.pk] == fit.Fit(met=4, expected=4)


def test_a_higher_level_than_expected_still_meets_it_and_other_members_levels_do_not_count(version, member):
    rate(member, version.skill["S10"], 4)
    other = MemberFactory(organisation=member.organisation)
    rate(other, version.skill["S11"], 4)
    assert fit.fit_by_profile(member, [version.next_level.pk])[version.next_level.pk].met == 10


def test_the_gap_lists_each_skill_short_with_its_levels_and_the_interventions_that_target_it(version, member):
    course = Intervention.objects.create(name="Advanced service", kind="course", provider="Academy")
    course.target_skills.set([version.skill["S11"], version.skill["S1"]])
    unrelated = Intervention.objects.create(name="Unrelated", kind="course", provider="Academy")
    unrelated.target_skills.set([version.skill["S2"]])

    gap = fit.gaps_by_profile(member, [version.next_level.pk])[version.next_level.pk]
    assert [(s.code, s.current_level, s.expected_level) for s in gap.skills] == [
        ("S10", 2, 3),
        ("S11", 0, 3),
        ("S12", 0, 3),
    ]
    assert [(i.name, builds) for i, builds in gap.interventions] == [("Advanced service", ["Skill 11"])]


def test_career_paths_offer_the_next_level_and_lateral_moves_with_their_gaps(version, member):
    result = paths.career_paths(member)
    assert result.current.job_family == JobFamily.CUSTOMER_SERVICE
    assert [(p.profile.pk, p.gap.fit.met, p.gap.fit.expected) for p in result.next_steps] == [
        (version.next_level.pk, 9, 12)
    ]
    assert [p.profile.pk for p in result.lateral_moves] == [version.casework.pk]
    assert result.lateral_moves[0].gap.skills == []


def test_no_paths_without_a_profile_for_the_member(version, passport_office):
    member = MemberFactory(organisation=passport_office, job_family=JobFamily.COMPLIANCE, role_level=5)
    result = paths.career_paths(member)
    assert result.current is None and result.all == []


def test_opportunities_carry_fit_annotations_for_sorting(version, member):
    close = OpportunityFactory(role_profile=version.casework)
    far = OpportunityFactory(role_profile=version.next_level)
    rows = fit.annotate_fit(type(close).objects.filter(pk__in=[close.pk, far.pk]), member).order_by("-fit_percent")
    assert [(o.pk, o.fit_met, o.fit_expected, o.fit_percent) for o in rows] == [
        (close.pk, 4, 4, 100),
        (far.pk, 9, 12, 75),
    ]
