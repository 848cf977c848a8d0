"""Factories for the skills framework: frameworks, versions, scales, groups, skills and role profiles.

``published_version(n_skills=...)`` builds a small, complete published version in one call."""

from __future__ import annotations

import factory
from django.utils import timezone

from odp.models import JobFamily
from skills import services
from skills.models import (
    Crosswalk,
    CrosswalkRelation,
    Expectation,
    Framework,
    FrameworkVersion,
    Importance,
    ProficiencyLevel,
    RoleProfile,
    Skill,
    SkillGroup,
    VersionStatus,
)


def descriptors_for(name: str, top: int = 4) -> dict[str, str]:
    return {str(n): f"{name}: level {n} behaviour." for n in range(1, top + 1)}


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Skills framework {n}")
    slug = factory.Sequence(lambda n: f"skills-framework-{n}")


class FrameworkVersionFactory(factory.django.DjangoModelFactory):
    """A draft version with no scale; use ``with_default_scale`` or ``published_version`` for a usable one."""

    class Meta:
        model = FrameworkVersion

    framework = factory.SubFactory(FrameworkFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = VersionStatus.DRAFT


class ProficiencyLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProficiencyLevel

    version = factory.SubFactory(FrameworkVersionFactory)
    value = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"Level {o.value}")
    is_threshold = False


class SkillGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillGroup

    version = factory.SubFactory(FrameworkVersionFactory)
    code = factory.Sequence(lambda n: f"G{n}")
    name = factory.Sequence(lambda n: f"Skill group {n}")
    position = factory.Sequence(lambda n: n + 1)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    version = factory.SubFactory(FrameworkVersionFactory)
    group = factory.SubFactory(SkillGroupFactory, version=factory.SelfAttribute("..version"))
    code = factory.Sequence(lambda n: f"SK{n}")
    name = factory.Sequence(lambda n: f"Skill {n}")
    description = factory.LazyAttribute(lambda o: f"What {o.name} covers.")
    descriptors = factory.LazyAttribute(lambda o: descriptors_for(o.name))
    position = factory.Sequence(lambda n: n + 1)


class CrosswalkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Crosswalk

    skill = factory.SubFactory(SkillFactory)
    scheme = "DDaT"
    external_name = "Information security"
    relation = CrosswalkRelation.RELATED


class RoleProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleProfile

    version = factory.SubFactory(FrameworkVersionFactory)
    job_family = JobFamily.CUSTOMER_SERVICE
    role_level = 2


class ExpectationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expectation

    profile = factory.SubFactory(RoleProfileFactory)
    skill = factory.SubFactory(SkillFactory, version=factory.SelfAttribute("..profile.version"))
    expected_level = 2
    importance = Importance.CORE


def with_default_scale(version: FrameworkVersion) -> FrameworkVersion:
    """Give a version the default four-level scale (threshold at Working)."""
    for value, name, description in services.DEFAULT_SCALE:
        ProficiencyLevelFactory(
            version=version,
            value=value,
            name=name,
            description=description,
            is_threshold=value == services.DEFAULT_THRESHOLD,
        )
    return version


def published_version(
    *, n_skills: int = 3, framework: Framework | None = None, with_profile: bool = True
) -> FrameworkVersion:
    """A published version on the default scale: one group "G1" of skills "S1" … "Sn" with every level
    described, lineages assigned, and (``with_profile``) a customer service practitioner profile
    expecting every skill at level 2. Retires the framework's previous published version, if any."""
    framework = framework or FrameworkFactory()
    last = framework.versions.order_by("-number").first()
    framework.versions.filter(status=VersionStatus.PUBLISHED).update(status=VersionStatus.RETIRED)
    version = with_default_scale(FrameworkVersionFactory(framework=framework, number=(last.number + 1) if last else 1))
    group = SkillGroupFactory(version=version, code="G1", name="Customer service", position=1)
    skills = [
        SkillFactory(version=version, group=group, code=f"S{n}", name=f"Skill {n}", position=n)
        for n in range(1, n_skills + 1)
    ]
    services.assign_lineages(version)
    if with_profile:
        profile = RoleProfileFactory(version=version)
        for skill in skills:
            ExpectationFactory(profile=profile, skill=skill)
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version
