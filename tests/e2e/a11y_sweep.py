"""The accessibility sweep's machinery: Chromium renders pages that Django's test client serves in-process.

Every request the browser makes to ``http://testserver`` is intercepted (Playwright's ``context.route``) and
answered by a ``django.test.Client`` signed in as the visiting account, in the test's own thread and database
transaction. So a world seeded once per module inside a transaction (as the hardening tests do) is what the
browser sees, with no live server thread and no commit; every POST runs in a savepoint rolled back after its
response, so a form that succeeds changes nothing for the pages after it. Static files come from the
staticfiles finders. Chromium still does everything a browser does (parse, style, run the page's scripts,
follow redirects, submit forms); axe-core then runs against WCAG 2.2 AA as in ``assert_accessible``.

Templates rendered while serving the page that was checked are recorded (``template_rendered``, which
pytest-django's test environment sends for every render, includes and inclusion tags too), so a test can
prove every template was checked in some state."""

from __future__ import annotations

import mimetypes
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.signals import template_rendered
from playwright.sync_api import Browser, Page, Request
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Route as PwRoute

from tests.e2e.conftest import AXE, AXE_TAGS, SCREENSHOTS, _describe
from tests.hardening import site_walk
from tests.hardening.site_walk import ANONYMOUS, SUPERUSER

ORIGIN = "http://testserver"
# Response headers the browser must not get from the test client: cookies stay in the client's own jar (it is
# the one signed in), and Playwright works out the length of what it is given.
_DROP_HEADERS = {"set-cookie", "content-length", "transfer-encoding", "connection"}
Synthetic = Callable[[Client], HttpResponse]

# axe rules left out for one page (by URL name), and why. Every other rule still runs on these pages.
_SWAGGER_UI = (
    "the API reference is Swagger UI (drf-spectacular-sidecar's bundle, for developers): its operation rows nest "
    "a copy-link button inside the expandable row, and its method badges and small links use its own colours "
    "and sizes; not our markup to change"
)
RULES_OFF: dict[str, dict[str, str]] = {
    "api-docs": {"nested-interactive": _SWAGGER_UI, "color-contrast": _SWAGGER_UI, "target-size": _SWAGGER_UI},
}

# Clears a POST form's fields as a person who pressed the button straight away would leave them, then submits
# it with its own (first) submit button. Hidden fields (CSRF token, step markers) are kept.
_SUBMIT_EMPTY = """
([index, ids]) => {
  const form = document.querySelectorAll(ids)[index];
  for (const el of form.elements) {
    const type = (el.type || "").toLowerCase();
    if (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && !["hidden", "submit", "button", "radio",
        "checkbox", "file", "image", "reset"].includes(type))) {
      el.value = "";
    } else if (type === "radio" || type === "checkbox") {
      el.checked = false;
    } else if (el.tagName === "SELECT") {
      const blank = [...el.options].findIndex(o => o.value === "");
      if (blank >= 0) el.selectedIndex = blank;
    }
  }
  const submitter = form.querySelector("button:not([type]), button[type=submit], input[type=submit]");
  form.requestSubmit(submitter || undefined);
}
"""
# A GET (filter) form with every choice set to one the page never offered, as a tampered or stale URL would.
_GET_FORMS = "main form[method=get i]"
_SUBMIT_INVALID = """
([index, ids]) => {
  const form = document.querySelectorAll(ids)[index];
  for (const el of form.elements) {
    if (el.tagName === "SELECT") {
      el.add(new Option("Not an option", "not-an-option"));
      el.value = "not-an-option";
    }
  }
  form.requestSubmit(form.querySelector("button:not([type]), button[type=submit]") || undefined);
}
"""
# The page's title and the error summary's in-page links that lead nowhere.
_SUMMARY = """
() => [document.title, [...document.querySelectorAll(".govuk-error-summary a[href^='#']")]
  .map(a => a.getAttribute("href")).filter(href => !document.getElementById(decodeURIComponent(href.slice(1))))]
"""
# Which POST forms on a page have something to fill in (not a bare button such as "Follow" or "Sign out").
# Forms in the page's main content: the header's "Sign out" button is a form too, and would sign the client out.
_POST_FORMS = "main form[method=post i]"
_FILLABLE = """
ids => [...document.querySelectorAll(ids)].map(form => [...form.elements].some(el =>
  el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
  (el.tagName === "INPUT" && !["hidden", "submit", "button", "image", "reset"].includes(el.type.toLowerCase()))))
"""


@dataclass
class Served:
    """The last HTML document (top-level navigation) the browser was given."""

    path: str
    method: str
    status: int
    content_type: str
    templates: list[str] = field(default_factory=list)


@dataclass
class Check:
    state: str  # "populated", "empty", "error" (or "canary": a page made to fail)
    route: str
    path: str
    who: str
    status: int
    violations: list[dict[str, Any]]
    title: str = ""
    # Error summary links to "#id" with no element of that id on the page (the link would go nowhere).
    dead_links: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return f"[{self.state}] {self.who} {self.path} ({self.route}):\n{_describe(self.violations)}"


@dataclass
class SweepResult:
    checks: list[Check] = field(default_factory=list)
    skipped_not_html: list[str] = field(default_factory=list)  # "state who path (content type)"
    not_checked: list[str] = field(default_factory=list)  # owner's page that was neither 200 HTML nor a redirect
    server_errors: list[str] = field(default_factory=list)
    forms_without_error: list[str] = field(default_factory=list)  # submitted empty, no error summary shown
    templates: set[str] = field(default_factory=set)  # rendered for a checked page
    seconds: dict[str, float] = field(default_factory=dict)

    def failing(self, state: str) -> list[str]:
        return [c.describe() for c in self.checks if c.state == state and c.violations]

    def count(self, state: str) -> int:
        return sum(1 for c in self.checks if c.state == state)


class Sweep:
    """One browser page whose every request Django's test client answers as ``self.who``."""

    def __init__(self, browser: Browser, result: SweepResult) -> None:
        self.result = result
        self.clients: dict[str, Client] = {}
        self.who = ANONYMOUS
        self.state = ""
        self._started = 0.0
        self._files: dict[str, dict[str, Any]] = {}
        self._outer = ""
        self.served: Served | None = None
        self.synthetic: dict[str, Synthetic] = {}
        self._recording: list[str] | None = None
        # Playwright calls the route handler while its event loop runs, where Django's connection handler
        # keeps a separate (context-local) set of connections: hand it this thread's, inside the world's
        # transaction, or the handler would open a second connection that cannot see the seeded world.
        self._connection = connections[DEFAULT_DB_ALIAS]
        self._checked: set[tuple[str, str, str, int]] = set()
        self._context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="en-GB", bypass_csp=True, base_url=ORIGIN
        )
        self._context.set_default_timeout(15_000)
        self._context.route("**/*", self._handle)
        # axe-core in every page before its own scripts (parsed by Chromium, not sent over for each page).
        self._context.add_init_script(path=str(AXE))
        self.page: Page = self._context.new_page()
        template_rendered.connect(self._rendered)

    def close(self) -> None:
        template_rendered.disconnect(self._rendered)
        self._context.close()

    # --- serving ----------------------------------------------------------------------------------------------

    def _rendered(self, sender: Any, template: Any, context: Any, **kwargs: Any) -> None:
        if self._recording is not None and template.name:
            self._recording.append(template.name)

    def client(self, who: str) -> Client:
        if who not in self.clients:
            client = Client()
            if who == SUPERUSER:
                from odp.models import User

                user, _ = User.objects.get_or_create(
                    username="sweep-superuser", defaults={"is_staff": True, "is_superuser": True}
                )
                client.force_login(user)
            elif who != ANONYMOUS:
                from odp.models import Member

                client.force_login(Member.objects.select_related("user").get(user__username=who).user)
            self.clients[who] = client
        return self.clients[who]

    def reset_clients(self) -> None:
        self.clients = {}

    def _static(self, name: str) -> dict[str, Any]:
        """A static file, read once (routing turns Chromium's cache off, so every page asks for them again)."""
        if name not in self._files:
            found = finders.find(name)
            if found:
                content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
                self._files[name] = {"status": 200, "body": Path(found).read_bytes(), "content_type": content_type}
            else:
                self._files[name] = {"status": 404, "body": b""}
        return self._files[name]

    def _handle(self, route: PwRoute, request: Request) -> None:
        connections[DEFAULT_DB_ALIAS] = self._connection
        url = urlsplit(request.url)
        if f"{url.scheme}://{url.netloc}" != ORIGIN:
            route.abort()  # nothing leaves the machine
            return
        if url.path.startswith(settings.STATIC_URL):
            route.fulfill(**self._static(url.path.removeprefix(settings.STATIC_URL)))
            return
        path = url.path + (f"?{url.query}" if url.query else "")
        document = request.resource_type == "document"
        templates: list[str] = []
        self._recording = templates if document else None
        try:
            response = self._respond(request, path)
        except Exception as exc:  # the test client re-raises a view's exception: that is a server error
            self.result.server_errors.append(f"[{self.state}] {self.who} {request.method} {path}: {exc!r}")
            route.fulfill(status=500, content_type="text/plain", body="server error")
            return
        finally:
            self._recording = None
        content_type = response.headers.get("Content-Type", "")
        if response.status_code >= 500 and path not in self.synthetic:
            self.result.server_errors.append(
                f"[{self.state}] {self.who} {request.method} {path}: {response.status_code}"
            )
        if document:
            final = response.wsgi_request.get_full_path() if hasattr(response, "wsgi_request") else path
            redirected = getattr(response, "redirect_chain", None) or getattr(response, "sweep_redirected", False)
            method = "GET" if redirected else request.method
            self.served = Served(final, method, response.status_code, content_type, templates)
        # (The test client has closed the response already, or closes a streamed one once it is read: closing
        # it again would send request_finished, whose handler closes the world's database connection.)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if document and (not content_type.startswith("text/html") or (response.status_code >= 400 and not body)):
            # A download or JSON, or an error status with no body (a bare 405), which Chromium shows as its own
            # error page, out of step with the next navigation: nothing for axe. Give the browser an empty page.
            route.fulfill(status=200, content_type="text/plain", body="")
            return
        headers = {k: v for k, v in response.headers.items() if k.lower() not in _DROP_HEADERS}
        route.fulfill(status=response.status_code, headers=headers, body=body)

    def _respond(self, request: Request, path: str) -> HttpResponse:
        client = self.client(self.who)
        extra = {"HTTP_ACCEPT": request.headers.get("accept", "*/*")}
        if path in self.synthetic:
            with transaction.atomic():
                response = self.synthetic[path](client)
                transaction.set_rollback(True)
            return response
        # Redirects are followed here, not by the browser: Chromium does not pass the request a fulfilled
        # redirect leads to back through the route handler.
        if request.method == "GET":
            return client.get(path, follow=True, **extra)
        # Every write is undone once answered: the next page sees the world as it was seeded.
        with transaction.atomic():
            response = client.generic(
                request.method,
                path,
                data=request.post_data_buffer or b"",
                content_type=request.headers.get("content-type", ""),
                **extra,
            )
            if request.method == "POST" and response.has_header("Location"):
                response = client.get(response["Location"], follow=True, **extra)
                response.sweep_redirected = True
            transaction.set_rollback(True)
        return response

    # --- checking ---------------------------------------------------------------------------------------------

    def axe(self, route: str) -> list[dict[str, Any]]:
        started = time.perf_counter()
        rules = {rule: {"enabled": False} for rule in RULES_OFF.get(route, {})}
        result = self.page.evaluate(
            """([tags, rules]) => axe.run(document,
                 {runOnly: {type: 'tag', values: tags}, rules, resultTypes: ['violations']})""",
            [AXE_TAGS, rules],
        )
        self.result.seconds["axe"] = self.result.seconds.get("axe", 0.0) + time.perf_counter() - started
        return result["violations"]

    def _check_served(self, route: str, *, statuses: tuple[int, ...] = (200,), again: bool = False) -> bool:
        """Run axe on the page the browser now shows, if it is HTML with one of ``statuses`` and this state has
        not checked its final address as this account already (a redirect often lands on a page seen before)."""
        served = self.served
        if served is None:
            return False
        if not served.content_type.startswith("text/html"):
            self.result.skipped_not_html.append(f"{self.state} {self.who} {served.path} ({served.content_type})")
            return False
        if served.status not in statuses:
            self.result.not_checked.append(f"{self.state} {self.who} {served.path} -> {served.status}")
            return False
        key = (self.state, self.who, served.path, served.status)
        if key in self._checked and not again:
            return True
        self._checked.add(key)
        violations = self.axe(route)
        if violations:  # a picture of the failing page, beside the journeys' (tests/e2e/conftest.py)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = f"sweep-{self.state}-{self.who}-{served.path.strip('/').replace('/', '_') or 'home'}"
            self.page.screenshot(path=str(SCREENSHOTS / f"{name[:150]}.png"), full_page=True)
        title, dead_links = self.page.evaluate(_SUMMARY)
        self.result.checks.append(
            Check(self.state, route, served.path, self.who, served.status, violations, title, dead_links)
        )
        self.result.templates.update(served.templates)
        return True

    def visit(self, route: str, path: str, who: str, *, statuses: tuple[int, ...] = (200,)) -> bool:
        self.who, self.served = who, None
        try:
            self.page.goto(path)
        except PlaywrightError as exc:  # the page never loaded: reported, and the coverage tests notice
            self.result.not_checked.append(f"{self.state} {who} {path}: {exc.message.splitlines()[0]}")
            return False
        return self._check_served(route, statuses=statuses)

    def submit_forms_empty(self, route: str, path: str, who: str, *, buttons: bool = False) -> None:
        """Submit each POST form on the page that has something to fill in (``buttons``: every POST form),
        emptied, and check the page that answers it. The page must be loaded already."""
        self.who = who
        fillable: list[bool] = self.page.evaluate(_FILLABLE, _POST_FORMS)
        fresh = True
        for index, has_fields in enumerate(fillable):
            if not (has_fields or buttons):
                continue
            if not fresh:  # the first form is submitted from the page as loaded; later ones from a new load
                self.page.goto(path)
            fresh = False
            self._submit(
                route, f"{who} {path} form {index}", lambda i=index: self.page.evaluate(_SUBMIT_EMPTY, [i, _POST_FORMS])
            )

    def submit_filters_invalid(self, route: str, path: str, who: str) -> None:
        """Submit each GET form of the page with choices it never offered: the page either says what is wrong
        in an error summary (checked as an error state) or shows its results regardless."""
        self.who = who
        with_choices: list[bool] = self.page.evaluate(
            "ids => [...document.querySelectorAll(ids)].map(form => !!form.querySelector('select'))", _GET_FORMS
        )
        fresh = True
        for index, has_choices in enumerate(with_choices):
            if not has_choices:
                continue
            if not fresh:
                self.page.goto(path)
            fresh = False
            self.served = None
            try:
                with self.page.expect_navigation():
                    self.page.evaluate(_SUBMIT_INVALID, [index, _GET_FORMS])
            except PlaywrightError as exc:
                self.result.not_checked.append(f"{self.state} {who} {path} filter {index}: {exc.message}")
                continue
            if self.page.locator(".govuk-error-summary").count():
                self._check_served(route, statuses=(200, 400), again=True)
            else:
                self.result.forms_without_error.append(f"{who} {path} filter {index} -> results regardless")

    def upload(self, route: str, path: str, who: str, name: str, content: bytes) -> None:
        """Load the page and send ``content`` as a file through its first POST form with a file field."""
        self.who = who
        self.page.goto(path)
        field_ = self.page.locator(f"{_POST_FORMS} input[type=file]").first
        field_.set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": content}])
        self._submit(route, f"{who} {path} upload {name}", lambda: field_.evaluate("el => el.form.requestSubmit()"))

    def _submit(self, route: str, what: str, submit: Callable[[], Any]) -> None:
        self.served = None
        try:
            with self.page.expect_navigation():
                submit()
        except PlaywrightError as exc:
            self.result.not_checked.append(f"{self.state} {what}: {exc.message.splitlines()[0]}")
            return
        served = self.served
        if served is None:
            return
        if served.method != "POST":  # redirected on: the form took no answers as an answer
            self.result.forms_without_error.append(f"{what} -> {served.status} {served.path}")
            return
        if not self.page.locator(".govuk-error-summary").count():
            self.result.forms_without_error.append(f"{what} -> {served.status}, no error summary")
        self._check_served(route, statuses=(200, 400, 422), again=True)

    # --- the walk ---------------------------------------------------------------------------------------------

    def begin(self, state: str) -> None:
        """Start a state: new sign-ins (a new world has new accounts) and a clock."""
        self.state = state
        self.reset_clients()
        self._started = time.perf_counter()

    def begin_error(self) -> None:
        """Within a state, check what forms answer as the error state."""
        self._outer = self.state
        self.state = "error"

    def end_error(self) -> None:
        self.state = self._outer

    def end(self) -> None:
        self.result.seconds[self.state] = time.perf_counter() - self._started

    def walk(self, world: site_walk.World, *, with_errors: bool) -> None:
        """Every page of the URLconf the world can fill (the Django admin aside: Django's own templates), as
        its owner; with ``with_errors``, each page's forms submitted empty too."""
        for route, owner, filled in site_walk.filled_routes(world):
            if owner is None or isinstance(filled, str) or route.is_admin:
                continue
            for kwargs in filled:
                path = site_walk.path_for(route, kwargs)
                if self.visit(route.name, path, owner) and with_errors:
                    filters = self.page.locator(_GET_FORMS).count()
                    self.begin_error()
                    self.submit_forms_empty(route.name, path, owner)
                    if filters:
                        self.page.goto(path)
                        self.submit_filters_invalid(route.name, path, owner)
                    self.end_error()


@contextmanager
def sweeping(browser: Browser, result: SweepResult) -> Iterator[Sweep]:
    sweep = Sweep(browser, result)
    try:
        yield sweep
    finally:
        sweep.close()
