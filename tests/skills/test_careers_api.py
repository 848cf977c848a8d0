"""The careers API: opportunities scoped like the pages (out of scope is 404), offering with the service's rules,
saving, and a member's own career paths."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from odp.models import JobFamily, OrganisationKind, Role
from skills.models import Intervention, Opportunity, OpportunityAudience, SavedOpportunity, VersionStatus
from tests.factories import MemberFactory, OrganisationFactory, grant
from tests.skills.careers_factories import OpportunityFactory, career_version, rate

pytestmark = pytest.mark.django_db
BASE = "/api/v1/skills"


def client_for(member) -> APIClient:
    api = APIClient()
    api.force_authenticate(member.user)
    return api


@pytest.fixture
def version():
    return career_version()


@pytest.fixture
def council(db):
    return OrganisationFactory(name="Manchester City Council", kind=OrganisationKind.LOCAL_AUTHORITY)


@pytest.fixture
def member(version, passport_office):
    member = MemberFactory(organisation=passport_office, job_family=JobFamily.CUSTOMER_SERVICE, role_level=2)
    for n in range(1, 11):
        rate(member, version.skill[f"S{n}"], 2)
    return member


def test_the_list_shows_open_visible_opportunities_with_the_callers_fit(version, member, council, dwp):
    shared = OpportunityFactory(organisation=council, role_profile=version.next_level, title="Council secondment")
    OpportunityFactory(organisation=council, audience=OpportunityAudience.ORGANISATION, role_profile=version.current)
    OpportunityFactory(
        organisation=dwp, role_profile=version.current, closing_on=timezone.localdate().replace(year=2020)
    )

    response = client_for(member).get(f"{BASE}/opportunities/", {"offered_by": "local"})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["id"] for r in rows] == [shared.pk]
    assert rows[0]["fit"] == {"met": 9, "expected": 12, "percent": 75}
    assert rows[0]["organisation_kind"] == "local_authority" and rows[0]["is_open"] is True


def test_an_opportunity_out_of_scope_is_not_found(version, member, council):
    hidden = OpportunityFactory(organisation=council, audience=OpportunityAudience.ORGANISATION)
    api = client_for(member)
    assert api.get(f"{BASE}/opportunities/{hidden.pk}/").status_code == 404
    assert api.post(f"{BASE}/opportunities/{hidden.pk}/save/").status_code == 404
    assert not SavedOpportunity.objects.exists()


def test_a_bad_filter_is_a_400_naming_it(member):
    response = client_for(member).get(f"{BASE}/opportunities/", {"offered_by": "mars"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "offered_by"


def test_save_and_unsave_and_list_saved(version, member, council):
    shared = OpportunityFactory(organisation=council, role_profile=version.current)
    api = client_for(member)
    saved = api.post(f"{BASE}/opportunities/{shared.pk}/save/")
    assert saved.status_code == 200 and saved.json()["is_saved"] is True
    assert [r["id"] for r in api.get(f"{BASE}/opportunities/", {"saved": "true"}).json()["results"]] == [shared.pk]
    assert api.delete(f"{BASE}/opportunities/{shared.pk}/save/").json()["is_saved"] is False
    assert not SavedOpportunity.objects.exists()


def _body(version, organisation, **overrides):
    return {
        "organisation": organisation.pk,
        "title": "Revenues caseworker",
        "kind": "role",
        "grade": "Grade 5 (local government)",
        "closing_on": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
        "role_profile": version.casework.pk,
        "audience": "across_the_divide",
        "location": "Manchester",
        "apply_contact": "recruitment@manchester.example.org",
    } | overrides


def test_a_council_head_of_profession_offers_through_the_api(version, council, staff_member):
    hop = MemberFactory(organisation=council)
    grant(hop, Role.HEAD_OF_PROFESSION, council)
    response = client_for(hop).post(f"{BASE}/opportunities/", _body(version, council), format="json")
    assert response.status_code == 201, response.content
    created = Opportunity.objects.get()
    assert response.json()["id"] == created.pk and created.organisation == council
    # A central government member sees it, because it is shared across the divide.
    assert client_for(staff_member).get(f"{BASE}/opportunities/{created.pk}/").status_code == 200


def test_bad_offers_are_400s_by_field_and_save_nothing(version, council, dwp):
    hop = MemberFactory(organisation=council)
    grant(hop, Role.HEAD_OF_PROFESSION, council)
    api = client_for(hop)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    cases = [
        (_body(version, council, closing_on=yesterday), "closing_on"),
        (_body(version, dwp), "organisation"),
    ]
    for body, field in cases:
        response = api.post(f"{BASE}/opportunities/", body, format="json")
        assert response.status_code == 400
        assert [e["field"] for e in response.json()["errors"]] == [field]
    version.status = VersionStatus.RETIRED
    version.save(update_fields=["status"])
    response = api.post(f"{BASE}/opportunities/", _body(version, council), format="json")
    assert [e["field"] for e in response.json()["errors"]] == ["role_profile"]
    assert not Opportunity.objects.exists()


def test_staff_cannot_offer(version, staff_member, passport_office):
    response = client_for(staff_member).post(f"{BASE}/opportunities/", _body(version, passport_office), format="json")
    assert response.status_code == 403
    assert not Opportunity.objects.exists()


def test_career_paths_are_the_callers_own(version, member, passport_office):
    course = Intervention.objects.create(name="Advanced service", kind="course", provider="Academy")
    course.target_skills.set([version.skill["S11"]])
    other = MemberFactory(organisation=passport_office, job_family=JobFamily.CUSTOMER_SERVICE, role_level=2)

    mine = client_for(member).get(f"{BASE}/career-paths/me/").json()
    theirs = client_for(other).get(f"{BASE}/career-paths/me/").json()

    assert mine["current_role_profile"] == version.current.pk
    next_step = next(p for p in mine["paths"] if p["kind"] == "next")
    assert next_step["fit"] == {"met": 9, "expected": 12, "percent": 75}
    assert [g["code"] for g in next_step["gap"]] == ["S10", "S11", "S12"]
    assert next_step["interventions"] == [
        {"id": course.pk, "name": "Advanced service", "kind": "course", "provider": "Academy", "builds": ["Skill 11"]}
    ]
    assert next(p for p in theirs["paths"] if p["kind"] == "next")["fit"]["met"] == 0


def test_anonymous_callers_are_refused():
    assert APIClient().get(f"{BASE}/career-paths/me/").status_code in (401, 403)
    assert APIClient().get(f"{BASE}/opportunities/").status_code in (401, 403)
