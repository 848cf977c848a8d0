"""Real headless Chromium (Debian's, never Playwright's download) against pytest-django's live server."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BUILT_CSS = Path(settings.BASE_DIR) / "static" / "build" / "app.css"
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", Path(tempfile.gettempdir()) / "odp-e2e"))


# Package scope, not session: Playwright's sync API holds an event loop open while it runs, and other test
# packages that drive a browser of their own (tests/odp/test_schema.py) must start theirs after ours has closed;
# pytest closes it whenever the run leaves this package. (One launch per module cost about a second each.)
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    # Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls from such a
    # thread unless told it is deliberate. Only while our browser is open: a process-wide setting would leak
    # into other tests (``check --deploy`` warns about it).
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE", "true"))
        yield from _launch()


def _launch() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM} for the browser journeys: run `make browser`.")
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci`.")
    if not BUILT_CSS.exists():
        pytest.fail(f"The GOV.UK Frontend build is missing at {BUILT_CSS}: run `npm run build`.")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextmanager
def _context(browser: Browser, **options) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", **options)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(browser: Browser, live_server, transactional_db) -> Iterator[Page]:
    """A page that ignores our CSP, so axe can be injected as a script tag."""
    with _context(browser, bypass_csp=True, base_url=live_server.url) as context:
        yield context.new_page()


@pytest.fixture
def strict_page(browser: Browser, live_server, transactional_db) -> Iterator[Page]:
    """A page under the real Content Security Policy, to prove the service works within it."""
    with _context(browser, base_url=live_server.url) as context:
        yield context.new_page()


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


def assert_accessible(page: Page, name: str) -> None:
    """Run axe against WCAG 2.2 AA on the current page; fail listing every violation. Screenshot it too."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    violations = result["violations"]
    assert not violations, f"{name} ({page.url}) has accessibility violations:\n{_describe(violations)}"
