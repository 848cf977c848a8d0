"""Framework import: every malformed file is rejected whole with each problem located; good files become drafts."""

from __future__ import annotations

import json
import pathlib

import pytest
from django.core.exceptions import PermissionDenied

from odp.models import AuditEvent, JobFamily
from odp.tabular import ImportRejected, RowError
from skills import importing, services
from skills.models import Expectation, Framework, FrameworkVersion, RoleProfile, Skill, VersionStatus
from tests.skills.factories import (
    FrameworkFactory,
    FrameworkVersionFactory,
    ProficiencyLevelFactory,
    SkillFactory,
    SkillGroupFactory,
    published_version,
)

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
SAMPLE = pathlib.Path(__file__).parents[2] / "skills" / "data" / "sample_framework.json"
HEADER = "group_code,group_name,code,name,level_1,level_2,level_3,level_4"
FORMULA = "Cells must not start with =, +, -, @ or a tab (they could run as formulas)."


def csv_bytes(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def saved_counts() -> tuple[int, int, int, int]:
    return (
        FrameworkVersion.objects.count(),
        Skill.objects.count(),
        RoleProfile.objects.count(),
        Expectation.objects.count(),
    )


def rejected(**kwargs) -> list[RowError]:
    before = saved_counts()
    with pytest.raises(ImportRejected) as caught:
        importing.import_file(**kwargs)
    assert saved_counts() == before, "a rejected file must save nothing"
    return caught.value.errors


@pytest.fixture
def framework(db) -> Framework:
    return FrameworkFactory(name="ODP skills framework", slug="odp-skills")


@pytest.fixture
def version_one(framework) -> FrameworkVersion:
    """Published version 1 on the default scale with skills S1, S2 and S3."""
    return published_version(n_skills=3, framework=framework)


MALFORMED = [
    ("not_utf8.csv", [(None, None, "The file must be saved as UTF-8 (byte 89 is not valid UTF-8).")]),
    ("empty.csv", [(None, None, "The file is empty.")]),
    ("missing_column.csv", [(1, "name", "The column 'name' is missing.")]),
    ("unknown_column.csv", [(1, "owner", "'owner' is not a column this file can have.")]),
    (
        "group_name_conflict.csv",
        [(3, "group_name", "Group CS is called 'Customer service' on row 2; use the same name on every row.")],
    ),
    (
        "duplicate_skill_code.csv",
        [
            (
                4,
                "code",
                "Skill code CS1 is already used on row 2. To add another crosswalk, repeat the code and fill in only "
                "the crosswalk columns.",
            )
        ],
    ),
    (
        "level_beyond_scale.csv",
        [(1, "level_5", "The scale's top level is 4, so the file cannot have a 'level_5' column.")],
    ),
    ("formula_cells.csv", [(2, "name", FORMULA), (3, "level_1", FORMULA)]),
    (
        "blank_required.csv",
        [
            (2, "name", "Enter the name; it cannot be blank."),
            (3, "level_1", "Describe at least one level of the skill."),
        ],
    ),
    ("too_long.csv", [(2, "code", "This must be 20 characters or fewer (it has 25).")]),
    ("invalid_tag.csv", [(2, "data", "Write yes or no (or leave blank for no), not 'maybe'.")]),
    (
        "invalid_relation.csv",
        [(2, "crosswalk_relation", "'similar' is not a relation: use one of exact, broader, narrower, related.")],
    ),
    (
        "unknown_supersedes.csv",
        [(2, "supersedes", "S99 is not a skill code in version 1, the version this is based on.")],
    ),
    (
        "invalid_syntax.json",
        [
            (
                45,
                None,
                "The file is not valid JSON: Expecting property name enclosed in double quotes (line 45, column 24).",
            )
        ],
    ),
    ("wrong_shape.json", [(None, "groups", "'groups' is missing."), (None, "skills", "This must be a list.")]),
    ("undeclared_group.json", [(2, "skills[2].group", "Group DG is not one of the groups declared in the file.")]),
    ("duplicate_group.json", [(2, "groups[2].code", "Group code CS is already used by groups[1].")]),
    ("duplicate_skill_code.json", [(3, "skills[3].code", "Skill code CS1 is already used by skills[1].")]),
    (
        "bad_tags_and_levels.json",
        [
            (1, "skills[1].tags", "Unknown tag 'cloud': use digital, data or ai."),
            (2, "skills[2].descriptors.5", "There is no level 5: the scale's levels are 1 to 4."),
        ],
    ),
    (
        "expected_levels.json",
        [
            (
                1,
                "role_profiles[1].expectations[1].level",
                "The expected level must be from 1 to 4 (the top of the scale).",
            ),
            (1, "role_profiles[1].expectations[2].level", "Level 4 is not defined for skill CS2."),
            (1, "role_profiles[1].expectations[3].skill", "CS3 is not a skill in this version."),
            (
                1,
                "role_profiles[1].expectations[3].level",
                "The expected level must be from 1 to 4 (the top of the scale).",
            ),
            (
                1,
                "role_profiles[1].expectations[3].importance",
                "'key' is not an importance: use critical, core or desirable.",
            ),
        ],
    ),
    (
        "unknown_job_family.json",
        [
            (
                1,
                "role_profiles[1].job_family",
                "'call_centre' is not a job family: use one of " + ", ".join(JobFamily.values) + ".",
            ),
            (2, "role_profiles[2].role_level", "Role levels are 1 to 5."),
        ],
    ),
]


@pytest.mark.parametrize(("filename", "expected"), MALFORMED, ids=[name for name, _ in MALFORMED])
def test_a_malformed_file_is_rejected_whole_with_every_problem_located(filename, expected, version_one, odp_admin):
    path = FIXTURES / filename
    errors = rejected(
        framework=version_one.framework, data=path.read_bytes(), file_format=path.suffix[1:], by=odp_admin
    )
    assert [(e.row, e.column, e.message) for e in errors] == expected


def test_a_file_over_two_megabytes_is_rejected(framework, odp_admin):
    big = csv_bytes(HEADER, *(f"CS,Customer service,CS{n},{'x' * 200},a,b,c,d" for n in range(10_500)))
    assert len(big) > 2 * 1024 * 1024
    errors = rejected(framework=framework, data=big, file_format="csv", by=odp_admin)
    assert [e.message for e in errors] == ["The file must be smaller than 2 MB."]


def test_every_problem_in_a_file_is_reported_not_just_the_first(version_one, odp_admin):
    data = csv_bytes(
        HEADER + ",ai,supersedes",
        "CS,Customer service,CS1,,Knows it,,,,no,",
        "CS,Customer service,CS 2,Triage,Knows it,,,,perhaps,",
        "CS,Customer service,CS3,Listening,Knows it,,,,yes,S1",
        "CS,Customer service,CS4,Hearing,Knows it,,,,yes,S1",
    )
    errors = rejected(framework=version_one.framework, data=data, file_format="csv", by=odp_admin)
    assert [(e.row, e.column) for e in errors] == [(3, "ai"), (2, "name"), (3, "code"), (5, "supersedes")]
    assert errors[-1].message == "S1 is already superseded by CS3 (row 4)."


def test_supersedes_needs_a_published_version(framework, odp_admin):
    data = csv_bytes(HEADER + ",supersedes", "CS,Customer service,CS1,Listening,Knows it,,,,S1")
    errors = rejected(framework=framework, data=data, file_format="csv", by=odp_admin)
    assert [(e.row, e.column) for e in errors] == [(2, "supersedes")]


def test_the_csv_uses_the_scale_of_the_version_it_is_based_on(framework, odp_admin):
    version = FrameworkVersionFactory(framework=framework, number=1, status=VersionStatus.PUBLISHED)
    for value in (1, 2, 3):
        ProficiencyLevelFactory(version=version, value=value, is_threshold=value == 2)
    SkillFactory(version=version, group=SkillGroupFactory(version=version, code="CS"), code="S1")
    data = csv_bytes(HEADER, "CS,Customer service,CS1,Listening,a,b,c,d")
    errors = rejected(framework=framework, data=data, file_format="csv", by=odp_admin)
    assert [(e.row, e.column) for e in errors] == [(1, "level_4")]
    draft = importing.import_file(
        framework=framework,
        data=csv_bytes(
            "group_code,group_name,code,name,level_1,level_2,level_3", "CS,Customer service,CS1,Listening,a,b,"
        ),
        file_format="csv",
        by=odp_admin,
    )
    assert list(draft.levels.values_list("value", "is_threshold")) == [(1, False), (2, True), (3, False)]


def test_an_unknown_format_is_rejected(framework, odp_admin):
    errors = rejected(framework=framework, data=b"<xml/>", file_format="xml", by=odp_admin)
    assert [e.message for e in errors] == ["Upload a .json or .csv file."]


def test_only_odp_admins_import(framework, staff_member):
    before = saved_counts()
    with pytest.raises(PermissionDenied):
        importing.import_file(framework=framework, data=SAMPLE.read_bytes(), file_format="json", by=staff_member)
    assert saved_counts() == before


def test_the_sample_framework_imports_as_an_illustrative_draft_and_publishes(framework, odp_admin):
    draft = importing.import_file(framework=framework, data=SAMPLE.read_bytes(), file_format="json", by=odp_admin)

    assert draft.status == VersionStatus.DRAFT
    assert draft.number == 1
    assert draft.is_illustrative
    assert draft.change_notes.startswith("Illustrative sample: written by the ODP Hub team")
    assert draft.groups.count() == 8
    assert draft.skills.count() == 40
    assert draft.skills.filter(is_ai=True).count() == 4
    assert draft.role_profiles.count() == len(JobFamily.values) * 5
    assert all(8 <= p.expectations.count() <= 14 for p in draft.role_profiles.all())
    assert list(draft.levels.values_list("name", flat=True)) == ["Awareness", "Working", "Practitioner", "Expert"]
    assert draft.levels.get(is_threshold=True).value == services.DEFAULT_THRESHOLD
    assert all(skill.lineage == skill.pk for skill in draft.skills.all())
    assert AuditEvent.objects.filter(object_id=str(draft.pk), note__startswith="Imported as a draft").exists()
    assert services.validate_publishable(draft) == []

    published = services.version_publish(version=draft, by=odp_admin)
    assert published.status == VersionStatus.PUBLISHED


def test_sample_role_profiles_expect_more_as_role_level_rises(framework, odp_admin):
    document = json.loads(SAMPLE.read_text())
    profiles = {(p["job_family"], p["role_level"]): p for p in document["role_profiles"]}
    for (family, role_level), profile in profiles.items():
        if role_level == 1:
            continue
        lower = {e["skill"]: e["level"] for e in profiles[(family, role_level - 1)]["expectations"]}
        for e in profile["expectations"]:
            assert e["level"] >= lower.get(e["skill"], 0), (family, role_level, e)


def test_a_byte_order_mark_is_fine(framework, odp_admin):
    draft = importing.import_file(
        framework=framework, data=b"\xef\xbb\xbf" + SAMPLE.read_bytes(), file_format="json", by=odp_admin
    )
    assert draft.skills.count() == 40


def test_a_framework_has_only_one_draft(framework, odp_admin):
    importing.import_file(framework=framework, data=SAMPLE.read_bytes(), file_format="json", by=odp_admin)
    errors = rejected(framework=framework, data=SAMPLE.read_bytes(), file_format="json", by=odp_admin)
    assert [e.message for e in errors] == ["This framework already has a draft. Publish or delete it first."]


def test_a_superseding_skill_keeps_the_lineage_of_the_skill_it_replaces(version_one, odp_admin):
    old = version_one.skills.get(code="S2")
    data = csv_bytes(
        HEADER + ",supersedes",
        "CS,Customer service,S1,Skill 1,a,b,c,d,S1",
        "CS,Customer service,S2R,Skill 2 (revised),a,b,c,d,S2",
        "CS,Customer service,S9,A new skill,a,b,c,,",
    )
    draft = importing.import_file(framework=version_one.framework, data=data, file_format="csv", by=odp_admin)

    revised = draft.skills.get(code="S2R")
    assert revised.supersedes == old
    assert revised.lineage == old.lineage
    new = draft.skills.get(code="S9")
    assert new.supersedes is None
    assert new.lineage == new.pk
    assert draft.based_on == version_one
    services.version_publish(version=draft, by=odp_admin)
    version_one.refresh_from_db()
    assert version_one.status == VersionStatus.RETIRED


def test_a_csv_cell_neutralised_by_our_exporter_is_read_back(framework, odp_admin):
    data = csv_bytes(
        HEADER + ",description",
        "CS,Customer service,CS1,'@home visits,'=SUM(A1),Does it,,,'Tis the season",
    )
    draft = importing.import_file(framework=framework, data=data, file_format="csv", by=odp_admin)
    skill = draft.skills.get()
    assert skill.name == "@home visits"
    assert skill.descriptor(1) == "=SUM(A1)"
    assert skill.description == "'Tis the season"


def test_a_repeated_code_with_only_crosswalk_columns_adds_a_crosswalk(framework, odp_admin):
    columns = ",".join(f"crosswalk_{f}" for f in ("scheme", "code", "name", "level", "relation"))
    data = csv_bytes(
        f"{HEADER},{columns}",
        "DA,Data,DA1,Analysing data,a,b,c,d,DDaT,,Data analysis and synthesis,,related",
        "DA,Data,DA2,Presenting data,a,b,c,d,,,Data visualisation,,narrower",
        ",,DA1,,,,,,DDaT,,Data visualisation,Working,related",
    )
    draft = importing.import_file(framework=framework, data=data, file_format="csv", by=odp_admin)
    first = draft.skills.get(code="DA1")
    assert sorted(first.crosswalks.values_list("external_name", "external_level")) == [
        ("Data analysis and synthesis", ""),
        ("Data visualisation", "Working"),
    ]
    assert draft.skills.get(code="DA2").crosswalks.get().scheme == "DDaT"


# Role profiles CSV ---------------------------------------------------------------------------------------


@pytest.fixture
def draft(version_one, odp_admin) -> FrameworkVersion:
    return services.version_create_draft(framework=version_one.framework, by=odp_admin)


PROFILE_HEADER = "job_family,role_level,skill_code,expected_level,importance"


def test_role_profiles_replace_the_profiles_the_file_names(draft, odp_admin):
    untouched = RoleProfile.objects.create(version=draft, job_family=JobFamily.CASEWORK, role_level=3)
    data = csv_bytes(
        PROFILE_HEADER,
        "customer_service,2,S1,3,critical",
        "Customer service,2,S3,1,desirable",
        "compliance,1,S2,1,CORE",
    )
    assert importing.import_role_profiles(version=draft, data=data, by=odp_admin) == 2

    replaced = draft.role_profiles.get(job_family=JobFamily.CUSTOMER_SERVICE, role_level=2)
    assert sorted(replaced.expectations.values_list("skill__code", "expected_level", "importance")) == [
        ("S1", 3, "critical"),
        ("S3", 1, "desirable"),
    ]
    assert draft.role_profiles.get(job_family=JobFamily.COMPLIANCE, role_level=1).expectations.count() == 1
    assert RoleProfile.objects.filter(pk=untouched.pk).exists()


def test_a_bad_role_profile_file_changes_nothing(draft, odp_admin):
    before = saved_counts()
    with pytest.raises(ImportRejected) as caught:
        importing.import_role_profiles(
            version=draft, data=(FIXTURES / "role_profiles_bad.csv").read_bytes(), by=odp_admin
        )
    assert [(e.row, e.column, e.message) for e in caught.value.errors] == [
        (3, "job_family", "'call_centre' is not a job family: use one of " + ", ".join(JobFamily.values) + "."),
        (4, "role_level", "Role levels are 1 to 5."),
        (5, "expected_level", "The expected level must be from 1 to 4 (the top of the scale)."),
        (5, "importance", "'vital' is not an importance: use critical, core or desirable."),
    ]
    assert saved_counts() == before


def test_role_profiles_cannot_change_a_published_version(version_one, odp_admin):
    with pytest.raises(ImportRejected) as caught:
        importing.import_role_profiles(
            version=version_one, data=csv_bytes(PROFILE_HEADER, "casework,2,S1,2,core"), by=odp_admin
        )
    assert "cannot be changed" in caught.value.errors[0].message


def test_role_profile_numbers_must_be_whole_numbers(draft, odp_admin):
    with pytest.raises(ImportRejected) as caught:
        importing.import_role_profiles(
            version=draft, data=csv_bytes(PROFILE_HEADER, "casework,two,S1,2.5,core"), by=odp_admin
        )
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "role_level"), (2, "expected_level")]
