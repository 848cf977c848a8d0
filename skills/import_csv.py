"""Reading a framework version's skills from CSV (one row per skill), and role profiles from their own CSV.

Rows are spreadsheet rows: the header is row 1, so the first data row is row 2."""

from __future__ import annotations

from collections.abc import Sequence

from odp.models import JobFamily
from odp.tabular import RowError, looks_like_formula, read_csv
from skills.import_rules import (
    CROSSWALK_FIELDS,
    TAGS,
    Loc,
    ParsedCrosswalk,
    ParsedExpectation,
    ParsedGroup,
    ParsedProfile,
    ParsedSkill,
    ParsedVersion,
    merge,
    reject_if,
    scale_for,
    validate_profiles,
    validate_version,
)
from skills.models import FrameworkVersion

SKILL_COLUMNS = ("group_code", "group_name", "code", "name")
SKILL_OPTIONAL_COLUMNS = ("description", *TAGS, "supersedes", *(f"crosswalk_{f}" for f in CROSSWALK_FIELDS))
ROLE_PROFILE_COLUMNS = ("job_family", "role_level", "skill_code", "expected_level", "importance")
# Generous, so a too-high level column gets a clear message rather than "not a column".
_LEVEL_COLUMN_LIMIT = 20
_YES_NO = {"yes": True, "no": False, "": False}


def _unescape(values: dict[str, str]) -> dict[str, str]:
    """Accept our own exporter's spreadsheet-safe form: an apostrophe before a formula-looking value."""
    return {
        column: value[1:] if value.startswith("'") and looks_like_formula(value[1:]) else value
        for column, value in values.items()
    }


def _check_level_columns(header: Sequence[str], top: int) -> None:
    errors = [
        RowError(1, column, f"The scale's top level is {top}, so the file cannot have a '{column}' column.")
        for column in header
        if column.startswith("level_") and int(column.removeprefix("level_")) > top
    ]
    reject_if(errors)


_SKILL_ONLY_COLUMNS = ("group_code", "group_name", "name", "description", *TAGS, "supersedes")


def _is_continuation(values: dict[str, str]) -> bool:
    """A row that only adds another crosswalk to the skill named by its code."""
    return not any(values.get(c) for c in _SKILL_ONLY_COLUMNS) and not any(
        v for c, v in values.items() if c.startswith("level_")
    )


def _csv_crosswalk(number: int, values: dict[str, str]) -> ParsedCrosswalk | None:
    cells = {f: values.get(f"crosswalk_{f}", "") for f in CROSSWALK_FIELDS}
    if not any(cells.values()):
        return None
    loc = Loc(number, columns={f: f"crosswalk_{f}" for f in CROSSWALK_FIELDS})
    return ParsedCrosswalk(
        loc, cells["scheme"] or "DDaT", cells["code"], cells["name"], cells["level"], cells["relation"]
    )


def _yes_no(number: int, values: dict[str, str], errors: list[RowError]) -> dict[str, bool]:
    tags = {}
    for tag in TAGS:
        raw = values.get(tag, "").lower()
        if raw not in _YES_NO:
            errors.append(RowError(number, tag, f"Write yes or no (or leave blank for no), not '{values[tag]}'."))
        tags[tag] = _YES_NO.get(raw, False)
    return tags


class _CsvVersion:
    """Collects groups and skills from framework CSV rows, checking what only the CSV form can get wrong."""

    def __init__(self, top: int) -> None:
        self.top = top
        self.errors: list[RowError] = []
        self.groups: dict[str, ParsedGroup] = {}
        self.skills: dict[str, ParsedSkill] = {}

    def add_row(self, number: int, values: dict[str, str]) -> None:
        code = values["code"]
        if code in self.skills:
            self._add_crosswalk_row(number, values, self.skills[code])
            return
        group_code = values["group_code"]
        self._note_group(number, group_code, values["group_name"])
        tags = _yes_no(number, values, self.errors)
        crosswalk = _csv_crosswalk(number, values)
        self.skills[code] = ParsedSkill(
            loc=Loc(number, columns={"group": "group_code"}),
            code=code,
            group_code=group_code,
            name=values["name"],
            description=values.get("description", ""),
            descriptors={str(n): values.get(f"level_{n}", "") for n in range(1, self.top + 1)},
            is_digital=tags["digital"],
            is_data=tags["data"],
            is_ai=tags["ai"],
            supersedes=values.get("supersedes", ""),
            crosswalks=[crosswalk] if crosswalk else [],
            position=sum(1 for s in self.skills.values() if s.group_code == group_code) + 1,
        )

    def _note_group(self, number: int, code: str, name: str) -> None:
        group = self.groups.get(code)
        if group is None:
            loc = Loc(number, columns={"code": "group_code", "name": "group_name"})
            self.groups[code] = ParsedGroup(loc, code, name, len(self.groups) + 1)
        elif group.name != name:
            self.errors.append(
                RowError(
                    number,
                    "group_name",
                    f"Group {code} is called '{group.name}' on row {group.loc.row}; use the same name on every row.",
                )
            )

    def _add_crosswalk_row(self, number: int, values: dict[str, str], skill: ParsedSkill) -> None:
        crosswalk = _csv_crosswalk(number, values)
        if not _is_continuation(values) or crosswalk is None:
            self.errors.append(
                RowError(
                    number,
                    "code",
                    f"Skill code {skill.code} is already used on row {skill.loc.row}. To add another crosswalk, "
                    "repeat the code and fill in only the crosswalk columns.",
                )
            )
            return
        skill.crosswalks.append(crosswalk)


def parse_framework_csv(data: bytes, *, based_on: FrameworkVersion | None = None) -> ParsedVersion:
    """Parse and check a version's skills in CSV, one row per skill. The scale is that of ``based_on`` (the
    framework's current published version, which ``supersedes`` codes refer to) or the default scale."""
    levels = scale_for(based_on)
    top = max(level.value for level in levels)
    level_columns = [f"level_{n}" for n in range(1, max(top, _LEVEL_COLUMN_LIMIT) + 1)]
    rows = read_csv(
        data,
        required=[*SKILL_COLUMNS, *level_columns[:top]],
        optional=[*SKILL_OPTIONAL_COLUMNS, *level_columns[top:]],
    )
    _check_level_columns(list(rows[0][1]), top)
    collected = _CsvVersion(top)
    for number, values in rows:
        collected.add_row(number, _unescape(values))
    parsed = ParsedVersion(
        levels=levels,
        groups=list(collected.groups.values()),
        skills=list(collected.skills.values()),
        role_profiles=[],
        change_notes="",
        is_illustrative=based_on.is_illustrative if based_on else False,
    )
    reject_if(merge(collected.errors, validate_version(parsed, based_on)))
    return parsed


def _job_family(value: str) -> str:
    by_label = {label.lower(): family for family, label in JobFamily.choices}
    return by_label.get(value.lower(), value)


def _whole_number(number: int, column: str, raw: str, errors: list[RowError]) -> int:
    if raw.isdigit():
        return int(raw)
    errors.append(RowError(number, column, f"Write a whole number, such as 2, not '{raw}'."))
    return 0


def parse_role_profiles_csv(data: bytes, *, version: FrameworkVersion) -> list[ParsedProfile]:
    """Parse and check role profiles (one row per expectation) against the skills and scale of ``version``."""
    rows = read_csv(data, required=ROLE_PROFILE_COLUMNS)
    errors: list[RowError] = []
    profiles: dict[tuple[str, int], ParsedProfile] = {}
    for number, raw in rows:
        values = _unescape(raw)
        family = _job_family(values["job_family"])
        role_level = _whole_number(number, "role_level", values["role_level"], errors)
        loc = Loc(number, columns={"skill": "skill_code", "level": "expected_level"})
        profile = profiles.setdefault((family, role_level), ParsedProfile(loc, family, role_level, "", []))
        profile.expectations.append(
            ParsedExpectation(
                loc,
                values["skill_code"],
                _whole_number(number, "expected_level", values["expected_level"], errors),
                values["importance"].lower(),
            )
        )
    parsed = list(profiles.values())
    skills = {s.code: s.descriptors for s in version.skills.all()}
    reject_if(merge(errors, validate_profiles(parsed, scale_for(version), skills)))
    return parsed
