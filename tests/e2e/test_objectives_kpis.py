"""The demo admin keeps the profession's objectives and KPIs in Chromium: reads the year's KPIs with worded RAG
tags, adds a KPI (an error first, shown in the summary and by the field), and enters a manual value with its
evidence. Every page visited passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from odp import demo as odp_demo
from reporting import objectives_demo
from reporting.models import Kpi
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "odp-demo-password"  # the published demo-only password (docs/demo-accounts.md)


@pytest.fixture
def demo(settings, transactional_db) -> None:
    settings.ODP_EMBEDDED = True
    odp_demo.seed()
    objectives_demo.seed()


def sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What you can do")


def test_admin_keeps_objectives_and_kpis(page: Page, demo):
    sign_in(page, "admin")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Objectives and KPIs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Objectives and KPIs")
    expect(page.locator("main")).to_contain_text("Reporting year 2026")
    expect(page.locator("strong.govuk-tag", has_text="At least half way")).to_have_count(2)
    assert_accessible(page, "reporting-objectives")

    page.get_by_role("link", name="Add a KPI to objective 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a KPI")
    page.get_by_label("KPI name").fill("Ideas with benefits realised")
    page.get_by_label("Where the value comes from").select_option("ideas.implemented")
    page.get_by_label("Unit").select_option("count")
    page.get_by_label("Baseline").fill("12")
    page.get_by_label("Target").fill("12")
    page.get_by_label("Higher is better").check()
    page.get_by_role("button", name="Save KPI").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Target must be different from the baseline")
    expect(page.locator(".govuk-error-message")).to_contain_text("Target must be different from the baseline")
    assert_accessible(page, "reporting-kpi-error")
    page.get_by_label("Target").fill("25")
    page.get_by_role("button", name="Save KPI").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("KPI added")
    expect(page.locator("main")).to_contain_text("Ideas with benefits realised")

    page.get_by_role("link", name="Enter value for Members who would recommend the profession as a career").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the current value")
    assert_accessible(page, "reporting-kpi-value")
    page.get_by_label("Current value").fill("71")
    page.get_by_label("Evidence").fill("ODP members' survey, November 2026 re-run: 3,980 responses.")
    page.get_by_role("button", name="Record value").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Value recorded")
    expect(page.locator("strong.govuk-tag", has_text="Target met")).to_have_count(1)
    kpi = Kpi.objects.get(name="Members who would recommend the profession as a career")
    assert kpi.entered_by.user.username == "admin"
