"""A member's next career steps from their current role profile: the next role level in the same job family,
and lateral moves to other job families at the same level, each with the member's fit and gap."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from odp.models import Member
from skills import selectors
from skills.careers.fit import Gap, gaps_by_profile
from skills.models import FrameworkVersion, RoleProfile


class CareerPathKind(models.TextChoices):
    NEXT = "next", "Next role level in your job family"
    LATERAL = "lateral", "Another job family at your role level"


@dataclass
class CareerPath:
    profile: RoleProfile
    kind: str  # "next" or "lateral"
    gap: Gap

    @property
    def kind_label(self) -> str:
        return "Next step in your job family" if self.kind == "next" else "Move to another job family"


@dataclass
class CareerPaths:
    version: FrameworkVersion | None
    current: RoleProfile | None
    next_steps: list[CareerPath] = field(default_factory=list)
    lateral_moves: list[CareerPath] = field(default_factory=list)

    @property
    def all(self) -> list[CareerPath]:
        return [*self.next_steps, *self.lateral_moves]


def career_paths(member: Member) -> CareerPaths:
    version = selectors.current_version()
    if version is None:
        return CareerPaths(version=None, current=None)
    current = selectors.role_profile_for(member, version)
    if current is None:
        return CareerPaths(version=version, current=None)
    same_family_next = Q(job_family=current.job_family, role_level=current.role_level + 1)
    lateral = Q(role_level=current.role_level) & ~Q(job_family=current.job_family)
    targets = list(RoleProfile.objects.filter(same_family_next | lateral, version=version))
    gaps = gaps_by_profile(member, [p.pk for p in targets])
    paths = [
        CareerPath(profile=p, kind="next" if p.job_family == current.job_family else "lateral", gap=gaps[p.pk])
        for p in targets
        if p.pk in gaps  # a profile that expects no skills is no step to show
    ]
    # Closest first: the most skills already met as a share of those expected, then the fewest to build.
    paths.sort(key=lambda p: (-p.gap.fit.percent, p.gap.fit.gap_count, p.profile.get_job_family_display()))
    return CareerPaths(
        version=version,
        current=current,
        next_steps=[p for p in paths if p.kind == "next"],
        lateral_moves=[p for p in paths if p.kind == "lateral"],
    )


def career_path(member: Member, profile_id: int) -> CareerPath | None:
    """One of the member's paths, or None if that profile is not one of their next steps."""
    return next((p for p in career_paths(member).all if p.profile.pk == profile_id), None)
