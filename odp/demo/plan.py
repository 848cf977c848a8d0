"""Who is in the demo: every member, with grade, job family, role level, region and line manager.

Pure and deterministic (no database): each organisation draws from its own ``random.Random`` seeded with
``DEMO_SEED`` and its slug, so the same people come out on every machine and adding an organisation does not
reshuffle the others."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.text import slugify

from odp.demo.data import (
    DEMO_ACCOUNTS,
    DEMO_SEED,
    EMAIL_DOMAIN,
    FIRST_NAMES,
    LAST_NAMES,
    ORGANISATIONS,
    AccountSpec,
    OrganisationSpec,
)
from odp.models import Grade, JobFamily, RoleLevel

# Grades that form a line-management tier, from the front line upwards. AA, AO and EO share the bottom tier:
# they work in teams led by an HEO.
_TIERS: tuple[tuple[str, ...], ...] = (
    (Grade.AA, Grade.AO, Grade.EO),
    (Grade.HEO,),
    (Grade.SEO,),
    (Grade.G7,),
    (Grade.G6,),
    (Grade.SCS1,),
    (Grade.SCS2,),
    (Grade.SCS3,),
)
_TIER_OF = {grade: index for index, grades in enumerate(_TIERS) for grade in grades}
TEAM_SIZE = 9  # front-line staff per HEO team leader, roughly
SAME_REGION_AS_MANAGER = 0.8


@dataclass
class PersonPlan:
    username: str
    first_name: str
    last_name: str
    organisation: str  # slug
    grade: str
    job_family: str
    region: str
    role_level: int = RoleLevel.PRACTITIONER
    manager: str | None = None  # username
    named: bool = False  # one of the documented demo sign-ins

    @property
    def email(self) -> str:
        return f"{self.username}@{EMAIL_DOMAIN}"


def username_prefix(spec: OrganisationSpec) -> str:
    """Short, stable prefix for generated usernames: ``hmpo.001``, ``borderforce.012``."""
    return slugify(spec.short_name).replace("-", "")


def management_grades(headcount: int, *, senior_civil_servant: bool) -> list[str]:
    """The managers an organisation of ``headcount`` generated members needs, most senior last."""
    teams = max(1, round(headcount / TEAM_SIZE))
    seos = math.ceil(teams / 3) if headcount >= 8 else 0
    grade7s = math.ceil(seos / 3) if headcount >= 15 else 0
    grade6s = 1 if headcount >= 40 else 0
    scs = 1 if senior_civil_servant else 0
    return [Grade.HEO] * teams + [Grade.SEO] * seos + [Grade.G7] * grade7s + [Grade.G6] * grade6s + [Grade.SCS1] * scs


def _choose(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _job_family_for_manager(rng: random.Random, grade: str) -> str:
    if grade == Grade.SEO:
        return _choose(
            rng,
            [
                (JobFamily.OPERATIONAL_MANAGEMENT, 6),
                (JobFamily.PLANNING_AND_PERFORMANCE, 2),
                (JobFamily.OPERATIONAL_IMPROVEMENT, 2),
            ],
        )
    if grade == Grade.G7:
        return _choose(rng, [(JobFamily.OPERATIONAL_MANAGEMENT, 3), (JobFamily.PLANNING_AND_PERFORMANCE, 1)])
    return JobFamily.OPERATIONAL_MANAGEMENT


def role_level_for(rng: random.Random, grade: str, *, has_reports: bool) -> int:
    """Role level follows grade, with a little spread at the front line; people managers are leaders."""
    if grade in (Grade.G6, Grade.SCS1, Grade.SCS2, Grade.SCS3):
        return RoleLevel.SENIOR_LEADER
    if grade in (Grade.SEO, Grade.G7) or has_reports:
        return RoleLevel.LEADER
    if grade == Grade.HEO:
        return RoleLevel.SENIOR_PRACTITIONER
    if grade == Grade.EO:
        return RoleLevel.SENIOR_PRACTITIONER if rng.random() < 0.15 else RoleLevel.PRACTITIONER
    if grade == Grade.AO:
        return RoleLevel.PRACTITIONER if rng.random() < 0.25 else RoleLevel.ENTRY
    return RoleLevel.ENTRY


def _generated(spec: OrganisationSpec, rng: random.Random) -> list[PersonPlan]:
    managers = management_grades(spec.headcount, senior_civil_servant=spec.senior_civil_servant)
    front_line = [
        _choose(rng, [(Grade.AA, 1), (Grade.AO, 10), (Grade.EO, 9)]) for _ in range(spec.headcount - len(managers))
    ]
    prefix = username_prefix(spec)
    people = []
    for number, grade in enumerate(front_line + managers, start=1):
        job_family = _choose(rng, spec.job_families) if grade in _TIERS[0] else _job_family_for_manager(rng, grade)
        people.append(
            PersonPlan(
                username=f"{prefix}.{number:03d}",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                organisation=spec.slug,
                grade=grade,
                job_family=job_family,
                region="",  # set once the teams are known: most people sit with their manager
            )
        )
    return people


def _named(account: AccountSpec) -> PersonPlan:
    return PersonPlan(
        username=account.username,
        first_name=account.first_name,
        last_name=account.last_name,
        organisation=account.organisation,
        grade=account.grade,
        job_family=account.job_family,
        region=account.region,
        named=True,
    )


def _assign_managers(people: list[PersonPlan]) -> None:
    """Split each tier into contiguous teams under the next tier up that has anyone in it.

    Named accounts come first in every tier, so ``staff`` lands in the first team, which ``manager`` leads."""
    tiers: list[list[PersonPlan]] = [[] for _ in _TIERS]
    for person in sorted(people, key=lambda p: not p.named):
        tiers[_TIER_OF[person.grade]].append(person)
    occupied = [tier for tier in tiers if tier]
    for tier, above in itertools.pairwise(occupied):
        for index, person in enumerate(tier):
            person.manager = above[index * len(above) // len(tier)].username


def _assign_regions(people: list[PersonPlan], spec: OrganisationSpec, rng: random.Random) -> None:
    by_username = {p.username: p for p in people}

    def region_of(person: PersonPlan) -> str:
        if not person.region:
            manager = by_username.get(person.manager) if person.manager else None
            if manager is not None and rng.random() < SAME_REGION_AS_MANAGER:
                person.region = region_of(manager)
            else:
                person.region = _choose(rng, spec.regions)
        return person.region

    for person in people:
        region_of(person)


def build_people() -> list[PersonPlan]:
    """Everyone in the demo, named sign-ins included, in a stable order."""
    named_by_org: dict[str, list[PersonPlan]] = {}
    for account in DEMO_ACCOUNTS:
        named_by_org.setdefault(account.organisation, []).append(_named(account))
    everyone: list[PersonPlan] = []
    for spec in ORGANISATIONS:
        rng = random.Random(f"{DEMO_SEED}:{spec.slug}")
        people = named_by_org.pop(spec.slug, []) + _generated(spec, rng)
        _assign_managers(people)
        _assign_regions(people, spec, rng)
        managers = {p.manager for p in people if p.manager}
        for person in people:
            person.role_level = role_level_for(rng, person.grade, has_reports=person.username in managers)
        everyone.extend(people)
    if named_by_org:
        raise ValueError(f"Demo accounts in unknown organisations: {sorted(named_by_org)}")
    return everyone
