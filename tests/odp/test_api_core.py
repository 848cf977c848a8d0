"""/me/, /organisations/ and /members/: each scoped by its model's visible_to, out-of-scope is 404."""

from __future__ import annotations

import pytest
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from odp.api.pagination import StandardPagination
from odp.models import Grade, Role
from tests.factories import MemberFactory, OrganisationFactory, grant


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _as(api: APIClient, member) -> APIClient:
    api.force_authenticate(member.user)
    return api


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


# /me/


def test_me_describes_the_signed_in_member(api, staff_member, head_of_profession, passport_office):
    staff_member.line_manager = head_of_profession
    staff_member.save()

    body = _as(api, staff_member).get("/api/v1/me/").json()

    assert body == {
        "id": staff_member.pk,
        "name": staff_member.full_name,
        "email": "staff@example.gov.uk",
        "organisation": {
            "id": passport_office.pk,
            "name": "HM Passport Office",
            "short_name": "",
            "slug": "hm-passport-office",
            "kind": "executive_agency",
        },
        "grade": "EO",
        "job_family": "customer_service",
        "role_level": 2,
        "region": "north_west",
        "roles": ["staff"],
        "reviewable_organisation_ids": [],
        "line_manager_name": head_of_profession.full_name,
    }


def test_me_lists_roles_and_the_organisations_a_head_of_profession_reviews(
    api, head_of_profession, home_office, passport_office
):
    MemberFactory(organisation=home_office, line_manager=head_of_profession)

    body = _as(api, head_of_profession).get("/api/v1/me/").json()

    assert body["roles"] == ["head_of_profession", "line_manager", "staff"]
    assert body["reviewable_organisation_ids"] == sorted([home_office.pk, passport_office.pk])
    assert body["line_manager_name"] is None


def test_an_inactive_member_gets_nothing(api, staff_member):
    staff_member.is_active = False
    staff_member.save()

    for url in ["/api/v1/me/", "/api/v1/organisations/", "/api/v1/members/"]:
        response = _as(api, staff_member).get(url)
        assert response.status_code == 403
        assert response.json()["errors"][0]["code"] == "not_a_member"


# /organisations/


def test_a_head_of_profession_sees_their_organisation_and_its_child_bodies(
    api, head_of_profession, passport_office, dwp
):
    names = _names(_as(api, head_of_profession).get("/api/v1/organisations/"))

    assert names == ["HM Passport Office", "Home Office"]


def test_a_staff_member_sees_only_their_own_organisation(api, staff_member, dwp):
    assert _names(_as(api, staff_member).get("/api/v1/organisations/")) == ["HM Passport Office"]


def test_an_admin_sees_every_organisation(api, odp_admin, passport_office):
    names = _names(_as(api, odp_admin).get("/api/v1/organisations/"))

    assert names == ["Department for Work and Pensions", "HM Passport Office", "Home Office"]


def test_an_organisation_names_its_parent_and_children(api, head_of_profession, home_office, passport_office):
    api = _as(api, head_of_profession)

    parent = api.get(f"/api/v1/organisations/{home_office.pk}/").json()
    child = api.get(f"/api/v1/organisations/{passport_office.pk}/").json()

    assert parent == {
        "id": home_office.pk,
        "name": "Home Office",
        "short_name": "",
        "slug": "home-office",
        "kind": "ministerial_department",
        "parent": None,
        "children": [passport_office.pk],
    }
    assert child["parent"] == home_office.pk
    assert child["children"] == []


def test_an_out_of_scope_organisation_is_not_found(api, head_of_profession, staff_member, dwp, home_office):
    assert _as(api, head_of_profession).get(f"/api/v1/organisations/{dwp.pk}/").status_code == 404
    assert _as(api, staff_member).get(f"/api/v1/organisations/{home_office.pk}/").status_code == 404


def test_organisations_filter_by_kind(api, odp_admin, passport_office):
    names = _names(_as(api, odp_admin).get("/api/v1/organisations/", {"kind": "executive_agency"}))

    assert names == ["HM Passport Office"]


def test_an_unknown_kind_is_a_400_on_the_kind_field(api, odp_admin):
    response = _as(api, odp_admin).get("/api/v1/organisations/", {"kind": "castle"})

    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("kind", "invalid_choice")]


def test_listing_organisations_takes_a_fixed_number_of_queries(
    api, odp_admin, home_office, django_assert_max_num_queries
):
    for n in range(10):
        OrganisationFactory(name=f"Agency {n}", parent=home_office)
    api = _as(api, odp_admin)

    with django_assert_max_num_queries(6):
        response = api.get("/api/v1/organisations/")

    assert response.json()["count"] == 12


# /members/


def test_a_staff_member_sees_only_themselves(api, staff_member, head_of_profession, odp_admin):
    response = _as(api, staff_member).get("/api/v1/members/")

    assert [row["id"] for row in response.json()["results"]] == [staff_member.pk]


def test_a_line_manager_sees_their_reports(api, staff_member, dwp):
    report = MemberFactory(organisation=dwp, line_manager=staff_member)

    response = _as(api, staff_member).get("/api/v1/members/")

    assert {row["id"] for row in response.json()["results"]} == {staff_member.pk, report.pk}


def test_a_head_of_profession_sees_members_of_their_organisations(api, head_of_profession, staff_member):
    MemberFactory(organisation=OrganisationFactory(name="Department for Education"))
    response = _as(api, head_of_profession).get("/api/v1/members/")

    assert {row["id"] for row in response.json()["results"]} == {head_of_profession.pk, staff_member.pk}


def test_an_admin_sees_every_member(api, odp_admin, staff_member, head_of_profession):
    response = _as(api, odp_admin).get("/api/v1/members/")

    assert response.json()["count"] == 3


def test_an_out_of_scope_member_is_not_found(api, staff_member, head_of_profession, odp_admin):
    assert _as(api, staff_member).get(f"/api/v1/members/{head_of_profession.pk}/").status_code == 404
    assert _as(api, head_of_profession).get(f"/api/v1/members/{odp_admin.pk}/").status_code == 404
    assert _as(api, head_of_profession).get(f"/api/v1/members/{staff_member.pk}/").status_code == 200


def test_a_member_shows_only_safe_fields(api, staff_member, head_of_profession, passport_office):
    staff_member.line_manager = head_of_profession
    staff_member.save()

    body = _as(api, staff_member).get(f"/api/v1/members/{staff_member.pk}/").json()

    assert body == {
        "id": staff_member.pk,
        "name": staff_member.full_name,
        "email": "staff@example.gov.uk",
        "organisation": passport_office.pk,
        "grade": "EO",
        "job_family": "customer_service",
        "role_level": 2,
        "region": "north_west",
        "line_manager": head_of_profession.pk,
        "is_active": True,
    }


def test_members_page_with_count_next_and_previous(api, odp_admin, home_office):
    for _ in range(4):
        MemberFactory(organisation=home_office, grade=Grade.AO)
    api = _as(api, odp_admin)

    first = api.get("/api/v1/members/", {"page_size": 2}).json()
    second = api.get("/api/v1/members/", {"page_size": 2, "page": 2}).json()
    third = api.get("/api/v1/members/", {"page_size": 2, "page": 3}).json()

    assert first["count"] == 5
    assert first["previous"] is None
    assert first["next"].endswith("/api/v1/members/?page=2&page_size=2")
    assert second["previous"] is not None
    assert third["next"] is None
    ids = [row["id"] for page in (first, second, third) for row in page["results"]]
    assert len(ids) == len(set(ids)) == 5


def test_members_with_the_same_name_page_in_a_stable_order(api, odp_admin, home_office):
    for _ in range(5):
        MemberFactory(organisation=home_office, user__first_name="Sam", user__last_name="Smith")
    api = _as(api, odp_admin)

    pages = [api.get("/api/v1/members/", {"page_size": 1, "page": n}).json() for n in range(1, 7)]

    assert len({page["results"][0]["id"] for page in pages}) == 6


def test_page_size_is_capped_at_200():
    paginator = StandardPagination()
    request = Request(APIRequestFactory().get("/", {"page_size": 5000}))

    assert paginator.get_page_size(request) == 200


def test_listing_members_takes_a_fixed_number_of_queries(
    api, head_of_profession, home_office, django_assert_max_num_queries
):
    for _ in range(10):
        member = MemberFactory(organisation=home_office)
        grant(member, Role.SRRT_RESPONDER)
    api = _as(api, head_of_profession)

    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/members/")

    assert response.json()["count"] == 11
