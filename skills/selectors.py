"""Reads composed for the skills pages and API."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.db.models import Prefetch, QuerySet

from odp.models import Member
from odp.sql import column, table
from skills.models import (
    Assessment,
    CurrentLevel,
    Expectation,
    Framework,
    FrameworkVersion,
    Intervention,
    ProficiencyLevel,
    RaterKind,
    RoleProfile,
    Skill,
    SkillGroup,
    VersionStatus,
)

ODP_FRAMEWORK_SLUG = "odp-skills"


@functools.cache
def _published_sql(columns: str) -> str:
    """``columns`` of the framework's published version (``v``) and the framework (``f``), for a slug and status.

    Written once rather than built by the ORM: skills pages and every rating ask for the current version, and the
    ORM took three times as long to build the query (FrameworkVersion's default ordering joins the framework) as
    PostgreSQL took to run it. At most one version of a framework is published (a unique constraint)."""
    v = FrameworkVersion
    return (
        f"SELECT {columns} FROM {table(v)} v INNER JOIN {table(Framework)} f "  # noqa: S608 - names from the models
        f"ON f.{column(Framework, 'id')} = v.{column(v, 'framework')} "
        f"WHERE f.{column(Framework, 'slug')} = %s AND v.{column(v, 'status')} = %s"
    )


@functools.cache
def _framework_columns() -> str:
    q = connection.ops.quote_name
    return ", ".join(f"f.{q(c.column)} AS {q('framework__' + c.attname)}" for c in Framework._meta.concrete_fields)


def current_version(framework_slug: str = ODP_FRAMEWORK_SLUG) -> FrameworkVersion | None:
    """The published version, with its framework; read on every call, so a newly published version shows at once.
    Its levels, skills and role profiles come from ``structure``."""
    sql = _published_sql(f"v.*, {_framework_columns()}")
    found = list(FrameworkVersion.objects.raw(sql, [framework_slug, VersionStatus.PUBLISHED.value]))
    if not found:
        return None
    version = found[0]
    names = [c.attname for c in Framework._meta.concrete_fields]
    framework = Framework.from_db(version._state.db, names, [version.__dict__.pop(f"framework__{n}") for n in names])
    FrameworkVersion._meta.get_field("framework").set_cached_value(version, framework)
    return version


def current_version_id(framework_slug: str = ODP_FRAMEWORK_SLUG) -> int | None:
    """The published version's id alone, for writes keyed by it."""
    with connection.cursor() as cursor:
        cursor.execute(
            _published_sql(f"v.{connection.ops.quote_name('id')}"), [framework_slug, VersionStatus.PUBLISHED.value]
        )
        row = cursor.fetchone()
    return row[0] if row else None


@dataclass(frozen=True)
class VersionStructure:
    """A version's scale, skills (each with its group) and role profiles with their expectations (each with its
    skill, in page order). Shared between requests: read it, never change it."""

    levels: tuple[ProficiencyLevel, ...]
    skills: dict[int, Skill]
    profiles: dict[tuple[str, int], RoleProfile]
    expectations: dict[int, tuple[Expectation, ...]]


# Published versions never change (a change comes as a new draft), so each process reads a published version's
# structure once. The key holds when it was published, because test databases reuse ids; saving any part of a
# framework in this process forgets them all (see SkillsConfig.ready), and the admin cannot change a published one.
_structures: dict[tuple[int, datetime.datetime | None], VersionStructure] = {}


def forget_structures(**_signal: object) -> None:
    _structures.clear()


def _read_structure(version: FrameworkVersion) -> VersionStructure:
    skills = {s.pk: s for s in Skill.objects.filter(version=version).select_related("group")}
    expectations: dict[int, list[Expectation]] = {}
    ordered = Expectation.objects.filter(profile__version=version).order_by(
        "profile_id", "skill__group__position", "skill__position", "skill__code"
    )
    for expectation in ordered:
        expectation.skill = skills[expectation.skill_id]
        expectations.setdefault(expectation.profile_id, []).append(expectation)
    return VersionStructure(
        levels=tuple(ProficiencyLevel.objects.filter(version=version).order_by("value")),
        skills=skills,
        profiles={(p.job_family, p.role_level): p for p in RoleProfile.objects.filter(version=version)},
        expectations={profile_id: tuple(rows) for profile_id, rows in expectations.items()},
    )


def structure(version: FrameworkVersion) -> VersionStructure:
    """The version's structure: read once per process for a published version, afresh for any other."""
    if version.status != VersionStatus.PUBLISHED:
        return _read_structure(version)
    key = (version.pk, version.published_at)
    found = _structures.get(key)
    if found is None:
        found = _read_structure(version)
        _structures.clear()  # only the current version's is kept
        _structures[key] = found
    return found


def role_profile_for(member: Member, version: FrameworkVersion) -> RoleProfile | None:
    return structure(version).profiles.get((member.job_family, member.role_level))


@dataclass
class SkillStanding:
    skill: Skill
    expected_level: int
    importance: str
    current_level: int
    rater_kind: str | None
    # A newer self-assessment than the current level, waiting for the line manager (None when it is current).
    pending_level: int | None
    # Some self-assessment on this skill waits for the line manager (the current one or a newer one).
    awaiting_manager: bool = False

    @property
    def gap(self) -> int:
        return max(self.expected_level - self.current_level, 0)

    @property
    def meets_expectation(self) -> bool:
        return self.gap == 0


@dataclass
class GroupStanding:
    group: SkillGroup
    skills: list[SkillStanding] = field(default_factory=list)


@dataclass
class MySkills:
    version: FrameworkVersion | None
    profile: RoleProfile | None
    groups: list[GroupStanding]
    suggested_interventions: list[Intervention]

    @property
    def standings(self) -> list[SkillStanding]:
        return [s for g in self.groups for s in g.skills]

    @property
    def met_count(self) -> int:
        return sum(1 for s in self.standings if s.meets_expectation)

    @property
    def gaps(self) -> list[SkillStanding]:
        return [s for s in self.standings if not s.meets_expectation]


class LevelNow(NamedTuple):
    """A member's current level on one skill lineage, with the self-assessment waiting for their manager."""

    level: int
    rater_kind: str
    assessment_id: int
    pending_id: int | None
    pending_level: int | None


@functools.cache
def _levels_sql() -> str:
    c, pending = CurrentLevel, column(CurrentLevel, "pending_self_assessment")
    return (
        f"SELECT c.{column(c, 'lineage')}, c.{column(c, 'level')}, c.{column(c, 'rater_kind')}, "  # noqa: S608 - names from the models
        f"c.{column(c, 'assessment')}, c.{pending}, p.{column(Assessment, 'level')} FROM {table(c)} c "
        f"LEFT OUTER JOIN {table(Assessment)} p ON p.{column(Assessment, 'id')} = c.{pending} "
        f"WHERE c.{column(c, 'member')} = %s"
    )


def current_levels(member: Member, lineages: list[int]) -> dict[int, LevelNow]:
    """The member's current levels on these lineages. All of the member's rows are read (a few dozen at most) by one
    statement written once: My skills asks on every view, and building the query and 40 model instances through the
    ORM cost twice what reading the rows does."""
    wanted = set(lineages)
    with connection.cursor() as cursor:
        cursor.execute(_levels_sql(), [member.pk])
        rows = cursor.fetchall()
    return {lineage: LevelNow(*rest) for lineage, *rest in rows if lineage in wanted}


def _standing(member: Member, expectation: Expectation, current: LevelNow | None) -> SkillStanding:
    pending_id = current.pending_id if current else None
    return SkillStanding(
        skill=expectation.skill,
        expected_level=expectation.expected_level,
        importance=expectation.importance,
        current_level=current.level if current else 0,
        rater_kind=current.rater_kind if current else None,
        pending_level=current.pending_level if pending_id is not None and pending_id != current.assessment_id else None,
        awaiting_manager=pending_id is not None and member.line_manager_id is not None,
    )


@functools.cache
def _suggestions_sql(lineages: int) -> str:
    q, i = connection.ops.quote_name, Intervention
    targets = i._meta.get_field("target_skills")
    return (
        f"SELECT i.{column(i, 'id')}, i.{column(i, 'name')}, i.{column(i, 'kind')}, i.{column(i, 'provider')}, "  # noqa: S608 - names from the models
        f"s.{column(Skill, 'lineage')} FROM {table(i)} i "
        f"INNER JOIN {table(targets.remote_field.through)} t ON t.{q(targets.m2m_column_name())} = i.{column(i, 'id')} "
        f"INNER JOIN {table(Skill)} s ON s.{column(Skill, 'id')} = t.{q(targets.m2m_reverse_name())} "
        f"WHERE s.{column(Skill, 'lineage')} IN ({', '.join(['%s'] * lineages)}) "
        f"ORDER BY i.{column(i, 'name')}, i.{column(i, 'id')}"
    )


def suggested_interventions(gaps: dict[int, str]) -> list[Intervention]:
    """Interventions that target any of these gaps (lineage: the current skill's name), by name, each with
    ``builds``: the names of the gaps it targets, sorted. One statement, its SQL written once per number of gaps."""
    if not gaps:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_suggestions_sql(len(gaps)), sorted(gaps))
        rows = cursor.fetchall()
    found: dict[int, Intervention] = {}
    builds: dict[int, set[str]] = {}
    for pk, name, kind, provider, lineage in rows:
        if pk not in found:
            found[pk] = Intervention.from_db(
                connection.alias, ["id", "name", "kind", "provider"], [pk, name, kind, provider]
            )
            builds[pk] = set()
        builds[pk].add(gaps[lineage])
    for pk, intervention in found.items():
        intervention.builds = sorted(builds[pk])
    return list(found.values())


def my_skills(member: Member) -> MySkills:
    """What the member's role expects, where they stand, their gaps and the interventions that target them (each
    with ``builds``, the gaps it targets)."""
    version = current_version()
    if version is None:
        return MySkills(version=None, profile=None, groups=[], suggested_interventions=[])
    profile = role_profile_for(member, version)
    if profile is None:
        return MySkills(version=version, profile=None, groups=[], suggested_interventions=[])
    expectations = structure(version).expectations.get(profile.pk, ())
    levels = current_levels(member, [e.skill.lineage for e in expectations])
    groups: dict[int, GroupStanding] = {}
    for expectation in expectations:
        skill = expectation.skill
        standing = _standing(member, expectation, levels.get(skill.lineage))
        groups.setdefault(skill.group_id, GroupStanding(group=skill.group)).skills.append(standing)
    result = MySkills(version=version, profile=profile, groups=list(groups.values()), suggested_interventions=[])
    result.suggested_interventions = suggested_interventions({s.skill.lineage: s.skill.name for s in result.gaps})
    return result


def skill_standing(member: Member, skill: Skill, version: FrameworkVersion) -> SkillStanding | None:
    """Where the member stands on one skill of ``version`` (the same as its row in ``my_skills``), or None when
    their role profile does not expect it: one small read (its current level) beside the version's structure."""
    profile = role_profile_for(member, version)
    if profile is None:
        return None
    found = structure(version).expectations.get(profile.pk, ())
    expectation = next((e for e in found if e.skill_id == skill.pk), None)
    if expectation is None:
        return None
    return _standing(member, expectation, current_levels(member, [skill.lineage]).get(skill.lineage))


def skill_history(member: Member, skill: Skill) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(member=member, lineage=skill.lineage)
        .select_related("rated_by__user", "skill", "version")
        .order_by("-rated_at", "-pk")
    )


def pending_confirmations(manager: Member) -> QuerySet[CurrentLevel]:
    """Self-assessments by the manager's reports that wait for the manager's response."""
    return (
        CurrentLevel.objects.filter(member__line_manager=manager, pending_self_assessment__isnull=False)
        .select_related("member__user", "pending_self_assessment__skill")
        .order_by("pending_self_assessment__rated_at", "pk")
    )


def framework_versions(framework: Framework) -> QuerySet[FrameworkVersion]:
    return framework.versions.order_by("-number")


def version_contents(version: FrameworkVersion) -> QuerySet[SkillGroup]:
    return version.groups.prefetch_related(
        Prefetch("skills", queryset=Skill.objects.prefetch_related("crosswalks").order_by("position", "code"))
    )


def self_assessment_is_pending(assessment: Assessment) -> bool:
    return (
        assessment.rater_kind == RaterKind.SELF
        and CurrentLevel.objects.filter(pending_self_assessment=assessment).exists()
    )
