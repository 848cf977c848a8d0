"""Importing a framework version from a JSON or CSV file, all or nothing.

Parsing (``parse_framework_json``, ``parse_framework_csv``) checks the file and returns a ``ParsedVersion``
or raises ``ImportRejected`` listing every problem as a ``RowError(row, column, message)``.
``import_version`` saves a parsed version as a new draft. ``import_role_profiles`` replaces role profiles
in an existing draft from the role-profile CSV. The rules are in docs/skills-framework-format.md.

Row numbers: CSV rows are spreadsheet rows (the header is row 1, the first data row is row 2). JSON
problems give the item's number in its list (counting from 1) as the row, and its path as the column,
such as ``skills[3].code``."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from odp import access, audit
from odp.models import AuditEvent, Member
from odp.tabular import ImportRejected, RowError
from skills import services
from skills.import_csv import parse_framework_csv, parse_role_profiles_csv
from skills.import_json import parse_framework_json
from skills.import_rules import ParsedProfile, ParsedVersion, reject_if, validate_version
from skills.models import (
    Crosswalk,
    Expectation,
    Framework,
    FrameworkVersion,
    ProficiencyLevel,
    RoleProfile,
    Skill,
    SkillGroup,
)

__all__ = [
    "ImportRejected",
    "ParsedVersion",
    "RowError",
    "import_file",
    "import_role_profiles",
    "import_version",
    "parse_framework_csv",
    "parse_framework_json",
    "parse_role_profiles_csv",
]


def _require_admin(by: Member) -> None:
    if not access.can(by, "skills.manage_framework"):
        raise PermissionDenied("Only ODP admins can import a skills framework.")


def _lock_for_new_draft(framework: Framework) -> FrameworkVersion | None:
    """Lock the framework so two drafts cannot be started at once; return the version to base on."""
    try:
        return services.lock_for_new_draft(framework)
    except ValidationError as exc:
        raise ImportRejected([RowError(None, None, message) for message in exc.messages]) from exc


def _save_skills(version: FrameworkVersion, parsed: ParsedVersion, based_on: FrameworkVersion | None) -> dict:
    groups = {
        g.code: SkillGroup.objects.create(version=version, code=g.code, name=g.name, position=g.position)
        for g in parsed.groups
    }
    previous = {s.code: s for s in based_on.skills.all()} if based_on else {}
    skills = {}
    for s in parsed.skills:
        old = previous.get(s.supersedes) if s.supersedes else None
        skills[s.code] = Skill.objects.create(
            version=version,
            group=groups[s.group_code],
            code=s.code,
            name=s.name,
            description=s.description,
            descriptors={level: text for level, text in s.descriptors.items() if text},
            is_digital=s.is_digital,
            is_data=s.is_data,
            is_ai=s.is_ai,
            supersedes=old,
            lineage=old.lineage if old else None,
            position=s.position,
        )
    Crosswalk.objects.bulk_create(
        Crosswalk(
            skill=skills[s.code],
            scheme=c.scheme,
            external_code=c.external_code,
            external_name=c.external_name,
            external_level=c.external_level,
            relation=c.relation,
        )
        for s in parsed.skills
        for c in s.crosswalks
    )
    return skills


def _save_profiles(version: FrameworkVersion, profiles: Sequence[ParsedProfile], skills: dict[str, Skill]) -> None:
    for p in profiles:
        profile = RoleProfile.objects.create(
            version=version, job_family=p.job_family, role_level=p.role_level, name=p.name
        )
        Expectation.objects.bulk_create(
            Expectation(profile=profile, skill=skills[e.skill_code], expected_level=e.level, importance=e.importance)
            for e in p.expectations
        )


@transaction.atomic
def import_version(
    *, framework: Framework, parsed: ParsedVersion, by: Member, change_notes: str = ""
) -> FrameworkVersion:
    """Save a parsed version as the framework's new draft, based on its current published version.
    A skill that supersedes a code in that version keeps its lineage; every other skill starts its own."""
    _require_admin(by)
    based_on = _lock_for_new_draft(framework)
    reject_if(validate_version(parsed, based_on))
    version = services.create_draft_row(
        framework=framework,
        by=by,
        based_on=based_on,
        change_notes=change_notes.strip() or parsed.change_notes,
        is_illustrative=parsed.is_illustrative,
    )
    ProficiencyLevel.objects.bulk_create(
        ProficiencyLevel(
            version=version, value=lv.value, name=lv.name, description=lv.description, is_threshold=lv.is_threshold
        )
        for lv in parsed.levels
    )
    skills = _save_skills(version, parsed, based_on)
    _save_profiles(version, parsed.role_profiles, skills)
    services.assign_lineages(version)
    audit.record(
        action=AuditEvent.Action.CREATE,
        obj=version,
        actor=by.user,
        note=f"Imported as a draft: {len(parsed.skills)} skills, {len(parsed.role_profiles)} role profiles",
    )
    return version


def import_file(
    *, framework: Framework, data: bytes, file_format: str, by: Member, change_notes: str = ""
) -> FrameworkVersion:
    """Parse a JSON or CSV upload against the framework's current version and import it as a draft."""
    _require_admin(by)
    parsers = {"json": parse_framework_json, "csv": parse_framework_csv}
    if file_format not in parsers:
        raise ImportRejected([RowError(None, None, "Upload a .json or .csv file.")])
    parsed = parsers[file_format](data, based_on=framework.current_version())
    return import_version(framework=framework, parsed=parsed, by=by, change_notes=change_notes)


@transaction.atomic
def import_role_profiles(*, version: FrameworkVersion, data: bytes, by: Member) -> int:
    """Replace the expectations of every role profile named in the file, in a draft version. Profiles the
    file does not mention are left as they are. Returns the number of profiles written."""
    _require_admin(by)
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    try:
        services.ensure_editable(version)
    except ValidationError as exc:
        raise ImportRejected([RowError(None, None, exc.messages[0])]) from exc
    profiles = parse_role_profiles_csv(data, version=version)
    for p in profiles:
        RoleProfile.objects.filter(version=version, job_family=p.job_family, role_level=p.role_level).delete()
    _save_profiles(version, profiles, {s.code: s for s in version.skills.all()})
    audit.record(
        action=AuditEvent.Action.UPDATE,
        obj=version,
        actor=by.user,
        note=f"Imported {len(profiles)} role profiles from a CSV file",
    )
    return len(profiles)
