"""SRRT operations and analysis in Chromium on the demo history: the coordinator reads who uses the SRRT and
why for 2024 and downloads the figures; records a close-out on a deployment that is closing (a bad figure
is shown by its field first); the HMRC requester reads the figures recharged and appraises a closing
deployment. Every page visited passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from odp import demo as odp_demo
from srrt import demo as srrt_demo
from srrt.models import Appraisal, CloseOut, SurgeRequest, SurgeStatus
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "odp-demo-password"  # the published demo-only password (docs/demo-accounts.md)


@pytest.fixture
def demo(settings, transactional_db) -> None:
    settings.ODP_EMBEDDED = True
    odp_demo.seed()
    srrt_demo.seed()


def sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What you can do")


def test_coordinator_reads_the_usage_analysis_and_downloads_it(page: Page, demo):
    sign_in(page, "coordinator")
    page.get_by_role("link", name="SRRT usage").click()
    page.get_by_label("Year").select_option("2024")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who uses the SRRT and why: 2024")
    by_org = page.locator("table", has_text="By organisation")
    expect(by_org).to_contain_text("HM Revenue & Customs")
    expect(by_org).to_contain_text("Repeat user")
    expect(page.locator("main")).to_contain_text("of requests judged foreseeable")
    expect(page.get_by_role("img", name=re.compile("Deployments by month started, 2024"))).to_be_visible()
    assert_accessible(page, "srrt-analysis-2024")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename == "srrt-usage-2024.csv"
    with open(download.value.path(), encoding="utf-8") as downloaded:
        text = downloaded.read()
    assert text.startswith("Breakdown,Group,Deployments,Responder-days,Cost recharged (£)")
    assert "Organisation,HM Revenue & Customs," in text


def test_coordinator_closes_out_and_the_requester_appraises(page: Page, demo):
    closing = (
        SurgeRequest.objects.filter(status=SurgeStatus.CLOSING, organisation__slug="hmrc").first()
        or SurgeRequest.objects.filter(status=SurgeStatus.CLOSING).first()
    )
    assert closing is not None, "the demo history has deployments closing now"
    sign_in(page, "coordinator")
    page.goto(f"/srrt/requests/{closing.pk}/")
    page.get_by_role("link", name="Track the deployment and close it out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deployment and close-out")
    page.get_by_label("Volume cleared").fill("-5")
    page.get_by_label("Yes, all of them").check()
    page.get_by_label("Outcomes").fill("Service levels back within target.")
    page.get_by_role("button", name="Save close-out").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter 0 or more")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, "srrt-close-out-error")
    page.get_by_label("Volume cleared").fill("48000")
    page.get_by_label("Outcomes").fill("Service levels back within target.")
    page.get_by_role("button", name="Save close-out").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Close-out saved")
    expect(page.locator("main")).to_contain_text("48000")
    assert CloseOut.objects.filter(request=closing, volumes_cleared=48000).exists()
    assert_accessible(page, "srrt-deployment-coordinator")

    page.context.clear_cookies()
    # The department's requester (the demo `requester` for HMRC; otherwise given the demo password here).
    requester = closing.requester.user
    requester.set_password(DEMO_PASSWORD)
    requester.save()
    sign_in(page, requester.username)
    page.goto(f"/srrt/requests/{closing.pk}/deployment/")
    expect(page.locator("main")).to_contain_text("Cost recharged")
    expect(page.get_by_role("button", name="Save close-out")).to_have_count(0)
    page.get_by_label("4: Very good").check()
    page.get_by_label("Comments (optional)").fill("Responders were ready from day one.")
    page.get_by_role("button", name="Record appraisal").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Appraisal recorded")
    assert Appraisal.objects.filter(request=closing, side="requester", score=4).exists()
    assert_accessible(page, "srrt-deployment-requester")
