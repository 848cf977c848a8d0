"""Schemathesis against the OpenAPI schema: every operation as each role, no 5xx, responses as documented.

A few deterministic examples per operation here; ``make bench`` runs the same with ``ODP_FUZZ_EXAMPLES``
raised. The demo data is the world: one sign-in per role, ideas, surge requests, reports and KPIs, so that
path parameters sometimes name real records (random ids mostly answer 404, which is fine)."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis import GenerationMode

from odp.models import Member
from tests.hardening.fuzz_api import (
    BAD_STRINGS,
    FuzzRun,
    body_with,
    collection_ids,
    fuzz,
    in_process,
    load_schema,
    table_counts,
)
from tests.hardening.planner import analyse_seeded_tables

# Who calls: no sign-in, then one demo sign-in per role (docs/demo-accounts.md).
ROLES = {
    "anonymous": None,
    "staff": "staff",
    "line manager": "manager",
    "head of profession": "hop.homeoffice",
    "local-authority member": "la.member",
    "partner member": "partner.member",
    "requester": "requester",
    "coordinator": "coordinator",
    "responder": "responder",
    "admin": "admin",
}
# Generated cases per operation and role: valid ones, and half as many invalid ones (at least one). CI sends
# one of each (about 2,200 requests in all, within its time budget); `make bench` raises it.
EXAMPLES = int(os.environ.get("ODP_FUZZ_EXAMPLES", "1"))
PER_MODE = {GenerationMode.POSITIVE: EXAMPLES, GenerationMode.NEGATIVE: max(1, EXAMPLES // 2)}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[dict[str, Any]]:
    """The demo data and the schema, once for the module; rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic(), open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
        analyse_seeded_tables()
        # Fire the seed's deferred foreign-key checks now, once, not again in every test's teardown (PostgreSQL).
        connection.check_constraints()
        tokens = {
            role: Token.objects.get_or_create(user=Member.objects.get(user__username=username).user)[0].key
            for role, username in ROLES.items()
            if username
        }
        with in_process():
            schema = load_schema()
        admin = APIClient()
        admin.credentials(HTTP_AUTHORIZATION=f"Token {tokens['admin']}")
        known = collection_ids(schema, lambda path: admin.get(path, {"page_size": 200}))
        runs: list[FuzzRun] = []
        yield {"tokens": tokens, "schema": schema, "known": known, "runs": runs}
        transaction.set_rollback(True)
    if runs:
        cases, failing = sum(r.cases for r in runs), sum(len(r.failures) for r in runs)
        print(f"\nAPI fuzzing: {len(runs)} roles, {cases} cases, {failing} failing operation runs")


@pytest.mark.parametrize("role", list(ROLES))
def test_every_operation_as_each_role_answers_as_documented_and_never_5xx(world, role, db):
    token = world["tokens"].get(role)
    headers = {"Authorization": f"Token {token}"} if token else {}

    run = fuzz(world["schema"], role=role, headers=headers, examples=PER_MODE, known=world["known"])

    world["runs"].append(run)
    print(run.summary())
    assert run.operations >= 100, "the schema lost its operations: is /api/schema/ still the whole API?"
    assert run.cases >= run.operations * EXAMPLES, "operations were skipped: every one gets its valid examples"
    assert not run.failures, f"{len(run.failures)} failing operations:\n\n" + "\n\n".join(run.failures)


def test_the_schema_documents_the_one_error_shape_for_every_operation(client, db):
    """What lets the fuzzing check statuses at all: each operation names the errors it can answer."""
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    error = {"$ref": "#/components/schemas/Error"}
    assert schema["components"]["schemas"]["Error"]["required"] == ["errors", "status"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            for status in ("401", "403", "429"):
                assert responses[status]["content"]["application/json"]["schema"] == error, (method, path, status)
            if "requestBody" in operation or operation.get("parameters"):
                assert {"400", "404"} <= set(responses) or (method == "get" and "404" in responses), (method, path)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/ideas/null/move/",
        "/api/v1/ideas/null/decision/",
    ],
)
def test_an_id_that_is_not_a_number_is_404_not_a_server_error(path, world, db):
    """Found by the fuzzing: the review actions looked the idea up with Django's get_object_or_404, which
    raised ValueError (a 500) for an id such as "null" that the router's pattern lets through."""
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {world['tokens']['admin']}")

    response = api.post(path, {}, format="json")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


# Who tries each write with bad input: the first of these that the operation does not refuse outright.
WRITERS = ["admin", "requester", "coordinator", "head of profession", "staff", "responder"]


def _url(path: str, known: dict[str, list[Any]]) -> str:
    """The path with its first parameter a real record of its collection (1 when it has none) and the rest 1."""
    head, brace, _ = path.partition("{")
    if not brace:
        return path
    values = known.get(head)
    rest = path[len(head) :].partition("}")[2]
    return head + (str(values[0]) if values else "1") + re.sub(r"\{\w+\}", "1", rest)


def test_bad_text_in_every_json_write_is_a_clear_error_or_accepted_never_5xx_nor_partly_saved(world, db):
    """The API side of the bad-input corpus: every JSON write, each text field empty, oversized, of the wrong
    type, script, formula and Unicode edge cases, sent as the first role allowed to try it."""
    raw = world["schema"].raw_schema
    api = APIClient()
    problems: list[str] = []
    tried: set[str] = set()
    statuses: Counter[int] = Counter()
    for path, item in raw["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            if method not in ("post", "put", "patch") or "application/json" not in content:
                continue
            url = _url(path, world["known"])
            send = getattr(api, method)
            writer = None
            for role in WRITERS:
                cache.clear()
                token = world["tokens"][role]
                if send(url, {}, format="json", HTTP_AUTHORIZATION=f"Token {token}").status_code not in (401, 403):
                    writer = token
                    break
            if writer is None:
                continue
            tried.add(f"{method.upper()} {path}")
            before = table_counts(connection)  # then each request's "after" is the next one's "before"
            for label, value in BAD_STRINGS.items():
                body = body_with(value, content["application/json"]["schema"], raw, ids=[1])
                cache.clear()
                # json.dumps escapes what a client library would refuse to encode (a lone surrogate).
                payload = json.dumps(body)
                response = send(url, payload, content_type="application/json", HTTP_AUTHORIZATION=f"Token {writer}")
                statuses[response.status_code] += 1
                after = table_counts(connection)
                where = f"{method.upper()} {url} with {label} text: {response.status_code}"
                if response.status_code >= 500:
                    problems.append(f"{where} {response.content[:300]!r}")
                elif response.status_code >= 400:
                    error = response.json()
                    if not (error.get("status") == response.status_code and error.get("errors")):
                        problems.append(f"{where}: not the one error shape: {error}")
                    elif any(not e.get("message") for e in error["errors"]):
                        problems.append(f"{where}: an error with no message: {error}")
                    changed = _diff(before, after)
                    if changed:
                        problems.append(f"{where}: rejected, yet rows changed: {changed}")
                before = after

    answers = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
    print(f"bad-input corpus: {len(tried)} JSON write operations, {statuses.total()} requests ({answers})")
    assert len(tried) >= 30, f"only {len(tried)} writes reached: did the roles or the schema change?"
    assert not problems, "\n".join(problems)


def _diff(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {table: (before[table], after[table]) for table in before if before[table] != after[table]}


@pytest.mark.parametrize("slug", ["a\x00b", "\ud800"])
def test_text_the_database_cannot_hold_in_a_lookup_is_a_clear_400_not_a_server_error(slug, world, db):
    """Found by the long fuzzing run on PostgreSQL: a theme slug with a NUL character reached the database
    lookup and failed there (a 500). A lone surrogate cannot even be encoded for it."""
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {world['tokens']['staff']}")

    response = api.post(
        "/api/v1/ideas/", json.dumps({"title": "A clear title", "themes": [slug]}), content_type="application/json"
    )

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["themes"]


@pytest.mark.parametrize("path", ["/api/v1/case-studies/a%00b/", "/api/v1/case-studies/a%00b/publish/"])
def test_a_nul_character_in_a_url_value_names_no_record(path, world, db):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {world['tokens']['head of profession']}")

    response = api.post(path) if path.endswith("publish/") else api.get(path)

    assert response.status_code == 404
