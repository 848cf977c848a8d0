"""The bad-input corpus against every file import, through its page and its API (#8, scope 4).

The imports: a framework version (CSV or JSON; page and API), role profiles (CSV; API) and a cohort's enrolments
(CSV; page and API). Each starts from a good file (the demo's own export, or its members) and gets each kind of
bad file: empty, header only, missing, duplicated and unknown columns, binary garbage, UTF-16 and Latin-1, NUL
bytes, formula, script and very long cells, a file over the size limit, and one bad row among many good ones. A
file with a byte order mark is fine. Every refusal must be clear (the page's GOV.UK error summary and its table of
problems by row, the API's one error shape with the row) with the right row number where there is one, never a
5xx, and nothing saved: all or nothing. Each case runs in a transaction rolled back afterwards."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from odp.tabular import MAX_LISTED_ERRORS, MAX_UPLOAD_BYTES, looks_like_formula
from tests.hardening.bad_input import FORMULAS, INJECTED, NUL, SCRIPT, UNICODE_EDGES, table_counts
from tests.hardening.planner import analyse_seeded_tables

ACCEPTED, REFUSED, EITHER = "accepted", "refused", "either"


@dataclass(frozen=True)
class BadFile:
    label: str
    data: bytes
    expect: str  # ACCEPTED, REFUSED or EITHER (valid text the import may take as it is)
    row: int | None = None  # the spreadsheet row a refusal must name


@dataclass(frozen=True)
class Import:
    name: str
    filename: str  # the upload's name (its ending says the format)
    good: Callable[[Client], bytes]
    text_column: str  # a free-text column to put bad cells in
    web: Callable[[], str] | None  # the page's path
    api: Callable[[], str] | None
    web_data: tuple[tuple[str, str], ...] = ()
    api_data: Callable[[], dict[str, Any]] = dict
    setup: Callable[[], None] | None = None  # run inside each case's transaction, before the upload


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _with_cell(rows: list[list[str]], row: int, column: str, value: str) -> list[list[str]]:
    """A copy of ``rows`` with one cell changed; ``row`` counts as a spreadsheet does (the header is row 1)."""
    copy = [list(r) for r in rows]
    copy[row - 1][rows[0].index(column)] = value
    return copy


def csv_corpus(good: bytes, text_column: str) -> list[BadFile]:
    rows = _rows(good)
    header, body = rows[0], rows[1:]
    assert len(body) >= 20, "the good file needs many rows for the one-bad-row case"
    middle = len(body) // 2 + 1
    filler = body * (2 * MAX_UPLOAD_BYTES // len(good) + 2)  # twice the limit
    # Under the size limit, with the same problem on every row (each row repeats the first: a duplicate).
    repeated = [body[0]] * (MAX_UPLOAD_BYTES // (2 * len(",".join(body[0]).encode()) + 4))
    return [
        BadFile("empty file", b"", REFUSED),
        BadFile("header only", _csv([header]), REFUSED),
        BadFile("missing column", _csv([r[1:] for r in rows]), REFUSED, row=1),
        BadFile("duplicate column", _csv([[*header, header[0]]] + [[*r, r[0]] for r in body]), REFUSED, row=1),
        BadFile("unknown column", _csv([[*header, "shoe_size"]] + [[*r, "9"] for r in body]), REFUSED, row=1),
        BadFile("binary garbage", bytes(range(256)) * 8, REFUSED),
        BadFile("UTF-16", good.decode("utf-8").encode("utf-16"), REFUSED),
        BadFile(
            "Latin-1",
            "\n".join(",".join(r) for r in _with_cell(rows, 2, text_column, "Café")).encode("latin-1"),
            REFUSED,
        ),
        BadFile("byte order mark", "\ufeff".encode() + good, ACCEPTED),
        BadFile("NUL byte in a cell", _csv(_with_cell(rows, 2, text_column, NUL)), REFUSED, row=2),
        BadFile("formula cell", _csv(_with_cell(rows, 2, text_column, FORMULAS[0])), REFUSED, row=2),
        BadFile("formula cell (@)", _csv(_with_cell(rows, 2, text_column, FORMULAS[3])), REFUSED, row=2),
        BadFile("script cell", _csv(_with_cell(rows, 2, text_column, SCRIPT)), EITHER),
        BadFile("Unicode edge cases in a cell", _csv(_with_cell(rows, 2, text_column, UNICODE_EDGES)), EITHER),
        BadFile("very long cell", _csv(_with_cell(rows, 2, text_column, "x" * 100_000)), REFUSED, row=2),
        BadFile("file over the size limit", _csv([header, *filler]), REFUSED),
        BadFile("a problem on each of many rows", _csv([header, *repeated]), REFUSED, row=3),
        BadFile(
            "one bad row among many good", _csv(_with_cell(rows, middle, text_column, FORMULAS[1])), REFUSED, middle
        ),
    ]


def json_corpus(good: bytes) -> list[BadFile]:
    document = json.loads(good)
    with_nul = json.loads(good)
    _first_skill(with_nul)["name"] = NUL
    with_surrogate = json.loads(good)
    _first_skill(with_surrogate)["name"] = "half a pair \ud800"
    with_script = json.loads(good)
    _first_skill(with_script)["name"] = SCRIPT
    return [
        BadFile("empty file", b"", REFUSED),
        BadFile("not JSON", b"{", REFUSED),
        BadFile("wrong shape", b"[]", REFUSED),
        BadFile("deeply nested", b"[" * 100_000 + b"]" * 100_000, REFUSED),
        BadFile("huge number", json.dumps({**document, "version": 10**400}).encode(), REFUSED),
        BadFile("UTF-16", good.decode("utf-8").encode("utf-16"), REFUSED),
        BadFile("NUL in a string", json.dumps(with_nul).encode(), REFUSED, row=1),
        BadFile("lone surrogate in a string", json.dumps(with_surrogate).encode(), REFUSED, row=1),
        BadFile("script in a string", json.dumps(with_script).encode(), EITHER),
        BadFile("byte order mark", "\ufeff".encode() + good, ACCEPTED),
    ]


def _first_skill(document: dict[str, Any]) -> dict[str, Any]:
    return document["skills"][0]


# --- the imports ----------------------------------------------------------------------------------------------


def _published() -> Any:
    from skills.models import FrameworkVersion

    return FrameworkVersion.objects.filter(status="published").order_by("-number").first()


def _export(kind: str) -> Callable[[Client], bytes]:
    def good(client: Client) -> bytes:
        response = client.get(reverse("web-skills-version-export", args=[_published().pk, kind]))
        assert response.status_code == 200, f"the {kind} export answered {response.status_code}"
        return b"".join(response.streaming_content) if response.streaming else response.content

    return good


def _enrolments(client: Client) -> bytes:
    from odp.models import Member

    usernames = Member.objects.filter(is_active=True).order_by("pk").values_list("user__username", flat=True)[:60]
    return _csv([["username", "status", "completed_on"], *([u, "enrolled", ""] for u in usernames)])


def _cohort() -> Any:
    from skills.models import Cohort

    return Cohort.objects.order_by("pk").first()


def _draft_for_profiles() -> None:
    from odp.models import Member
    from skills import services

    services.version_create_draft(framework=_published().framework, by=Member.objects.get(user__username="admin"))


def _draft() -> Any:
    from skills.models import FrameworkVersion

    return FrameworkVersion.objects.get(status="draft")


IMPORTS = [
    Import(
        "framework (CSV)",
        "framework.csv",
        _export("csv"),
        "name",
        web=lambda: reverse("web-skills-import"),
        api=lambda: "/api/v1/skills/versions/import/",
        web_data=(("change_notes", "Imported"),),
        api_data=lambda: {"framework": _published().framework_id},
    ),
    Import(
        "role profiles (CSV)",
        "profiles.csv",
        _export("profiles"),
        "job_family",
        web=None,
        api=lambda: f"/api/v1/skills/versions/{_draft().pk}/role-profiles/",
        setup=_draft_for_profiles,
    ),
    Import(
        "enrolments (CSV)",
        "enrolments.csv",
        _enrolments,
        "username",
        web=lambda: reverse("web-skills-cohort", args=[_cohort().pk]),
        api=lambda: f"/api/v1/skills/cohorts/{_cohort().pk}/upload-enrolments/",
    ),
]
JSON_IMPORT = Import(
    "framework (JSON)",
    "framework.json",
    _export("json"),
    "name",
    web=lambda: reverse("web-skills-import"),
    api=lambda: "/api/v1/skills/versions/import/",
    web_data=(("change_notes", "Imported"),),
    api_data=lambda: {"framework": _published().framework_id},
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[dict[str, Any]]:
    """The demo world, an admin's session and API token, the good files, and the row counts to compare with."""
    from innovation import demo as innovation_demo
    from odp import demo
    from odp.models import User
    from reporting import demo as reporting_demo
    from skills import demo as skills_demo
    from srrt import demo as srrt_demo

    with django_db_blocker.unblock(), transaction.atomic():
        for seeder in (demo, skills_demo, innovation_demo, srrt_demo, reporting_demo):
            seeder.seed()
        analyse_seeded_tables()
        if connection.features.can_defer_constraint_checks:
            connection.check_constraints()
        admin = User.objects.get(username="admin")
        client = Client()
        client.force_login(admin)
        token = Token.objects.get_or_create(user=admin)[0].key
        good = {i.name: i.good(client) for i in [*IMPORTS, JSON_IMPORT]}
        yield {"client": client, "token": token, "good": good, "counts": table_counts(connection), "seen": []}
        transaction.set_rollback(True)


def _cases() -> list[tuple[str, str]]:
    """(import, corpus label) pairs, known before the world exists, for one test each."""
    labels = [b.label for b in csv_corpus(_csv([["a", "b"], *[["1", "2"]] * 20]), "a")]
    json_labels = [b.label for b in json_corpus(json.dumps({"skills": [{"name": "n"}]}).encode())]
    return [(i.name, label) for i in IMPORTS for label in labels] + [(JSON_IMPORT.name, label) for label in json_labels]


def _problem_rows(html: str) -> list[str]:
    table = html.split('id="file-problems"', 1)[1].split("</table>", 1)[0] if 'id="file-problems"' in html else ""
    return re.findall(r'govuk-table__cell--numeric">([^<]*)</td>', table)


def _upload(imp: Import, bad: BadFile, *, via: str, world: dict[str, Any]) -> list[str]:
    """Upload one bad file through the page or the API, in a transaction rolled back afterwards."""
    client: Client = world["client"]
    problems: list[str] = []
    where = f"{imp.name} {bad.label} via the {via}"
    with transaction.atomic():
        cache.clear()
        if imp.setup:
            imp.setup()
        before = table_counts(connection)
        upload = SimpleUploadedFile(imp.filename, bad.data)
        try:
            if via == "page":
                response = client.post(imp.web(), {"file": upload, **dict(imp.web_data)})
            else:
                response = client.post(
                    imp.api(), {"file": upload, **imp.api_data()}, HTTP_AUTHORIZATION=f"Token {world['token']}"
                )
        except Exception as error:  # the test client re-raises a view's exception: that is the 500
            transaction.set_rollback(True)
            return [f"{where}: server error {type(error).__name__}: {str(error)[:300]}"]
        status = response.status_code
        accepted = status in (302, 303) if via == "page" else status in (200, 201)
        world["seen"].append((where, status))
        if status >= 500:
            problems.append(f"{where}: {status}")
        elif bad.expect == ACCEPTED and not accepted:
            problems.append(f"{where}: a good file was refused ({status}): {response.content[:500]!r}")
        elif bad.expect == REFUSED and accepted:
            problems.append(f"{where}: accepted ({status}); it must be refused")
        elif not accepted:
            problems += _check_refusal(response, bad, via=via, where=where)
            changed = {t: (before[t], n) for t, n in table_counts(connection).items() if before[t] != n}
            if changed:
                problems.append(f"{where}: refused, yet rows changed: {changed}")
        if via == "page" and any(marker in response.content.decode("utf-8", "replace") for marker in INJECTED):
            problems.append(f"{where}: script shown unescaped")
        transaction.set_rollback(True)
    return problems


def _check_refusal(response: Any, bad: BadFile, *, via: str, where: str) -> list[str]:
    if via == "page":
        html = response.content.decode("utf-8", "replace")
        if response.status_code != 200 or 'class="govuk-error-summary"' not in html:
            return [f"{where}: refused without the GOV.UK error summary ({response.status_code})"]
        if 'href="#id_file"' not in html or "govuk-error-message" not in html:
            return [f"{where}: the error summary does not lead to the file field with its message"]
        if len(_problem_rows(html)) > MAX_LISTED_ERRORS + 1:
            return [f"{where}: {len(_problem_rows(html))} problems listed; the first {MAX_LISTED_ERRORS} are enough"]
        if bad.row is not None and str(bad.row) not in _problem_rows(html):
            return [f"{where}: the problems table does not name row {bad.row}: rows {_problem_rows(html)}"]
        return []
    if response.status_code != 400:
        return [f"{where}: refused with {response.status_code}, not 400"]
    body = response.json()
    errors = body.get("errors") or []
    if body.get("status") != 400 or not errors or any(not e.get("message") for e in errors):
        return [f"{where}: not the one error shape with a message for each error: {body}"]
    if len(errors) > MAX_LISTED_ERRORS + 1:
        return [f"{where}: {len(errors)} errors in the answer; the first {MAX_LISTED_ERRORS} are enough"]
    if bad.row is not None and bad.row not in [e.get("row") for e in errors]:
        return [f"{where}: no error names row {bad.row}: {errors}"]
    return []


@pytest.mark.parametrize(("name", "label"), _cases())
def test_a_bad_file_is_refused_clearly_by_row_and_nothing_is_saved(world, db, name, label):
    imp = next(i for i in [*IMPORTS, JSON_IMPORT] if i.name == name)
    good = world["good"][name]
    corpus = json_corpus(good) if imp is JSON_IMPORT else csv_corpus(good, imp.text_column)
    bad = next(b for b in corpus if b.label == label)
    started = time.perf_counter()

    problems = []
    for via in ("page", "API"):
        if (imp.web if via == "page" else imp.api) is not None:
            problems += _upload(imp, bad, via=via, world=world)

    assert time.perf_counter() - started < 15, "one file through an import (page and API) should take seconds"
    assert not problems, "\n".join(problems)


def test_the_good_files_are_accepted_through_every_route(world, db):
    """What the corpus spoils: each good file imports, so a refusal above is about the spoilt part."""
    problems = []
    for imp in [*IMPORTS, JSON_IMPORT]:
        good = BadFile("good file", world["good"][imp.name], ACCEPTED)
        for via in ("page", "API"):
            if (imp.web if via == "page" else imp.api) is not None:
                problems += _upload(imp, good, via=via, world=world)
    assert not problems, "\n".join(problems)


def test_formula_and_script_text_an_import_takes_is_escaped_on_the_page_and_neutralised_in_the_export(world, db):
    """A framework's JSON may name a skill with text that looks like a formula or a script (JSON has no formula
    check, as a CSV cell has). Kept as plain text, it must be escaped on the version page and come out of the CSV
    export with an apostrophe in front, so that no cell of the export can run."""
    document = json.loads(world["good"][JSON_IMPORT.name])
    document["skills"][0]["name"] = FORMULAS[0]
    document["skills"][1]["name"] = SCRIPT
    client: Client = world["client"]
    with transaction.atomic():
        imported = client.post(
            reverse("web-skills-import"),
            {"file": SimpleUploadedFile("framework.json", json.dumps(document).encode()), "change_notes": "Odd names"},
        )
        page = client.get(imported["Location"]) if imported.status_code == 302 else None
        version_id = int(re.findall(r"\d+", imported.get("Location", "0"))[-1])
        exported = client.get(reverse("web-skills-version-export", args=[version_id, "csv"]))
        transaction.set_rollback(True)

    assert imported.status_code == 302, "the import took the names as plain text"
    html = page.content.decode()
    assert not any(marker in html for marker in INJECTED), "the script name is escaped on the version page"
    assert "&lt;script&gt;" in html
    body = b"".join(exported.streaming_content) if exported.streaming else exported.content
    cells = [cell for row in _rows(body) for cell in row]
    assert f"'{FORMULAS[0]}" in cells, "the formula name is in the export, neutralised"
    assert not [cell for cell in cells if looks_like_formula(cell)], "a cell of the export would run as a formula"
