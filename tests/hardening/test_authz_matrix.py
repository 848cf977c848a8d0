"""The authorisation matrix: every role × every page, API action and download, through the real URLs.

tests/hardening/authz_matrix.yaml is the contract; tests/hardening/authz_matrix.py reads it and builds the
world (the demo data, once for this module). Each matrix entry is one test that makes the call as every role
and reports every role that got something else. A URL missing from the matrix fails
``test_every_url_is_in_the_matrix``. The field-level tests at the end try to change what the API must not let
a caller change, and check the stored values."""

from __future__ import annotations

from collections.abc import Iterator
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from odp.models import Member, User
from tests.hardening import authz_matrix as matrix
from tests.hardening.planner import analyse_seeded_tables

CASES = matrix.load_matrix()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[dict[str, Any]]:
    """The demo data, the named records and one signed-in session per role; rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        objects = matrix.build_world()
        analyse_seeded_tables()
        if connection.features.can_defer_constraint_checks:
            # Fire the world's deferred foreign-key checks now, once. Otherwise every test's teardown fires them
            # all again (Django checks constraints inside the test's savepoint, then rolls it back): 0.2 s a test.
            connection.check_constraints()
        sessions: dict[str, str | None] = {}
        for role, username in matrix.ROLES.items():
            client = Client()
            if username:
                client.force_login(User.objects.get(username=username))
                sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
            else:
                sessions[role] = None
        yield {"objects": objects, "sessions": sessions, "client": Client()}
        transaction.set_rollback(True)


def client_for(world: dict[str, Any], role: str) -> Client:
    """The one test client, carrying only ``role``'s session cookie. One client for every call: each new client
    loads the middleware again (WhiteNoise rescans every static file); fresh cookies per call, so a sign-out
    case cannot sign the role out for the cases after it."""
    client = world["client"]
    client.cookies = SimpleCookie()
    session = world["sessions"][role]
    if session:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    return client


def outcome(response: Any) -> int | str:
    if response.status_code in (301, 302, 303):
        return matrix.LOGIN if response["Location"].startswith(reverse("login")) else matrix.REDIRECT
    return response.status_code


def call(world: dict[str, Any], case: matrix.Case, role: str) -> int | str:
    """Make the case's request as ``role`` in a transaction rolled back afterwards, so unsafe calls leave no
    trace for the next role or case."""
    client = client_for(world, role)
    url = case.url(world["objects"])
    body = case.body(world["objects"])
    cache.clear()  # throttle counters: the matrix is not a flood
    with transaction.atomic():
        if case.method == "GET":
            response = client.get(url)
        elif url.startswith("/api/"):
            response = client.generic(case.method, url, _json(body), content_type="application/json")
        else:
            response = client.generic(case.method, url, _form(body), content_type="application/x-www-form-urlencoded")
        transaction.set_rollback(True)
    return outcome(response)


def _json(body: dict[str, Any]) -> str:
    import json

    return json.dumps(body)


def _form(body: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(body, doseq=True)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.group}: {c.id}" for c in CASES])
def test_matrix(world, db, case: matrix.Case):
    wrong = {}
    for role, expected in case.expect.items():
        got = call(world, case, role)
        if got != expected:
            wrong[role] = f"expected {expected}, got {got}"
    assert not wrong, f"{case.method} {case.url(world['objects'])}: {wrong}"


def test_every_url_is_in_the_matrix():
    covered: dict[str, set[str]] = {}
    for case in CASES:
        covered.setdefault(case.name, set()).add(case.method)
    missing, methods_missing = [], []
    routes = list(matrix.routes())
    # The walk itself must see the whole URLconf, API router routes included, or this test proves nothing.
    assert len(routes) >= 190, len(routes)
    assert {"home", "idea-detail", "srrt-request-triage", "reporting-kpi-detail", "django-admin/"} <= {
        r.name for r in routes
    }
    assert next(r for r in routes if r.name == "reporting-kpi-detail").methods == {"GET", "PUT", "DELETE"}
    for route in routes:
        if route.name not in covered:
            missing.append(f"{route.name} ({route.route})")
        elif route.methods - covered[route.name]:
            methods_missing.append(f"{route.name}: {sorted(route.methods - covered[route.name])}")
    assert not missing, "URLs with no entry in tests/hardening/authz_matrix.yaml:\n" + "\n".join(missing)
    assert not methods_missing, "API methods with no entry in the matrix:\n" + "\n".join(methods_missing)


def test_the_matrix_names_no_url_that_does_not_exist():
    names = {route.name for route in matrix.routes()}
    stale = sorted({case.name for case in CASES} - names)
    assert not stale, f"Matrix entries for URLs that no longer exist: {stale}"


def test_every_role_is_a_column_and_the_matrix_is_the_size_it_claims():
    assert set(matrix.ROLES) == {
        "anonymous", "staff", "manager", "hop", "la_member", "partner", "requester", "coordinator", "responder",
        "admin",
    }  # fmt: skip
    assert all(set(case.expect) == set(matrix.ROLES) for case in CASES)
    assert len(CASES) * len(matrix.ROLES) >= 3000


# --- Field-level: what the API must not let a caller change ---------------------------------------------------


def api(world: dict[str, Any], role: str, method: str, url: str, body: dict[str, Any]) -> Any:
    cache.clear()
    return client_for(world, role).generic(method, url, _json(body), content_type="application/json")


def test_a_member_cannot_change_their_own_organisation(world, db):
    staff = Member.objects.get(user__username="staff")
    dwp = world["objects"]["org.dwp"]
    for method in ("PATCH", "PUT"):
        response = api(world, "staff", method, f"/api/v1/members/{staff.pk}/", {"organisation": dwp})
        assert response.status_code == 405, response.content
        response = api(world, "staff", method, "/api/v1/me/", {"organisation": dwp})
        assert response.status_code == 405, response.content
    staff.refresh_from_db()
    assert staff.organisation.slug == "hm-passport-office"


def test_an_author_cannot_set_their_ideas_status_or_organisation_through_the_api(world, db):
    from innovation.models import Idea

    idea = Idea.objects.get(pk=world["objects"]["idea.staff_draft"])
    before = (idea.status, idea.organisation_id, idea.author_id, idea.reference)
    response = api(
        world,
        "staff",
        "PATCH",
        f"/api/v1/ideas/{idea.pk}/",
        {
            "title": "A changed title",
            "status": "accepted",
            "organisation": world["objects"]["org.dwp"],
            "author": Member.objects.get(user__username="admin").pk,
            "reference": "IDEA-0000-999999",
        },
    )
    assert response.status_code == 200, response.content
    idea.refresh_from_db()
    assert idea.title == "A changed title"  # the editable field changed...
    assert (idea.status, idea.organisation_id, idea.author_id, idea.reference) == before  # ...nothing else did


def test_a_requester_cannot_set_their_surge_requests_status_or_organisation(world, db):
    from srrt.models import SurgeRequest

    draft = SurgeRequest.objects.get(pk=world["objects"]["surge.requester_draft"])
    url = f"/api/v1/srrt/requests/{draft.pk}/"
    before = (draft.title, draft.status, draft.organisation_id, draft.requester_id, draft.foreseeability)

    moved = api(world, "requester", "PATCH", url, {"title": "Renamed", "organisation": world["objects"]["org.dwp"]})
    assert moved.status_code == 400, moved.content
    assert [e["field"] for e in moved.json()["errors"]] == ["organisation"]
    draft.refresh_from_db()
    assert (draft.title, draft.status, draft.organisation_id, draft.requester_id, draft.foreseeability) == before

    response = api(world, "requester", "PATCH", url, {"title": "Renamed", "status": "approved", "foreseeability": "x"})
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.title == "Renamed"
    assert (draft.status, draft.organisation_id, draft.requester_id, draft.foreseeability) == before[1:]

    # Someone else's request: not found, whatever the body.
    other = world["objects"]["surge.dwp_active"]
    assert api(world, "requester", "PATCH", f"/api/v1/srrt/requests/{other}/", {"title": "Mine now"}).status_code == 404
    assert SurgeRequest.objects.get(pk=other).title != "Mine now"


def test_nobody_but_the_line_manager_can_rate_someone_elses_skill(world, db):
    from skills.models import Assessment

    target = Assessment.objects.get(pk=world["objects"]["assessment.staff"])
    rows_before = Assessment.objects.filter(member=target.member).count()
    stored_before = (target.level, target.rated_by_id, target.rated_at, target.rationale)
    for role in ("staff", "hop", "la_member", "requester", "coordinator", "responder", "admin"):
        response = api(
            world, role, "POST", f"/api/v1/skills/assessments/{target.pk}/respond/", {"level": 1, "rationale": "x"}
        )
        assert response.status_code in (403, 404), (role, response.status_code, response.content)
        for method in ("PATCH", "PUT", "DELETE"):
            response = api(world, role, method, f"/api/v1/skills/assessments/{target.pk}/", {"level": 1})
            assert response.status_code in (403, 404, 405), (role, method, response.status_code)
        # Creating an assessment names no member: it is always the caller's own, never the target's.
        api(
            world,
            role,
            "POST",
            "/api/v1/skills/assessments/",
            {"member": target.member_id, "skill": target.skill_id, "level": 1},
        )
    assert Assessment.objects.filter(member=target.member).count() == rows_before
    target.refresh_from_db()
    assert (target.level, target.rated_by_id, target.rated_at, target.rationale) == stored_before
