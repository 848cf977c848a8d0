"""Reading a framework version from JSON: the whole version, scale to role profiles.

Problems name the item's number in its top-level list (counting from 1) as the row and its path as the
column, such as ``skills[3].descriptors.2``; a syntax error names its line and column."""

from __future__ import annotations

import json

from odp.tabular import ImportRejected, RowError, decode_upload
from skills.import_rules import (
    CROSSWALK_FIELDS,
    FORMAT_NAME,
    FORMAT_VERSION,
    TAGS,
    Loc,
    ParsedCrosswalk,
    ParsedExpectation,
    ParsedGroup,
    ParsedLevel,
    ParsedProfile,
    ParsedSkill,
    ParsedVersion,
    merge,
    reject_if,
    validate_version,
)
from skills.models import FrameworkVersion


class _JsonReader:
    """Typed access to decoded JSON that records a problem instead of raising."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def keys(self, obj: dict, loc: Loc, allowed: set[str], required: set[str]) -> None:
        for key in sorted(set(obj) - allowed):
            self.errors.append(loc.error(key, f"'{key}' is not a field this item can have."))
        for key in sorted(required - set(obj)):
            self.errors.append(loc.error(key, f"'{key}' is missing."))

    def objects(self, obj: dict, key: str, loc: Loc) -> list[tuple[Loc, dict]]:
        """The objects in a list field, each with its location (counting from 1)."""
        value = obj.get(key, [])
        if not isinstance(value, list):
            self.errors.append(loc.error(key, "This must be a list."))
            return []
        items = []
        for number, item in enumerate(value, start=1):
            item_loc = loc.child(f"{key}[{number}]", number)
            if isinstance(item, dict):
                items.append((item_loc, item))
            else:
                self.errors.append(RowError(number, item_loc.path, "Each item must be an object ({...})."))
        return items

    def text(self, obj: dict, key: str, loc: Loc) -> str:
        value = obj.get(key, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            self.errors.append(loc.error(key, "This must be text (in double quotes)."))
            return ""
        return value.strip()

    def integer(self, obj: dict, key: str, loc: Loc) -> int:
        value = obj.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.errors.append(loc.error(key, "This must be a whole number, such as 2."))
            return 0
        return value

    def boolean(self, obj: dict, key: str, loc: Loc) -> bool:
        value = obj.get(key, False)
        if not isinstance(value, bool):
            self.errors.append(loc.error(key, "This must be true or false."))
            return False
        return value


def _load_json(data: bytes) -> dict:
    text = decode_upload(data)
    if not text.strip():
        raise ImportRejected([RowError(None, None, "The file is empty.")])
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise ImportRejected([RowError(exc.lineno, None, f"The file is not valid JSON: {exc.msg} ({where}).")]) from exc
    except RecursionError as exc:  # [[[[... thousands deep: the parser gives up (a 500 before)
        raise ImportRejected([RowError(None, None, "The file is nested too deeply to describe a version.")]) from exc
    if not isinstance(document, dict):
        raise ImportRejected([RowError(None, None, "The file must hold one JSON object ({...}) describing a version.")])
    unstorable = _unstorable_text(document)
    if unstorable:
        raise ImportRejected(unstorable)
    return document


def _unstorable(text: str) -> bool:
    return "\x00" in text or any("\ud800" <= c <= "\udfff" for c in text)


def _unstorable_text(document: dict) -> list[RowError]:
    """Text no database can hold, anywhere in the document (keys too): a NUL character (``\\u0000``, refused by
    PostgreSQL) or half of a surrogate pair (a lone ``\\ud800``, which cannot even be encoded as UTF-8). Both
    were saved or failed as a 500. Rows are numbered as elsewhere: the item's number in its top-level list."""
    message = "Text must not contain a NUL character (\\u0000) or half of a surrogate pair (such as a lone \\ud800)."
    errors: list[RowError] = []
    stack: list[tuple[object, str, int | None]] = [(document, "", None)]
    while stack:  # not recursive: the nesting is as deep as the file makes it
        value, path, row = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                name = ascii(key) if _unstorable(key) else key
                if name != key:
                    errors.append(RowError(row, path or None, message))
                stack.append((item, f"{path}.{name}" if path else name, row))
        elif isinstance(value, list):
            for number, item in enumerate(value, start=1):
                stack.append((item, f"{path}[{number}]", number if row is None else row))
        elif isinstance(value, str) and _unstorable(value):
            errors.append(RowError(row, path, message))
    return sorted(errors, key=lambda e: (e.row or 0, e.column or ""))


def _json_scale(reader: _JsonReader, document: dict, root: Loc) -> list[ParsedLevel]:
    levels = []
    for loc, item in reader.objects(document, "scale", root):
        reader.keys(item, loc, {"level", "name", "description", "threshold"}, {"level", "name"})
        levels.append(
            ParsedLevel(
                loc,
                reader.integer(item, "level", loc),
                reader.text(item, "name", loc),
                reader.text(item, "description", loc),
                reader.boolean(item, "threshold", loc),
            )
        )
    return levels


def _json_groups(reader: _JsonReader, document: dict, root: Loc) -> list[ParsedGroup]:
    groups = []
    for position, (loc, item) in enumerate(reader.objects(document, "groups", root), start=1):
        reader.keys(item, loc, {"code", "name"}, {"code", "name"})
        groups.append(ParsedGroup(loc, reader.text(item, "code", loc), reader.text(item, "name", loc), position))
    return groups


def _json_tags(reader: _JsonReader, item: dict, loc: Loc) -> set[str]:
    tags = item.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        reader.errors.append(loc.error("tags", 'Tags must be a list such as ["digital", "ai"].'))
        return set()
    unknown = [tag for tag in tags if tag not in TAGS]
    if unknown:
        reader.errors.append(loc.error("tags", f"Unknown tag '{unknown[0]}': use digital, data or ai."))
    return set(tags) & set(TAGS)


def _json_descriptors(reader: _JsonReader, item: dict, loc: Loc) -> dict[str, str]:
    raw = item.get("descriptors", {})
    if not isinstance(raw, dict):
        reader.errors.append(loc.error("descriptors", 'Descriptors must be an object such as {"1": "..."}.'))
        return {}
    descriptors = {}
    for key, value in raw.items():
        if not key.isdigit():
            reader.errors.append(loc.error(f"descriptors.{key}", 'Descriptor keys must be level numbers, like "2".'))
        elif value is not None and not isinstance(value, str):
            reader.errors.append(loc.error(f"descriptors.{key}", "A descriptor must be text, or null."))
        else:
            descriptors[str(int(key))] = (value or "").strip()
    return descriptors


def _json_crosswalks(reader: _JsonReader, item: dict, loc: Loc) -> list[ParsedCrosswalk]:
    crosswalks = []
    for cw_loc, cw in reader.objects(item, "crosswalks", loc):
        reader.keys(cw, cw_loc, set(CROSSWALK_FIELDS), {"name", "relation"})
        scheme = reader.text(cw, "scheme", cw_loc) if "scheme" in cw else "DDaT"
        fields = [reader.text(cw, key, cw_loc) for key in ("code", "name", "level", "relation")]
        crosswalks.append(ParsedCrosswalk(cw_loc, scheme, *fields))
    return crosswalks


_SKILL_KEYS = {"code", "group", "name", "description", "descriptors", "tags", "supersedes", "crosswalks"}


def _json_skills(reader: _JsonReader, document: dict, root: Loc) -> list[ParsedSkill]:
    skills = []
    positions: dict[str, int] = {}
    for loc, item in reader.objects(document, "skills", root):
        reader.keys(item, loc, _SKILL_KEYS, {"code", "group", "name"})
        group = reader.text(item, "group", loc)
        positions[group] = positions.get(group, 0) + 1
        tags = _json_tags(reader, item, loc)
        skills.append(
            ParsedSkill(
                loc=loc,
                code=reader.text(item, "code", loc),
                group_code=group,
                name=reader.text(item, "name", loc),
                description=reader.text(item, "description", loc),
                descriptors=_json_descriptors(reader, item, loc),
                is_digital="digital" in tags,
                is_data="data" in tags,
                is_ai="ai" in tags,
                supersedes=reader.text(item, "supersedes", loc),
                crosswalks=_json_crosswalks(reader, item, loc),
                position=positions[group],
            )
        )
    return skills


def _json_profiles(reader: _JsonReader, document: dict, root: Loc) -> list[ParsedProfile]:
    profiles = []
    for loc, item in reader.objects(document, "role_profiles", root):
        reader.keys(item, loc, {"job_family", "role_level", "name", "expectations"}, {"job_family", "role_level"})
        expectations = []
        for ex_loc, ex in reader.objects(item, "expectations", loc):
            reader.keys(ex, ex_loc, {"skill", "level", "importance"}, {"skill", "level", "importance"})
            expectations.append(
                ParsedExpectation(
                    ex_loc,
                    reader.text(ex, "skill", ex_loc),
                    reader.integer(ex, "level", ex_loc),
                    reader.text(ex, "importance", ex_loc),
                )
            )
        profiles.append(
            ParsedProfile(
                loc,
                reader.text(item, "job_family", loc),
                reader.integer(item, "role_level", loc),
                reader.text(item, "name", loc),
                expectations,
            )
        )
    return profiles


_TOP_KEYS = {"format", "format_version", "framework", "illustrative", "change_notes", "scale", "groups", "skills"}


def _json_header(reader: _JsonReader, document: dict, root: Loc) -> None:
    reader.keys(document, root, _TOP_KEYS | {"role_profiles"}, {"scale", "groups", "skills"})
    if "format" in document and document["format"] != FORMAT_NAME:
        reader.errors.append(root.error("format", f'The format must be "{FORMAT_NAME}".'))
    if "format_version" in document and document["format_version"] != FORMAT_VERSION:
        reader.errors.append(root.error("format_version", f"This service reads format_version {FORMAT_VERSION}."))


def parse_framework_json(data: bytes, *, based_on: FrameworkVersion | None = None) -> ParsedVersion:
    """Parse and check a whole version in JSON. Pass the framework's current published version as
    ``based_on`` so that ``supersedes`` codes are checked in the same pass."""
    document = _load_json(data)
    reader = _JsonReader()
    root = Loc(None, path="")
    _json_header(reader, document, root)
    parsed = ParsedVersion(
        levels=_json_scale(reader, document, root),
        groups=_json_groups(reader, document, root),
        skills=_json_skills(reader, document, root),
        role_profiles=_json_profiles(reader, document, root),
        change_notes=reader.text(document, "change_notes", root),
        is_illustrative=reader.boolean(document, "illustrative", root),
    )
    reject_if(merge(reader.errors, validate_version(parsed, based_on)))
    return parsed
