"""The assessments API: a role × endpoint permission matrix, field-level protection, "my skills" and a
manager's pending confirmations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from odp.models import JobFamily, Member
from skills import services
from skills.models import Assessment, Intervention, RaterKind, Skill
from skills.selectors import ODP_FRAMEWORK_SLUG
from tests.factories import MemberFactory
from tests.skills.factories import FrameworkFactory, published_version

BASE = "/api/v1/skills"


@dataclass
class World:
    skills: dict[str, Skill]
    people: dict[str, Member | None]
    self_assessment: Assessment


@pytest.fixture
def world(staff_member, head_of_profession, odp_admin, passport_office, dwp) -> World:
    """Staff in HM Passport Office (a child of the Home Office, led by the head of profession), their line
    manager, an admin and a plain member in DWP, and a DWP line manager with a report of their own."""
    version = published_version(n_skills=3, framework=FrameworkFactory(slug=ODP_FRAMEWORK_SLUG))
    manager = MemberFactory(organisation=passport_office, user__username="manager", grade="HEO")
    staff_member.line_manager = manager
    staff_member.save()
    other_manager = MemberFactory(organisation=dwp, user__username="other-manager", grade="HEO")
    MemberFactory(organisation=dwp, line_manager=other_manager)
    skills = {s.code: s for s in version.skills.all()}
    pending = services.assessment_record_self(member=staff_member, skill=skills["S1"], level=3, rationale="Coached")
    return World(
        skills=skills,
        people={
            "staff": staff_member,
            "line_manager": manager,
            "head_of_profession": head_of_profession,
            "admin": odp_admin,
            "other_organisation": MemberFactory(organisation=dwp, user__username="outsider"),
            "other_line_manager": other_manager,
            "anonymous": None,
        },
        self_assessment=pending,
    )


def client_for(member: Member | None) -> APIClient:
    api = APIClient()
    if member is not None:
        api.force_authenticate(member.user)
    return api


# The permission matrix: every assessment endpoint × every kind of caller. Statuses are the design's:
# 401 anonymous, 403 a role without the policy, 404 a record outside the caller's scope.

ROLES = [
    "staff",
    "line_manager",
    "head_of_profession",
    "admin",
    "other_organisation",
    "other_line_manager",
    "anonymous",
]


def _list(api: APIClient, world: World):
    return api.get(f"{BASE}/assessments/")


def _detail(api: APIClient, world: World):
    return api.get(f"{BASE}/assessments/{world.self_assessment.pk}/")


def _self_assess(api: APIClient, world: World):
    return api.post(f"{BASE}/assessments/", {"skill": world.skills["S2"].pk, "level": 2}, format="json")


def _respond(api: APIClient, world: World):
    return api.post(f"{BASE}/assessments/{world.self_assessment.pk}/respond/", {}, format="json")


def _my_skills(api: APIClient, world: World):
    return api.get(f"{BASE}/me/")


def _confirmations(api: APIClient, world: World):
    return api.get(f"{BASE}/confirmations/")


ENDPOINTS: dict[str, tuple[Callable, dict[str, int]]] = {
    "GET assessments/": (_list, {"anonymous": 401}),
    "GET assessments/{id}/": (_detail, {"other_organisation": 404, "other_line_manager": 404, "anonymous": 401}),
    "POST assessments/": (_self_assess, {"anonymous": 401}),
    "POST assessments/{id}/respond/": (
        _respond,
        {
            "staff": 403,
            "line_manager": 201,
            "head_of_profession": 403,
            "admin": 403,
            "other_organisation": 403,
            "other_line_manager": 404,
            "anonymous": 401,
        },
    ),
    "GET me/": (_my_skills, {"anonymous": 401}),
    "GET confirmations/": (
        _confirmations,
        {"staff": 403, "head_of_profession": 403, "admin": 403, "other_organisation": 403, "anonymous": 401},
    ),
}
SUCCESS = {"GET": 200, "POST": 201}
MATRIX = [
    pytest.param(endpoint, role, statuses.get(role, SUCCESS[endpoint.split()[0]]), id=f"{endpoint} as {role}")
    for endpoint, (_, statuses) in ENDPOINTS.items()
    for role in ROLES
]


@pytest.mark.parametrize(("endpoint", "role", "expected"), MATRIX)
def test_permission_matrix(world, endpoint, role, expected):
    call, _ = ENDPOINTS[endpoint]

    response = call(client_for(world.people[role]), world)

    assert response.status_code == expected, response.content
    if expected >= 400:
        code = {401: "not_authenticated", 403: "permission_denied", 404: "not_found"}[expected]
        assert response.json()["errors"][0]["code"] == code


LIST_SCOPE = {
    "staff": True,
    "line_manager": True,
    "head_of_profession": True,
    "admin": True,
    "other_organisation": False,
    "other_line_manager": False,
}


@pytest.mark.parametrize(("role", "sees"), LIST_SCOPE.items())
def test_the_list_holds_only_ratings_in_scope(world, role, sees):
    ids = [row["id"] for row in _list(client_for(world.people[role]), world).json()["results"]]

    assert (world.self_assessment.pk in ids) is sees


# Field-level protection


@pytest.mark.parametrize(
    ("field", "value"),
    [("member", "other_organisation"), ("rater_kind", RaterKind.LINE_MANAGER), ("rated_by", "line_manager")],
)
def test_a_member_cannot_set_who_is_rated_or_by_whom(world, field, value):
    value = world.people[value].pk if value in world.people else value
    body = {"skill": world.skills["S2"].pk, "level": 2, field: value}

    response = client_for(world.people["staff"]).post(f"{BASE}/assessments/", body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": field, "code": "read_only", "message": response.json()["errors"][0]["message"]}
    ]
    assert not Assessment.objects.filter(skill=world.skills["S2"]).exists()


def test_a_self_assessment_is_always_of_the_requester_as_self(world):
    response = client_for(world.people["staff"]).post(
        f"{BASE}/assessments/", {"skill": world.skills["S2"].pk, "level": 2, "rationale": "Did it"}, format="json"
    )

    body = response.json()
    assert response.status_code == 201
    assert (body["member"], body["rated_by"], body["rater_kind"]) == (
        world.people["staff"].pk,
        world.people["staff"].pk,
        "self",
    )
    assert (body["skill_code"], body["level"], body["rationale"]) == ("S2", 2, "Did it")


@pytest.mark.parametrize(("level", "field"), [(9, "level"), (-1, "level"), ("high", "level")])
def test_out_of_range_levels_are_field_errors(world, level, field):
    response = client_for(world.people["staff"]).post(
        f"{BASE}/assessments/", {"skill": world.skills["S2"].pk, "level": level}, format="json"
    )

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_a_skill_outside_the_published_version_cannot_be_assessed(world, odp_admin):
    draft = services.version_create_draft(framework=world.skills["S1"].version.framework, by=odp_admin)
    draft_skill = draft.skills.get(code="S1")
    staff, admin = client_for(world.people["staff"]), client_for(odp_admin)

    hidden = staff.post(f"{BASE}/assessments/", {"skill": draft_skill.pk, "level": 1}, format="json")
    refused = admin.post(f"{BASE}/assessments/", {"skill": draft_skill.pk, "level": 1}, format="json")

    assert hidden.status_code == 400
    assert hidden.json()["errors"][0]["field"] == "skill"
    assert hidden.json()["errors"][0]["code"] == "does_not_exist"  # a draft is not even named to staff
    assert refused.status_code == 400
    assert refused.json()["errors"][0] == {
        "field": "skill",
        "code": "invalid",
        "message": "You can only assess skills in the current version of the framework.",
    }


def test_a_line_manager_confirms_and_the_level_becomes_theirs(world):
    api = client_for(world.people["line_manager"])

    response = api.post(f"{BASE}/assessments/{world.self_assessment.pk}/respond/", {}, format="json")

    body = response.json()
    assert response.status_code == 201
    assert (body["rater_kind"], body["level"], body["responds_to"]) == ("line_manager", 3, world.self_assessment.pk)
    assert body["member"] == world.people["staff"].pk
    assert body["rated_by"] == world.people["line_manager"].pk
    assert api.get(f"{BASE}/confirmations/").json()["count"] == 0


def test_adjusting_a_level_needs_a_reason(world):
    api = client_for(world.people["line_manager"])
    url = f"{BASE}/assessments/{world.self_assessment.pk}/respond/"

    missing = api.post(url, {"level": 2}, format="json")
    adjusted = api.post(url, {"level": 2, "reason": "Not yet coaching others"}, format="json")

    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "reason"
    assert adjusted.status_code == 201
    assert (adjusted.json()["level"], adjusted.json()["rationale"]) == (2, "Not yet coaching others")


def test_nobody_confirms_someone_who_is_not_their_report(world, head_of_profession, home_office):
    """In scope but not their report (a head of profession who manages someone else): 403 from the service.
    Out of scope (another organisation's line manager): 404."""
    MemberFactory(organisation=home_office, line_manager=head_of_profession)
    url = f"{BASE}/assessments/{world.self_assessment.pk}/respond/"

    in_scope = client_for(head_of_profession).post(url, {"level": 1, "reason": "x"}, format="json")
    out_of_scope = client_for(world.people["other_line_manager"]).post(url, {}, format="json")

    assert in_scope.status_code == 403
    assert in_scope.json()["errors"][0]["message"] == "You can only confirm assessments of people who report to you."
    assert out_of_scope.status_code == 404
    assert Assessment.objects.filter(responds_to=world.self_assessment).count() == 0


def test_a_manager_cannot_set_member_or_rater_kind_when_responding(world):
    response = client_for(world.people["line_manager"]).post(
        f"{BASE}/assessments/{world.self_assessment.pk}/respond/",
        {"rater_kind": "assessor", "member": world.people["line_manager"].pk},
        format="json",
    )

    assert response.status_code == 400
    assert sorted(e["field"] for e in response.json()["errors"]) == ["member", "rater_kind"]


def test_only_self_assessments_can_be_responded_to(world):
    api = client_for(world.people["line_manager"])
    confirmation = api.post(f"{BASE}/assessments/{world.self_assessment.pk}/respond/", {}, format="json").json()

    response = api.post(f"{BASE}/assessments/{confirmation['id']}/respond/", {}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Only self-assessments can be confirmed or adjusted."


def test_filters_narrow_the_history(world):
    api = client_for(world.people["line_manager"])
    api.post(f"{BASE}/assessments/{world.self_assessment.pk}/respond/", {}, format="json")

    by_kind = api.get(f"{BASE}/assessments/", {"rater_kind": "line_manager"}).json()
    by_skill = api.get(f"{BASE}/assessments/", {"skill": world.skills["S2"].pk}).json()
    bad = api.get(f"{BASE}/assessments/", {"rater_kind": "boss"})

    assert [row["rater_kind"] for row in by_kind["results"]] == ["line_manager"]
    assert by_skill["count"] == 0
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "rater_kind"


# My skills and confirmations


def test_my_skills_shows_expected_and_current_levels_gaps_and_suggestions(world):
    course = Intervention.objects.create(name="Listening well", kind="course", provider="Civil Service College")
    course.target_skills.add(world.skills["S2"])

    body = client_for(world.people["staff"]).get(f"{BASE}/me/").json()

    standings = {s["skill"]["code"]: s for group in body["groups"] for s in group["skills"]}
    assert body["version"] == world.skills["S1"].version_id
    assert (body["met_count"], body["gap_count"]) == (1, 2)
    assert standings["S1"] == {
        "skill": {"id": world.skills["S1"].pk, "code": "S1", "name": "Skill 1"},
        "expected_level": 2,
        "importance": "core",
        "current_level": 3,
        "rater_kind": "self",
        "pending_level": None,
        "gap": 0,
        "meets_expectation": True,
    }
    assert (standings["S2"]["current_level"], standings["S2"]["gap"]) == (0, 2)
    assert body["suggested_interventions"] == [
        {"id": course.pk, "name": "Listening well", "kind": "course", "provider": "Civil Service College"}
    ]


def test_my_skills_without_a_role_profile_is_empty_not_an_error(world, dwp):
    caseworker = MemberFactory(organisation=dwp, job_family=JobFamily.CASEWORK)

    response = client_for(caseworker).get(f"{BASE}/me/")

    assert response.status_code == 200
    assert response.json() == {
        "version": world.skills["S1"].version_id,
        "role_profile": None,
        "groups": [],
        "met_count": 0,
        "gap_count": 0,
        "suggested_interventions": [],
    }


def test_pending_confirmations_list_the_managers_reports_waiting(world):
    body = client_for(world.people["line_manager"]).get(f"{BASE}/confirmations/").json()

    assert body["count"] == 1
    row = body["results"][0]
    assert (row["member"], row["member_name"]) == (world.people["staff"].pk, world.people["staff"].full_name)
    assert row["self_assessment"]["id"] == world.self_assessment.pk
    assert (row["current_level"], row["current_rater_kind"]) == (3, "self")
    assert client_for(world.people["other_line_manager"]).get(f"{BASE}/confirmations/").json()["count"] == 0
