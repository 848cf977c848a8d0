"""Security headers on every page, API answer and download, as anonymous and signed in (#8, item 6).

One walk of the whole URLconf (``tests/hardening/site_walk.py``) over the demo world, shared by the tests
below: the world is seeded once for this module inside a transaction rolled back at the end. Each route is
asked for as the demo account that should see it, as an anonymous visitor and as a private-sector partner's
member (who may see least of anyone signed in); the Django admin as a superuser and anonymously. HSTS is
checked with the production profile in a subprocess, since the test profile serves plain HTTP."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from odp.middleware import NoStoreMiddleware
from tests.factories import UserFactory
from tests.hardening import site_walk
from tests.hardening.planner import analyse_seeded_tables
from tests.hardening.site_walk import ANONYMOUS, WalkResult

ROOT = Path(__file__).resolve().parent.parent.parent

# Routes the walk cannot fill with a real record, and why. Anything else unfilled fails the coverage test.
_NO_FAILURE_LOG = "no axes.AccessFailureLog record in the demo world"
JUSTIFIED_UNFILLED = {
    "view_on_site": "admin 'view on site' redirects to a model's get_absolute_url; no admin model here defines one",
    # AXES_ENABLE_ACCESS_FAILURE_LOG is off: axes keeps one AccessAttempt per client, never a failure log row.
    "axes.accessfailurelog:<path:object_id>/": _NO_FAILURE_LOG,
    "axes_accessfailurelog_change": _NO_FAILURE_LOG,
    "axes_accessfailurelog_delete": _NO_FAILURE_LOG,
    "axes_accessfailurelog_history": _NO_FAILURE_LOG,
}


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def walked(django_db_setup, django_db_blocker) -> Iterator[WalkResult]:
    from innovation import demo as innovation_demo
    from odp import demo
    from reporting import demo as reporting_demo
    from skills import demo as skills_demo
    from srrt import demo as srrt_demo

    root = logging.getLogger()
    with django_db_blocker.unblock(), transaction.atomic():
        for seeder in (demo, skills_demo, innovation_demo, srrt_demo, reporting_demo):
            seeder.seed()
        world = site_walk.World()
        site_walk.build_extra_records(world)
        analyse_seeded_tables()
        capture, old_level = _Capture(), root.level
        root.addHandler(capture)
        root.setLevel(logging.DEBUG)
        try:
            result = site_walk.walk(world, also_as=(ANONYMOUS, "partner.member"))
        finally:
            root.removeHandler(capture)
            root.setLevel(old_level)
        result.log_records = capture.records
        result.people = [(m.user.email, m.user.get_full_name()) for m in world.members.values()]
        yield result
        transaction.set_rollback(True)


def _failures(walked: WalkResult, check) -> list[str]:
    found = []
    for visit in walked.visits:
        problem = check(visit)
        if problem:
            found.append(f"{visit.who} GET {visit.path} ({visit.route}) -> {visit.status}: {problem}")
    return found


def _csp(value: str) -> dict[str, list[str]]:
    directives = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def _directives(value: str) -> set[str]:
    return {p.split("=", 1)[0].strip().lower() for p in value.split(",") if p.strip()}


def test_every_route_is_walked_or_listed_with_a_reason(walked, db):
    assert walked.unknown == [], "routes with no entry in site_walk.FILL: add one (owner and how to fill the path)"
    assert walked.unfilled == JUSTIFIED_UNFILLED
    walked_routes = {v.route for v in walked.visits}
    every_route = {r.name for r in site_walk.routes()}
    assert every_route - walked_routes == set(JUSTIFIED_UNFILLED)
    assert len(walked.visits) > 600


def test_the_walk_reaches_real_pages_and_never_a_server_error(walked, db):
    server_errors = _failures(walked, lambda v: "server error" if v.status >= 500 else "")
    assert server_errors == []
    # The owner of each route gets the real thing (200, a redirect on, a 405 for a POST-only action, or the
    # admin's 403 for a read-only model), never a 404: so the paths were filled with records that exist.
    missing = [
        f"{v.owner} GET {v.path} ({v.route}) -> 404"
        for v in walked.visits
        if v.who == v.owner and v.status == 404 and v.route not in site_walk.EXPECTED_404
    ]
    assert missing == []
    assert sum(1 for v in walked.visits if v.status == 200) > 300


def test_the_admin_will_not_gather_every_rating_to_delete_the_framework(walked, db):
    """Found by the walk: the admin's delete page for a framework version collected every assessment that
    refers to it (36 s for the demo's 6,000; millions at full scale). The framework's structure is not
    deleted in the admin now."""
    for model in ("framework", "frameworkversion", "skillgroup", "skill"):
        visits = [v for v in walked.visits if v.route == f"skills_{model}_delete" and v.who == "superuser"]
        assert [v.status for v in visits] == [403], model


def test_every_response_carries_a_strict_content_security_policy(walked, db):
    def check(visit) -> str:
        header = visit.headers.get("Content-Security-Policy")
        if not header:
            return "no Content-Security-Policy"
        csp = _csp(header)
        scripts = csp.get("script-src", csp.get("default-src", []))
        if not scripts or any(s in ("'unsafe-inline'", "'unsafe-eval'", "*") for s in scripts):
            return f"script-src too loose: {scripts}"
        if csp.get("frame-ancestors") != ["'none'"]:
            return f"frame-ancestors is {csp.get('frame-ancestors')}"
        if csp.get("object-src") != ["'none'"] or csp.get("default-src") != ["'self'"]:
            return f"object-src/default-src loosened: {header}"
        return ""

    assert _failures(walked, check) == []


def test_every_response_carries_frame_referrer_content_type_and_opener_headers(walked, db):
    expected = {
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Opener-Policy": "same-origin",
    }

    def check(visit) -> str:
        wrong = {k: visit.headers.get(k) for k, v in expected.items() if visit.headers.get(k) != v}
        return f"{wrong}" if wrong else ""

    assert _failures(walked, check) == []


def test_no_response_to_a_signed_in_person_may_be_stored(walked, db):
    def check(visit) -> str:
        value = visit.headers.get("Cache-Control", "")
        return "" if {"no-store", "private"} <= _directives(value) else f"Cache-Control: {value!r}"

    signed_in = [v for v in walked.visits if v.who != ANONYMOUS]
    assert len(signed_in) > 300
    assert _failures(WalkResult(visits=signed_in), check) == []


def test_anonymous_responses_are_not_stored_either(walked, db):
    """No page opts into shared caching today: every HTML page carries a per-response CSP nonce and most a CSRF
    token (docs/security.md). Static files are WhiteNoise's and never reach the app's middleware."""

    def check(visit) -> str:
        value = visit.headers.get("Cache-Control", "")
        return "" if "no-store" in _directives(value) else f"Cache-Control: {value!r}"

    anonymous = [v for v in walked.visits if v.who == ANONYMOUS]
    assert len(anonymous) > 300
    assert _failures(WalkResult(visits=anonymous), check) == []


def test_the_walk_logged_no_ones_email_or_name(walked, db):
    """Every request of the walk ran with the root logger at DEBUG: no member's email address or full name
    may appear in a log record (message, arguments or traceback)."""
    assert walked.log_records, "the walk should have logged something (404s, 405s at least)"
    needles = {value for pair in walked.people for value in pair if value and len(value) > 5}
    assert len(needles) > 400
    leaks = []
    for record in walked.log_records:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        leaks += [f"{record.name}: {needle!r} in {text[:200]!r}" for needle in needles if needle in text]
    assert leaks == []


# The middleware's rule, at unit level: the walk above cannot reach a view that sets its own Cache-Control.


def _respond(cache_control: str | None, user) -> HttpResponse:
    def view(request) -> HttpResponse:
        response = HttpResponse("ok")
        if cache_control:
            response["Cache-Control"] = cache_control
        return response

    request = RequestFactory().get("/")
    request.user = user
    return NoStoreMiddleware(view)(request)


def test_a_view_may_open_a_public_download_to_caching_but_never_for_a_signed_in_person(db):
    from django.contrib.auth.models import AnonymousUser

    signed_in = UserFactory()
    assert _respond("public, max-age=300", AnonymousUser())["Cache-Control"] == "public, max-age=300"
    assert _respond("public, max-age=300", signed_in)["Cache-Control"] == "no-store, private"
    assert _respond(None, AnonymousUser())["Cache-Control"] == "no-store, private"
    never_cache = "max-age=0, no-cache, no-store, must-revalidate, private"
    assert _respond(never_cache, signed_in)["Cache-Control"] == never_cache


# HSTS and the rest of the headers under the production profile, over HTTPS.

_PRODUCTION_PROBE = """
import json
import os
import django
django.setup()
from django.core.management import call_command
from django.test import Client, override_settings
from django.contrib.staticfiles import finders
# The production profile serves hashed static file names from collectstatic's manifest, as the image does.
# Whitenoise's gzip and Brotli copies are left out (every extension there is is listed as not to compress): no
# header asserted here depends on them, and compressing the 1,000 files (28 MB of them the Swagger UI and ReDoc
# bundles) took most of this test's time.
extensions = {os.path.splitext(name)[1][1:] for finder in finders.get_finders() for name, _ in finder.list([])} - {""}
override_settings(
    STATIC_ROOT=os.environ["PROBE_STATIC_ROOT"], WHITENOISE_SKIP_COMPRESS_EXTENSIONS=sorted(extensions)
).enable()
call_command("collectstatic", interactive=False, verbosity=0)
out = {}
client = Client()
for path in ("/sign-in/", "/accessibility/", "/api/v1/me/"):
    secure = client.get(path, secure=True, HTTP_HOST="odp.example")
    plain = client.get(path, HTTP_HOST="odp.example")
    out[path] = {
        "secure_status": secure.status_code,
        "secure": dict(secure.headers.items()),
        "plain_status": plain.status_code,
        "plain_location": plain.headers.get("Location", ""),
        "cookies": {name: dict(morsel) for name, morsel in secure.cookies.items()},
    }
print(json.dumps(out))
"""


def test_production_profile_sends_hsts_and_redirects_plain_http_to_https(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="odp.settings.production",
        SECRET_KEY="k" * 24 + "-production-test-key-" + "9" * 24,
        ALLOWED_HOSTS="odp.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        PROBE_STATIC_ROOT=str(tmp_path / "staticfiles"),
    )
    run = subprocess.run(
        [sys.executable, "-c", _PRODUCTION_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    pages = json.loads(run.stdout.strip().splitlines()[-1])
    for path, page in pages.items():
        headers = page["secure"]
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload", path
        assert page["plain_status"] == 301 and page["plain_location"] == f"https://odp.example{path}", path
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "'unsafe-inline'" not in _csp(headers["Content-Security-Policy"])["script-src"]
        assert {"no-store", "private"} <= _directives(headers["Cache-Control"])
    sign_in = pages["/sign-in/"]
    assert sign_in["secure_status"] == 200
    csrf = sign_in["cookies"]["__Secure-csrftoken"]
    assert csrf["secure"] is True and csrf["httponly"] is True
