"""Home, audit log, notifications, static and error pages, and the headers every page carries."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from odp.audit import record
from odp.models import AuditEvent, Notification, Role
from odp.web import views
from tests.factories import MemberFactory, OrganisationFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def cards(html: str) -> list[str]:
    return re.findall(r'data-role="([a-z_]+)"', html)


def test_anonymous_home_is_a_landing_page_with_a_sign_in_button(client):
    html = page(client, reverse("home"))

    assert f'href="{reverse("login")}" role="button"' in html
    assert "Sign out" not in html


def test_staff_home_shows_only_the_staff_card(client, staff_member):
    client.force_login(staff_member.user)

    html = page(client, reverse("home"))

    assert "What you can do" in html
    assert f"{staff_member.full_name}, HM Passport Office" in html
    assert cards(html) == ["staff"]
    assert "Audit log" not in html


def test_head_of_profession_card_names_their_organisation(client, head_of_profession, passport_office):
    client.force_login(head_of_profession.user)

    html = page(client, reverse("home"))

    assert cards(html) == ["staff", "head_of_profession"]
    assert "Head of profession for Home Office" in html


def test_admin_home_and_navigation_offer_the_audit_log(client, odp_admin):
    client.force_login(odp_admin.user)

    html = page(client, reverse("home"))

    assert cards(html) == ["staff", "odp_admin"]
    assert html.count(f'href="{reverse("audit-log")}"') == 2  # the card and the service navigation


def test_line_manager_card_counts_their_reports(client, staff_member):
    manager = MemberFactory(organisation=staff_member.organisation)
    staff_member.line_manager = manager
    staff_member.save()
    client.force_login(manager.user)

    html = page(client, reverse("home"))

    assert cards(html) == ["staff", "line_manager"]
    assert "the 1 person who reports to you" in html


def test_every_role_has_a_card(client, home_office, dwp):
    member = MemberFactory(organisation=home_office)
    for role in (Role.SRRT_COORDINATOR, Role.SRRT_RESPONDER):
        grant(member, role)
    grant(member, Role.DEPARTMENT_REQUESTER, dwp)
    client.force_login(member.user)

    html = page(client, reverse("home"))

    assert cards(html) == ["staff", "srrt_coordinator", "srrt_responder", "department_requester"]
    assert "Request surge support for Department for Work and Pensions" in html


def test_account_without_a_member_record_is_told_so(client, db):
    client.force_login(UserFactory(username="orphan"))

    html = page(client, reverse("home"))

    assert "Your account is not set up yet" in html
    assert "Sign out" in html
    assert page(client, reverse("notifications"), 404)


def test_audit_log_does_not_exist_for_staff(client, staff_member):
    client.force_login(staff_member.user)

    html = page(client, reverse("audit-log"), 404)

    assert "Page not found" in html


def test_audit_log_asks_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("audit-log"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_audit_log_lists_and_filters_events_for_admins(client, odp_admin, staff_member):
    organisation = OrganisationFactory(name="Valuation Office Agency")
    record(action=AuditEvent.Action.UPDATE, obj=organisation, actor=staff_member.user, note="renamed")
    record(action=AuditEvent.Action.SIGN_IN, obj=odp_admin.user, actor=odp_admin.user)
    client.force_login(odp_admin.user)

    everything = page(client, reverse("audit-log"))
    by_type = page(client, reverse("audit-log") + "?object_type=odp.organisation")
    # The person is POSTed and the list is then addressed by their user id (no email address in the URL).
    chosen = client.post(reverse("audit-log"), {"object_type": "", "actor": "STAFF@example.gov.uk"})
    assert chosen.url == reverse("audit-log") + f"?actor={staff_member.user.pk}"
    by_actor = page(client, chosen.url)

    assert "Valuation Office Agency" in everything
    assert "Signed in" in everything
    assert "Valuation Office Agency" in by_type
    assert "Signed in" not in by_type
    assert "Clear filters" in by_type
    assert "renamed" in by_actor
    assert "Signed in" not in by_actor


def test_audit_log_pages_keep_the_filter(client, odp_admin):
    organisation = OrganisationFactory(name="Land Registry")
    for _ in range(views.AUDIT_PAGE_SIZE + 1):
        record(action=AuditEvent.Action.UPDATE, obj=organisation, actor=odp_admin.user)
    client.force_login(odp_admin.user)

    first = page(client, reverse("audit-log") + "?object_type=odp.organisation")
    second = page(client, reverse("audit-log") + "?object_type=odp.organisation&page=2")

    assert "page 1 of 2" in first
    assert 'href="?object_type=odp.organisation&amp;page=2" rel="next"' in first
    on_second_page = AuditEvent.objects.filter(object_type="odp.organisation").count() - views.AUDIT_PAGE_SIZE
    assert second.count('<tr class="govuk-table__row">') == 1 + on_second_page  # plus the header row


def test_audit_log_rejects_an_unknown_type_with_a_govuk_error(client, odp_admin):
    client.force_login(odp_admin.user)

    html = page(client, reverse("audit-log") + "?object_type=auth.secret")

    assert "<title>Error: Audit log" in html
    assert '<a href="#id_object_type">Select a valid choice.' in html


def test_notifications_list_the_members_own(client, staff_member, odp_admin):
    Notification.objects.create(recipient=staff_member, subject="Your idea has a decision", body="Accepted.")
    Notification.objects.create(recipient=odp_admin, subject="Not for staff", body="Private.")
    client.force_login(staff_member.user)

    html = page(client, reverse("notifications"))

    assert "Your idea has a decision" in html
    assert "Not for staff" not in html
    assert ">New</strong>" in html


@pytest.mark.parametrize("name", ["accessibility", "privacy", "cookies", "feedback"])
def test_footer_pages_are_public(client, db, name):
    html = page(client, reverse(name))

    assert f'<a class="govuk-footer__link" href="{reverse(name)}">' in html


def test_404_page_is_govuk_styled(client, db):
    html = page(client, "/no-such-page/", 404)

    assert '<html lang="en-GB" class="govuk-template">' in html
    assert 'class="govuk-generic-header"' in html
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in html
    assert "/static/build/app.css" in html


def test_403_page_is_govuk_styled(rf, db):
    request = rf.get("/")
    request.user = UserFactory()

    response = views.permission_denied(request)

    assert response.status_code == 403
    assert "You cannot do that" in response.content.decode()


def test_500_page_renders_without_context_processors(rf):
    response = views.server_error(rf.get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert 'class="govuk-generic-header"' in html


def test_500_page_falls_back_to_plain_html(rf, monkeypatch):
    def broken(name):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(views.loader, "get_template", broken)

    response = views.server_error(rf.get("/"))

    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content


@pytest.mark.parametrize("url", ["/", "/sign-in/", "/signed-out/", "/no-such-page/", "/cookies/"])
def test_every_page_has_a_csp_nonce_and_the_inline_script_uses_it(client, db, url):
    response = client.get(url)

    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    html = response.content.decode()
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline_scripts, "the js-enabled script is missing"
    assert all(f'nonce="{nonce}"' in attrs for attrs in inline_scripts)


def test_signed_in_pages_also_carry_the_nonce(client, odp_admin):
    client.force_login(odp_admin.user)

    response = client.get(reverse("audit-log"))

    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">' in response.content.decode()


def test_navigation_marks_the_current_page(client, staff_member):
    client.force_login(staff_member.user)

    html = page(client, reverse("notifications"))

    assert f'href="{reverse("notifications")}" aria-current="page"' in html
    assert f'<form class="app-inline-form" method="post" action="{reverse("logout")}">' in html
