"""Fuzz the API against its own OpenAPI schema with schemathesis, as one role at a time.

Every operation in ``/api/schema/`` gets generated requests (schema-valid ones, and invalid ones for the
bad-input side) sent through the Django WSGI app in-process, with the role's API token. Each response is
checked: never a 5xx, a documented status code, a documented content type, and a body that matches the
schema for that status. Path parameters are sometimes real ids of the demo data (taken from the
collection's list as an ODP admin), so detail and action endpoints are reached, not only their 404s.

Used by tests/hardening/test_fuzz_api.py (a few examples per operation, in CI) and by ``make bench``
through the same test with ``ODP_FUZZ_EXAMPLES`` raised."""

from __future__ import annotations

import datetime
import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Invalid input must be rejected cleanly: only "no 5xx" and the documented error shape apply, since a
# server may legitimately accept what the schema forbids (DRF ignores unknown fields, for instance).
NEGATIVE_CHECKS = CHECKS

_PATH_PARAMETER = re.compile(r"\{(\w+)\}")


@contextmanager
def in_process() -> Iterator[None]:
    """Let WSGI requests share the test's database connection (and transaction), as Django's test client does.

    The WSGI handler closes the connection when a request starts and finishes; the test's transaction, and
    on SQLite its in-memory or file database handle, would go with it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """Thousands of expected 4xx warnings would bury the report; 5xx still show through odp.api's errors."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def load_schema() -> Any:
    """The schema as the app serves it, with calls going to the WSGI app in-process."""
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())


@dataclass
class FuzzRun:
    role: str
    cases: int = 0
    operations: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        return (
            f"{self.role}: {self.operations} operations, {self.cases} cases in {self.seconds:.1f}s, "
            f"{len(self.failures)} failing operations ({statuses})"
        )


def collection_ids(schema: Any, call: Callable[[str], Any]) -> dict[str, list[Any]]:
    """Real values for the first path parameter of each path, read from its collection's list.

    ``/api/v1/ideas/{id}/submit/`` takes ids from ``GET /api/v1/ideas/``; the list's items name the
    parameter (``id``, ``slug``, ``year``). Paths whose collection has no list keep random values."""
    found: dict[str, list[Any]] = {}
    for path in schema.raw_schema["paths"]:
        match = _PATH_PARAMETER.search(path)
        if not match:
            continue
        collection = path[: match.start()]
        if collection in found or "get" not in schema.raw_schema["paths"].get(collection, {}):
            continue
        response = call(collection)
        if response.status_code != 200:
            continue
        body = response.json()
        items = body.get("results", []) if isinstance(body, dict) else body
        name = match.group(1)
        found[collection] = [item[name] for item in items if isinstance(item, dict) and name in item][:20]
    return found


def _brief(error: BaseException, width: int = 300) -> str:
    """schemathesis's report (check, status, reason, curl), with long lines such as generated bodies cut."""
    lines = [line if len(line) <= width else line[:width] + " ..." for line in str(error).splitlines() if line.strip()]
    return "\n".join(lines[:40])


_STRATEGIES: dict[tuple[str, GenerationMode], Any] = {}


def _strategies(operation: Any, mode: GenerationMode, known: dict[str, list[Any]]) -> Any:
    """The same strategy for every role (built once: building one per call is a good part of the run's time)."""
    key = (operation.label, mode)
    if key not in _STRATEGIES:
        _STRATEGIES[key] = _build_strategy(operation, mode, known)
    return _STRATEGIES[key]


def _build_strategy(operation: Any, mode: GenerationMode, known: dict[str, list[Any]]) -> Any:
    strategy = operation.as_strategy(generation_mode=mode)
    match = _PATH_PARAMETER.search(operation.path)
    values = known.get(operation.path[: match.start()]) if match else None
    if not values or mode is not GenerationMode.POSITIVE:
        return strategy
    # Half the time a real record; the other parameters (nested ids, body, query) are still generated.
    real = st.sampled_from(values).flatmap(
        lambda value: operation.as_strategy(generation_mode=mode, path_parameters={match.group(1): value})
    )
    return st.one_of(strategy, real)


def fuzz(
    schema: Any,
    *,
    role: str,
    headers: dict[str, str],
    examples: dict[GenerationMode, int],
    known: dict[str, list[Any]],
) -> FuzzRun:
    """Run every operation of ``schema`` as one caller, ``examples[mode]`` generated cases per operation and mode
    (positive: valid by the schema; negative: invalid). Failures are collected, not raised at the first."""
    run = FuzzRun(role=role)
    started = time.perf_counter()
    with in_process(), _quiet("django.request"):
        for result in schema.get_all_operations():
            operation = result.ok()
            run.operations += 1
            for mode, count in examples.items():
                check = _property(operation, mode, run, headers=headers, max_examples=count, known=known)
                try:
                    check()
                except Unsatisfiable:
                    pass  # nothing to make invalid: no parameters or body (negative mode only)
                # schemathesis reports failed checks as a BaseExceptionGroup; one operation's must not hide others'.
                except (Exception, BaseExceptionGroup) as error:
                    run.failures.append(f"{operation.label} [{mode.value}] as {role}:\n{_brief(error)}")
    run.seconds = time.perf_counter() - started
    return run


def _property(
    operation: Any,
    mode: GenerationMode,
    run: FuzzRun,
    *,
    headers: dict[str, str],
    max_examples: int,
    known: dict[str, list[Any]],
) -> Callable[[], None]:
    checks = CHECKS if mode is GenerationMode.POSITIVE else NEGATIVE_CHECKS

    @settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
    )
    @given(case=_strategies(operation, mode, known))
    def check(case: Any) -> None:
        cache.clear()  # throttle counters live in the cache: fuzzing is not a flood to throttle
        response = case.call(headers=headers)
        run.cases += 1
        run.statuses[response.status_code] += 1
        case.validate_response(response, checks=checks, headers=headers)

    return check


# The bad-input corpus: what people paste, type or send by mistake, and what attackers send on purpose.
BAD_STRINGS: dict[str, Any] = {
    "empty": "",
    "blank": "   \t\n",
    "oversized": "x" * 100_000,
    "wrong type (number)": 12345,
    "wrong type (list)": ["a", "b"],
    "wrong type (object)": {"a": 1},
    "null": None,
    "script": '<script>alert("x")</script><img src=x onerror=alert(1)>',
    "formula": '=HYPERLINK("http://example.invalid","click")',
    "formula (plus)": "+cmd|' /C calc'!A0",
    "NUL character": "before\x00after",
    "lone surrogate": "\ud800",
    "right-to-left override": "abc\u202edef",
    "zero-width and BOM": "\ufeff\u200b\u200d",
    "combining characters": "e\u0301" * 50 + "Z\u0336\u0335\u0334",
    "emoji and astral": "🙂👩🏽‍💻𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
}


def table_counts(connection: Any) -> dict[str, int]:
    """Row counts of the service's own tables, in one query: a rejected request must leave them all as they were."""
    prefixes = ("odp_", "skills_", "innovation_", "srrt_", "reporting_", "authtoken_")
    tables = sorted(t for t in connection.introspection.table_names() if t.startswith(prefixes))
    quote = connection.ops.quote_name
    # Table names come from the database's own catalogue, quoted; there are no values to bind.
    select = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """Follow ``$ref`` (and a single ``allOf``/``oneOf`` wrapper) to the schema it names."""
    while True:
        if "$ref" in schema:
            target: Any = root
            for part in schema["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            schema = target
        elif len(schema.get("allOf", [])) == 1:
            schema = schema["allOf"][0]
        else:
            return schema


def body_with(value: Any, schema: dict[str, Any], root: dict[str, Any], ids: list[Any]) -> dict[str, Any]:
    """A request body that is plausible everywhere except its text fields, which all carry ``value``.

    Choices take their first value, dates today, numbers a real id when there is one (a field such as
    ``organisation``), so that validation gets past the other fields to the text."""
    body: dict[str, Any] = {}
    for name, prop in resolve(schema, root).get("properties", {}).items():
        prop = resolve(prop, root)
        if prop.get("readOnly"):
            continue
        variants = prop.get("oneOf") or prop.get("anyOf")
        if variants:
            prop = resolve(variants[0], root)
        kind = prop.get("type")
        if "enum" in prop:
            body[name] = prop["enum"][0]
        elif kind == "string" and prop.get("format") in ("date", "date-time"):
            body[name] = datetime.date.today().isoformat()
        elif kind == "string" and prop.get("format") == "binary":
            continue  # files are the uploads' own corpus (tests/skills' import tests)
        elif kind == "string":
            body[name] = value
        elif kind in ("integer", "number"):
            body[name] = ids[0] if ids else 1
        elif kind == "boolean":
            body[name] = False
        elif kind == "array":
            body[name] = []
    return body
