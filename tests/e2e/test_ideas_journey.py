"""Ideas journeys in Chromium on the demo data: the demo staff member raises an idea end to end and gets a
reference and a hear-by date; the Home Office head of profession decides it with feedback; the author reads
the feedback; case studies show without signing in. Every page visited passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from innovation import demo as innovation_demo
from innovation.models import Idea
from odp import demo as odp_demo
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "odp-demo-password"  # the published demo-only password (docs/demo-accounts.md)
TITLE = "Let customers upload a countersignatory's details online"


@pytest.fixture
def demo(settings, transactional_db) -> None:
    settings.ODP_EMBEDDED = True
    odp_demo.seed()
    innovation_demo.seed()


def sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What you can do")


def _continue(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()


def test_staff_raises_an_idea_and_the_head_of_profession_decides_it(page: Page, demo):
    sign_in(page, "staff")
    page.goto("/ideas/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What is your idea called?")
    _continue(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title for your idea")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, "ideas-title-error")
    page.get_by_label("What is your idea called?").fill(TITLE)
    _continue(page)

    page.get_by_label("What is the problem and who does it affect?").fill(
        "Customers post the countersignatory form and we key it in, so passport applications wait for the post."
    )
    assert_accessible(page, "ideas-problem")
    _continue(page)
    page.get_by_label("What change do you propose?").fill("Let the countersignatory confirm online by email link.")
    _continue(page)
    page.get_by_label("Staff hours saved a year (optional)").fill("2400")
    assert_accessible(page, "ideas-benefits")
    _continue(page)
    page.get_by_label("Passports and identity").check()
    _continue(page)
    page.get_by_label("Digital and AI").check()
    _continue(page)
    page.get_by_label("All of government").check()
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting your idea")
    expect(page.locator(".govuk-summary-list")).to_contain_text("2,400 hours a year")
    assert_accessible(page, "ideas-check")
    page.get_by_role("button", name="Submit idea").click()

    panel = page.locator(".govuk-panel--confirmation")
    expect(panel).to_contain_text("Idea submitted")
    idea = Idea.objects.get(title=TITLE)
    expect(panel).to_contain_text(idea.reference)
    expect(page.locator("main")).to_contain_text(f"You will hear by {idea.decision_due_on:%-d %B %Y}")
    assert_accessible(page, "ideas-submitted")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "hop.homeoffice")
    page.goto("/ideas/review/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ideas to review")
    expect(page.locator("table")).to_contain_text("Overdue")
    assert_accessible(page, "ideas-review-queue")
    page.goto(f"/ideas/{idea.pk}/decide/")
    page.get_by_role("button", name="Start review").click()
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a decision")
    assert_accessible(page, "ideas-decide-error")
    page.get_by_label("Accepted").check()
    page.get_by_label("Feedback for the author").fill("A clear win. We will pilot it in Peterborough in spring.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Decision recorded")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "staff")
    page.goto(f"/ideas/{idea.pk}/")
    expect(page.locator("main")).to_contain_text("We will pilot it in Peterborough in spring.")
    expect(page.locator("main")).to_contain_text("Accepted")
    assert_accessible(page, "ideas-detail-decided")
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text(f"Decision on your idea {idea.reference}")


def test_browse_and_case_studies(page: Page, demo):
    page.goto("/ideas/case-studies/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Case studies")
    assert_accessible(page, "ideas-case-studies")
    page.locator("main h2 a").first.click()
    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    assert_accessible(page, "ideas-case-study")

    sign_in(page, "la.member")
    page.goto("/ideas/?q=passport")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ideas from the front line")
    assert_accessible(page, "ideas-browse")
    page.locator("main li h2 a").first.click()
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    assert_accessible(page, "ideas-detail")


def test_similar_ideas_appear_while_typing_under_the_content_security_policy(strict_page: Page, demo):
    errors: list[str] = []
    strict_page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(strict_page, "staff")
    strict_page.goto("/ideas/new/")
    panel = strict_page.locator("#similar-ideas")
    expect(panel).to_be_hidden()
    strict_page.get_by_label("What is your idea called?").type("Text applicants when their passport is printed")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("link").first).to_contain_text("passport")
    assert not [e for e in errors if "Content Security Policy" in e]
