"""The framework API: reads for every member (drafts for admins only), admin writes, immutability of published
versions, import with every row error in the one error format, and export downloads."""

from __future__ import annotations

import json
import pathlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from skills import services
from skills.models import FrameworkVersion, VersionStatus
from tests.skills.factories import CrosswalkFactory, FrameworkFactory, published_version

BASE = "/api/v1/skills"
FIXTURES = pathlib.Path(__file__).parent / "fixtures"


def client_for(member) -> APIClient:
    api = APIClient()
    api.force_authenticate(member.user)
    return api


@pytest.fixture
def published(db) -> FrameworkVersion:
    version = published_version(n_skills=2, framework=FrameworkFactory(name="ODP skills framework"))
    skill = version.skills.get(code="S1")
    skill.is_ai = True
    skill.save()
    CrosswalkFactory(skill=skill, external_name="Data ethics", external_level="Working", relation="related")
    return version


@pytest.fixture
def draft(published, odp_admin) -> FrameworkVersion:
    return services.version_create_draft(framework=published.framework, by=odp_admin, change_notes="Add AI skills")


# Reading


def test_members_read_frameworks_and_published_versions_but_not_drafts(published, draft, staff_member):
    api = client_for(staff_member)

    frameworks = api.get(f"{BASE}/frameworks/").json()["results"]
    versions = api.get(f"{BASE}/versions/").json()["results"]

    assert frameworks == [
        {
            "id": published.framework_id,
            "name": "ODP skills framework",
            "slug": published.framework.slug,
            "description": "",
            "current_version": published.pk,
        }
    ]
    assert [(v["number"], v["status"]) for v in versions] == [(1, "published")]
    assert api.get(f"{BASE}/versions/{draft.pk}/").status_code == 404
    assert api.get(f"{BASE}/skills/", {"version": draft.pk}).json()["count"] == 0
    assert api.get(f"{BASE}/role-profiles/", {"version": draft.pk}).json()["count"] == 0


def test_admins_see_drafts(draft, odp_admin):
    api = client_for(odp_admin)

    versions = api.get(f"{BASE}/versions/", {"status": "draft"}).json()["results"]

    assert [(v["id"], v["change_notes"]) for v in versions] == [(draft.pk, "Add AI skills")]
    assert api.get(f"{BASE}/versions/{draft.pk}/").status_code == 200


def test_a_version_has_its_scale_and_groups(published, staff_member):
    body = client_for(staff_member).get(f"{BASE}/versions/{published.pk}/").json()

    assert [(lv["value"], lv["name"], lv["is_threshold"]) for lv in body["levels"]] == [
        (1, "Awareness", False),
        (2, "Working", True),
        (3, "Practitioner", False),
        (4, "Expert", False),
    ]
    assert [(g["code"], g["name"]) for g in body["groups"]] == [("G1", "Customer service")]


def test_skills_come_with_descriptors_tags_and_crosswalks(published, staff_member):
    api = client_for(staff_member)

    skills = api.get(f"{BASE}/skills/", {"version": published.pk}).json()["results"]
    ai_only = api.get(f"{BASE}/skills/", {"tag": "AI"}).json()["results"]

    first = skills[0]
    assert [s["code"] for s in skills] == ["S1", "S2"]
    assert first["group"]["code"] == "G1"
    assert first["descriptors"]["2"] == "Skill 1: level 2 behaviour."
    assert first["tags"] == ["AI"]
    assert first["lineage"] == first["id"]
    assert first["crosswalks"] == [
        {
            "scheme": "DDaT",
            "external_code": "",
            "external_name": "Data ethics",
            "external_level": "Working",
            "relation": "related",
        }
    ]
    assert [s["code"] for s in ai_only] == ["S1"]


def test_role_profiles_come_with_expectations(published, staff_member):
    profiles = client_for(staff_member).get(f"{BASE}/role-profiles/", {"job_family": "customer_service"}).json()

    profile = profiles["results"][0]
    assert (profile["version"], profile["job_family"], profile["role_level"]) == (published.pk, "customer_service", 2)
    assert [(e["skill_code"], e["expected_level"], e["importance"]) for e in profile["expectations"]] == [
        ("S1", 2, "core"),
        ("S2", 2, "core"),
    ]


# Writing


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "versions/"),
        ("post", "versions/{draft}/publish/"),
        ("delete", "versions/{draft}/"),
        ("post", "versions/import/"),
        ("post", "versions/{draft}/role-profiles/"),
    ],
)
def test_only_admins_write(draft, staff_member, head_of_profession, method, path):
    url = f"{BASE}/{path.format(draft=draft.pk)}"
    for member in (staff_member, head_of_profession):
        response = getattr(client_for(member), method)(url, {"framework": draft.framework_id})
        assert response.status_code == 403, (member, response.content)
        assert response.json()["errors"][0]["code"] == "permission_denied"
    assert FrameworkVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT


def test_an_admin_starts_a_draft_publishes_it_and_the_old_version_retires(published, odp_admin):
    api = client_for(odp_admin)

    created = api.post(f"{BASE}/versions/", {"framework": published.framework_id, "change_notes": "v2"}, format="json")
    second = api.post(f"{BASE}/versions/", {"framework": published.framework_id}, format="json")
    draft_id = created.json()["id"]
    published_now = api.post(f"{BASE}/versions/{draft_id}/publish/", {"note": "Approved"}, format="json")

    assert created.status_code == 201
    assert (created.json()["number"], created.json()["status"], created.json()["based_on"]) == (
        2,
        "draft",
        published.pk,
    )
    assert second.status_code == 400
    assert second.json()["errors"][0]["message"] == services.DRAFT_EXISTS
    assert published_now.status_code == 200
    assert published_now.json()["status"] == "published"
    assert FrameworkVersion.objects.get(pk=published.pk).status == VersionStatus.RETIRED


def test_a_published_version_is_immutable(published, odp_admin):
    api = client_for(odp_admin)
    message = "Version 1 is published and cannot be changed. Create a new draft to make changes."
    upload = SimpleUploadedFile("profiles.csv", b"job_family,role_level,skill,level,importance\n")

    republish = api.post(f"{BASE}/versions/{published.pk}/publish/", {}, format="json")
    delete = api.delete(f"{BASE}/versions/{published.pk}/")
    profiles = api.post(f"{BASE}/versions/{published.pk}/role-profiles/", {"file": upload}, format="multipart")

    for response in (republish, delete, profiles):
        assert response.status_code == 400, response.content
        assert response.json()["errors"][0]["message"] == message
    assert FrameworkVersion.objects.filter(pk=published.pk, status=VersionStatus.PUBLISHED).exists()


def test_an_incomplete_draft_cannot_be_published(odp_admin):
    framework = FrameworkFactory()
    api = client_for(odp_admin)
    draft = api.post(f"{BASE}/versions/", {"framework": framework.pk}, format="json").json()

    response = api.post(f"{BASE}/versions/{draft['id']}/publish/", {}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": None, "code": "invalid", "message": "The version has no skills."}]


def test_an_admin_deletes_a_draft(draft, odp_admin):
    response = client_for(odp_admin).delete(f"{BASE}/versions/{draft.pk}/")

    assert response.status_code == 204
    assert not FrameworkVersion.objects.filter(pk=draft.pk).exists()


# Import and export


def _download(api: APIClient, version: FrameworkVersion, **params) -> bytes:
    response = api.get(f"{BASE}/versions/{version.pk}/export/", params)
    assert response.status_code == 200, response.content
    return response.content


def test_export_downloads_json_and_csv(published, staff_member):
    api = client_for(staff_member)
    slug = published.framework.slug

    as_json = api.get(f"{BASE}/versions/{published.pk}/export/")
    as_csv = api.get(f"{BASE}/versions/{published.pk}/export/", {"file_format": "csv"})
    profiles = api.get(f"{BASE}/versions/{published.pk}/export/", {"file_format": "role_profiles_csv"})
    bad = api.get(f"{BASE}/versions/{published.pk}/export/", {"file_format": "xlsx"})

    assert as_json["Content-Type"] == "application/json"
    assert as_json["Content-Disposition"] == f'attachment; filename="{slug}-v1.json"'
    assert [s["code"] for s in json.loads(as_json.content)["skills"]] == ["S1", "S2"]
    assert as_csv["Content-Type"].startswith("text/csv")
    assert as_csv.content.startswith(b"group_code,group_name,code,name")
    assert profiles["Content-Disposition"] == f'attachment; filename="{slug}-v1-role-profiles.csv"'
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "file_format"


@pytest.mark.parametrize("file_format", ["json", "csv"])
def test_an_admin_imports_an_export_as_the_next_draft(published, odp_admin, file_format):
    api = client_for(odp_admin)
    data = _download(api, published, file_format=file_format, as_successor="true")
    upload = SimpleUploadedFile(f"next.{file_format}", data)

    response = api.post(
        f"{BASE}/versions/import/",
        {"framework": published.framework_id, "file": upload, "change_notes": "Imported"},
        format="multipart",
    )

    body = response.json()
    assert response.status_code == 201, body
    assert (body["number"], body["status"], body["change_notes"]) == (2, "draft", "Imported")
    draft = FrameworkVersion.objects.get(pk=body["id"])
    assert {s.code: s.lineage for s in draft.skills.all()} == {s.code: s.lineage for s in published.skills.all()}


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "duplicate_skill_code.csv",
            {"row": 4, "column": "code", "code": "invalid_row"},
        ),
        (
            "formula_cells.csv",
            {"row": 2, "column": "name", "code": "invalid_row"},
        ),
        (
            "duplicate_skill_code.json",
            {"code": "invalid_row"},
        ),
        (
            "not_utf8.csv",
            {"row": None, "column": None, "code": "invalid_file"},
        ),
    ],
)
def test_a_bad_file_is_rejected_with_every_row_error_and_nothing_saved(published, odp_admin, fixture, expected):
    upload = SimpleUploadedFile(fixture, (FIXTURES / fixture).read_bytes())

    response = client_for(odp_admin).post(
        f"{BASE}/versions/import/", {"framework": published.framework_id, "file": upload}, format="multipart"
    )

    body = response.json()
    assert response.status_code == 400
    assert body["status"] == 400
    assert all(error["field"] == "file" and error["message"] for error in body["errors"])
    assert any(expected.items() <= error.items() for error in body["errors"]), body["errors"]
    assert FrameworkVersion.objects.filter(framework=published.framework).count() == 1


def test_every_error_of_a_file_is_listed(published, odp_admin):
    upload = SimpleUploadedFile("formula.csv", (FIXTURES / "formula_cells.csv").read_bytes())

    body = (
        client_for(odp_admin)
        .post(f"{BASE}/versions/import/", {"framework": published.framework_id, "file": upload}, format="multipart")
        .json()
    )

    assert sorted((e["row"], e["column"]) for e in body["errors"]) == [(2, "name"), (3, "level_1")]


def test_an_import_needs_a_known_format_and_a_file(published, odp_admin):
    api = client_for(odp_admin)

    unknown = api.post(
        f"{BASE}/versions/import/",
        {"framework": published.framework_id, "file": SimpleUploadedFile("framework.xlsx", b"x")},
        format="multipart",
    )
    missing = api.post(f"{BASE}/versions/import/", {"framework": published.framework_id}, format="multipart")

    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["field"] == "file_format"
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "file"
