"""The SRRT journey after assignment, in Chromium on the demo people: the coordinator finds the approved request
on the triage page, starts the deployment, extends it (a reason is required), records the actual figures (an end
before the start is refused), closes it out with a recommendation and appraises it; the HMRC requester appraises
their side and marks the recommendation done; the request shows closed. Every page visited passes axe."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from odp.models import Member
from srrt import services
from srrt.models import Appraisal, Deployment, Recommendation, Responder, SurgeRequest, SurgeStatus
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_srrt_journey import demo, menu, sign_in  # noqa: F401
from tests.srrt.factories import SurgeRequestFactory

pytestmark = pytest.mark.e2e

TITLE = "VAT helpline calls after the system outage"
RECOMMENDATION = "Cross-train 15 advisers as a reserve for helpline peaks"


@pytest.fixture
def assigned(demo) -> SurgeRequest:  # noqa: F811
    """An approved HMRC request with the demo responder assigned: where the first SRRT journey ends."""
    requester = Member.objects.get(user__username="requester")
    coordinator = Member.objects.get(user__username="coordinator")
    start = timezone.localdate() - datetime.timedelta(days=20)
    request = SurgeRequestFactory(
        requester=requester,
        organisation=requester.organisation,
        title=TITLE,
        status=SurgeStatus.APPROVED,
        agreement="srrt",
        start_date=start,
        expected_duration_days=14,
        volume_unit="calls",
    )
    services.assignment_create(
        by=coordinator,
        request=request,
        responder=Responder.objects.get(member__user__username="responder"),
        role="Helpline adviser",
        start_date=request.start_date,
        end_date=request.end_date,
    )
    return request


def _form(page: Page, action: str) -> Locator:
    return page.locator("form").filter(has=page.locator(f"input[name=action][value={action}]"))


def _date(scope: Locator, group: str, day: datetime.date) -> None:
    fields = scope.get_by_role("group", name=group)
    fields.get_by_label("Day").fill(str(day.day))
    fields.get_by_label("Month").fill(str(day.month))
    fields.get_by_label("Year").fill(str(day.year))


def _banner(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def test_coordinator_tracks_and_closes_out_requester_appraises_and_marks_done(page: Page, assigned):
    start = assigned.start_date
    sign_in(page, "coordinator")
    menu(page, "Surge triage")
    expect(page.get_by_role("heading", name="Approved and live requests")).to_be_visible()
    assert_accessible(page, "srrt-triage-live")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("link", name="Track the deployment and close it out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deployment and close-out")
    assert_accessible(page, "srrt-deployment-approved")

    _form(page, "start").get_by_role("button", name="Start deployment").click()
    _banner(page, "Deployment started")
    assert SurgeRequest.objects.get(pk=assigned.pk).status == SurgeStatus.DEPLOYING

    # An extension needs a reason.
    planned_end = Deployment.objects.get(request=assigned).planned_end_date
    new_end = planned_end + datetime.timedelta(days=5)
    extend = _form(page, "extend")
    _date(extend, "New end date", new_end)
    extend.get_by_role("button", name="Extend").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for the extension")
    assert_accessible(page, "srrt-extension-error")
    extend = _form(page, "extend")
    _date(extend, "New end date", new_end)
    extend.get_by_label("Reason for the extension").fill("Calls still 40% above normal after two weeks.")
    extend.get_by_role("button", name="Extend").click()
    _banner(page, f"Deployment extended to {new_end:%-d %B %Y}")

    page.get_by_role("button", name="Mark as active").click()
    _banner(page, "Request marked active")

    # The actual figures: an end before the start is refused, then the real figures are saved.
    figures = _form(page, "figures")
    _date(figures, "End date (leave blank while it continues)", start - datetime.timedelta(days=1))
    figures.get_by_label("Responder-days worked").fill("19")
    figures.get_by_label("Hours worked").fill("142.5")
    figures.get_by_role("button", name="Save figures").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The end date must be the same as or after the start date"
    )
    assert_accessible(page, "srrt-figures-error")
    figures = _form(page, "figures")
    _date(figures, "End date (leave blank while it continues)", new_end)
    figures.get_by_label("Responder-days worked").fill("19")
    figures.get_by_label("Hours worked").fill("142.5")
    figures.get_by_role("button", name="Save figures").click()
    _banner(page, "Deployment figures saved")
    expect(page.locator("main")).to_contain_text("Responder-days")
    page.get_by_role("button", name="Mark as closing").click()
    _banner(page, "Request marked closing")

    # Closing before the close-out is refused; then the close-out, a recommendation and the appraisal.
    page.get_by_role("button", name="Mark as closed").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Record the outcomes and your appraisal")
    close_out = _form(page, "close_out")
    close_out.get_by_label("Volume cleared").fill("38000")
    close_out.get_by_label("Partly").check()
    close_out.get_by_label("Outcomes").fill("Waiting times back under ten minutes by the end of week three.")
    close_out.get_by_label("Lessons learned (optional)").fill("Brief responders on VAT scripts before day one.")
    close_out.get_by_role("button", name="Save close-out").click()
    _banner(page, "Close-out saved")
    recommend = _form(page, "recommend")
    recommend.get_by_label("Recommendation to strengthen the department's own capability").fill(RECOMMENDATION)
    recommend.get_by_label("Owner").fill("Head of Customer Service Planning")
    _date(recommend, "Due date", timezone.localdate() + datetime.timedelta(days=120))
    recommend.get_by_role("button", name="Add recommendation").click()
    _banner(page, "Recommendation added")
    expect(
        page.get_by_role("table", name="Recommendations to strengthen the department's own capability")
    ).to_contain_text("Open")
    appraise = _form(page, "appraise")
    appraise.get_by_label("3: Good").check()
    appraise.get_by_label("Comments (optional)").fill("Well organised sites and a clear brief.")
    appraise.get_by_role("button", name="Record appraisal").click()
    _banner(page, "Appraisal recorded")
    assert_accessible(page, "srrt-closing")
    page.get_by_role("button", name="Mark as closed").click()
    _banner(page, "Request marked closed")
    assert SurgeRequest.objects.get(pk=assigned.pk).status == SurgeStatus.CLOSED
    page.get_by_role("button", name="Sign out").click()

    # The department appraises its side and marks the recommendation done.
    sign_in(page, "requester")
    menu(page, "Surge requests")
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("main")).to_contain_text("Closed")
    page.get_by_role("link", name="Deployment, appraisal and recommendations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deployment and close-out")
    assert_accessible(page, "srrt-deployment-requester")
    appraise = _form(page, "appraise")
    appraise.get_by_label("4: Very good").check()
    appraise.get_by_role("button", name="Record appraisal").click()
    _banner(page, "Appraisal recorded")
    done = _form(page, "done")
    done.get_by_label("What was done (optional)").fill("15 advisers cross-trained in the spring.")
    done.get_by_role("button", name=re.compile(f"Mark done.*{RECOMMENDATION}")).click()
    _banner(page, "Recommendation marked done")
    expect(
        page.get_by_role("table", name="Recommendations to strengthen the department's own capability")
    ).to_contain_text("Done")
    expect(page.locator("main")).to_contain_text("Requesting department: 4 (Very good)")
    assert_accessible(page, "srrt-closed")
    page.get_by_role("link", name="Back to the request").click()
    expect(page.locator("main")).to_contain_text("Closed")

    assert sorted(Appraisal.objects.filter(request=assigned).values_list("side", "score")) == [
        ("coordinator", 3),
        ("requester", 4),
    ]
    assert Recommendation.objects.get(request=assigned).done_on == timezone.localdate()
    deployment = Deployment.objects.get(request=assigned)
    assert (deployment.actual_end_date, deployment.responder_days) == (new_end, 19)
