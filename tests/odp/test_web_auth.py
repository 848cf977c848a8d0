"""Sign in, lockout and sign out."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse

from odp.models import AuditEvent
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username: str, password: str = TEST_PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def test_sign_in_page_is_a_govuk_form(client):
    response = client.get(reverse("login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="govuk-label" for="id_username">' in html
    assert 'autocomplete="current-password"' in html
    assert 'data-module="govuk-password-input"' in html
    assert " required" not in html  # GOV.UK forms do not use browser validation


def test_sign_in_lands_on_home_and_rotates_the_session_key(client, staff_member):
    session = client.session
    session["before"] = "sign-in"
    session.save()
    key_before = session.session_key

    response = sign_in(client, "staff")

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session.session_key != key_before
    assert not Session.objects.filter(session_key=key_before).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN, actor=staff_member.user).exists()


def test_sign_in_goes_on_to_a_safe_next_page_only(client, odp_admin):
    assert sign_in(client, "admin", next="/audit/").url == "/audit/"
    client.post(reverse("logout"))

    assert sign_in(client, "admin", next="https://evil.example/").url == reverse("home")


def test_wrong_password_shows_the_error_summary(client, staff_member):
    response = sign_in(client, "staff", "not-the-password")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in" in html
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#id_username">Enter a correct username and password</a>' in html
    assert "_auth_user_id" not in client.session


def test_empty_fields_get_their_own_messages(client, db):
    html = sign_in(client, "", "").content.decode()

    assert '<a href="#id_username">Enter your username</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert 'aria-describedby="id_username-error"' in html
    assert "govuk-form-group--error" in html


def test_five_failures_lock_the_account_for_30_minutes(client, staff_member):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "staff", "wrong-password").status_code == 200

    locked = sign_in(client, "staff", "wrong-password")

    assert locked.status_code == 429
    html = locked.content.decode()
    assert "You cannot sign in at the moment" in html
    assert "wait 30 minutes" in html
    # Even the right password is refused until the lock expires.
    assert sign_in(client, "staff").status_code == 429
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_a_post(client, staff_member):
    sign_in(client, "staff")

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert "_auth_user_id" in client.session


def test_sign_out_ends_the_server_session(client, staff_member):
    sign_in(client, "staff")
    session_key = client.session.session_key

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("signed-out")
    assert not Session.objects.filter(session_key=session_key).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_OUT, actor=staff_member.user).exists()
    page = client.get(response.url)
    assert "You have signed out" in page.content.decode()
    assert client.get(reverse("audit-log")).status_code == 302  # no longer signed in


def test_signed_in_visitors_to_the_sign_in_page_go_home(client, staff_member):
    client.force_login(staff_member.user)

    assert client.get(reverse("login")).url == reverse("home")
