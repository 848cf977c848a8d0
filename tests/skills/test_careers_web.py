"""The careers pages: next steps with gaps, finding and saving opportunities, the learning page, the weekly email
choice, and offering an opportunity with its errors shown by the field."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from odp.models import JobFamily, OrganisationKind, Role
from skills.models import Intervention, Opportunity, OpportunityAlert, OpportunityAudience, SavedOpportunity
from tests.factories import MemberFactory, OrganisationFactory, grant
from tests.skills.careers_factories import OpportunityFactory, career_version, rate

pytestmark = pytest.mark.django_db


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


@pytest.fixture
def signed_in(client: Client, member) -> Client:
    client.force_login(member.user)
    return client


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_anonymous_visitors_are_sent_to_sign_in(client, version):
    for url in ("/careers/", "/careers/opportunities/", "/careers/alerts/"):
        assert client.get(url).status_code == 302


def test_career_paths_show_the_next_step_and_lateral_moves_with_gaps(signed_in, version):
    page = text(signed_in.get("/careers/"))
    assert "Customer service: senior practitioner" in page
    assert "You meet 9 of 12 expected skills; your gap is 3 skills." in page
    assert "Gap: Skill 10, Skill 11, Skill 12" in page
    assert "Casework and decision making: practitioner" in page and "You meet 4 of 4 expected skills." in page
    assert ">Careers<" in signed_in.get("/careers/").content.decode()


def test_a_path_page_lists_the_gap_and_links_the_learning_that_targets_it(signed_in, version, council):
    course = Intervention.objects.create(name="Advanced service", kind="course", provider="Academy")
    course.target_skills.set([version.skill["S11"]])
    role = OpportunityFactory(title="Council team leader", organisation=council, role_profile=version.next_level)
    response = signed_in.get(f"/careers/paths/{version.next_level.pk}/")
    page = text(response)
    assert "You meet 9 of 12 expected skills; these 3 are your gap." in page
    assert f'href="/careers/learning/{course.pk}/"' in response.content.decode()
    assert "Council team leader" in page and f"/careers/opportunities/{role.pk}/" in response.content.decode()
    learning = text(signed_in.get(f"/careers/learning/{course.pk}/"))
    assert "Skill 11 (S11)" in learning and "Academy" in learning


def test_a_profile_that_is_not_a_next_step_is_not_found(signed_in, version):
    assert signed_in.get(f"/careers/paths/{version.current.pk}/").status_code == 404


def test_browse_filters_by_side_of_the_divide_and_shows_fit(signed_in, version, council, dwp):
    OpportunityFactory(title="Council secondment", organisation=council, role_profile=version.next_level)
    OpportunityFactory(title="DWP role", organisation=dwp, role_profile=version.casework)
    OpportunityFactory(title="Council staff only", organisation=council, audience=OpportunityAudience.ORGANISATION)
    everything = text(signed_in.get("/careers/opportunities/"))
    assert "Council secondment" in everything and "DWP role" in everything
    assert "Council staff only" not in everything
    local = text(signed_in.get("/careers/opportunities/", {"offered_by": "local"}))
    assert "Council secondment" in local and "DWP role" not in local
    assert "Your fit: 9 of 12 skills" in local
    best = text(signed_in.get("/careers/opportunities/", {"sort": "fit"}))
    assert best.index("DWP role") < best.index("Council secondment")


def test_save_from_the_opportunity_page_and_find_it_in_saved(signed_in, member, version, council):
    role = OpportunityFactory(title="Council secondment", organisation=council, role_profile=version.next_level)
    page = text(signed_in.get(f"/careers/opportunities/{role.pk}/"))
    assert "Manchester City Council (local authority)" in page
    assert "You meet 9 of 12 expected skills; these 3 are your gap." in page
    response = signed_in.post(f"/careers/opportunities/{role.pk}/save/", follow=True)
    assert "Opportunity saved" in text(response)
    assert SavedOpportunity.objects.filter(member=member, opportunity=role).exists()
    assert "Council secondment" in text(signed_in.get("/careers/opportunities/saved/"))
    signed_in.post(f"/careers/opportunities/{role.pk}/save/", {"remove": "1"})
    assert not SavedOpportunity.objects.exists()


def test_an_opportunity_out_of_scope_is_not_found(signed_in, council):
    hidden = OpportunityFactory(organisation=council, audience=OpportunityAudience.ORGANISATION)
    assert signed_in.get(f"/careers/opportunities/{hidden.pk}/").status_code == 404
    assert signed_in.post(f"/careers/opportunities/{hidden.pk}/save/").status_code == 404


def test_the_weekly_email_choice_is_saved(signed_in, member):
    response = signed_in.post("/careers/alerts/", {"active": "on", "job_families": ["casework"]}, follow=True)
    assert "Weekly email turned on" in text(response)
    alert = OpportunityAlert.objects.get(member=member)
    assert alert.is_active and alert.job_families == ["casework"]


def test_staff_do_not_see_the_offer_page(signed_in):
    assert signed_in.get("/careers/opportunities/new/").status_code == 404


def _form(version, organisation, closing: datetime.date) -> dict:
    return {
        "organisation": organisation.pk,
        "title": "Revenues caseworker",
        "kind": "role",
        "grade": "Grade 5",
        "location": "Manchester",
        "closing_on_day": closing.day,
        "closing_on_month": closing.month,
        "closing_on_year": closing.year,
        "role_profile": version.casework.pk,
        "apply_url": "https://jobs.example.org/42",
        "audience": "across_the_divide",
    }


def test_a_council_head_of_profession_offers_an_opportunity(client, version, council):
    hop = MemberFactory(organisation=council)
    grant(hop, Role.HEAD_OF_PROFESSION, council)
    client.force_login(hop.user)
    closing = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post("/careers/opportunities/new/", _form(version, council, closing), follow=True)
    assert "Opportunity published" in text(response)
    assert Opportunity.objects.get().organisation == council


def test_a_past_closing_date_is_shown_by_the_field_and_nothing_is_saved(client, version, council):
    hop = MemberFactory(organisation=council)
    grant(hop, Role.HEAD_OF_PROFESSION, council)
    client.force_login(hop.user)
    closing = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post("/careers/opportunities/new/", _form(version, council, closing))
    page = text(response)
    assert "There is a problem" in page and "Closing date must be today or in the future" in page
    assert response.content.decode().count("Closing date must be today or in the future") == 2  # summary and field
    assert "<title>Error: " in response.content.decode()
    assert not Opportunity.objects.exists()
