"""How well a member fits a role profile, computed in SQL from their current levels: how many of the profile's
expected skills they meet, and which they do not (their gap)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from odp.models import Member
from skills.models import CurrentLevel, Expectation, Intervention


def _current_level(member: Member, lineage_ref: str) -> Coalesce:
    """The member's current level on the skill at ``lineage_ref`` (0 when never rated), as a subquery."""
    level = CurrentLevel.objects.filter(member_id=member.pk, lineage=OuterRef(lineage_ref)).values("level")[:1]
    return Coalesce(Subquery(level, output_field=IntegerField()), Value(0))


def expectations_with_levels(member: Member, profile_ids: Iterable[int]) -> QuerySet[Expectation]:
    return Expectation.objects.filter(profile_id__in=list(profile_ids)).annotate(
        current_level=_current_level(member, "skill__lineage")
    )


@dataclass(frozen=True)
class Fit:
    met: int
    expected: int

    @property
    def gap_count(self) -> int:
        return self.expected - self.met

    @property
    def percent(self) -> int:
        return round(100 * self.met / self.expected) if self.expected else 0

    @property
    def text(self) -> str:
        if not self.expected:
            return "No skills are expected yet"
        return f"You meet {self.met} of {self.expected} expected skill{'s' if self.expected != 1 else ''}"


def fit_by_profile(member: Member, profile_ids: Iterable[int]) -> dict[int, Fit]:
    """One grouped query for any number of profiles."""
    rows = (
        expectations_with_levels(member, profile_ids)
        .values("profile_id")
        .annotate(expected=Count("pk"), met=Count("pk", filter=Q(current_level__gte=F("expected_level"))))
        .order_by()
    )
    return {row["profile_id"]: Fit(met=row["met"], expected=row["expected"]) for row in rows}


@dataclass(frozen=True)
class GapSkill:
    skill_id: int
    code: str
    name: str
    lineage: int
    expected_level: int
    current_level: int
    importance: str

    @property
    def levels_short(self) -> int:
        return self.expected_level - self.current_level


@dataclass
class Gap:
    fit: Fit
    skills: list[GapSkill] = field(default_factory=list)
    # Interventions that target at least one gap skill, each with the names of the gap skills it builds.
    interventions: list[tuple[Intervention, list[str]]] = field(default_factory=list)


def gaps_by_profile(member: Member, profile_ids: Iterable[int]) -> dict[int, Gap]:
    """Fit, gap skills and the interventions that target them, for each profile: three queries in all."""
    ids = list(profile_ids)
    fits = fit_by_profile(member, ids)
    result = {pk: Gap(fit=fit) for pk, fit in fits.items()}
    short = (
        expectations_with_levels(member, ids)
        .filter(current_level__lt=F("expected_level"))
        .select_related("skill")
        .order_by("profile_id", "skill__group__position", "skill__position", "skill__code")
    )
    for e in short:
        result[e.profile_id].skills.append(
            GapSkill(
                skill_id=e.skill_id,
                code=e.skill.code,
                name=e.skill.name,
                lineage=e.skill.lineage,
                expected_level=e.expected_level,
                current_level=e.current_level,
                importance=e.importance,
            )
        )
    lineages = {s.lineage for gap in result.values() for s in gap.skills}
    if lineages:
        targeting = list(
            Intervention.objects.filter(target_skills__lineage__in=lineages)
            .distinct()
            .prefetch_related("target_skills")
            .order_by("name")
        )
        for gap in result.values():
            names = {s.lineage: s.name for s in gap.skills}
            for intervention in targeting:
                builds = sorted({names[t.lineage] for t in intervention.target_skills.all() if t.lineage in names})
                if builds:
                    gap.interventions.append((intervention, builds))
    return result


def annotate_fit(queryset: QuerySet, member: Member, profile_ref: str = "role_profile_id") -> QuerySet:
    """Add ``fit_expected``, ``fit_met`` and ``fit_percent`` to each row of a queryset with a role profile,
    so a list can be sorted and filtered by fit in the database."""
    per_profile = Expectation.objects.filter(profile_id=OuterRef(profile_ref)).values("profile_id").order_by()
    expected = per_profile.annotate(n=Count("pk")).values("n")
    met = (
        Expectation.objects.filter(profile_id=OuterRef(profile_ref))
        .annotate(current_level=_current_level(member, "skill__lineage"))
        .filter(current_level__gte=F("expected_level"))
        .values("profile_id")
        .order_by()
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        fit_expected=Coalesce(Subquery(expected, output_field=IntegerField()), Value(0)),
        fit_met=Coalesce(Subquery(met, output_field=IntegerField()), Value(0)),
    ).annotate(
        fit_percent=Coalesce(F("fit_met") * 100 / NullIf(F("fit_expected"), 0), Value(0), output_field=IntegerField()),
    )
