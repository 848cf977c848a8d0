"""Factories and helpers for career opportunity tests."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from odp.models import JobFamily
from skills import coverage
from skills.models import (
    Assessment,
    CurrentLevel,
    FrameworkVersion,
    Opportunity,
    OpportunityAudience,
    OpportunityKind,
    RaterKind,
    Skill,
)
from skills.selectors import ODP_FRAMEWORK_SLUG
from tests.factories import OrganisationFactory
from tests.skills.factories import ExpectationFactory, FrameworkFactory, RoleProfileFactory, published_version


def career_version() -> FrameworkVersion:
    """The current ODP framework version with twelve skills S1..S12. Customer service level 2 expects S1..S3 at 2
    (published_version's profile); customer service level 3 expects all twelve (S10..S12 at 3, the rest at 2);
    casework level 2 expects S1..S4 at 2. The profiles and skills are attached as attributes."""
    version = published_version(n_skills=12, framework=FrameworkFactory(slug=ODP_FRAMEWORK_SLUG))
    skills = {s.code: s for s in Skill.objects.filter(version=version)}
    next_level = RoleProfileFactory(version=version, job_family=JobFamily.CUSTOMER_SERVICE, role_level=3)
    for n in range(1, 13):
        ExpectationFactory(profile=next_level, skill=skills[f"S{n}"], expected_level=3 if n > 9 else 2)
    casework = RoleProfileFactory(version=version, job_family=JobFamily.CASEWORK, role_level=2)
    for n in range(1, 5):
        ExpectationFactory(profile=casework, skill=skills[f"S{n}"], expected_level=2)
    version.current = version.role_profiles.get(job_family=JobFamily.CUSTOMER_SERVICE, role_level=2)
    version.next_level, version.casework, version.skill = next_level, casework, skills
    return version


def rate(member, skill: Skill, level: int) -> None:
    """Give a member a confirmed current level on a skill (as a line manager's rating)."""
    assessment = Assessment.objects.create(
        member=member,
        skill=skill,
        lineage=skill.lineage,
        version_id=skill.version_id,
        level=level,
        rater_kind=RaterKind.LINE_MANAGER,
        rated_at=timezone.now(),
    )
    CurrentLevel.objects.update_or_create(
        member=member,
        lineage=skill.lineage,
        defaults={
            "assessment": assessment,
            "level": level,
            "rater_kind": RaterKind.LINE_MANAGER,
            "rated_at": assessment.rated_at,
        },
    )
    coverage.refresh_member(member.pk)


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    title = factory.Sequence(lambda n: f"Opportunity {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    kind = OpportunityKind.ROLE
    location = "Manchester"
    grade = "EO"
    closing_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    role_profile = factory.SubFactory(RoleProfileFactory)
    apply_url = "https://jobs.example.gov.uk/1"
    audience = OpportunityAudience.ACROSS_THE_DIVIDE
