"""Careers journey in Chromium on the demo data: the demo staff member sees their next career steps with their
gaps, finds an opportunity offered by a local authority, sees their fit and gap, saves it, and follows the link to
the learning that targets the gap. A local authority member sees opportunities shared from central government.
Every page visited passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from odp import demo as odp_demo
from odp.models import Member
from skills import demo as skills_demo
from skills.careers import fit, paths
from skills.models import Opportunity, SavedOpportunity
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "odp-demo-password"  # the published demo-only password (docs/demo-accounts.md)
COUNCIL_ROLE = "Senior revenues and benefits caseworker (secondment)"


@pytest.fixture
def demo(settings, transactional_db) -> None:
    """seed_demo's people and its skills part (framework, ratings, interventions, metrics, opportunities): the
    careers journeys visit nothing of the ideas, surge requests or reports, whose seeding took half the time."""
    settings.ODP_EMBEDDED = True
    odp_demo.seed()
    skills_demo.seed()


def sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What you can do")


def test_staff_finds_and_saves_a_council_opportunity_and_follows_the_learning_for_the_gap(page: Page, demo):
    staff = Member.objects.get(user__username="staff")
    next_step = paths.career_paths(staff).next_steps[0]
    role = Opportunity.objects.get(title=COUNCIL_ROLE)
    gap = fit.gaps_by_profile(staff, [role.role_profile_id])[role.role_profile_id]
    intervention, builds = gap.interventions[0]

    sign_in(page, "staff")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Careers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your career paths")
    steps = page.locator("#next-steps")
    expect(steps).to_contain_text(f"{next_step.gap.fit.text}; your gap is {len(next_step.gap.skills)} skills.")
    expect(steps).to_contain_text(next_step.gap.skills[0].name)
    expect(page.locator("#lateral-moves li")).to_have_count(len(paths.career_paths(staff).lateral_moves))
    assert_accessible(page, "careers-paths")

    page.get_by_role("link", name="Find opportunities").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find opportunities")
    assert_accessible(page, "careers-opportunities")
    page.get_by_label("Offered by").select_option("local")
    page.get_by_role("button", name="Apply").click()
    results = page.locator("#opportunity-results")
    expect(results).to_contain_text("Manchester City Council")
    expect(results).not_to_contain_text("Department for Work and Pensions")
    expect(results.get_by_role("listitem").filter(has_text=COUNCIL_ROLE)).to_contain_text(
        f"Your fit: {gap.fit.met} of {gap.fit.expected} skills"
    )
    assert_accessible(page, "careers-opportunities-local")

    results.get_by_role("link", name=COUNCIL_ROLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COUNCIL_ROLE)
    expect(page.locator("#opportunity-facts")).to_contain_text("Manchester City Council (local authority)")
    expect(page.locator("#fit-summary")).to_contain_text(f"{gap.fit.text}; these {len(gap.skills)} are your gap.")
    expect(page.locator("#gap-skills tbody tr")).to_have_count(len(gap.skills))
    assert_accessible(page, "careers-opportunity")

    page.get_by_role("button", name="Save this opportunity").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Opportunity saved")
    expect(page.get_by_role("button", name="Remove from saved")).to_be_visible()
    assert SavedOpportunity.objects.filter(member=staff, opportunity=role).exists()
    assert_accessible(page, "careers-opportunity-saved")

    page.goto("/careers/opportunities/saved/")
    expect(page.locator("#saved-opportunities")).to_contain_text(COUNCIL_ROLE)
    assert_accessible(page, "careers-saved")
    page.locator("#saved-opportunities").get_by_role("link", name=COUNCIL_ROLE).click()

    page.locator("#gap-learning").get_by_role("link", name=intervention.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(intervention.name)
    expect(page.locator("#learning-targets")).to_contain_text(builds[0])
    assert_accessible(page, "careers-learning")


def test_a_council_member_sees_opportunities_shared_from_central_government(page: Page, demo):
    sign_in(page, "la.member")
    page.goto("/careers/opportunities/?offered_by=central")
    results = page.locator("#opportunity-results")
    expect(results).to_contain_text("Operational delivery apprenticeship (level 4)")
    expect(results).not_to_contain_text("Universal Credit case manager")  # central government only
    assert_accessible(page, "careers-opportunities-council-member")
    page.goto("/careers/alerts/")
    page.get_by_label("Email me new opportunities each week").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Weekly email turned on")
    assert_accessible(page, "careers-alerts")


def test_a_head_of_profession_offers_an_opportunity_after_fixing_the_closing_date(page: Page, demo):
    import datetime

    from django.utils import timezone

    sign_in(page, "hop.homeoffice")
    page.get_by_role("link", name="Offer an opportunity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offer an opportunity")
    assert_accessible(page, "careers-offer")

    page.get_by_label("Offering organisation", exact=True).select_option(label="HM Passport Office")
    page.get_by_label("Title", exact=True).fill("Passport casework secondment to Liverpool City Council")
    page.get_by_label("Secondment").check()
    page.get_by_label("Location", exact=True).fill("Liverpool")
    page.get_by_label("Grade or band").fill("EO")
    past = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Day").fill(str(past.day))
    page.get_by_label("Month").fill(str(past.month))
    page.get_by_label("Year").fill(str(past.year))
    page.get_by_label("Role profile it maps to").select_option(label="Casework and decision making: practitioner")
    page.get_by_label("Link to apply").fill("https://careers.example.org/hmpo/secondment")
    page.get_by_label("Central and local government and partners").check()
    page.get_by_role("button", name="Publish opportunity").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Closing date must be today or in the future")
    assert not Opportunity.objects.filter(title__startswith="Passport casework secondment").exists()
    assert_accessible(page, "careers-offer-error")

    future = timezone.localdate() + datetime.timedelta(days=21)
    page.get_by_label("Day").fill(str(future.day))
    page.get_by_label("Month").fill(str(future.month))
    page.get_by_label("Year").fill(str(future.year))
    page.get_by_role("button", name="Publish opportunity").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Opportunity published")
    expect(page.get_by_role("heading", level=1)).to_have_text("Passport casework secondment to Liverpool City Council")
    assert Opportunity.objects.get(title__startswith="Passport casework").organisation.name == "HM Passport Office"
