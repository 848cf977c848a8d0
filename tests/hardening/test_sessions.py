"""Sessions and sign-in lockout, proved through real requests (#8, item 6).

Time is moved by rewriting the server-side session's expiry and axes' attempt time, never by sleeping.
The basics (five failures lock, sign-out needs a POST and deletes the session) are in tests/odp/test_web_auth.py;
these add the idle timeout, replaying a dead session's cookie, and what the lockout gives away."""

from __future__ import annotations

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.views import LoginView
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.views import ObtainAuthToken

from tests.factories import TEST_PASSWORD
from tests.hardening.site_walk import routes

pytestmark = pytest.mark.django_db

PROTECTED = "/notifications/"  # any page that needs a signed-in member


def sign_in(client: Client, username: str, password: str = TEST_PASSWORD, path: str = "/sign-in/"):
    return client.post(path, {"username": username, "password": password})


def _session(client: Client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def _signed_in(client: Client) -> bool:
    response = client.get(PROTECTED)
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and response.url.startswith(reverse("login")), response
    return False


def test_a_session_ends_after_thirty_idle_minutes(client, staff_member):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert sign_in(client, "staff").status_code == 302
    assert _signed_in(client)
    expiry = _session(client).expire_date
    assert abs((expiry - timezone.now()) - datetime.timedelta(minutes=30)) < datetime.timedelta(seconds=30)

    # Thirty minutes and a second pass with no request.
    Session.objects.filter(pk=_session(client).pk).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    assert not _signed_in(client)


def test_activity_restarts_the_thirty_minutes(client, staff_member):
    sign_in(client, "staff")
    # Twenty-nine idle minutes: one left.
    key = _session(client).pk
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + datetime.timedelta(minutes=1))

    assert _signed_in(client)

    expiry = Session.objects.get(pk=key).expire_date
    assert expiry - timezone.now() > datetime.timedelta(minutes=29)


def test_the_session_cookie_is_http_only_same_site_and_dies_with_the_browser(client, staff_member):
    response = sign_in(client, "staff")

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie


def test_a_signed_out_session_cookie_replayed_gets_nothing(client, staff_member):
    sign_in(client, "staff")
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post(reverse("logout")).status_code == 302

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = stolen

    assert not Session.objects.filter(session_key=stolen).exists()
    assert not _signed_in(replay)
    assert replay.get("/api/v1/me/").status_code in (401, 403)


def _normalised(html: str, username: str) -> str:
    """The page without what differs between any two requests: the CSRF token, the CSP nonce, the echo of
    the username typed."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'nonce="[^"]+"', "", html)
    return html.replace(f'value="{username}"', 'value=""')


def _failures_until_locked(username: str) -> list[tuple[int, str]]:
    client = Client()
    return [
        (r.status_code, _normalised(r.content.decode(), username))
        for r in (sign_in(client, username, "wrong-password") for _ in range(settings.AXES_FAILURE_LIMIT + 1))
    ]


def test_the_lockout_does_not_tell_whether_the_account_exists(staff_member):
    real = _failures_until_locked("staff")
    invented = _failures_until_locked("nobody-by-this-name")

    statuses = [status for status, _ in real]
    limit = settings.AXES_FAILURE_LIMIT
    assert statuses == [200] * (limit - 1) + [429, 429]
    assert [status for status, _ in invented] == statuses
    assert [page for _, page in invented] == [page for _, page in real]
    locked_page = real[-1][1]
    assert "You cannot sign in at the moment" in locked_page
    assert f"There have been {limit} incorrect attempts" in locked_page


def test_the_lock_holds_on_every_way_in_and_lifts_after_the_cool_off(staff_member):
    staff_member.user.is_staff = True  # so the Django admin's own sign-in would let them in
    staff_member.user.save(update_fields=["is_staff"])
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, "staff", "wrong-password")

    # The right password, from anywhere, on either sign-in page, is refused while the lock holds.
    owner = Client(REMOTE_ADDR="10.1.2.3")
    assert sign_in(owner, "staff").status_code == 429
    assert sign_in(owner, "staff", path="/django-admin/login/").status_code == 429
    assert not _signed_in(owner)

    # Thirty minutes later (AXES_COOLOFF_TIME) the right password works again.
    assert settings.AXES_COOLOFF_TIME == 0.5
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert sign_in(owner, "staff").status_code == 302
    assert _signed_in(owner)


def test_the_api_takes_no_password_so_has_nothing_to_lock():
    """API clients use tokens an administrator issues; no route swaps a password for a token or a session
    except the two sign-in pages the lockout covers (above)."""
    password_routes = []
    for route in routes():
        view = getattr(route.callback, "view_class", None) or getattr(route.callback, "cls", None)
        takes_password = isinstance(view, type) and issubclass(view, LoginView | ObtainAuthToken)
        if takes_password or route.name == "login":  # (the admin's sign-in is a method, not a LoginView class)
            password_routes.append(route.pattern)
    assert sorted(password_routes) == ["django-admin/login/", "sign-in/"]
    assert not any(p.startswith("api/") for p in password_routes)
