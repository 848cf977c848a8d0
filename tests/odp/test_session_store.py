"""odp.sessions: the idle timeout restarts on every request, but the session row is written at most about once a
minute when nothing in it changed (it was an UPDATE and a commit on every page). Time is moved by rewriting the
stored expiry, never by sleeping."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from odp import sessions
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PAGE = "/notifications/"


def _signed_in_client(username: str) -> tuple[Client, str]:
    client = Client()
    assert client.post("/sign-in/", {"username": username, "password": TEST_PASSWORD}).status_code == 302
    return client, client.cookies[settings.SESSION_COOKIE_NAME].value


def _session_writes(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    return sum(1 for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"])


def test_the_project_uses_the_store():
    assert settings.SESSION_ENGINE == "odp.sessions"
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_a_fresh_unchanged_session_is_not_written_again(staff_member):
    client, key = _signed_in_client("staff")
    before = Session.objects.get(pk=key).expire_date

    assert _session_writes(client) == 0
    assert _session_writes(client) == 0
    assert Session.objects.get(pk=key).expire_date == before


def test_a_session_last_moved_on_over_a_minute_ago_is_moved_on(staff_member):
    client, key = _signed_in_client("staff")
    stale = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - sessions.REFRESH_SECONDS - 5)
    Session.objects.filter(pk=key).update(expire_date=stale)

    assert _session_writes(client) == 1

    expiry = Session.objects.get(pk=key).expire_date
    assert expiry - timezone.now() > datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)
    assert _session_writes(client) == 0  # and not again straight after


def test_a_changed_session_is_written_at_once(staff_member):
    store = sessions.SessionStore()
    store["first"] = 1
    store.save()
    loaded = sessions.SessionStore(store.session_key)
    assert loaded["first"] == 1
    loaded["second"] = 2

    loaded.save()

    assert sessions.SessionStore(store.session_key)["second"] == 2


def test_the_idle_timeout_still_ends_the_session(staff_member):
    client, key = _signed_in_client("staff")
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    response = client.get(PAGE)

    assert response.status_code == 302 and response.url.startswith("/sign-in/")
