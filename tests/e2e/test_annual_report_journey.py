"""Annual report journey in Chromium on the demo data: `admin` edits the demo year's draft and submits it, is
told they cannot approve their own, `admin2` approves and publishes it, and anyone can read the public page, the
PDF and the data without signing in. Every page visited passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from odp import demo as odp_demo
from reporting.annual_report import demo as report_demo
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "odp-demo-password"  # the published demo-only password (docs/demo-accounts.md)


@pytest.fixture
def demo(settings, transactional_db) -> None:
    settings.ODP_EMBEDDED = True
    odp_demo.seed()
    report_demo.seed()


def sign_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What you can do")


def test_admin_drafts_a_second_admin_publishes_and_anyone_reads_it(page: Page, demo):
    sign_in(page, "admin")
    page.goto("/reporting/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Annual reports")
    assert_accessible(page, "report-list")
    page.get_by_role("link", name="Version 1 of 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Version 1")
    assert_accessible(page, "report-version-draft")

    page.get_by_role("link", name="Change Foreword").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Foreword")
    assert_accessible(page, "report-section")
    text = page.get_by_label("Text")
    text.fill("")
    page.get_by_role("button", name="Save section").click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Foreword: The section has no text")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, "report-checklist-error")

    page.get_by_role("link", name="Change Foreword").click()
    page.get_by_label("Text").fill("A year of **delivery**: {{ figure:ideas.submitted }} ideas from our members.")
    page.get_by_role("button", name="Save section").click()
    expect(page.locator("#checklist-passed")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#version-status")).to_have_text("In review")
    expect(page.get_by_text("You wrote this version, so another ODP admin must approve it.")).to_be_visible()
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)

    sign_in(page, "admin2")
    page.goto("/reporting/reports/")
    page.get_by_role("link", name="Version 1 of 2026").click()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select when to publish")
    assert_accessible(page, "report-approve-error")
    page.get_by_label("Publish now").check()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#version-status")).to_have_text("Published")
    expect(page.locator("#pdf-status")).to_have_text("Ready")
    assert_accessible(page, "report-version-published")

    page.context.clear_cookies()
    page.goto("/annual-report/2026/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Operational Delivery Profession annual report 2026")
    expect(page.get_by_text("ideas from our members")).to_be_visible()
    assert_accessible(page, "report-public")
    pdf = page.request.get("/annual-report/2026/report.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    data = page.request.get("/annual-report/2026/data.csv")
    assert data.status == 200 and b"ideas.submitted" in data.body()

    page.goto("/profession/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The Operational Delivery Profession")
    assert_accessible(page, "profession")
    page.get_by_role("link", name="Read the 2026 annual report").click()
    expect(page).to_have_url(re.compile(r"/annual-report/2026/$"))
