"""ODP admin framework pages: versions, drafts, imports, the version page, publishing and exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from skills import exporting, services
from skills.models import Crosswalk, CrosswalkRelation, FrameworkVersion, Skill, VersionStatus
from tests.factories import MemberFactory
from tests.skills.factories import FrameworkFactory, published_version

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def version() -> FrameworkVersion:
    return published_version(n_skills=3, framework=FrameworkFactory(slug="odp-skills", name="ODP skills framework"))


@pytest.fixture
def admin(client: Client, odp_admin) -> Client:
    client.force_login(odp_admin.user)
    return client


def admin_urls(version: FrameworkVersion) -> list[str]:
    return [
        reverse("web-skills-framework"),
        reverse("web-skills-draft-create"),
        reverse("web-skills-import"),
        reverse("web-skills-version", args=[version.pk]),
        reverse("web-skills-version-export", args=[version.pk, "json"]),
    ]


def test_every_page_is_for_admins_only(client, version, staff_member, head_of_profession):
    for url in admin_urls(version):
        assert client.get(url).status_code == 302, url  # anonymous: sign in first
    for member in (staff_member, head_of_profession):
        client.force_login(member.user)
        for url in admin_urls(version):
            assert client.get(url).status_code == 404, url
    assert client.post(reverse("web-skills-draft-create")).status_code == 404
    assert FrameworkVersion.objects.count() == 1


def test_versions_list_shows_status_tags(admin, version, odp_admin):
    services.version_create_draft(framework=version.framework, by=odp_admin, change_notes="Add AI skills")

    html = admin.get(reverse("web-skills-framework")).content.decode()

    assert '<strong class="govuk-tag govuk-tag--green">Published</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--blue">Draft</strong>' in html
    assert "Add AI skills" in html
    assert "Version 2 is a draft." in html
    assert reverse("web-skills-import") not in html  # one draft at a time


def test_creating_a_draft_copies_the_current_version(admin, version):
    response = admin.post(reverse("web-skills-draft-create"), {"change_notes": "Reword triage"})

    draft = FrameworkVersion.objects.get(status=VersionStatus.DRAFT)
    assert response["Location"] == reverse("web-skills-version", args=[draft.pk])
    assert draft.change_notes == "Reword triage"
    assert draft.skills.count() == 3
    html = admin.get(response["Location"]).content.decode()
    assert "Version 2 created as a draft" in html


def test_a_second_draft_is_refused_on_the_form(admin, version, odp_admin):
    services.version_create_draft(framework=version.framework, by=odp_admin)

    html = admin.post(reverse("web-skills-draft-create"), {}).content.decode()

    assert "There is a problem" in html
    assert services.DRAFT_EXISTS in html
    assert FrameworkVersion.objects.count() == 2


def test_version_page_lists_levels_skills_tags_crosswalks_and_role_profiles(admin, version):
    skill = version.skills.get(code="S1")
    skill.is_ai = True
    skill.descriptors = {"1": "Uses AI tools safely.", "2": "Chooses the right AI tool."}
    skill.save()
    Crosswalk.objects.create(
        skill=skill, external_name="Data ethics", external_level="Working", relation=CrosswalkRelation.BROADER
    )

    html = admin.get(reverse("web-skills-version", args=[version.pk])).content.decode()

    assert "Awareness" in html and "Expert" in html
    assert '<strong class="govuk-tag govuk-tag--purple">AI</strong>' in html
    assert "Uses AI tools safely." in html
    assert "Not defined for this skill" in html  # levels 3 and 4 of S1
    assert "Broader: DDaT Data ethics (Working)" in html
    assert "Customer service" in html and "3 skills" in html
    assert "read-only" in html
    assert reverse("web-skills-version-publish", args=[version.pk]) not in html


@pytest.mark.parametrize(
    ("kind", "content_type", "filename"),
    [
        ("json", "application/json", "odp-skills-v1.json"),
        ("csv", "text/csv; charset=utf-8", "odp-skills-v1.csv"),
        ("profiles", "text/csv; charset=utf-8", "odp-skills-v1-role-profiles.csv"),
    ],
)
def test_exports_are_downloads(admin, version, kind, content_type, filename):
    response = admin.get(reverse("web-skills-version-export", args=[version.pk, kind]))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    if kind == "json":
        assert json.loads(response.content)["skills"][0]["code"] == "S1"


def test_unknown_export_is_not_found(admin, version):
    assert admin.get(reverse("web-skills-version-export", args=[version.pk, "xlsx"])).status_code == 404


def test_malformed_import_lists_every_row_error_and_saves_nothing(admin, version):
    upload = SimpleUploadedFile("framework.csv", (FIXTURES / "duplicate_skill_code.csv").read_bytes())

    response = admin.post(reverse("web-skills-import"), {"file": upload})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Import a framework version" in html
    assert '<a href="#id_file">The file has 1 problem, listed below. Nothing was imported</a>' in html
    assert "govuk-file-upload--error" in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">4</td>' in html
    assert '<td class="govuk-table__cell app-wrap">code</td>' in html
    assert "Skill code CS1 is already used on row 2." in html
    assert FrameworkVersion.objects.count() == 1
    assert Skill.objects.count() == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select a .csv or .json file"),
        ({"file": SimpleUploadedFile("framework.xlsx", b"PK")}, "The selected file must be a .csv or .json file"),
        ({"file": SimpleUploadedFile("framework.csv", b"")}, "The selected file is empty"),
    ],
)
def test_upload_mistakes_are_field_errors(admin, version, data, message):
    html = admin.post(reverse("web-skills-import"), data).content.decode()

    assert "There is a problem" in html
    assert message in html
    assert FrameworkVersion.objects.count() == 1


def test_a_good_json_import_becomes_a_draft(admin, version):
    data = exporting.export_version_json(version, as_successor=True)
    upload = SimpleUploadedFile("next.json", data, content_type="application/json")

    response = admin.post(reverse("web-skills-import"), {"file": upload, "change_notes": "Imported next version"})

    draft = FrameworkVersion.objects.get(status=VersionStatus.DRAFT)
    assert response["Location"] == reverse("web-skills-version", args=[draft.pk])
    assert draft.change_notes == "Imported next version"
    assert {s.lineage for s in draft.skills.all()} == {s.lineage for s in version.skills.all()}


def test_publish_asks_first_then_makes_the_version_current_and_read_only(admin, version, odp_admin):
    draft = services.version_create_draft(framework=version.framework, by=odp_admin)
    publish_url = reverse("web-skills-version-publish", args=[draft.pk])

    confirm = admin.get(publish_url).content.decode()
    assert "Are you sure you want to publish version 2?" in confirm
    assert "Version 1 retires." in confirm
    assert FrameworkVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT

    response = admin.post(publish_url)

    draft.refresh_from_db()
    version.refresh_from_db()
    assert (draft.status, version.status) == (VersionStatus.PUBLISHED, VersionStatus.RETIRED)
    html = admin.get(response["Location"]).content.decode()
    assert "Version 2 is published" in html
    assert "govuk-notification-banner--success" in html
    assert publish_url not in html
    assert admin.get(publish_url).status_code == 404
    assert admin.post(publish_url).status_code == 404
    with pytest.raises(ValidationError):
        services.ensure_editable(draft)


def test_a_version_that_cannot_be_published_says_why(admin, version, odp_admin):
    draft = services.version_create_draft(framework=version.framework, by=odp_admin)
    draft.skills.all().delete()

    html = admin.post(reverse("web-skills-version-publish", args=[draft.pk])).content.decode()

    assert "Version 2 cannot be published yet" in html
    assert "The version has no skills." in html
    assert FrameworkVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT


def test_other_frameworks_versions_are_not_found(admin, version):
    other = published_version(n_skills=1, framework=FrameworkFactory(slug="elsewhere"))

    assert admin.get(reverse("web-skills-version", args=[other.pk])).status_code == 404


def test_navigation_shows_the_framework_to_admins_only(client, odp_admin, staff_member, version):
    client.force_login(odp_admin.user)
    assert f'href="{reverse("web-skills-framework")}"' in client.get(reverse("home")).content.decode()
    client.force_login(staff_member.user)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("web-skills-framework")}"' not in html
    assert f'href="{reverse("web-skills-mine")}"' in html
    assert f'href="{reverse("web-skills-team")}"' not in html
    MemberFactory(organisation=staff_member.organisation, line_manager=staff_member)
    assert f'href="{reverse("web-skills-team")}"' in client.get(reverse("home")).content.decode()
