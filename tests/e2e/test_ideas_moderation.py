"""More ideas journeys in Chromium on the demo data: the admin moderates a reported comment (hiding needs a
note), and a member chooses a daily digest. Every page visited passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from innovation.models import Comment, EmailFrequency, EmailPreference, Report
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_ideas_journey import demo, sign_in  # noqa: F401 (the demo fixture)

pytestmark = pytest.mark.e2e


def test_the_admin_hides_a_reported_comment_with_a_note(page: Page, demo):  # noqa: F811
    report = Report.objects.get(comment__isnull=False)
    sign_in(page, "admin")
    page.get_by_role("link", name="Moderate ideas").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderate ideas")
    expect(page.locator("table")).to_contain_text(report.reason)
    assert_accessible(page, "ideas-moderation-queue")

    page.get_by_role("link", name=re.compile(rf"Review\s+comment {report.comment_id}\b")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Comment by")
    page.get_by_label("Hide it").check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why this is being hidden")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, "ideas-moderate-error")
    page.get_by_label("Hide it").check()
    page.get_by_label("Note for the audit record").fill("Names a customer and their address.")
    page.get_by_role("button", name="Confirm").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Hidden")
    expect(page.locator("main")).to_contain_text("Names a customer and their address.")  # under "Hidden now"
    assert Comment.objects.get(pk=report.comment_id).is_hidden
    report.refresh_from_db()
    assert report.outcome == Report.Outcome.HIDDEN


def test_a_member_chooses_a_daily_digest(page: Page, demo):  # noqa: F811
    sign_in(page, "staff")
    page.goto("/ideas/yours/")
    page.get_by_role("link", name="Choose how you get emails about ideas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How do you want to get emails about ideas?")
    expect(page.get_by_label("One email for each update")).to_be_checked()
    assert_accessible(page, "ideas-email-preference")
    page.get_by_label("A daily digest").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your email choice has been saved")
    assert EmailPreference.objects.get(member__user__username="staff").frequency == EmailFrequency.DAILY
