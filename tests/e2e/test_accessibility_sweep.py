"""Accessibility sweep (#8, item 7): every page in every state checked with axe-core (WCAG 2.2 AA) in Chromium.

One browser page for the whole module; each world is seeded once inside a transaction and rolled back
(tests/e2e/a11y_sweep.py: Chromium renders what Django's test client serves in-process):

- populated: every GET-able page of the URLconf, filled with real records of the demo world and visited as the
  account that reaches the real page (tests/hardening/site_walk.py), plus the pages no URL of the walk shows
  (the landing page, a sign-in without a member record, the 403/404/500 pages, the lock-out page, a draft surge
  request's questions);
- error: every POST form on those pages with something to fill in, submitted empty, so the error summary and
  field errors render; a bad file through each upload; a draft surge request submitted unfinished;
- empty: the same walk on a world with the demo's organisations and accounts but no records, so the empty
  states render (routes whose records cannot exist there drop out of the walk by themselves).

Downloads and JSON are left out by content type. The Django admin is left out: it is Django's own templates.
Every template of ours must be rendered for some page that was checked, or be in ``NOT_CHECKED`` with why."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from playwright.sync_api import Browser

from tests.e2e.a11y_sweep import RULES_OFF, Sweep, SweepResult, sweeping
from tests.hardening import site_walk
from tests.hardening.planner import analyse_seeded_tables
from tests.hardening.site_walk import ANONYMOUS, SUPERUSER

pytestmark = pytest.mark.e2e

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Templates no checked page renders, and why.
NOT_CHECKED = {
    "reporting/report/pdf.html": (
        "the annual report's PDF source, rendered by WeasyPrint into a tagged PDF (pdf/ua-1), never served as a "
        "page; tests/reporting checks the PDF's tags and text. Its content is _document.html, which the preview "
        "and the published report pages show and this sweep checks"
    ),
}


def _server_error(client: Client) -> HttpResponse:
    """The 500 page as Django's handler500 renders it (no view here fails on purpose)."""
    from odp.web.views import server_error

    return server_error(RequestFactory().get("/"))


def _locked_out(client: Client) -> HttpResponse:
    """Too many wrong passwords for one username: django-axes answers with the lock-out page."""
    response = HttpResponse()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(reverse("login"), {"username": "sweep-typo", "password": "not-the-password"})
    return response


# A page with a known failure (an image with no text alternative): proves axe runs in these pages and its
# findings reach the tests.
_CANARY = (
    '<!DOCTYPE html><html lang="en-GB"><head><title>Canary</title></head>'
    '<body><main><h1>Canary</h1><img src="/static/canary.png"></main></body></html>'
)


def _populated_extras(sweep: Sweep) -> None:
    """Pages and states the URLconf walk does not reach with the demo world's records."""
    from innovation.models import Idea
    from odp.models import Member
    from reporting.models import PdfStatus, ReportVersion
    from skills.models import Cohort, Framework
    from srrt import services as srrt_services
    from srrt.forms import STEPS

    sweep.synthetic.update({"/sweep/server-error/": _server_error, "/sweep/locked-out/": _locked_out})
    sweep.visit("home", "/", ANONYMOUS)  # the landing page
    sweep.visit("home", "/", SUPERUSER)  # signed in with no member record
    sweep.visit("page-not-found", "/no-such-page/", "staff", statuses=(404,))
    sweep.visit("page-not-found", "/no-such-page/", ANONYMOUS, statuses=(404,))
    framework = Framework.objects.order_by("pk").first()
    # The admin refuses to delete the framework's structure (403), with our 403 page.
    sweep.visit(
        "permission-denied", reverse("admin:skills_framework_delete", args=[framework.pk]), SUPERUSER, statuses=(403,)
    )
    sweep.visit("server-error", "/sweep/server-error/", ANONYMOUS, statuses=(500,))
    sweep.visit("locked-out", "/sweep/locked-out/", ANONYMOUS, statuses=(200, 403, 429))
    sweep.synthetic["/sweep/canary/"] = lambda client: HttpResponse(_CANARY)
    sweep.state = "canary"
    sweep.visit("canary", "/sweep/canary/", ANONYMOUS)
    sweep.state = "populated"

    # A requester's draft surge request: its questions, and its check page submitted before it is complete.
    requester = Member.objects.get(user__username="requester")
    draft = srrt_services.request_save_draft(
        by=requester, answers={"title": "Accessibility sweep draft"}, organisation=requester.organisation
    )
    for step in STEPS:
        path = reverse("srrt-question", args=[draft.pk, step.slug])
        if sweep.visit("srrt-question", path, "requester"):
            sweep.begin_error()
            sweep.submit_forms_empty("srrt-question", path, "requester")
            sweep.end_error()
    path = reverse("srrt-check", args=[draft.pk])
    if sweep.visit("srrt-check", path, "requester"):
        sweep.begin_error()
        sweep.submit_forms_empty("srrt-check", path, "requester", buttons=True)
        sweep.end_error()

    # The decision form, on an idea under review (the walk's submitted idea offers "Start review" instead).
    home_office = Member.objects.get(user__username="hop.homeoffice").organisation
    idea = Idea.objects.filter(status="under_review", organisation__in=[home_office, *home_office.children.all()])
    path = reverse("ideas-decide", args=[idea.order_by("pk").first().pk])
    if sweep.visit("ideas-decide", path, "hop.homeoffice"):
        sweep.begin_error()
        sweep.submit_forms_empty("ideas-decide", path, "hop.homeoffice")
        sweep.end_error()

    # A published report version's page, as its PDF is produced and once it is ready (the walk's is the draft).
    published = ReportVersion.objects.filter(status="published").order_by("pk").first()
    path = reverse("reporting-report-version", args=[published.pk])
    sweep.visit("reporting-report-version", path, "admin")
    ReportVersion.objects.filter(pk=published.pk).update(pdf_status=PdfStatus.RUNNING)
    sweep.visit("reporting-report-version", path + "?running", "admin")  # (a query the page ignores: a new address)
    ReportVersion.objects.filter(pk=published.pk).update(pdf_status=published.pdf_status)

    # Files with problems: each upload lists them row by row.
    sweep.begin_error()
    sweep.upload("web-skills-import", reverse("web-skills-import"), "admin", "bad.csv", b"group_code,name\nCS,=cmd()\n")
    cohort = Cohort.objects.order_by("pk").first()
    sweep.upload(
        "web-skills-cohort",
        reverse("web-skills-cohort", args=[cohort.pk]),
        "admin",
        "bad.csv",
        b"username\nno-such-person\n",
    )
    sweep.end_error()


@pytest.fixture(scope="module")
def swept(browser: Browser, django_db_setup, django_db_blocker) -> Iterator[SweepResult]:
    from innovation import demo as innovation_demo
    from odp import demo
    from reporting import demo as reporting_demo
    from skills import demo as skills_demo
    from srrt import demo as srrt_demo

    result = SweepResult()
    with django_db_blocker.unblock(), sweeping(browser, result) as sweep:
        with transaction.atomic():
            started = time.perf_counter()
            for seeder in (demo, skills_demo, innovation_demo, srrt_demo, reporting_demo):
                seeder.seed()
            world = site_walk.World()
            site_walk.build_extra_records(world)
            analyse_seeded_tables()
            result.seconds["seeding"] = time.perf_counter() - started
            sweep.begin("populated")
            sweep.walk(world, with_errors=True)
            _populated_extras(sweep)
            sweep.end()
            transaction.set_rollback(True)
        with transaction.atomic():
            demo.seed()  # organisations, members, roles and sign-ins; no framework, ideas, requests or reports
            analyse_seeded_tables()
            sweep.begin("empty")
            sweep.walk(site_walk.World(), with_errors=False)
            sweep.visit("home", "/", ANONYMOUS)
            sweep.end()
            transaction.set_rollback(True)
    print(  # shown with -s: what the sweep covered and where its time went
        f"\naccessibility sweep: {result.count('populated')} populated, {result.count('error')} error, "
        f"{result.count('empty')} empty pages; seconds { ({k: round(v, 1) for k, v in result.seconds.items()}) }"
    )
    yield result
    # While Playwright's loop runs, this thread's ORM uses context-local connections that pytest-django's own
    # teardown (after the browser has closed) cannot see: close them here, or PostgreSQL refuses to drop the
    # test database ("being accessed by other users").
    with django_db_blocker.unblock():
        connections.close_all()


def _report(swept: SweepResult, state: str) -> str:
    return f"{len(swept.failing(state))} of {swept.count(state)} {state} pages fail axe:\n\n" + "\n\n".join(
        swept.failing(state)
    )


def test_the_sweep_served_no_server_error(swept: SweepResult, db):
    assert swept.server_errors == []


def test_populated_pages_pass_axe(swept: SweepResult, db):
    assert swept.count("populated") > 100
    assert not swept.failing("populated"), _report(swept, "populated")


def test_error_pages_pass_axe(swept: SweepResult, db):
    assert swept.count("error") > 50
    assert not swept.failing("error"), _report(swept, "error")


def test_empty_pages_pass_axe(swept: SweepResult, db):
    assert swept.count("empty") > 40
    assert not swept.failing("empty"), _report(swept, "empty")


def test_an_error_page_says_error_in_its_title_and_its_summary_links_lead_to_the_fields(swept: SweepResult, db):
    """GOV.UK's error pattern: the title starts "Error: " so a screen reader hears it first, and each link in the
    error summary moves focus to the field with the problem."""
    errors = [c for c in swept.checks if c.state == "error"]
    untitled = [f"{c.who} {c.path}: {c.title!r}" for c in errors if not c.title.startswith("Error: ")]
    dead = [f"{c.who} {c.path}: {c.dead_links}" for c in swept.checks if c.dead_links]
    assert untitled == []
    assert dead == []


def test_the_sweep_sees_a_violation_when_there_is_one(swept: SweepResult, db):
    [canary] = [c for c in swept.checks if c.state == "canary"]
    assert [v["id"] for v in canary.violations] == ["image-alt"]


def test_a_form_that_refuses_empty_answers_says_why_in_an_error_summary(swept: SweepResult, db):
    """A form submitted empty either takes it (every field optional: it redirects on) or answers with the GOV.UK
    error summary; never the same form again with nothing said."""
    silent = [line for line in swept.forms_without_error if line.endswith("no error summary")]
    assert silent == []


def test_every_page_loaded(swept: SweepResult, db):
    """What the walk's owners were not shown as a page: a bare 405 for a POST-only action (no HTML to check), and
    in the empty world the framework pages that need a published framework (404 without one)."""
    unexpected = [
        line
        for line in swept.not_checked
        if not line.endswith("-> 405")
        and line
        not in {"empty admin /skills/framework/drafts/new/ -> 404", "empty admin /skills/framework/import/ -> 404"}
    ]
    assert unexpected == []


def test_every_template_is_checked_in_some_state(swept: SweepResult, db):
    ours = {str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")}
    for app in settings.INSTALLED_APPS:  # templates of our own apps, if any app keeps its own
        app_dir = Path(settings.BASE_DIR) / app.split(".")[0] / "templates"
        if app_dir.is_dir():
            ours |= {str(p.relative_to(app_dir)) for p in app_dir.rglob("*.html")}
    assert len(ours) > 100
    unchecked = ours - swept.templates - set(NOT_CHECKED)
    assert unchecked == set(), "templates no checked page rendered: check them in some state or say why not"
    assert set(NOT_CHECKED) <= ours, "NOT_CHECKED names a template that no longer exists"
    assert set(NOT_CHECKED).isdisjoint(swept.templates), "a NOT_CHECKED template is checked now: drop it"


def test_rules_are_left_out_only_for_pages_that_exist(db):
    names = {route.name for route in site_walk.routes()}
    assert set(RULES_OFF) <= names
