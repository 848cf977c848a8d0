"""Exporting a framework version as JSON or CSV, in the formats ``skills.importing`` reads back.

Exports round-trip: export, import and export again gives the same bytes. CSV cells that could run as
spreadsheet formulas are written with a leading apostrophe (``odp.tabular.safe_cell``); the importer
removes it again. ``as_successor=True`` writes every skill as superseding its own code, the usual
starting point for editing the next version so that ratings carry over."""

from __future__ import annotations

import json
from typing import Any

from odp.tabular import write_csv
from skills.import_csv import ROLE_PROFILE_COLUMNS, SKILL_COLUMNS
from skills.import_rules import CROSSWALK_FIELDS, FORMAT_NAME, FORMAT_VERSION, TAGS
from skills.models import Crosswalk, FrameworkVersion, RoleProfile, Skill


def _skills(version: FrameworkVersion) -> list[Skill]:
    # Sorted in Python, not SQL, so the order (and so the bytes) never depends on the database's collation.
    skills = version.skills.select_related("group", "supersedes").prefetch_related("crosswalks")
    return sorted(skills, key=lambda s: (s.group.position, s.group.code, s.position, s.code))


def _profiles(version: FrameworkVersion) -> list[RoleProfile]:
    profiles = version.role_profiles.prefetch_related("expectations__skill")
    return sorted(profiles, key=lambda p: (p.job_family, p.role_level))


def _crosswalks(skill: Skill) -> list[Crosswalk]:
    return sorted(skill.crosswalks.all(), key=lambda c: (c.scheme, c.external_name, c.external_code, c.pk))


def _supersedes(skill: Skill, *, as_successor: bool) -> str:
    if as_successor:
        return skill.code
    return skill.supersedes.code if skill.supersedes_id else ""


def _descriptors(skill: Skill, top: int) -> dict[str, str]:
    return {str(n): skill.descriptor(n) for n in range(1, top + 1) if skill.descriptor(n)}


def _tags(skill: Skill) -> list[str]:
    flags = {"digital": skill.is_digital, "data": skill.is_data, "ai": skill.is_ai}
    return [tag for tag in TAGS if flags[tag]]


def _skill_json(skill: Skill, top: int, *, as_successor: bool) -> dict[str, Any]:
    return {
        "code": skill.code,
        "group": skill.group.code,
        "name": skill.name,
        "description": skill.description,
        "descriptors": _descriptors(skill, top),
        "tags": _tags(skill),
        "supersedes": _supersedes(skill, as_successor=as_successor) or None,
        "crosswalks": [
            {
                "scheme": c.scheme,
                "code": c.external_code,
                "name": c.external_name,
                "level": c.external_level,
                "relation": c.relation,
            }
            for c in _crosswalks(skill)
        ],
    }


def _profile_json(profile: RoleProfile) -> dict[str, Any]:
    expectations = sorted(profile.expectations.all(), key=lambda e: e.skill.code)
    return {
        "job_family": profile.job_family,
        "role_level": profile.role_level,
        "name": profile.name,
        "expectations": [
            {"skill": e.skill.code, "level": e.expected_level, "importance": e.importance} for e in expectations
        ],
    }


def export_version_json(version: FrameworkVersion, *, as_successor: bool = False) -> bytes:
    """The whole version: scale, groups, skills with descriptors, tags and crosswalks, and role profiles."""
    levels = list(version.levels.order_by("value"))
    top = max((lv.value for lv in levels), default=0)
    document = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "framework": version.framework.name,
        "illustrative": version.is_illustrative,
        "change_notes": version.change_notes,
        "scale": [
            {"level": lv.value, "name": lv.name, "description": lv.description, "threshold": lv.is_threshold}
            for lv in levels
        ],
        "groups": [
            {"code": g.code, "name": g.name} for g in sorted(version.groups.all(), key=lambda g: (g.position, g.code))
        ],
        "skills": [_skill_json(s, top, as_successor=as_successor) for s in _skills(version)],
        "role_profiles": [_profile_json(p) for p in _profiles(version)],
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _csv_header(top: int) -> list[str]:
    return [
        *SKILL_COLUMNS,
        "description",
        *(f"level_{n}" for n in range(1, top + 1)),
        *TAGS,
        "supersedes",
        *(f"crosswalk_{f}" for f in CROSSWALK_FIELDS),
    ]


def _crosswalk_cells(crosswalk: Crosswalk | None) -> list[str]:
    if crosswalk is None:
        return [""] * len(CROSSWALK_FIELDS)
    c = crosswalk
    return [c.scheme, c.external_code, c.external_name, c.external_level, c.relation]


def _skill_rows(skill: Skill, top: int, *, as_successor: bool) -> list[list[str]]:
    """One row for the skill and its first crosswalk, then one short row per further crosswalk."""
    crosswalks = _crosswalks(skill)
    first = [
        skill.group.code,
        skill.group.name,
        skill.code,
        skill.name,
        skill.description,
        *(skill.descriptor(n) for n in range(1, top + 1)),
        *("yes" if tag in _tags(skill) else "no" for tag in TAGS),
        _supersedes(skill, as_successor=as_successor),
        *_crosswalk_cells(crosswalks[0] if crosswalks else None),
    ]
    blank_skill_cells = [""] * (len(first) - len(CROSSWALK_FIELDS))
    more = [[*blank_skill_cells, *_crosswalk_cells(c)] for c in crosswalks[1:]]
    for row in more:
        row[2] = skill.code
    return [first, *more]


def export_version_csv(version: FrameworkVersion, *, as_successor: bool = False) -> bytes:
    """The version's skills, one row per skill, on its own scale. Role profiles have their own CSV."""
    top = version.max_level
    rows = [row for skill in _skills(version) for row in _skill_rows(skill, top, as_successor=as_successor)]
    return write_csv(_csv_header(top), rows)


def export_role_profiles_csv(version: FrameworkVersion) -> bytes:
    """Role profiles, one row per expectation, in the form ``import_role_profiles`` reads."""
    rows = [
        [p.job_family, p.role_level, e.skill.code, e.expected_level, e.importance]
        for p in _profiles(version)
        for e in sorted(p.expectations.all(), key=lambda e: e.skill.code)
    ]
    return write_csv(ROLE_PROFILE_COLUMNS, rows)
