"""Long work's progress updates in place in Chromium, not by a meta refresh (which sends keyboard focus and the
screen reader back to the top of the page every few seconds: WCAG 2.2.1 / 3.2.5, failure F41). The metrics run
page and the annual report version page share templates/components/progress_region.html and
static/src/js/progress.js: while the work runs, the live region changes and focus stays where the user put it;
when the work finishes, the finished state (the result) appears in place and the checks stop."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from odp.models import Member
from reporting.models import PdfStatus, ReportVersion, VersionStatus
from skills.models import MetricsRun, RunStatus
from tests.e2e.conftest import assert_accessible
from tests.reporting.report_support import written_report

pytestmark = pytest.mark.e2e

PASSWORD = "progress-test-password"
# Set on the page after load: a reload or navigation would lose them, so they prove the page stayed put.
# Longer than the slowest page's interval between checks (5 seconds), with room for a busy machine.
UPDATE = 15_000
REMEMBER_FOCUS = "() => { window.focusedBefore = document.activeElement; window.sameDocument = true; }"
FOCUS_AND_DOCUMENT_KEPT = "() => window.sameDocument === true && document.activeElement === window.focusedBefore"
# The page checks again every few seconds (3 on the metrics run page, 5 on the report version page). The page's
# clock is Playwright's (time still passes by itself): after a change in the database the test moves it past the
# next check instead of waiting for it.
NEXT_CHECK = 5_000


def sign_in(page: Page, member: Member) -> None:
    member.user.set_password(PASSWORD)
    member.user.save(update_fields=["password"])
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(member.user.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What you can do")


def test_a_metrics_run_updates_in_place_and_focus_stays_put(page: Page, odp_admin):
    run = MetricsRun.objects.create(
        snapshot_date=timezone.localdate(), status=RunStatus.RUNNING, progress=40, stage="Roll-ups"
    )
    page.clock.install()
    sign_in(page, odp_admin)
    page.goto(f"/skills/metrics/runs/{run.pk}/")
    region = page.locator("#run-status")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(page.locator("#run-percent")).to_have_text("40%")
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    # The no-script fallback is there in the HTML, hidden once the script runs the checks itself.
    expect(page.locator("[data-progress-fallback]")).to_be_hidden()

    back = page.get_by_role("link", name="Back to capability metrics")
    back.focus()
    page.evaluate(REMEMBER_FOCUS)
    MetricsRun.objects.filter(pk=run.pk).update(progress=70, stage="Trends")
    page.clock.fast_forward(NEXT_CHECK)

    expect(page.locator("#run-percent")).to_have_text("70%", timeout=UPDATE)
    expect(region).to_contain_text("Trends")
    expect(page.locator("#run-progress")).to_have_js_property("value", 70)
    assert page.evaluate(FOCUS_AND_DOCUMENT_KEPT), "the update moved focus or reloaded the page"
    expect(back).to_be_focused()
    assert_accessible(page, "progress-metrics-run-running")

    MetricsRun.objects.filter(pk=run.pk).update(
        status=RunStatus.SUCCEEDED, progress=100, stage="Done", finished_at=timezone.now(), rows=12
    )
    page.clock.fast_forward(NEXT_CHECK)
    expect(region).to_contain_text("Succeeded", timeout=UPDATE)
    expect(region).to_have_attribute("data-finished", "")
    expect(page.locator("#run-percent")).to_have_text("100%")
    expect(page.locator("[data-progress-fallback]")).to_have_count(0)
    assert page.evaluate(FOCUS_AND_DOCUMENT_KEPT), "finishing moved focus or reloaded the page"
    assert_accessible(page, "progress-metrics-run-finished")


def test_the_report_pdf_progress_updates_in_place_and_ends_with_a_link_to_the_pdf(page: Page, odp_admin):
    version = written_report(odp_admin)
    # Straight to "published, PDF being produced": the workflow itself is the annual report journey's business.
    ReportVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.PUBLISHED, published_at=timezone.now(), pdf_status=PdfStatus.RUNNING, pdf_progress=20
    )
    page.clock.install()
    sign_in(page, odp_admin)
    page.goto(f"/reporting/reports/v/{version.pk}/")
    region = page.locator("#pdf-progress")
    expect(page.locator("#pdf-status")).to_have_text("Being produced (20% done)")
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    expect(page.locator("[data-progress-fallback]")).to_be_hidden()

    change_note = page.get_by_label("What changed and why")
    change_note.focus()
    page.keyboard.type("Fixed a fig")  # part-way through typing when the update arrives
    page.evaluate(REMEMBER_FOCUS)
    ReportVersion.objects.filter(pk=version.pk).update(pdf_progress=60)
    page.clock.fast_forward(NEXT_CHECK)

    expect(page.locator("#pdf-status")).to_have_text("Being produced (60% done)", timeout=UPDATE)
    assert page.evaluate(FOCUS_AND_DOCUMENT_KEPT), "the update moved focus or reloaded the page"
    expect(change_note).to_have_value("Fixed a fig")
    assert_accessible(page, "progress-report-pdf-running")

    ReportVersion.objects.filter(pk=version.pk).update(pdf_status=PdfStatus.READY, pdf_progress=100)
    page.clock.fast_forward(NEXT_CHECK)
    expect(region.get_by_role("link", name="Open the PDF")).to_be_visible(timeout=UPDATE)
    expect(page.locator("#pdf-status")).to_have_text("Ready")
    expect(region).to_have_attribute("data-finished", "")
    assert page.evaluate(FOCUS_AND_DOCUMENT_KEPT), "finishing moved focus or reloaded the page"
    assert_accessible(page, "progress-report-pdf-ready")


def test_the_checks_work_under_the_real_content_security_policy(strict_page: Page, odp_admin):
    """The module is a file of ours fetching our own page, so the CSP (script-src and connect-src 'self') allows
    it; the tests above bypass the CSP only so that axe can be injected."""
    run = MetricsRun.objects.create(snapshot_date=timezone.localdate(), status=RunStatus.QUEUED, progress=0)
    strict_page.clock.install()
    sign_in(strict_page, odp_admin)
    strict_page.goto(f"/skills/metrics/runs/{run.pk}/")
    expect(strict_page.locator("[data-progress-fallback]")).to_be_hidden()
    MetricsRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, progress=30, error="Worker lost")
    strict_page.clock.fast_forward(NEXT_CHECK)

    expect(strict_page.locator("#run-status")).to_contain_text("Worker lost", timeout=UPDATE)
    expect(strict_page.locator("#run-status")).to_have_attribute("data-finished", "")


def test_without_javascript_the_page_stays_still_and_offers_a_check_progress_link(
    browser: Browser, live_server, odp_admin
):
    run = MetricsRun.objects.create(snapshot_date=timezone.localdate(), status=RunStatus.RUNNING, progress=10)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="en-GB")
    try:
        page = context.new_page()
        sign_in(page, odp_admin)
        page.goto(f"/skills/metrics/runs/{run.pk}/")
        MetricsRun.objects.filter(pk=run.pk).update(progress=50)
        page.wait_for_timeout(4_000)  # longer than the script's interval: without it, nothing changes by itself
        expect(page.locator("#run-percent")).to_have_text("10%")

        page.get_by_role("link", name="Check progress").click()
        expect(page.locator("#run-percent")).to_have_text("50%")
    finally:
        context.close()
