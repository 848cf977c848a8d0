"""Keyboard-only walks of the main journeys in Chromium on the demo world (#8, accessibility).

Nothing here clicks or fills: every journey tabs to a control and presses Enter, Space or the arrow keys, and types
into the field that has focus (tests/e2e/keyboard.py). Each stop passed shows GOV.UK's focus state and is in view;
each page walked end to end starts at the skip link, follows the reading order, and lets Tab and Shift+Tab leave.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from innovation import demo as innovation_demo
from innovation.models import Idea
from odp import demo as odp_demo
from odp.models import Member
from reporting import demo as reporting_demo
from reporting.annual_report import services as report_services
from reporting.models import ReportVersion
from skills import demo as skills_demo
from skills import selectors as skills_selectors
from srrt.models import SurgeRequest, SurgeStatus
from tests.e2e.keyboard import Keyboard, KeyboardProblem

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "odp-demo-password"  # the published demo-only password (docs/demo-accounts.md)
SURGE_TITLE = "Self Assessment helpline calls after the January deadline"
TITLE = "Send passport applicants a text when their passport is printed"


@pytest.fixture
def people(settings, transactional_db) -> None:
    settings.ODP_EMBEDDED = True
    odp_demo.seed()


def sign_in(keys: Keyboard, username: str) -> None:
    page = keys.page
    page.goto("/sign-in/")
    keys.type_into(page.get_by_label("Username"), username)
    keys.type_into(page.get_by_label("Password", exact=True), DEMO_PASSWORD)
    keys.activate(page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("heading", level=1)).to_have_text("What you can do")


@pytest.fixture
def skills_world(people) -> None:
    skills_demo.seed()


def menu(keys: Keyboard, name: str) -> None:
    keys.activate(keys.page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True))


def sign_out(keys: Keyboard) -> None:
    keys.activate(keys.page.get_by_role("button", name="Sign out"))
    expect(keys.page.get_by_role("heading", level=1)).to_have_text("You have signed out")


def follow_first_error(keys: Keyboard, field: Locator) -> None:
    """The error summary has focus when the page loads; its first link, followed with Enter, moves focus to the
    field, which shows its focus and is scrolled into view."""
    page = keys.page
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    keys.tab_to(summary.get_by_role("link").first, limit=1)
    page.keyboard.press("Enter")
    expect(field).to_be_focused()
    keys.assert_focused(field)


def test_sign_in_with_the_keyboard(page: Page, people):
    keys = Keyboard(page)
    page.goto("/sign-in/")
    # The skip link is the first stop and takes focus past the header to the main content.
    keys.tab_to(page.get_by_role("link", name="Skip to main content"), limit=1)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    keys.type_into(page.get_by_label("Username"), "staff", limit=1)
    keys.type_into(page.get_by_label("Password", exact=True), "not-the-password", limit=1)
    keys.activate(page.get_by_role("button", name="Sign in"))
    follow_first_error(keys, page.get_by_label("Username"))
    keys.walk()

    # The password's Show button works from the keyboard and says what it will do next.
    password = page.get_by_label("Password", exact=True)
    keys.type_into(password, DEMO_PASSWORD, replace=True)
    keys.tab_to(page.get_by_role("button", name="Show password"), limit=1)
    page.keyboard.press("Enter")
    expect(password).to_have_attribute("type", "text")
    keys.assert_focused(page.get_by_role("button", name="Hide password"))
    page.keyboard.press("Space")
    expect(password).to_have_attribute("type", "password")
    keys.tab_to(password, backwards=True, limit=1)
    with keys.navigation():
        page.keyboard.press("Enter")  # Enter in a field submits its form
    expect(page.get_by_role("heading", level=1)).to_have_text("What you can do")
    keys.walk()

    # At 400% zoom (1280 CSS pixels leave 320) the service navigation folds behind its Menu button.
    page.set_viewport_size({"width": 320, "height": 640})
    open_menu(keys)
    keys.activate(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Ideas"), limit=5)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ideas from the front line")
    keys.walk()  # links wrapping onto the next line are still in reading order; the filters stack in one column
    open_menu(keys)
    sign_out(keys)
    keys.walk()


def open_menu(keys: Keyboard) -> None:
    button = keys.page.get_by_role("button", name="Menu")
    keys.tab_to(button)
    expect(button).to_have_attribute("aria-expanded", "false")
    keys.page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")


def test_staff_self_assesses_a_skill_their_manager_confirms_and_an_admin_imports_a_framework(page: Page, skills_world):
    staff = Member.objects.get(user__username="staff")
    mine = skills_selectors.my_skills(staff)
    skill = next(s for s in mine.standings if s.current_level == 0).skill
    keys = Keyboard(page)

    sign_in(keys, "staff")
    menu(keys, "My skills")
    expect(page.get_by_role("heading", level=1)).to_have_text("My skills")
    keys.walk()
    keys.activate(page.get_by_role("link", name=f"Assess {skill.name}"), limit=80)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"What level are you at in {skill.name}?")
    keys.walk()

    keys.activate(page.get_by_role("button", name="Save assessment"))
    follow_first_error(keys, page.locator("#id_level"))
    keys.walk()

    keys.choose(page.locator('input[name="level"]').nth(1))
    keys.type_into(page.get_by_label("Evidence (optional)"), "I coached two new starters through their first month.")
    keys.activate(page.get_by_role("button", name="Save assessment"))
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(f"for {skill.name}")
    expect(banner).to_be_focused()
    keys.walk()
    sign_out(keys)

    sign_in(keys, "manager")
    menu(keys, "My team")
    keys.walk()
    keys.activate(page.get_by_role("link", name=f"Respond to {staff.full_name}'s {skill.name} assessment"), limit=80)
    expect(page.get_by_role("heading", level=1)).to_have_text(skill.name)
    keys.walk()
    keys.activate(page.get_by_role("button", name="Save response"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"You confirmed {staff.full_name}'s {skill.name} assessment"
    )
    sign_out(keys)

    # An admin imports a framework file: a link drawn as a button works with Space, and so does the file input.
    sign_in(keys, "admin")
    menu(keys, "Skills framework")
    keys.walk()
    keys.activate(page.get_by_role("button", name="Import a version from a file"), key="Space")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a framework version")
    keys.walk()
    # A bad file is refused with every problem listed, and the error summary leads back to the file input.
    upload = page.get_by_label("Upload a framework file")
    # (Listening first: Playwright turns on file chooser interception asynchronously, and a key pressed before it
    # is on opens a native dialog nobody sees.)
    with page.expect_file_chooser() as chooser:
        keys.tab_to(upload)
        page.keyboard.press("Space")
    chooser.value.set_files(files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": b"group_code,name\nCS,=x\n"}])
    keys.activate(page.get_by_role("button", name="Import as a draft"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Nothing was imported")
    follow_first_error(keys, upload)
    keys.walk()


@pytest.fixture
def ideas_world(people) -> None:
    innovation_demo.seed()


def _continue(keys: Keyboard) -> None:
    keys.activate(keys.page.get_by_role("button", name="Continue"))


def test_staff_raises_an_idea_and_the_head_of_profession_decides_it(page: Page, ideas_world):
    keys = Keyboard(page)
    sign_in(keys, "staff")
    menu(keys, "Ideas")
    keys.activate(page.get_by_role("link", name="Your ideas"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ideas")
    keys.walk()
    # A link drawn as a start button: GOV.UK Frontend's button module makes Space work on it, as on a button.
    keys.activate(page.get_by_role("button", name="Raise an idea"), key="Space")
    expect(page.get_by_role("heading", level=1)).to_have_text("What is your idea called?")

    _continue(keys)
    follow_first_error(keys, page.get_by_label("What is your idea called?"))
    page.keyboard.type(TITLE)
    # Similar ideas appear beside the question as the author types: reachable after the form, in reading order.
    expect(page.locator("#similar-ideas")).to_be_visible()
    stops = keys.walk()
    similar = [s for s in stops if s.region == "main" and "passport" in s.what.lower()]
    assert similar, "the similar ideas are not in the tab order"
    _continue(keys)

    keys.type_into(
        page.get_by_label("What is the problem and who does it affect?"),
        "Applicants ring us to ask where their passport is, because nothing tells them it has been printed.",
    )
    _continue(keys)
    keys.type_into(page.get_by_label("What change do you propose?"), "Send a text message when it is printed.")
    _continue(keys)
    keys.type_into(page.get_by_label("Staff hours saved a year (optional)"), "1200")
    keys.walk()
    _continue(keys)
    keys.choose(page.get_by_label("Passports and identity"))
    keys.walk()
    _continue(keys)
    keys.check(page.get_by_label("Digital and AI"))
    keys.walk()
    _continue(keys)
    keys.choose(page.get_by_label("All of government"))
    _continue(keys)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting your idea")
    expect(page.locator(".govuk-summary-list")).to_contain_text("1,200 hours a year")
    keys.walk()
    keys.activate(page.get_by_role("button", name="Submit idea"))
    idea = Idea.objects.get(title=TITLE)
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text(idea.reference)
    keys.walk()
    keys.activate(page.get_by_role("link", name="Go to your ideas"))
    keys.tab_to(page.get_by_role("row").filter(has_text=idea.reference).get_by_role("link", name=TITLE))
    sign_out(keys)

    sign_in(keys, "hop.homeoffice")
    menu(keys, "Review ideas")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ideas to review")
    keys.walk()
    keys.activate(page.get_by_role("link", name=TITLE), limit=120)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    keys.walk()
    details = page.locator("details.govuk-details")
    keys.tab_to(details.locator("summary"))
    page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")
    page.keyboard.press("Space")
    expect(details).not_to_have_attribute("open", "")

    keys.activate(page.get_by_role("button", name="Start review"))
    expect(page.locator(".govuk-notification-banner")).to_be_focused()
    keys.activate(page.get_by_role("button", name="Record decision"))
    follow_first_error(keys, page.locator("#id_outcome_0"))
    keys.walk()
    keys.choose(page.get_by_label("Accepted"))
    keys.type_into(page.get_by_label("Feedback for the author"), "A clear win. We will pilot it in Peterborough.")
    keys.activate(page.get_by_role("button", name="Record decision"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Decision recorded")
    idea.refresh_from_db()
    assert idea.status == "accepted"


def test_requester_raises_a_surge_request(page: Page, skills_world):
    keys = Keyboard(page)
    sign_in(keys, "requester")
    menu(keys, "Surge requests")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your surge requests")
    keys.walk()
    keys.activate(page.get_by_role("button", name="Request surge support"))

    keys.type_into(page.get_by_label("What is the request called?"), SURGE_TITLE)
    keys.select(page.get_by_label("Which organisation needs the support?"), "HM Revenue & Customs")
    keys.walk()
    _continue(keys)
    keys.choose(page.get_by_label("Seasonal peak"))
    _continue(keys)
    keys.type_into(page.get_by_label("What happened?"), "Calls doubled in the week after the deadline.")
    keys.type_into(page.get_by_label("Why do you need support now?"), "Waits are over an hour.")
    _continue(keys)
    keys.type_into(page.get_by_label("Forecast volume"), "180000")
    keys.type_into(page.get_by_label("Normal capacity"), "120000")
    keys.type_into(page.get_by_label("Unit"), "calls a week")
    _continue(keys)

    # An empty date: the error summary's link lands on the day box.
    start = page.get_by_role("group", name="Start date")
    _continue(keys)
    follow_first_error(keys, start.get_by_label("Day"))
    day = timezone.localdate() + datetime.timedelta(days=10)
    page.keyboard.type(str(day.day))
    keys.type_into(start.get_by_label("Month"), str(day.month))
    keys.type_into(start.get_by_label("Year"), str(day.year))
    keys.type_into(page.get_by_label("Expected duration, in days"), "28", replace=True)
    keys.walk()
    _continue(keys)
    keys.type_into(page.get_by_label("How many people do you need?"), "6")
    _continue(keys)
    keys.check(page.locator("input[name=skills_needed]").first)
    _continue(keys)
    keys.type_into(page.get_by_label("Where is the work?"), "Shipley and Washington contact centres")
    keys.select(page.get_by_label("Which region is most of the work in?"), "yorkshire")
    keys.choose(
        page.get_by_role("group", name="Does any of the work involve deployment outside the UK?").get_by_label("No")
    )
    keys.walk()
    _continue(keys)
    keys.choose(page.get_by_label("Security Check (SC)"))
    _continue(keys)
    for option in ("Overtime", "Internal redeployment", "Recruitment", "Contractors or third parties"):
        keys.choose(page.get_by_role("group", name=option, exact=True).get_by_label("Tried"))
        keys.type_into(page.get_by_label(f"Why is {option.lower()} not enough?"), "It covers a third of the calls.")
    keys.choose(page.get_by_role("group", name="Mutual aid from other departments").get_by_label("Not considered"))
    keys.walk()
    _continue(keys)
    keys.choose(page.get_by_label("Partly"))
    _continue(keys)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting your request")
    keys.walk()
    keys.activate(page.get_by_role("button", name="Submit request"))
    surge_request = SurgeRequest.objects.get(title=SURGE_TITLE)
    assert surge_request.status == SurgeStatus.SUBMITTED
    assert surge_request.start_date == day
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text(surge_request.reference)
    keys.walk()


def test_admin_filters_the_profession_dashboard_then_anyone_reads_the_annual_report(page: Page, ideas_world):
    skills_demo.seed()
    reporting_demo.seed()
    draft = ReportVersion.objects.get(status="draft")
    report_services.submit(Member.objects.get(user__username="admin"), draft)
    report_services.approve(Member.objects.get(user__username="admin2"), draft)
    keys = Keyboard(page)
    sign_in(keys, "admin")
    menu(keys, "Profession dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text("The profession")
    keys.walk()

    keys.select(page.get_by_label("Grade", exact=True), "EO")
    keys.select(page.get_by_label("Job family", exact=True), "casework")
    keys.activate(page.get_by_role("button", name="Apply filters"))
    expect(page.get_by_label("Job family", exact=True)).to_have_value("casework")
    expect(page.locator("#headline-note")).to_contain_text(
        "members at Executive Officer (EO) in the Casework and decision making job family"
    )
    stops = keys.walk()
    assert sum("CSV" in s.what for s in stops) >= 5, "the tables' downloads are not all in the tab order"
    download = keys.download(page.locator("#table-coverage").get_by_role("link", name=re.compile("^CSV")))
    with open(download.path(), encoding="utf-8") as downloaded:
        assert downloaded.read().startswith("Organisation,Expected skills assessed,Skills at or above expected")

    # A hand-edited filter is a GOV.UK error whose link puts focus on the select.
    page.goto("/reporting/profession/?job_family=astronaut")
    follow_first_error(keys, page.get_by_label("Job family", exact=True))
    keys.walk()
    sign_out(keys)

    page.goto(f"/annual-report/{draft.report.year}/")
    # A chart wider than the report's column can be scrolled from the keyboard, so it shows focus when it has it.
    stops = keys.walk()
    charts = [s for s in stops if s.what.startswith("div.odp-chart-svg")]
    assert charts, "no chart is wider than its column: the scrolling chart is not tested"
    download = keys.download(page.get_by_role("link", name="Figures (CSV)"))
    assert download.suggested_filename.endswith(".csv")


# A page of our own layout with one fault at a time: proof that each check above fails when it should.
_FAULTY_PAGE = """<!DOCTYPE html><html lang="en"><head><link rel="stylesheet" href="{css}">{style}</head>
<body class="govuk-template__body"><a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header><a class="govuk-link" href="#">Service</a></header>
<div class="govuk-width-container"><main id="main-content">
<p class="govuk-body"><a class="govuk-link" id="first" href="#">First</a></p>{body}
<p class="govuk-body"><a class="govuk-link" id="last" href="#">Last</a></p>
</main></div><footer><a class="govuk-link" href="#">Privacy</a></footer>{script}</body></html>"""

_FAULTS = {
    "no visible focus indicator": {"body": '<button class="plain">Plain</button>', "style": ".plain:focus{outline:0}"},
    "not visible in the viewport": {
        "body": '<a class="govuk-link" href="#" style="position:absolute;left:-999px">Off</a>'
    },
    "positive tabindex": {"body": '<a class="govuk-link" href="#" tabindex="2">Jumps the queue</a>'},
    "back up and to the left": {
        "body": '<p class="govuk-body up"><a class="govuk-link" href="#">Drawn first, reached last</a></p>',
        "style": ".up{position:absolute;top:0;left:0}",
    },
    "trap": {
        "body": '<input class="govuk-input" id="trap">',
        "script": "<script>document.getElementById('trap').addEventListener('keydown', e => {"
        "if (e.key === 'Tab') e.preventDefault(); });</script>",
    },
}


@pytest.mark.parametrize("fault", list(_FAULTS))
def test_the_keyboard_checks_find_each_fault(page: Page, live_server, fault: str):
    css = f"{live_server.url}/static/build/app.css"
    parts = {"style": "", "body": "", "script": "", **_FAULTS[fault]}
    if parts["style"]:
        parts["style"] = f"<style>{parts['style']}</style>"
    page.set_content(_FAULTY_PAGE.format(css=css, **parts))
    with pytest.raises(KeyboardProblem, match=fault):
        Keyboard(page).walk()


def test_the_keyboard_checks_pass_the_same_page_without_faults(page: Page, live_server):
    page.set_content(_FAULTY_PAGE.format(css=f"{live_server.url}/static/build/app.css", style="", body="", script=""))
    keys = Keyboard(page)
    assert [s.what for s in keys.walk()] == [
        'a "Skip to main content"',
        'a "Service"',
        'a#first "First"',
        'a#last "Last"',
        'a "Privacy"',
    ]
    with pytest.raises(KeyboardProblem, match="not reached in 3 presses"):
        keys.tab_to(page.locator("p.govuk-body").first, limit=3)
