"""Profession dashboard filters: grade and job family narrow every capability figure from the snapshot rows (finest
rows: organisation × grade × job family × skill), small groups stay suppressed in every filtered cell, total and
download, older snapshots without job family rows say so, sections that cannot be filtered say they cover everyone,
unknown values are a GOV.UK error (page) or a 400 naming the field (API), and no dashboard request reads the
assessments tables."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reporting import dashboards
from skills.models import (
    Assessment,
    CapabilityMetric,
    CurrentLevel,
    MetricScope,
    MetricsRun,
    PublishedSnapshot,
    RunStatus,
)
from tests.skills.factories import published_version

LATEST = datetime.date(2026, 6, 30)
EARLIER = datetime.date(2026, 1, 31)
DASHBOARD = "/reporting/dashboard/"
PROFESSION = "/reporting/profession/"
API = "/api/v1/reporting/dashboard/"
CASEWORK = "casework"
CUSTOMER = "customer_service"


def _publish(on: datetime.date, rows: list[dict]) -> None:
    run = MetricsRun.objects.create(snapshot_date=on, status=RunStatus.SUCCEEDED, progress=100)
    CapabilityMetric.objects.bulk_create(
        CapabilityMetric(run=run, snapshot_date=on, sum_level=0, sum_gap=0, **row) for row in rows
    )
    PublishedSnapshot.objects.create(snapshot_date=on, run=run, published_at=timezone.now())


def _row(scope, org, lineage, people, assessed, meeting, index, grade="", job_family="") -> dict:
    return {
        "scope": scope,
        "organisation": org,
        "grade": grade,
        "job_family": job_family,
        "lineage": lineage,
        "members_in_scope": people,
        "members_assessed": assessed,
        "rows_in_scope": people,
        "rows_assessed": assessed,
        "rows_meeting": meeting,
        "sum_index": index,
    }


def _finest(org, grade, family, lineage, people, assessed, meeting, index) -> dict:
    scope = MetricScope.ORGANISATION_GRADE_FAMILY_SKILL
    return _row(scope, org, lineage, people, assessed, meeting, index, grade, family)


def _rollups(finest: list[dict]) -> list[dict]:
    """The organisation × grade × skill and organisation × skill rows the metrics job sums from the finest rows."""
    sums: dict[tuple, dict] = {}
    keys = ("members_in_scope", "members_assessed", "rows_in_scope", "rows_assessed", "rows_meeting", "sum_index")
    for row in finest:
        for scope, grade in (
            (MetricScope.ORGANISATION_GRADE_SKILL, row["grade"]),
            (MetricScope.ORGANISATION_SKILL, ""),
        ):
            key = (scope, row["organisation"].pk, grade, row["lineage"])
            into = sums.setdefault(
                key, {**row, "scope": scope, "grade": grade, "job_family": ""} | dict.fromkeys(keys, 0)
            )
            for k in keys:
                into[k] += row[k]
    return list(sums.values())


@pytest.fixture
def snapshots(home_office, passport_office, dwp):
    """June has job family rows; January (computed before they existed) has organisation × grade × skill only."""
    version = published_version(n_skills=2)
    s1, s2 = (s.lineage for s in version.skills.order_by("position"))
    grade_skill = MetricScope.ORGANISATION_GRADE_SKILL
    _publish(
        EARLIER,
        [
            _row(MetricScope.ORGANISATION, home_office, None, 10, 5, 8, 6.0) | {"rows_in_scope": 20},
            _row(grade_skill, home_office, s1, 10, 6, 3, 3.0, grade="EO"),
            _row(grade_skill, dwp, s1, 8, 2, 2, 1.0, grade="EO"),
        ],
    )
    finest = [
        _finest(home_office, "EO", CASEWORK, s1, 6, 5, 3, 3.0),
        _finest(home_office, "EO", CASEWORK, s2, 6, 6, 5, 4.5),
        _finest(home_office, "EO", CUSTOMER, s1, 4, 2, 1, 1.0),  # a small group on its own
        _finest(home_office, "HEO", CASEWORK, s1, 2, 2, 2, 2.0),
        _finest(dwp, "EO", CASEWORK, s1, 8, 4, 2, 2.5),
        _finest(dwp, "EO", CASEWORK, s2, 3, 3, 1, 1.0),  # 3 people, but DWP's EO caseworkers number 8
        _finest(passport_office, "EO", CASEWORK, s1, 3, 3, 3, 3.0),
    ]
    organisation = [
        _row(MetricScope.ORGANISATION, home_office, None, 12, 11, 11, 10.5) | {"rows_in_scope": 18},
        _row(MetricScope.ORGANISATION, dwp, None, 8, 5, 3, 3.5) | {"rows_in_scope": 11},
        _row(MetricScope.ORGANISATION, passport_office, None, 3, 3, 3, 3.0),
    ]
    _publish(LATEST, finest + _rollups(finest) + organisation)
    return version


@pytest.fixture
def admin(client: Client, odp_admin) -> Client:
    client.force_login(odp_admin.user)
    return client


def _rows(board: dashboards.Dashboard, key: str) -> list[list[str]]:
    return board.tables[key].rows


def test_a_job_family_and_grade_narrow_every_capability_figure(snapshots):
    board = dashboards.build(None, dashboards.Filters(grade="EO", job_family=CASEWORK))
    # EO caseworkers: skill 1 has 17 people (12 assessed, 8 meeting, index 8.5), skill 2 has 9 (9, 6, 5.5).
    assert board.headline == [
        ("Expected skills (one per member per skill)", "26"),
        ("Expected skills with an assessment", "80.8%"),
        ("Skills at or above the expected level", "53.8%"),
        ("Capability index (0 to 100)", "53.8"),
    ]
    assert "members at Executive Officer (EO) in the Casework and decision making job family" in board.headline_note
    assert "not a head count" in board.headline_note
    assert board.tables["capability"].header == ["Skill group", "EO"]
    assert _rows(board, "capability") == [["Customer service", "53.8%"]]
    assert board.tables["coverage"].header == [
        "Organisation",
        "Expected skills assessed",
        "Skills at or above expected",
    ]
    assert _rows(board, "coverage") == [
        ["Department for Work and Pensions", "63.6%", "27.3%"],  # 7 and 3 of 11, a group of at least 8
        ["HM Passport Office", "fewer than 5", "fewer than 5"],
        ["Home Office", "91.7%", "66.7%"],  # 11 and 8 of 12
    ]
    assert _rows(board, "gaps") == [["Skill 1", "47.1%"], ["Skill 2", "66.7%"]]
    # January has no job family rows: left out of the trend, and the table says from when the filter applies.
    assert _rows(board, "trend") == [["30 Jun 2026", "53.8%", "80.8%"]]
    assert board.tables["trend"].chart.header == ["Snapshot", "Skills at or above expected", "Expected skills assessed"]
    assert board.tables["trend"].note == (
        "Not available for this filter before 30 June 2026: earlier snapshots have no job family breakdown."
    )


def test_a_job_family_alone_covers_every_grade_in_it(snapshots):
    board = dashboards.build(None, dashboards.Filters(job_family=CASEWORK))
    # Adds the Home Office's 2 HEO caseworkers to skill 1: 28 expected skills, 23 assessed, 16 meeting, index 16.
    assert [value for _, value in board.headline] == ["28", "82.1%", "57.1%", "57.1"]
    assert board.tables["capability"].header == ["Skill group", "EO", "HEO"]
    assert _rows(board, "capability") == [["Customer service", "53.8%", "fewer than 5"]]


def test_a_grade_filter_works_on_snapshots_without_job_family_rows(snapshots):
    january = dashboards.build(None, dashboards.Filters(grade="EO", snapshot_date=EARLIER))
    assert january.snapshot_date == EARLIER
    assert january.notices == []
    # Home Office 10 EO (6 assessed, 3 meeting) and DWP 8 EO (2, 2): 18 expected skills.
    assert [value for _, value in january.headline] == ["18", "44.4%", "27.8%", "22.2"]
    assert _rows(january, "trend") == [["31 Jan 2026", "27.8%", "44.4%"]]
    assert january.tables["trend"].note == ""
    latest = dashboards.build(None, dashboards.Filters(grade="EO"))
    assert [row[0] for row in _rows(latest, "trend")] == ["31 Jan 2026", "30 Jun 2026"]


def test_a_job_family_on_an_older_snapshot_says_it_is_not_available_and_shows_no_capability(snapshots):
    board = dashboards.build(None, dashboards.Filters(job_family=CASEWORK, snapshot_date=EARLIER))
    assert board.notices == [
        "Capability figures by job family are not available for the snapshot of 31 January 2026: snapshots before "
        "30 June 2026 have no job family breakdown. Choose a later snapshot date or all job families."
    ]
    assert board.headline == []
    assert "capability" not in board.tables
    assert "ideas" in board.tables  # the rest of the dashboard is still there


def test_every_filtered_cell_and_total_about_fewer_than_5_people_is_suppressed(snapshots, dwp):
    # Four Home Office EO customer service staff: 2 of 4 assessed (50%), 1 of 4 meeting (25%).
    small = dashboards.build(None, dashboards.Filters(grade="EO", job_family=CUSTOMER))
    assert [value for _, value in small.headline] == ["fewer than 5"] * 4
    assert _rows(small, "capability") == [["Customer service", "fewer than 5"]]
    assert _rows(small, "coverage") == [["Home Office", "fewer than 5", "fewer than 5"]]
    assert _rows(small, "gaps") == []
    assert _rows(small, "trend") == [["30 Jun 2026", "fewer than 5", "fewer than 5"]]
    shown = str(small.as_dict())
    assert "50%" not in shown and "25%" not in shown
    # DWP's EO caseworkers: skill 2 has only 3 people, so it is not among the gaps though the group is shown.
    only_dwp = dashboards.build([dwp.pk], dashboards.Filters(grade="EO", job_family=CASEWORK))
    assert _rows(only_dwp, "gaps") == [["Skill 1", "25%"]]
    assert _rows(only_dwp, "coverage") == [["Department for Work and Pensions", "63.6%", "27.3%"]]


@pytest.mark.parametrize("fmt", ["csv", "ods"])
def test_downloads_carry_the_filters_and_the_suppression(snapshots, admin, fmt):
    response = admin.get(PROFESSION, {"grade": "EO", "job_family": CUSTOMER, "table": "coverage", "format": fmt})
    assert response.status_code == 200
    body = response.content
    if fmt == "ods":
        body = zipfile.ZipFile(io.BytesIO(body)).read("content.xml")
    assert b"Expected skills assessed" in body
    assert b"Home Office" in body and b"fewer than 5" in body
    assert b"50%" not in body and b"Department for Work and Pensions" not in body
    casework = admin.get(PROFESSION, {"grade": "EO", "job_family": CASEWORK, "table": "gaps", "format": fmt}).content
    if fmt == "ods":
        casework = zipfile.ZipFile(io.BytesIO(casework)).read("content.xml")
    assert b"47.1%" in casework and b"66.7%" in casework


def test_sections_that_cannot_be_filtered_say_they_cover_everyone(snapshots, admin):
    filtered = dashboards.build(None, dashboards.Filters(job_family=CASEWORK))
    notes = {heading: note for heading, note, _ in filtered.sections_with_notes}
    assert notes["Capability"] == ""
    for heading in ("Ideas and innovation", "Surge and rapid response team", "Interventions"):
        assert "cover all grades and job families" in notes[heading]
    unfiltered = dashboards.build(None)
    assert all(note == "" for _, note, _ in unfiltered.sections_with_notes)
    html = admin.get(PROFESSION, {"job_family": CASEWORK}).content.decode()
    assert html.count("cover all grades and job families") == 3
    assert "Not available for this filter before 30 June 2026" in html
    assert 'id="headline-note"' in html and "not a head count" in html
    assert '<option value="casework" selected>Casework and decision making</option>' in html


def test_the_page_shows_the_notice_for_an_older_snapshot(snapshots, admin):
    html = admin.get(PROFESSION, {"job_family": CASEWORK, "snapshot_date": EARLIER.isoformat()}).content.decode()
    assert "not available for the snapshot of 31 January 2026" in html
    assert 'id="headline"' not in html
    assert "Ideas funnel" in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("job_family", "astronaut", "Select a job family in the list"),
        ("grade", "G99", "Select a grade in the list"),
        ("organisation_kind", "pirate_ship", "Select an organisation kind in the list"),
        ("snapshot_date", "2020-01-01", "Select a snapshot date in the list"),
        ("snapshot_date", "not-a-date", "Select a snapshot date in the list"),
    ],
)
def test_an_unknown_filter_value_is_a_govuk_error_on_the_page_and_never_a_download(
    snapshots, admin, field, value, message
):
    response = admin.get(PROFESSION, {field: value})
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Profession dashboard" in html
    assert "govuk-error-summary" in html
    assert f'href="#id_{field}">{message}</a>' in html
    assert f'id="id_{field}-error"' in html
    download = admin.get(PROFESSION, {field: value, "table": "coverage", "format": "csv"})
    assert download.status_code == 400
    assert download["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("field", "value"),
    [("job_family", "astronaut"), ("grade", "G99"), ("organisation_kind", "x"), ("snapshot_date", "soon")],
)
def test_an_unknown_filter_value_is_a_400_naming_the_field_in_the_api(snapshots, admin, field, value):
    response = admin.get(API, {field: value})
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert [error["field"] for error in body["errors"]] == [field]


def test_the_api_applies_the_filters_within_the_readers_scope(snapshots, admin, client, head_of_profession):
    data = admin.get(API, {"grade": "EO", "job_family": CASEWORK}).json()
    assert data["filters"] == {"organisation_kind": "", "grade": "EO", "job_family": CASEWORK, "snapshot_date": None}
    assert data["headline"][0] == {"label": "Expected skills (one per member per skill)", "value": "26"}
    assert "not a head count" in data["headline_note"]
    sections = {s["heading"]: s for s in data["sections"]}
    trend = next(t for t in sections["Capability"]["tables"] if t["key"] == "trend")
    assert trend["note"].startswith("Not available for this filter before 30 June 2026")
    assert "cover all grades and job families" in sections["Interventions"]["note"]
    older = admin.get(API, {"job_family": CASEWORK, "snapshot_date": "2026-03-01"}).json()
    assert older["snapshot_date"] == EARLIER.isoformat() and len(older["notices"]) == 1
    client.force_login(head_of_profession.user)  # Home Office and HM Passport Office only
    mine = client.get(API, {"grade": "EO", "job_family": CASEWORK}).json()
    coverage = next(t for t in mine["sections"][0]["tables"] if t["key"] == "coverage")
    assert [row[0] for row in coverage["rows"]] == ["HM Passport Office", "Home Office"]
    assert "Department for Work and Pensions" not in str(mine)


def _tables_read(queries: list[dict]) -> str:
    return " ".join(q["sql"] for q in queries).lower()


@pytest.mark.parametrize(
    ("who", "path", "params"),
    [
        ("admin", PROFESSION, {}),
        ("admin", PROFESSION, {"grade": "EO", "job_family": CASEWORK}),
        ("admin", PROFESSION, {"job_family": CASEWORK, "table": "trend", "format": "ods"}),
        ("hop", DASHBOARD, {}),
        ("hop", DASHBOARD, {"table": "coverage", "format": "csv"}),
        ("hop", API, {"grade": "EO"}),
    ],
)
def test_dashboards_are_served_from_snapshots_never_the_assessments_tables(
    snapshots, client, odp_admin, head_of_profession, who, path, params
):
    client.force_login((odp_admin if who == "admin" else head_of_profession).user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200
    sql = _tables_read(captured.captured_queries)
    assert CapabilityMetric._meta.db_table in sql  # the capture saw the dashboard's own reads
    assert Assessment._meta.db_table not in sql
    assert CurrentLevel._meta.db_table not in sql


def test_a_filtered_dashboard_reads_the_snapshot_rows_in_a_fixed_number_of_queries(snapshots, home_office):
    def metric_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            dashboards.build(None, dashboards.Filters(grade="EO", job_family=CASEWORK))
        return sum(CapabilityMetric._meta.db_table in q["sql"] for q in captured.captured_queries)

    before = metric_queries()
    latest = PublishedSnapshot.objects.get(snapshot_date=LATEST)
    rows = list(CapabilityMetric.objects.filter(run=latest.run).values())
    later = datetime.date(2026, 9, 30)
    _publish(
        later,
        [
            {k: v for k, v in r.items() if k not in ("id", "run_id", "snapshot_date", "sum_level", "sum_gap")}
            for r in rows
        ],
    )
    board = dashboards.build(None, dashboards.Filters(grade="EO", job_family=CASEWORK))
    assert [row[0] for row in _rows(board, "trend")] == ["30 Jun 2026", "30 Sep 2026"]
    assert metric_queries() == before  # one more snapshot in the trend, no more queries


def test_job_family_figures_from_a_real_metrics_run_match_the_assessments(db, odp_admin):
    """The metrics job writes the job family rows; the filtered dashboard agrees with the ratings themselves."""
    from odp.models import JobFamily
    from skills import metrics, selectors, services
    from skills.models import Expectation, Framework, RoleProfile, Skill
    from tests.factories import MemberFactory, OrganisationFactory

    odp_admin.job_family = JobFamily.PLANNING_AND_PERFORMANCE  # no role profile: outside the population
    odp_admin.save()
    framework = Framework.objects.create(name="ODP skills framework", slug=selectors.ODP_FRAMEWORK_SLUG)
    version = services.version_create_draft(framework=framework, by=odp_admin)
    group = version.groups.create(code="G", name="Group")
    descriptors = {"1": "a", "2": "b", "3": "c", "4": "d"}
    a = Skill.objects.create(version=version, group=group, code="A", name="Skill A", descriptors=descriptors)
    b = Skill.objects.create(version=version, group=group, code="B", name="Skill B", descriptors=descriptors)
    services.assign_lineages(version)
    a.refresh_from_db()
    b.refresh_from_db()
    service = RoleProfile.objects.create(version=version, job_family=JobFamily.CUSTOMER_SERVICE, role_level=2)
    Expectation.objects.create(profile=service, skill=a, expected_level=2)
    Expectation.objects.create(profile=service, skill=b, expected_level=3)
    casework = RoleProfile.objects.create(version=version, job_family=JobFamily.CASEWORK, role_level=2)
    Expectation.objects.create(profile=casework, skill=a, expected_level=2)
    services.version_publish(version=version, by=odp_admin)
    x = OrganisationFactory(name="Organisation X")
    ratings = {
        JobFamily.CUSTOMER_SERVICE: [{a: 2, b: 3}, {a: 3}, {a: 1}, {}, {}, {}],
        JobFamily.CASEWORK: [{a: 2}, {a: 2}, {a: 1}, {a: 3}, {}],
    }
    for family, people in ratings.items():
        for levels in people:
            member = MemberFactory(organisation=x, grade="EO", job_family=family)
            for skill, level in levels.items():
                services.assessment_record_self(member=member, skill=skill, level=level)
    assert metrics.compute(metrics.request_run(by=None)).status == RunStatus.SUCCEEDED

    cases = dashboards.build(None, dashboards.Filters(job_family=CASEWORK))
    # Five caseworkers expected to have skill A: four rated, three at level 2 or above.
    assert [value for _, value in cases.headline[:3]] == ["5", "80%", "60%"]
    service_board = dashboards.build(None, dashboards.Filters(job_family=CUSTOMER, grade="EO"))
    # Six customer service staff, two skills each: four ratings, three meeting (A at 2 and 3, B at 3).
    assert [value for _, value in service_board.headline[:3]] == ["12", "33.3%", "25%"]
    assert _rows(service_board, "gaps") == [["Skill B", "16.7%"], ["Skill A", "33.3%"]]
    everyone = dashboards.build(None)
    assert everyone.headline[0] == ("Members whose role expects skills", "11")
    assert everyone.headline[2] == ("Skills at or above the expected level", "35.3%")  # 6 of 17
