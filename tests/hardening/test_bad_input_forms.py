"""The bad-input corpus against every HTML form of the service (#8, scope 4).

Every page of the site walk is fetched as the account that uses it and its forms are read from the HTML
(tests/hardening/bad_input.py). Each field of each form then gets each class of the corpus in turn (empty,
oversized, wrong type, script, formula, Unicode edge cases, NUL, invalid UTF-8), the rest of the form as a person
would fill it. Every answer must be a clear one: never a 5xx; a refusal is the GOV.UK error summary linking to a
field on the page and an error message by that field; script is escaped wherever it is shown again; and a refusal
saves nothing (the request wrote no row of any table of the service's apps). Each case runs in a transaction rolled back
afterwards, so accepted values do not pile up. ``test_every_form_handling_url_has_its_form_tried`` fails when a new
URL reads POST without its form being found here."""

from __future__ import annotations

import csv
import inspect
import io
import re
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import connection, transaction
from django.forms import BaseForm
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from odp.tabular import looks_like_formula
from tests.hardening import bad_input, site_walk
from tests.hardening.bad_input import FORMULAS, INJECTED, Form
from tests.hardening.planner import analyse_seeded_tables

# Pages whose forms only another account sees (the owner in site_walk.FILL sees the page without them).
ALSO_AS: list[tuple[str, str, site_walk.Filler]] = [
    ("ideas-detail", "manager", site_walk.FILL["ideas-endorse"][1]),  # endorse: not on your own idea
    ("careers-opportunity", "hop.homeoffice", lambda w: _offered_by(w, "hop.homeoffice")),  # close: the offerer
]


def _offered_by(walk_world: site_walk.World, username: str) -> list[dict[str, Any]]:
    from odp import access
    from skills.models import Opportunity

    offering = access.offering_organisation_ids(walk_world.member(username))
    found = Opportunity.objects.filter(status="open", organisation__in=offering).order_by("pk").first()
    return [{"opportunity_id": found.pk}]


# URLs whose views read POST but have no form of their own to find, and why.
NOT_FORMS: dict[str, str] = {}


def _draft_request_steps(walk_world: site_walk.World) -> list[dict[str, Any]]:
    from srrt.models import SurgeRequest

    draft = SurgeRequest.objects.get(title=DRAFT_REQUEST_TITLE)
    return [{"pk": draft.pk, "step": step} for step in site_walk._srrt_steps()]


DRAFT_REQUEST_TITLE = "Bad-input corpus: a draft surge request"
ALSO_AS += [
    ("srrt-question", "requester", _draft_request_steps),
    ("srrt-check", "requester", lambda w: [{"pk": step["pk"]} for step in _draft_request_steps(w)[:1]]),
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[dict[str, Any]]:
    """The demo world and every form found in it."""
    from innovation import demo as innovation_demo
    from odp import demo
    from reporting import demo as reporting_demo
    from skills import demo as skills_demo
    from srrt import demo as srrt_demo
    from srrt import services as srrt_services

    with django_db_blocker.unblock(), transaction.atomic():
        for seeder in (demo, skills_demo, innovation_demo, srrt_demo, reporting_demo):
            seeder.seed()
        walk_world = site_walk.World()
        site_walk.build_extra_records(walk_world)
        requester = walk_world.member("requester")
        srrt_services.request_save_draft(
            by=requester, answers={"title": DRAFT_REQUEST_TITLE}, organisation=requester.organisation
        )
        analyse_seeded_tables()
        if connection.features.can_defer_constraint_checks:
            connection.check_constraints()  # once here, not again in every test's teardown (PostgreSQL)
        clients: dict[str, Client] = {}
        forms = discover(walk_world, clients)
        yield {
            "world": walk_world,
            "forms": forms,
            "clients": clients,
        }
        transaction.set_rollback(True)


def _client(owner: str, walk_world: site_walk.World, clients: dict[str, Client]) -> Client:
    if owner not in clients:
        client = Client()
        if owner != site_walk.ANONYMOUS:
            client.force_login(walk_world.member(owner).user)
        clients[owner] = client
    return clients[owner]


def _pages(walk_world: site_walk.World) -> Iterator[tuple[str, str, str]]:
    """(URL name, path, account) of every page to read forms from."""
    every = site_walk.routes()
    by_name = {r.name: r for r in every}
    for route in every:
        if route.is_admin or route.pattern.startswith("api/") or route.name not in site_walk.FILL:
            continue
        owner, filler = site_walk.FILL[route.name]
        for kwargs in filler(walk_world):
            yield route.name, site_walk.path_for(route, kwargs), owner
    for name, who, filler in ALSO_AS:
        for kwargs in filler(walk_world):
            yield name, site_walk.path_for(by_name[name], kwargs), who


def discover(walk_world: site_walk.World, clients: dict[str, Client]) -> dict[tuple, Form]:
    """One of each form (action, method, field names) on every page the walk reaches."""
    found: dict[tuple, Form] = {}
    for name, path, who in _pages(walk_world):
        response = _client(who, walk_world, clients).get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        for form in bad_input.forms_in(response.content.decode(), page=name, page_path=path, owner=who):
            found.setdefault(form.key, form)
    return found


def _reads_post(route: site_walk.Route) -> bool:
    """Whether the view behind a URL handles a submission: a class view with ``post``, or a function view (its
    source, decorators included) that reads ``request.POST``/``FILES``, checks the method or requires POST."""
    view_class = getattr(route.callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    source = inspect.getsource(inspect.unwrap(route.callback))
    return bool(re.search(r"POST|FILES|request\.method", source))


def form_handling_routes() -> set[str]:
    return {
        r.name
        for r in site_walk.routes()
        if not r.is_admin and not r.pattern.startswith("api/") and r.name not in ("api-not-found",) and _reads_post(r)
    }


def test_every_form_handling_url_has_its_form_tried(world, db):
    """A new page that takes a submission must have its form found (add it to site_walk.FILL or ALSO_AS) or be
    listed in NOT_FORMS with the reason."""
    handling = form_handling_routes()
    tried = {form.action_name for form in world["forms"].values()}

    assert len(handling) >= 50, f"only {len(handling)} form-handling URLs found: is the view inspection broken?"
    assert not [a for a in tried if a.startswith("unresolved")], "a form posts to a URL that is not in the URLconf"
    missing = handling - tried - set(NOT_FORMS)
    assert not missing, f"URLs that take submissions but whose form the corpus never tried: {sorted(missing)}"
    assert not set(NOT_FORMS) & tried, "a URL listed in NOT_FORMS has a form now: take it off the list"


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


def _summary_links(html: str) -> list[str]:
    summary = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="#([^"]*)"', summary)


def _field_errors_not_by_their_field(response: Any, html: str) -> list[str]:
    """Each field's error is in the summary and again by the field (so at least twice on the page). Errors about the
    whole form (a wrong password, a state that no longer allows the action) are in the summary only."""
    missing = []
    for context in response.context or []:
        for values in context.dicts:
            for value in values.values():
                if not isinstance(value, BaseForm) or not value.is_bound:
                    continue
                for name, errors in value.errors.items():
                    if name == NON_FIELD_ERRORS:
                        continue
                    missing += [str(e) for e in errors if html.count(str(escape(e))) < 2]
    return sorted(set(missing))


_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_APP_TABLES = ("odp_", "skills_", "innovation_", "srrt_", "reporting_", "authtoken_")


def app_writes(queries: CaptureQueriesContext) -> list[str]:
    """The service's tables that a request wrote to (inserted, updated or deleted rows of), from the SQL it sent.
    Cheaper than counting every table's rows around each request, and stronger: it catches an UPDATE too. The
    session and sign-in attempt tables are Django's and django-axes', not the service's."""
    found = (_WRITE.match(q["sql"]) for q in queries.captured_queries)
    return sorted({m.group(1) for m in found if m and m.group(1).startswith(_APP_TABLES)})


def _submit(client: Client, form: Form, body: bytes) -> Any:
    if form.method == "GET":
        return client.get(f"{urlsplit(form.action).path}?{body.decode('ascii')}")
    return client.post(form.action, body, content_type="application/x-www-form-urlencoded")


def check_case(form: Form, case: bad_input.Case, client: Client) -> tuple[str, list[str]]:
    """Send one case in a transaction rolled back afterwards; the outcome and any problems found."""
    body = bad_input.encode(bad_input.apply(bad_input.baseline(form), case))
    problems: list[str] = []
    where = f"{form} field {case.field!r} with {case.label}"
    with transaction.atomic():
        cache.clear()  # throttles and sign-in lockouts count in the cache
        try:
            with CaptureQueriesContext(connection) as queries:
                response = _submit(client, form, body)
        except Exception as error:  # the test client re-raises a view's exception: that is the 500
            transaction.set_rollback(True)
            return "5xx", [f"{where}: server error {type(error).__name__}: {str(error)[:300]}"]
        status = response.status_code
        html = response.content.decode("utf-8", "replace") if "html" in response.get("Content-Type", "") else ""
        if status >= 500:
            problems.append(f"{where}: {status}")
        if any(marker in html for marker in INJECTED):
            problems.append(f"{where}: script shown unescaped in the answer")
        if status in (301, 302, 303):
            outcome = "accepted and saved" if app_writes(queries) else "accepted"
            if case.corpus_class == "script":
                shown = client.get(response["Location"])
                if any(marker in shown.content.decode("utf-8", "replace") for marker in INJECTED):
                    problems.append(f"{where}: script shown unescaped on {response['Location']}")
        elif 'class="govuk-error-summary"' in html:
            outcome = "refused"
            links = _summary_links(html)
            ids = _ids(html)
            if not links:
                problems.append(f"{where}: an error summary with no links to the fields")
            elif any(link not in ids for link in links):
                problems.append(f"{where}: error summary links to {links}, not all of them on the page")
            # A refusal about the field itself also shows the message by the field (the summary alone is for
            # refusals about the whole form, such as a wrong password or a state that no longer allows it).
            unshown = _field_errors_not_by_their_field(response, html)
            if unshown:
                problems.append(f"{where}: errors in the summary but not by their field: {unshown}")
            written = app_writes(queries)
            if written:
                problems.append(f"{where}: refused, yet it wrote {written}")
        elif status == 200 and form.method == "GET":
            outcome = "shown"  # a filter: what it cannot use, it leaves out
        else:
            # Only a value no page offers (a tampered hidden field, a filter naming something out of scope) may
            # be ignored (the page again) or refused without a form error (404 for what is not yours); either way
            # nothing is saved.
            outcome = "ignored" if status == 200 else str(status)
            tampered = form.fields[case.values[0][0]].kind == "hidden" or form.method == "GET"
            if not tampered:
                problems.append(f"{where}: {status} with no error summary")
            written = app_writes(queries)
            if written:
                problems.append(f"{where}: answered {status}, yet it wrote {written}")
        transaction.set_rollback(True)
    return outcome, problems


def test_every_form_answers_bad_input_clearly_and_saves_nothing_when_it_refuses(world, db):
    started = time.perf_counter()
    problems: list[str] = []
    outcomes: Counter[str] = Counter()
    seconds_by_class: Counter[str] = Counter()
    forms = list(world["forms"].values())
    for form in forms:
        client = _client(form.owner, world["world"], world["clients"])
        for case in bad_input.cases_for(form):
            case_started = time.perf_counter()
            outcome, found = check_case(form, case, client)
            seconds_by_class[case.corpus_class] += time.perf_counter() - case_started
            outcomes[outcome] += 1
            problems += found
    seconds = time.perf_counter() - started
    answers = ", ".join(f"{k}: {n}" for k, n in sorted(outcomes.items()))
    print(f"\nbad-input corpus: {len(forms)} forms, {outcomes.total()} cases in {seconds:.1f}s ({answers})")
    print("seconds by corpus class: " + ", ".join(f"{k} {v:.1f}" for k, v in seconds_by_class.most_common()))
    assert len(forms) >= 60, f"only {len(forms)} forms found: did the walk or the parser break?"
    # What makes "nothing saved" mean something: the same detection sees the accepted submissions' writes.
    assert outcomes["accepted and saved"] >= 200, "the write detection no longer sees accepted submissions' writes"
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:200])


def test_formula_text_a_form_accepts_is_neutralised_in_the_download(world, db):
    """Formula-looking text is fine to keep as typed (it may be a real title), but a spreadsheet must not run it:
    an idea raised through the question pages with formulas as its answers, then submitted, comes out of the
    ideas CSV download with each such cell prefixed by an apostrophe, and no cell of the download can run."""
    from innovation.models import Idea

    staff = _client("staff", world["world"], world["clients"])
    admin = _client("admin", world["world"], world["clients"])
    draft = Idea.objects.filter(author=world["world"].member("staff"), status="draft").order_by("pk").first()
    answers = {"title": FORMULAS[0], "problem": FORMULAS[1], "change": FORMULAS[2]}
    fields = {"title": "title", "problem": "problem", "change": "proposed_change"}
    with transaction.atomic():
        for step, value in answers.items():
            answered = staff.post(reverse("ideas-question", args=[draft.pk, step]), {fields[step]: value})
            assert answered.status_code == 302, f"the {step} page refused {value!r}: {answered.content[:300]!r}"
        submitted = staff.post(reverse("ideas-check", args=[draft.pk]))
        draft.refresh_from_db()
        download = admin.get(reverse("ideas-export"))
        transaction.set_rollback(True)

    assert submitted.status_code == 302 and draft.status == "submitted", "the idea was not submitted"
    assert (draft.title, draft.problem) == (FORMULAS[0], FORMULAS[1]), "saved as typed, as plain text"
    cells = [cell for row in csv.reader(io.StringIO(download.content.decode("utf-8"))) for cell in row]
    assert f"'{FORMULAS[0]}" in cells, "the idea's title is in the download, neutralised"
    assert not [cell for cell in cells if looks_like_formula(cell)], "a cell of the download would run as a formula"
