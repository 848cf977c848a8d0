"""What an imported framework version looks like once read, and the rules it must meet to be saved.

Both file formats parse into a ``ParsedVersion``; ``validate_version`` then checks it against the
model's limits and the version it will be based on, returning every problem found. Each parsed item
carries a ``Loc`` so a problem names the CSV row and column, or the JSON item and path."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from odp.models import JobFamily, RoleLevel
from odp.tabular import ImportRejected, RowError
from skills import services
from skills.models import (
    Crosswalk,
    CrosswalkRelation,
    FrameworkVersion,
    Importance,
    ProficiencyLevel,
    RoleProfile,
    Skill,
    SkillGroup,
)

FORMAT_NAME = "odp-skills-framework"
FORMAT_VERSION = 1
MAX_LEVELS = 9
MAX_TEXT = 4000
TAGS = ("digital", "data", "ai")
CROSSWALK_FIELDS = ("scheme", "code", "name", "level", "relation")
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")


def _max(model: type, name: str) -> int:
    return model._meta.get_field(name).max_length


@dataclass(frozen=True)
class Loc:
    """Where an item came from: a CSV row (``path`` is None) or a JSON item (``path`` such as "skills[3]").
    ``columns`` renames a field to its CSV column; JSON fields are named by their path."""

    row: int | None
    path: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)

    def column(self, name: str) -> str:
        if self.path is not None:
            return f"{self.path}.{name}" if self.path else name
        if name.startswith("descriptors."):
            return "level_" + name.removeprefix("descriptors.")
        return self.columns.get(name, name)

    def error(self, name: str, message: str) -> RowError:
        return RowError(self.row, self.column(name), message)

    def child(self, path: str, number: int) -> Loc:
        """A nested JSON item; it keeps the row (item number) of its top-level item."""
        return Loc(self.row if self.row is not None else number, f"{self.path}.{path}" if self.path else path)

    def describe(self) -> str:
        return self.path if self.path else f"row {self.row}"


@dataclass(frozen=True)
class ParsedLevel:
    loc: Loc
    value: int
    name: str
    description: str
    is_threshold: bool


@dataclass(frozen=True)
class ParsedGroup:
    loc: Loc
    code: str
    name: str
    position: int


@dataclass(frozen=True)
class ParsedCrosswalk:
    loc: Loc
    scheme: str
    external_code: str
    external_name: str
    external_level: str
    relation: str


@dataclass(frozen=True)
class ParsedSkill:
    loc: Loc
    code: str
    group_code: str
    name: str
    description: str
    descriptors: dict[str, str]
    is_digital: bool
    is_data: bool
    is_ai: bool
    supersedes: str
    crosswalks: list[ParsedCrosswalk]
    position: int


@dataclass(frozen=True)
class ParsedExpectation:
    loc: Loc
    skill_code: str
    level: int
    importance: str


@dataclass(frozen=True)
class ParsedProfile:
    loc: Loc
    job_family: str
    role_level: int
    name: str
    expectations: list[ParsedExpectation]


@dataclass(frozen=True)
class ParsedVersion:
    levels: list[ParsedLevel]
    groups: list[ParsedGroup]
    skills: list[ParsedSkill]
    role_profiles: list[ParsedProfile]
    change_notes: str
    is_illustrative: bool


def check_text(loc: Loc, name: str, value: str, *, max_length: int, required: bool = False) -> list[RowError]:
    if required and not value:
        return [loc.error(name, f"Enter the {name.replace('_', ' ')}; it cannot be blank.")]
    if len(value) > max_length:
        return [loc.error(name, f"This must be {max_length} characters or fewer (it has {len(value)}).")]
    return []


def check_code(loc: Loc, name: str, value: str, *, max_length: int) -> list[RowError]:
    errors = check_text(loc, name, value, max_length=max_length, required=True)
    if not errors and not CODE_PATTERN.match(value):
        errors.append(
            loc.error(name, f"'{value}' is not a valid code: use letters, digits, '.', '_' or '-', no spaces.")
        )
    return errors


def _check_scale(levels: Sequence[ParsedLevel]) -> list[RowError]:
    root = Loc(None, path="")
    if not levels:
        return [root.error("scale", "The scale needs at least one level.")]
    errors = []
    values = [level.value for level in levels]
    if values != list(range(1, len(levels) + 1)) or len(levels) > MAX_LEVELS:
        errors.append(root.error("scale", f"Scale levels must be numbered 1, 2, 3 … in order, at most {MAX_LEVELS}."))
    for level in levels:
        errors += check_text(level.loc, "name", level.name, max_length=_max(ProficiencyLevel, "name"), required=True)
        errors += check_text(level.loc, "description", level.description, max_length=MAX_TEXT)
    if sum(1 for level in levels if level.is_threshold) != 1:
        errors.append(root.error("scale", 'Exactly one level must be the threshold ("threshold": true).'))
    return errors


def _check_groups(groups: Sequence[ParsedGroup]) -> list[RowError]:
    errors: list[RowError] = []
    seen: dict[str, ParsedGroup] = {}
    for group in groups:
        errors += check_code(group.loc, "code", group.code, max_length=_max(SkillGroup, "code"))
        errors += check_text(group.loc, "name", group.name, max_length=_max(SkillGroup, "name"), required=True)
        if group.code in seen:
            where = seen[group.code].loc.describe()
            errors.append(group.loc.error("code", f"Group code {group.code} is already used by {where}."))
        seen.setdefault(group.code, group)
    return errors


def _check_crosswalk(cw: ParsedCrosswalk) -> list[RowError]:
    errors = check_text(cw.loc, "scheme", cw.scheme, max_length=_max(Crosswalk, "scheme"), required=True)
    errors += check_text(cw.loc, "code", cw.external_code, max_length=_max(Crosswalk, "external_code"))
    errors += check_text(cw.loc, "name", cw.external_name, max_length=_max(Crosswalk, "external_name"), required=True)
    errors += check_text(cw.loc, "level", cw.external_level, max_length=_max(Crosswalk, "external_level"))
    if cw.relation not in CrosswalkRelation.values:
        choices = ", ".join(CrosswalkRelation.values)
        errors.append(cw.loc.error("relation", f"'{cw.relation}' is not a relation: use one of {choices}."))
    return errors


def _check_descriptors(skill: ParsedSkill, top: int) -> list[RowError]:
    errors = []
    for key, text in skill.descriptors.items():
        if not 1 <= int(key) <= top:
            errors.append(
                skill.loc.error(f"descriptors.{key}", f"There is no level {key}: the scale's levels are 1 to {top}.")
            )
        errors += check_text(skill.loc, f"descriptors.{key}", text, max_length=MAX_TEXT)
    if not any(skill.descriptors.values()):
        errors.append(skill.loc.error("descriptors.1", "Describe at least one level of the skill."))
    return errors


def _check_skill_fields(skill: ParsedSkill, group_codes: set[str], top: int) -> list[RowError]:
    loc = skill.loc
    errors = check_code(loc, "code", skill.code, max_length=_max(Skill, "code"))
    errors += check_text(loc, "name", skill.name, max_length=_max(Skill, "name"), required=True)
    errors += check_text(loc, "description", skill.description, max_length=MAX_TEXT)
    if skill.group_code and skill.group_code not in group_codes:
        errors.append(loc.error("group", f"Group {skill.group_code} is not one of the groups declared in the file."))
    elif not skill.group_code:
        errors.append(loc.error("group", "Enter the code of the skill's group."))
    errors += _check_descriptors(skill, top)
    for cw in skill.crosswalks:
        errors += _check_crosswalk(cw)
    return errors


def _check_supersedes(skill: ParsedSkill, based_on: FrameworkVersion | None, previous: set[str]) -> list[RowError]:
    if not skill.supersedes:
        return []
    if based_on is None:
        return [skill.loc.error("supersedes", "There is no published version yet, so a skill cannot supersede one.")]
    if skill.supersedes not in previous:
        return [
            skill.loc.error(
                "supersedes",
                f"{skill.supersedes} is not a skill code in version {based_on.number}, the version this is based on.",
            )
        ]
    return []


def _check_skills(
    skills: Sequence[ParsedSkill], groups: Sequence[ParsedGroup], top: int, based_on: FrameworkVersion | None
) -> list[RowError]:
    group_codes = {g.code for g in groups}
    previous = set(based_on.skills.values_list("code", flat=True)) if based_on else set()
    errors: list[RowError] = []
    codes: dict[str, ParsedSkill] = {}
    superseded: dict[str, ParsedSkill] = {}
    for skill in skills:
        errors += _check_skill_fields(skill, group_codes, top)
        errors += _check_supersedes(skill, based_on, previous)
        if skill.code in codes:
            where = codes[skill.code].loc.describe()
            errors.append(skill.loc.error("code", f"Skill code {skill.code} is already used by {where}."))
        codes.setdefault(skill.code, skill)
        if skill.supersedes and skill.supersedes in superseded:
            other = superseded[skill.supersedes]
            errors.append(
                skill.loc.error(
                    "supersedes", f"{skill.supersedes} is already superseded by {other.code} ({other.loc.describe()})."
                )
            )
        superseded.setdefault(skill.supersedes, skill)
    return errors


def _check_expectation(ex: ParsedExpectation, top: int, skills: Mapping[str, Mapping[str, str]]) -> list[RowError]:
    errors = []
    if ex.skill_code not in skills:
        errors.append(ex.loc.error("skill", f"{ex.skill_code or 'A blank code'} is not a skill in this version."))
    if not 1 <= ex.level <= top:
        errors.append(ex.loc.error("level", f"The expected level must be from 1 to {top} (the top of the scale)."))
    elif ex.skill_code in skills and not skills[ex.skill_code].get(str(ex.level)):
        errors.append(ex.loc.error("level", f"Level {ex.level} is not defined for skill {ex.skill_code}."))
    if ex.importance not in Importance.values:
        errors.append(
            ex.loc.error("importance", f"'{ex.importance}' is not an importance: use critical, core or desirable.")
        )
    return errors


def _check_profile_fields(profile: ParsedProfile) -> list[RowError]:
    loc = profile.loc
    errors = check_text(loc, "name", profile.name, max_length=_max(RoleProfile, "name"))
    if profile.job_family not in JobFamily.values:
        choices = ", ".join(JobFamily.values)
        errors.append(loc.error("job_family", f"'{profile.job_family}' is not a job family: use one of {choices}."))
    if profile.role_level not in RoleLevel.values:
        errors.append(loc.error("role_level", f"Role levels are {min(RoleLevel.values)} to {max(RoleLevel.values)}."))
    return errors


def validate_profiles(
    profiles: Sequence[ParsedProfile], levels: Sequence[ParsedLevel], skills: Mapping[str, Mapping[str, str]]
) -> list[RowError]:
    """Role profiles against a scale and the skills' descriptors, given as {code: {"1": text, ...}}."""
    top = max((level.value for level in levels), default=0)
    errors: list[RowError] = []
    seen: dict[tuple[str, int], ParsedProfile] = {}
    for profile in profiles:
        errors += _check_profile_fields(profile)
        key = (profile.job_family, profile.role_level)
        if key in seen:
            errors.append(profile.loc.error("job_family", f"This role profile repeats {seen[key].loc.describe()}."))
        seen.setdefault(key, profile)
        expected: dict[str, ParsedExpectation] = {}
        for ex in profile.expectations:
            errors += _check_expectation(ex, top, skills)
            if ex.skill_code in expected:
                first = expected[ex.skill_code].loc.describe()
                errors.append(ex.loc.error("skill", f"{ex.skill_code} is already expected in this profile ({first})."))
            expected.setdefault(ex.skill_code, ex)
    return errors


def validate_version(parsed: ParsedVersion, based_on: FrameworkVersion | None) -> list[RowError]:
    """Every problem with a parsed version, given the published version it would be based on."""
    top = max((level.value for level in parsed.levels), default=0)
    errors = _check_scale(parsed.levels)
    errors += check_text(Loc(None, path=""), "change_notes", parsed.change_notes, max_length=MAX_TEXT)
    errors += _check_groups(parsed.groups)
    if not parsed.skills:
        errors.append(Loc(None, path="").error("skills", "The version needs at least one skill."))
    errors += _check_skills(parsed.skills, parsed.groups, top, based_on)
    descriptors = {skill.code: skill.descriptors for skill in parsed.skills}
    errors += validate_profiles(parsed.role_profiles, parsed.levels, descriptors)
    return errors


def merge(first: Sequence[RowError], more: Sequence[RowError]) -> list[RowError]:
    """Problems found while reading, then the rule checks' problems at places not already reported (a value
    that could not be read would otherwise be reported twice)."""
    seen = {(e.row, e.column) for e in first}
    return [*first, *(e for e in more if (e.row, e.column) not in seen)]


def reject_if(errors: Sequence[RowError]) -> None:
    if errors:
        raise ImportRejected(errors)


def scale_for(based_on: FrameworkVersion | None) -> list[ParsedLevel]:
    """The scale a CSV import uses: that of the version it is based on, or the default scale."""
    if based_on is not None:
        return [
            ParsedLevel(Loc(None), lv.value, lv.name, lv.description, lv.is_threshold) for lv in based_on.levels.all()
        ]
    return [
        ParsedLevel(Loc(None), value, name, description, value == services.DEFAULT_THRESHOLD)
        for value, name, description in services.DEFAULT_SCALE
    ]
