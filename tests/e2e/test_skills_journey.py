"""Skills journeys in Chromium on the demo data: the demo staff member assesses a skill and sees the gap change,
their line manager confirms a self-assessment, and an admin looks after the framework, metrics and ROI.
Every page visited passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from odp import demo as odp_demo
from odp.models import Member
from skills import demo as skills_demo
from skills import selectors
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "odp-demo-password"  # the published demo-only password (docs/demo-accounts.md)


@pytest.fixture
def demo(settings, transactional_db) -> None:
    """seed_demo's people and its skills part (framework, ratings, interventions, metrics, opportunities): the
    skills journeys visit nothing of the ideas, surge requests or reports, whose seeding took half the time."""
    settings.ODP_EMBEDDED = True
    odp_demo.seed()
    skills_demo.seed()


def sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What you can do")


def menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=name).click()


def test_staff_assesses_a_skill_and_their_manager_confirms(page: Page, demo):
    staff = Member.objects.get(user__username="staff")
    mine = selectors.my_skills(staff)
    unassessed = next(s for s in mine.standings if s.current_level == 0)
    met, expected = mine.met_count, len(mine.standings)

    sign_in(page, "staff")
    menu(page, "My skills")
    expect(page.get_by_role("heading", level=1)).to_have_text("My skills")
    expect(page.locator("#skills-summary")).to_have_text(f"You meet {met} of {expected} expected skills.")
    row = page.locator(f"#skill-{unassessed.skill.pk}")
    expect(row).to_contain_text("Not yet assessed")
    gap = unassessed.expected_level
    expect(row).to_contain_text(f"Gap of {gap} level")
    assert_accessible(page, "skills-my-skills")

    row.get_by_role("link", name=f"Assess {unassessed.skill.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"What level are you at in {unassessed.skill.name}?")
    assert_accessible(page, "skills-assess")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the level that best describes what you do")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, "skills-assess-error")

    page.locator(f'input[name="level"][value="{unassessed.expected_level}"]').check()
    page.get_by_label("Evidence (optional)").fill("I coached two new starters through their first month.")
    page.get_by_role("button", name="Save assessment").click()

    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(f"for {unassessed.skill.name}")
    expect(banner).to_contain_text("You now meet the expected level")
    expect(page.locator("#skills-summary")).to_have_text(f"You meet {met + 1} of {expected} expected skills.")
    expect(page.locator(f"#skill-{unassessed.skill.pk}")).to_contain_text("Meets expected level")
    expect(page.locator(f"#skill-{unassessed.skill.pk}")).to_contain_text("Waiting for your line manager to confirm")
    assert_accessible(page, "skills-my-skills-after")

    page.locator(f"#skill-{unassessed.skill.pk}").get_by_role("link", name="History").click()
    expect(page.get_by_role("table")).to_contain_text("I coached two new starters")
    assert_accessible(page, "skills-history")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "manager")
    menu(page, "My team")
    expect(page.get_by_role("heading", level=1)).to_have_text("My team")
    waiting = page.get_by_role("row").filter(has_text=unassessed.skill.name).filter(has_text=staff.full_name)
    expect(waiting).to_have_count(1)
    assert_accessible(page, "skills-team")

    waiting.get_by_role("link", name=re.compile(r"^Respond")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(unassessed.skill.name)
    expect(page.locator(f'input[name="level"][value="{unassessed.expected_level}"]')).to_be_checked()
    assert_accessible(page, "skills-respond")
    page.get_by_role("button", name="Save response").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"You confirmed {staff.full_name}'s {unassessed.skill.name} assessment"
    )
    expect(
        page.get_by_role("row").filter(has_text=unassessed.skill.name).filter(has_text=staff.full_name)
    ).to_have_count(0)
    assert_accessible(page, "skills-team-after")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "staff")
    menu(page, "My skills")
    expect(page.locator(f"#skill-{unassessed.skill.pk}")).to_contain_text("Confirmed by line manager")


def test_admin_framework_metrics_and_roi_pages(page: Page, demo):
    sign_in(page, "admin")
    menu(page, "Skills framework")
    expect(page.get_by_role("heading", level=1)).to_contain_text("framework")
    expect(page.locator(".govuk-tag--green").first).to_have_text("Published")
    assert_accessible(page, "skills-admin-versions")

    page.get_by_role("link", name="Version 1").click()
    expect(page.get_by_role("heading", name="Proficiency scale")).to_be_visible()
    assert_accessible(page, "skills-admin-version")

    page.get_by_role("link", name="Back to framework versions").click()
    page.get_by_role("button", name="Import a version from a file").click()
    page.get_by_label("Upload a framework file").set_input_files(
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": b"group_code,name\nCS,=cmd()\n"}]
    )
    page.get_by_role("button", name="Import as a draft").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Nothing was imported")
    expect(page.locator("#file-problems")).to_be_visible()
    assert_accessible(page, "skills-admin-import-errors")

    page.goto("/skills/interventions/")
    assert_accessible(page, "skills-admin-interventions")
    page.get_by_role("button", name="Add an intervention").click()
    assert_accessible(page, "skills-admin-intervention-form")

    page.goto("/skills/metrics/")
    assert_accessible(page, "skills-admin-metrics")
    page.get_by_role("button", name="Run now").click()
    expect(page.locator("#run-percent")).to_have_text("100%", timeout=30_000)
    expect(page.locator(".govuk-summary-list")).to_contain_text("Succeeded")
    assert_accessible(page, "skills-admin-metrics-run")

    page.goto("/skills/roi/")
    expect(page.get_by_text("Attribution: 50%").first).to_be_visible()
    assert_accessible(page, "skills-admin-roi")
