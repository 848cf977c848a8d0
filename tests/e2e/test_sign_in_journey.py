"""A staff member signs in, sees what they can do and signs out; every page passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from odp.models import OrganisationKind, Role
from tests.e2e.conftest import assert_accessible
from tests.factories import TEST_PASSWORD, MemberFactory, OrganisationFactory, grant

pytestmark = pytest.mark.e2e


def sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def dwp_staff(transactional_db):
    dwp = OrganisationFactory(name="Department for Work and Pensions", kind=OrganisationKind.MINISTERIAL_DEPARTMENT)
    return MemberFactory(organisation=dwp, user__username="amara", user__first_name="Amara", user__last_name="Okafor")


def test_staff_member_signs_in_and_out(page: Page, dwp_staff):
    page.goto("/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to ODP Hub")
    # The compiled GOV.UK Frontend stylesheet is served and applied: black header, Arial throughout.
    header = page.locator(".govuk-generic-header")
    expect(header).to_have_css("background-color", "rgb(11, 12, 12)")
    expect(page.get_by_role("heading", level=1)).to_have_css("font-family", "arial, sans-serif")
    assert_accessible(page, "sign-in")

    sign_in(page, "amara")

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("What you can do")
    expect(page.get_by_text("Amara Okafor, Department for Work and Pensions")).to_be_visible()
    expect(page.get_by_role("heading", name="Your skills and ideas")).to_be_visible()
    expect(page.get_by_role("link", name="Audit log")).to_have_count(0)
    assert_accessible(page, "home-staff")

    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(re.compile(r"/signed-out/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    assert_accessible(page, "signed-out")


def test_wrong_password_is_summarised_and_accessible(page: Page, dwp_staff):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("amara")
    page.get_by_label("Password", exact=True).fill("not-my-password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct username and password")
    expect(summary).to_be_focused()  # GOV.UK Frontend's JavaScript moves focus to the summary
    assert_accessible(page, "sign-in-error")


def test_admin_home_and_audit_log(page: Page, dwp_staff):
    admin = MemberFactory(organisation=dwp_staff.organisation, user__username="admin", grade="G7")
    grant(admin, Role.ODP_ADMIN)
    hop = MemberFactory(organisation=dwp_staff.organisation, user__username="hop")
    grant(hop, Role.HEAD_OF_PROFESSION, dwp_staff.organisation)

    sign_in(page, "admin")

    expect(page.get_by_role("heading", name="Run the profession")).to_be_visible()
    assert_accessible(page, "home-admin")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    expect(page.get_by_role("table")).to_contain_text("Signed in")
    assert_accessible(page, "audit-log")

    # On a phone the service navigation folds behind GOV.UK Frontend's "Menu" toggle.
    page.set_viewport_size({"width": 375, "height": 800})
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page, "audit-log-phone")


def test_not_found_page(page: Page, transactional_db):
    response = page.goto("/no-such-page/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page, "not-found")


def test_pages_work_under_the_content_security_policy(strict_page: Page, dwp_staff):
    problems: list[str] = []
    strict_page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    strict_page.on("pageerror", lambda error: problems.append(str(error)))

    strict_page.goto("/sign-in/")

    # Both need our scripts to have run: the nonce'd inline one and GOV.UK Frontend's module.
    expect(strict_page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    expect(strict_page.get_by_role("button", name="Show password")).to_be_visible()
    sign_in(strict_page, "amara")
    expect(strict_page.get_by_role("heading", level=1)).to_have_text("What you can do")
    assert problems == []
