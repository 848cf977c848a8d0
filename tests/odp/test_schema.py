"""The OpenAPI schema is valid, covers every API URL, and Swagger UI works under our CSP with no CDN."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from openapi_spec_validator import validate

from odp.api.errors import NOT_FOUND_URL_NAME

API_PREFIX = "/api/v1/"


def _schema(client) -> dict:
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def _normalise(route: str) -> str:
    """``^members/(?P<pk>[^/.]+)/$``, ``members/<int:pk>/`` and ``/members/{id}/`` all become members/{}/."""
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "{}", route)
    route = re.sub(r"<(?:\w+:)?\w+>", "{}", route)
    route = re.sub(r"\{\w+\}", "{}", route)
    return "/" + route.replace("^", "").replace("$", "").lstrip("/")


def _routes(patterns: list, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern).replace("^", "").replace("$", "")
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route, pattern


def test_the_schema_is_valid_openapi_3_as_yaml_and_json(client, db):
    as_yaml = _schema(client)
    as_json = client.get("/api/schema/", {"format": "json"})

    assert as_yaml["openapi"].startswith("3.")
    validate(as_yaml)
    assert as_json.status_code == 200
    assert json.loads(as_json.content) == as_yaml


def test_spectacular_validates_with_no_warnings(tmp_path):
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    assert "/api/v1/me/" in yaml.safe_load(out.read_text())["paths"]


def test_every_api_url_is_in_the_schema_and_nothing_else_is(client, db):
    api_routes = {
        _normalise(route)
        for route, pattern in _routes(get_resolver().url_patterns)
        if _normalise(route).startswith(API_PREFIX) and pattern.name != NOT_FOUND_URL_NAME
    }
    schema_paths = {_normalise(p) for p in _schema(client)["paths"]}

    assert api_routes, "found no API URLs: the walk over the URL patterns is broken"
    assert api_routes - schema_paths == set(), "API URLs missing from the schema"
    assert schema_paths - api_routes == set(), "schema paths with no API URL"


# The only operations anyone may call without signing in: reading what is published to everyone. Each is a
# deliberate decision; everything else needs a sign-in (and, by default, an explicit policy).
PUBLIC_OPERATIONS = {
    "case_studies_list",  # published case studies (public read: issue 5)
    "case_studies_retrieve",
    "reporting_reports_list",  # published annual reports (public read: issue 7)
    "reporting_reports_retrieve",
}


def test_every_operation_is_authenticated_in_the_schema_except_the_named_public_ones(client, db):
    public = set()
    for path_item in _schema(client)["paths"].values():
        for operation in path_item.values():
            schemes = {name for scheme in operation["security"] for name in scheme}
            assert schemes == {"cookieAuth", "tokenAuth"}, f"{operation['operationId']} has no sign-in scheme"
            if {} in operation["security"]:  # the empty requirement: callable anonymously
                public.add(operation["operationId"])
    assert public == PUBLIC_OPERATIONS, "operations open to anonymous callers must be named in PUBLIC_OPERATIONS"


def test_the_public_operations_answer_anonymous_callers_and_nothing_else_does(client, db):
    from rest_framework.test import APIClient

    api = APIClient()
    assert api.get(f"{API_PREFIX}case-studies/").status_code == 200
    assert api.get(f"{API_PREFIX}case-studies/no-such-study/").status_code == 404
    for path in _schema(client)["paths"]:
        if path.startswith((f"{API_PREFIX}case-studies/", f"{API_PREFIX}reporting/reports/")) or "{" in path:
            continue
        response = api.get(path)
        assert response.status_code in (401, 405), f"{path} answered {response.status_code} to an anonymous caller"


def test_swagger_ui_page_loads_only_our_own_files(client, db):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert len(sources) == 3
    assert all(src.startswith(("/static/drf_spectacular_sidecar/", "/api/docs/?")) for src in sources)
    assert "<script>" not in html, "inline scripts are blocked by script-src 'self'"
    assert "<style" not in html, "inline styles are blocked by style-src 'self'"
    assert "cdn" not in html.lower()
    csp = response["Content-Security-Policy"]
    assert re.search(r"script-src 'self'( 'nonce-[^']+')?(;|$)", csp)
    assert "'unsafe-inline'" not in csp
    assert "no-store" in response["Cache-Control"]
    for src in sources[:2]:
        assert finders.find(src.removeprefix("/static/")), f"{src} is not among the static files"


def test_swagger_ui_start_up_script_points_at_our_schema(client, db):
    response = client.get("/api/docs/", {"script": ""})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    script = response.content.decode()
    assert "SwaggerUIBundle(" in script
    assert 'url: "/api/schema/"' in script


@pytest.mark.e2e
def test_swagger_ui_renders_in_a_browser_with_no_csp_violations(live_server):
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    assert chromium, "the browser journeys need Debian's chromium: `make browser`"
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        try:
            page = browser.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto(f"{live_server.url}/api/docs/")
            page.wait_for_selector(".opblock-summary-path", timeout=15_000)
            title = page.inner_text(".information-container .title")
            paths = page.locator(".opblock-summary-path").all_inner_texts()
        finally:
            browser.close()

    assert "ODP Hub API" in title
    assert "/api/v1/me/" in paths
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
