"""Framework export: both formats round-trip through the importer, and CSV is safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
import pathlib

import pytest

from odp.models import JobFamily
from skills import exporting, importing, services
from skills.models import Crosswalk, Framework, FrameworkVersion, Skill
from tests.skills.factories import FrameworkFactory

DATA = pathlib.Path(__file__).parents[2] / "skills" / "data"
SAMPLE_JSON = DATA / "sample_framework.json"
SAMPLE_CSV = DATA / "sample_framework.csv"


@pytest.fixture
def framework(db) -> Framework:
    return FrameworkFactory(name="ODP skills framework", slug="odp-skills")


@pytest.fixture
def sample(framework, odp_admin) -> FrameworkVersion:
    """The sample framework, published as version 1."""
    draft = importing.import_file(framework=framework, data=SAMPLE_JSON.read_bytes(), file_format="json", by=odp_admin)
    return services.version_publish(version=draft, by=odp_admin)


def reimport(version: FrameworkVersion, data: bytes, file_format: str, by) -> FrameworkVersion:
    return importing.import_file(framework=version.framework, data=data, file_format=file_format, by=by)


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_the_sample_json_is_exactly_what_the_exporter_writes(sample):
    assert exporting.export_version_json(sample) == SAMPLE_JSON.read_bytes()


def test_the_sample_csv_is_the_exporters_rendering_of_the_sample(sample):
    assert exporting.export_version_csv(sample) == SAMPLE_CSV.read_bytes()


def test_json_round_trips(sample, odp_admin):
    exported = exporting.export_version_json(sample, as_successor=True)
    again = reimport(sample, exported, "json", odp_admin)
    assert exporting.export_version_json(again) == exported
    assert again.role_profiles.count() == sample.role_profiles.count()


def test_csv_round_trips_and_as_successor_carries_every_lineage(sample, odp_admin):
    exported = exporting.export_version_csv(sample, as_successor=True)
    again = reimport(sample, exported, "csv", odp_admin)

    assert exporting.export_version_csv(again) == exported
    old = {s.code: s.lineage for s in sample.skills.all()}
    assert {s.code: s.lineage for s in again.skills.all()} == old
    assert again.is_illustrative


def test_csv_keeps_every_crosswalk_and_undefined_levels(sample):
    exported = rows(exporting.export_version_csv(sample))
    design = [r for r in exported if r["code"] == "DG2"]
    assert [(r["name"], r["crosswalk_name"]) for r in design] == [
        ("Digital service design", "User research"),
        ("", "User-centred design"),
    ]
    assert next(r for r in exported if r["code"] == "DG4")["level_4"] == ""
    assert len({r["code"] for r in exported}) == 40


def test_csv_cells_that_look_like_formulas_are_neutralised_and_read_back(sample, odp_admin):
    skill = sample.skills.get(code="CS1")
    Skill.objects.filter(pk=skill.pk).update(name='=HYPERLINK("http://example.com")', description="@risk")
    Crosswalk.objects.create(skill=skill, scheme="+Other", external_name="-1 offset", relation="related")

    exported = exporting.export_version_csv(sample, as_successor=True)
    [first] = (r for r in rows(exported) if r["code"] == "CS1")
    assert first["name"] == '\'=HYPERLINK("http://example.com")'
    assert first["description"] == "'@risk"
    assert (first["crosswalk_scheme"], first["crosswalk_name"]) == ("'+Other", "'-1 offset")

    again = reimport(sample, exported, "csv", odp_admin)
    copied = again.skills.get(code="CS1")
    assert copied.name == '=HYPERLINK("http://example.com")'
    assert copied.description == "@risk"
    assert exporting.export_version_csv(again) == exported


def test_role_profiles_csv_round_trips(sample, odp_admin):
    exported = exporting.export_role_profiles_csv(sample)
    assert exported.splitlines()[0] == b"job_family,role_level,skill_code,expected_level,importance"
    draft = reimport(sample, exporting.export_version_csv(sample, as_successor=True), "csv", odp_admin)
    assert draft.role_profiles.count() == 0

    assert importing.import_role_profiles(version=draft, data=exported, by=odp_admin) == len(JobFamily.values) * 5
    assert exporting.export_role_profiles_csv(draft) == exported
    assert services.validate_publishable(draft) == []


def test_a_draft_copied_by_the_services_exports_its_supersessions(sample, odp_admin):
    draft = services.version_create_draft(framework=sample.framework, by=odp_admin, change_notes="Next")
    copied = json.loads(exporting.export_version_json(draft))
    expected = json.loads(exporting.export_version_json(sample, as_successor=True))
    assert copied == {**expected, "change_notes": "Next"}
