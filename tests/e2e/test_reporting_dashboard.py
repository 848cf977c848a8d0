"""The demo Home Office head of profession reads their dashboard in Chromium: capability from the published demo
snapshots (heatmap, coverage, gaps, trend), each chart with its table, ideas and interventions, downloads a table,
and cannot open another organisation's dashboard. An admin compares organisations and filters the profession
dashboard by kind, grade and job family (chart labels stay inside their charts), and an unknown filter value is a
GOV.UK error. Every page visited passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from innovation import demo as innovation_demo
from odp import demo as odp_demo
from odp.models import Organisation
from skills import demo as skills_demo
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "odp-demo-password"  # the published demo-only password (docs/demo-accounts.md)


@pytest.fixture
def demo(settings, transactional_db) -> None:
    settings.ODP_EMBEDDED = True
    odp_demo.seed()
    skills_demo.seed()
    innovation_demo.seed()


def sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What you can do")


def test_the_head_of_profession_reads_their_dashboard(page: Page, demo):
    sign_in(page, "hop.homeoffice")
    page.get_by_role("link", name="Your dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Home Office")
    main = page.locator("main")
    expect(main).to_contain_text("Capability figures are from the snapshot published for")
    expect(page.locator("#headline")).to_contain_text("Members with a skills assessment")

    heatmap = page.get_by_role("img", name="Capability by skill group and grade")
    expect(heatmap).to_be_visible()
    expect(page.locator("#table-capability table")).to_contain_text("Skill group")
    expect(page.get_by_role("img", name="Coverage by organisation")).to_be_visible()
    expect(page.get_by_role("img", name="Biggest skills gaps")).to_be_visible()
    trend = page.locator("#table-trend table tbody tr")
    expect(trend).to_have_count(3)  # the demo publishes three snapshots
    expect(page.get_by_role("img", name=re.compile(r"^Ideas funnel, \d{4} "))).to_be_visible()
    expect(page.get_by_role("heading", name="Return on investment of interventions")).to_be_visible()
    coverage = page.locator("#table-coverage").inner_text()
    assert "Department for Work and Pensions" not in coverage
    assert_accessible(page, "reporting-dashboard-hop")

    with page.expect_download() as download:
        page.locator("#table-coverage").get_by_role("link", name=re.compile("^CSV")).click()
    assert download.value.suggested_filename.endswith(".csv")
    with open(download.value.path(), encoding="utf-8") as downloaded:
        text = downloaded.read()
    assert text.startswith("Organisation,Members assessed,Skills at or above expected")
    assert "Home Office" in text and "Department for Work and Pensions" not in text

    dwp = Organisation.objects.get(slug="dwp")
    response = page.goto(f"/reporting/dashboard/?organisation={dwp.pk}")
    assert response is not None and response.status == 404


def test_an_admin_compares_organisations_on_the_profession_dashboard(page: Page, demo):
    sign_in(page, "admin")
    page.get_by_role("link", name="Profession dashboard").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The profession")
    coverage = page.locator("#table-coverage table")
    expect(coverage).to_contain_text("Department for Work and Pensions")
    expect(coverage).to_contain_text("Home Office")
    page.get_by_label("Organisation kind", exact=True).select_option("executive_agency")
    page.get_by_role("button", name="Apply filters").click()
    expect(coverage).to_contain_text("HM Passport Office")
    expect(coverage).not_to_contain_text("Department for Work and Pensions")
    assert_accessible(page, "reporting-dashboard-profession")

    # Grade and job family narrow every capability figure; what cannot be narrowed says it covers everyone.
    page.get_by_label("Organisation kind", exact=True).select_option("")
    page.get_by_label("Grade", exact=True).select_option("EO")
    page.get_by_label("Job family", exact=True).select_option("casework")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_label("Job family", exact=True)).to_have_value("casework")
    expect(page.locator("#headline-note")).to_contain_text(
        "members at Executive Officer (EO) in the Casework and decision making job family"
    )
    expect(page.locator("#headline")).to_contain_text("Expected skills with an assessment")
    expect(page.locator("#table-capability table thead")).to_contain_text("EO")
    expect(page.locator("#table-capability table thead")).not_to_contain_text("HEO")
    expect(page.locator("#table-coverage table thead")).to_contain_text("Expected skills assessed")
    expect(page.locator("#table-trend table tbody tr")).to_have_count(3)  # every demo snapshot has job families
    expect(page.get_by_text("cover all grades and job families")).to_have_count(3)
    _assert_labels_inside(page, "Capability by skill group and grade")
    _assert_labels_inside(page, "Biggest skills gaps")
    assert_accessible(page, "reporting-dashboard-profession-filtered")
    with page.expect_download() as download:
        page.locator("#table-coverage").get_by_role("link", name=re.compile("^CSV")).click()
    with open(download.value.path(), encoding="utf-8") as downloaded:
        assert downloaded.read().startswith("Organisation,Expected skills assessed,Skills at or above expected")

    # An unknown value (a hand-edited address) is a GOV.UK error, not a page of unfiltered figures passed off.
    page.goto("/reporting/profession/?job_family=astronaut")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select a job family in the list")
    summary.get_by_role("link", name="Select a job family in the list").click()
    expect(page.get_by_label("Job family", exact=True)).to_be_focused()
    assert_accessible(page, "reporting-dashboard-profession-error")


def _assert_labels_inside(page: Page, chart: str) -> None:
    """Every label of the chart, as Chromium lays it out, starts inside the SVG (none runs off the left edge)."""
    lefts = page.get_by_role("img", name=chart).evaluate(
        "svg => [...svg.querySelectorAll('text')].map(t => t.getBBox().x)"
    )
    assert lefts and min(lefts) >= 0, lefts
