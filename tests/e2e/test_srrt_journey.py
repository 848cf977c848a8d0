"""The SRRT journey in Chromium on the demo people: the HMRC requester raises a surge request a question a page
and gets an SRRT reference; the coordinator sees the computed foreseeability with its reasons in words,
approves with the last-resort justification and assigns the demo responder from the shortlist; the responder
sees the deployment. Every page visited passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from odp import demo as odp_demo
from odp.models import Member, Region
from skills import demo as skills_demo
from srrt import services
from srrt.models import Assignment, Clearance, Responder, SurgeRequest, SurgeStatus
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "odp-demo-password"  # the published demo-only password (docs/demo-accounts.md)
TITLE = "Self Assessment helpline calls after the January deadline"


@pytest.fixture
def demo(settings, transactional_db) -> None:
    settings.ODP_EMBEDDED = True
    odp_demo.seed()
    skills_demo.seed()
    coordinator = Member.objects.get(user__username="coordinator")
    responder = Member.objects.get(user__username="responder")
    if not Responder.objects.filter(member=responder).exists():
        services.responder_save(
            by=coordinator,
            member=responder,
            details={
                "clearance_level": Clearance.SC,
                "clearance_expires_on": timezone.localdate() + datetime.timedelta(days=700),
                "home_region": Region.YORKSHIRE,
                "international_available": False,
            },
        )


def sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What you can do")


def menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=name).click()


def _continue(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()


def _date(page: Page, group: str, day: datetime.date) -> None:
    fields = page.get_by_role("group", name=group)
    fields.get_by_label("Day").fill(str(day.day))
    fields.get_by_label("Month").fill(str(day.month))
    fields.get_by_label("Year").fill(str(day.year))


def _raise_request(page: Page, start: datetime.date) -> None:
    menu(page, "Surge requests")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your surge requests")
    assert_accessible(page, "srrt-mine-empty")
    page.get_by_role("button", name="Request surge support").click()

    _continue(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a short title for the request")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, "srrt-title-error")
    page.get_by_label("What is the request called?").fill(TITLE)
    page.get_by_label("Which organisation needs the support?").select_option(label="HM Revenue & Customs")
    _continue(page)

    page.get_by_label("Seasonal peak").check()
    _continue(page)
    page.get_by_label("What happened?").fill("Calls doubled in the week after the deadline, as they do each year.")
    page.get_by_label("Why do you need support now?").fill("Waits are over an hour and penalties appeals are due.")
    assert_accessible(page, "srrt-what-happened")
    _continue(page)
    page.get_by_label("Forecast volume").fill("180000")
    page.get_by_label("Normal capacity").fill("120000")
    page.get_by_label("Unit").fill("calls a week")
    _continue(page)
    _date(page, "Start date", start)
    page.get_by_label("Expected duration, in days").fill("28")
    assert_accessible(page, "srrt-dates")
    _continue(page)
    page.get_by_label("How many people do you need?").fill("0")
    _continue(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Number of people must be 1 or more")
    page.get_by_label("How many people do you need?").fill("6")
    _continue(page)
    page.locator("input[name=skills_needed]").first.check()
    assert_accessible(page, "srrt-skills")
    _continue(page)
    page.get_by_label("Where is the work?").fill("Shipley and Washington contact centres")
    page.get_by_label("Which region is most of the work in?").select_option("yorkshire")
    page.get_by_role("group", name="Does any of the work involve deployment outside the UK?").get_by_label("No").check()
    _continue(page)
    page.get_by_label("Security Check (SC)").check()
    _continue(page)
    for option in ("Overtime", "Internal redeployment", "Recruitment", "Contractors or third parties"):
        page.get_by_role("group", name=option, exact=True).get_by_label("Tried").check()
        page.get_by_label(f"Why is {option.lower()} not enough?").fill("It covers a third of the extra calls.")
    page.get_by_role("group", name="Mutual aid from other departments").get_by_label("Not considered").check()
    assert_accessible(page, "srrt-last-resort")
    _continue(page)
    page.get_by_label("Partly").check()
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting your request")
    expect(page.locator(".govuk-summary-list")).to_contain_text("180,000 calls a week")
    assert_accessible(page, "srrt-check")
    page.get_by_role("button", name="Submit request").click()


def test_requester_submits_coordinator_approves_and_assigns_responder_sees_it(page: Page, demo):
    start = timezone.localdate() + datetime.timedelta(days=10)
    sign_in(page, "requester")
    _raise_request(page, start)
    panel = page.locator(".govuk-panel--confirmation")
    expect(panel).to_contain_text("Surge request submitted")
    surge_request = SurgeRequest.objects.get(title=TITLE)
    assert surge_request.status == SurgeStatus.SUBMITTED
    expect(panel).to_contain_text(surge_request.reference)
    assert_accessible(page, "srrt-submitted")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "coordinator")
    menu(page, "Surge triage")
    expect(page.get_by_role("heading", level=1)).to_have_text("Surge requests to triage")
    expect(page.locator("table")).to_contain_text("Likely foreseeable")
    assert_accessible(page, "srrt-triage-queue")
    page.get_by_role("link", name=TITLE).click()
    reasons = page.locator("main")
    expect(reasons).to_contain_text("A seasonal peak asked for 10 days before it starts (less than 14).")
    expect(reasons).to_contain_text("The requester says this demand was partly in the forecast or plan.")
    assert_accessible(page, "srrt-triage")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a decision")
    assert_accessible(page, "srrt-triage-error")
    page.get_by_label("Approve", exact=True).check()
    page.get_by_label(re.compile("Why is the SRRT the last resort here")).fill(
        "Four alternatives tried; the extra demand is three times what overtime covers."
    )
    page.get_by_role("button", name="Record decision").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Request approved")
    expect(page.get_by_role("heading", level=1)).to_have_text("Assign responders")
    shortlist = page.get_by_role("table", name="Eligible responders, best match first")
    expect(shortlist).to_contain_text("Zainab Hussain")
    assert_accessible(page, "srrt-staffing")
    shortlist.get_by_role("link", name="Choose Zainab Hussain").click()
    page.get_by_label("Role on this deployment").fill("Contact centre team leader")
    page.get_by_role("button", name="Assign responder").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Zainab Hussain assigned as Contact centre team leader"
    )
    assignment = Assignment.objects.get(request=surge_request)
    assert (assignment.start_date, assignment.end_date) == (start, start + datetime.timedelta(days=27))
    page.goto(f"/srrt/requests/{surge_request.pk}/")
    expect(page.locator("main")).to_contain_text("Four alternatives tried")
    assert_accessible(page, "srrt-request-approved")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "responder")
    menu(page, "Your deployments")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your deployments")
    expect(page.locator("table")).to_contain_text(TITLE)
    expect(page.locator("table")).to_contain_text("Contact centre team leader")
    assert_accessible(page, "srrt-deployments")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("main")).not_to_contain_text("Computed foreseeability")
