"""Dashboards: figures against a small hand-computed snapshot, scoping in pages, API and downloads, suppression."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from innovation.models import IdeaStatus
from odp.models import Role
from reporting import dashboards
from skills.models import CapabilityMetric, MetricScope, MetricsRun, PublishedSnapshot, RunStatus
from tests.factories import MemberFactory, grant
from tests.innovation.factories import IdeaFactory
from tests.skills.factories import published_version

LATEST = datetime.date(2026, 6, 30)
EARLIER = datetime.date(2026, 1, 31)
DASHBOARD = "/reporting/dashboard/"
PROFESSION = "/reporting/profession/"
API = "/api/v1/reporting/dashboard/"


def _publish(on: datetime.date, rows: list[dict]) -> None:
    run = MetricsRun.objects.create(snapshot_date=on, status=RunStatus.SUCCEEDED, progress=100)
    defaults = {"members_assessed": 0, "rows_assessed": 0, "sum_level": 0, "sum_gap": 0, "sum_index": 0.0}
    CapabilityMetric.objects.bulk_create(
        CapabilityMetric(run=run, snapshot_date=on, **(defaults | row)) for row in rows
    )
    PublishedSnapshot.objects.create(snapshot_date=on, run=run, published_at=timezone.now())


def _org(org, members, assessed, rows, meeting, index) -> dict:
    return {
        "scope": MetricScope.ORGANISATION,
        "organisation": org,
        "members_in_scope": members,
        "members_assessed": assessed,
        "rows_in_scope": rows,
        "rows_assessed": rows,
        "rows_meeting": meeting,
        "sum_index": index,
    }


def _skill(org, lineage, people, meeting, grade="") -> dict:
    scope = MetricScope.ORGANISATION_GRADE_SKILL if grade else MetricScope.ORGANISATION_SKILL
    return {
        "scope": scope,
        "organisation": org,
        "grade": grade,
        "lineage": lineage,
        "members_in_scope": people,
        "rows_in_scope": people,
        "rows_meeting": meeting,
    }


@pytest.fixture
def snapshots(home_office, passport_office, dwp):
    """Home Office (10 people) with its agency HM Passport Office (3 people, a small group), and DWP (20)."""
    version = published_version(n_skills=2)
    s1, s2 = (s.lineage for s in version.skills.order_by("position"))
    _publish(EARLIER, [_org(home_office, 10, 5, 20, 8, 6.0), _org(dwp, 20, 2, 40, 4, 4.0)])
    _publish(
        LATEST,
        [
            _org(home_office, 10, 8, 20, 12, 10.0),
            _org(passport_office, 3, 3, 6, 6, 4.0),
            _org(dwp, 20, 5, 40, 10, 8.0),
            _skill(home_office, s1, 10, 4),
            _skill(home_office, s2, 10, 8),
            _skill(passport_office, s1, 3, 3),
            _skill(passport_office, s2, 3, 3),
            _skill(dwp, s1, 20, 5),
            _skill(dwp, s2, 20, 5),
            _skill(home_office, s1, 6, 3, grade="EO"),
            _skill(home_office, s2, 6, 6, grade="EO"),
            _skill(home_office, s1, 2, 2, grade="HEO"),
            _skill(dwp, s1, 20, 1, grade="EO"),
        ],
    )
    return version


@pytest.fixture
def hop(client: Client, head_of_profession) -> Client:
    client.force_login(head_of_profession.user)
    return client


def _table(dashboard: dashboards.Dashboard, key: str) -> list[list[str]]:
    return dashboard.tables[key].rows


def test_head_of_profession_figures_match_the_hand_computed_snapshot(snapshots, home_office, passport_office):
    board = dashboards.build([home_office.pk, passport_office.pk])
    assert board.snapshot_date == LATEST
    # 13 people, 11 assessed; 18 of 26 rows meeting; index 14 / 26 rows.
    assert board.headline == [
        ("Members whose role expects skills", "13"),
        ("Members with a skills assessment", "84.6%"),
        ("Skills at or above the expected level", "69.2%"),
        ("Capability index (0 to 100)", "53.8"),
    ]
    # EO: (3 + 6) of 12 rows; HEO: 2 people, suppressed.
    assert _table(board, "capability") == [["Customer service", "75%", "fewer than 5"]]
    assert board.tables["capability"].header == ["Skill group", "EO", "HEO"]
    assert _table(board, "coverage") == [
        ["HM Passport Office", "fewer than 5", "fewer than 5"],
        ["Home Office", "80%", "60%"],
    ]
    # Skill 1: 7 of 13, Skill 2: 11 of 13.
    assert _table(board, "gaps") == [["Skill 1", "53.8%"], ["Skill 2", "84.6%"]]
    # January: Home Office only, 8 of 20 rows and 5 of 10 people.
    assert _table(board, "trend") == [["31 Jan 2026", "40%", "50%"], ["30 Jun 2026", "69.2%", "84.6%"]]
    assert "up 29.2 points since 31 Jan 2026" in board.tables["trend"].chart.summary


def test_the_profession_dashboard_totals_every_organisation_and_filters_by_kind_grade_and_date(snapshots):
    board = dashboards.build(None)
    assert board.headline[0] == ("Members whose role expects skills", "33")
    assert board.headline[2] == ("Skills at or above the expected level", "42.4%")  # 28 of 66
    names = [row[0] for row in _table(board, "coverage")]
    assert names == ["Department for Work and Pensions", "HM Passport Office", "Home Office"]
    agencies = dashboards.build(None, dashboards.Filters(organisation_kind="executive_agency"))
    assert agencies.headline[0] == ("Members whose role expects skills", "fewer than 5")
    assert [row[0] for row in _table(agencies, "coverage")] == ["HM Passport Office"]
    eo = dashboards.build(None, dashboards.Filters(grade="EO"))
    assert eo.tables["capability"].header == ["Skill group", "EO"]
    assert _table(eo, "capability") == [["Customer service", "31.2%"]]  # 10 of 32 rows
    january = dashboards.build(None, dashboards.Filters(snapshot_date=datetime.date(2026, 3, 1)))
    assert january.snapshot_date == EARLIER
    assert _table(january, "trend") == [["31 Jan 2026", "20%", "23.3%"]]


def test_without_a_snapshot_the_page_explains_and_still_shows_the_rest(hop):
    response = hop.get(DASHBOARD)
    assert response.status_code == 200
    assert b"No capability snapshot published yet" in response.content
    assert b"Ideas funnel" in response.content


def test_the_page_shows_each_chart_with_its_table_and_never_another_organisations_figures(snapshots, hop, dwp):
    IdeaFactory(author=MemberFactory(organisation=dwp), title="DWP only idea", submitted_at=timezone.now())
    response = hop.get(DASHBOARD)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('role="img"') == 7  # heatmap, coverage, gaps, trend, ideas funnel, plans, foreseeability
    assert "Department for Work and Pensions" not in html
    assert "25%" not in html  # DWP's coverage
    assert ">fewer than 5<" in html
    assert hop.get(DASHBOARD, {"organisation": dwp.pk}).status_code == 404


def test_ideas_are_counted_for_the_scope_only(snapshots, home_office, passport_office, dwp):
    now = timezone.make_aware(datetime.datetime(2026, 5, 1, 12))
    IdeaFactory(author=MemberFactory(organisation=passport_office), submitted_at=now, status=IdeaStatus.IMPLEMENTED)
    IdeaFactory(author=MemberFactory(organisation=home_office), submitted_at=now, status=IdeaStatus.SUBMITTED)
    IdeaFactory(author=MemberFactory(organisation=dwp), submitted_at=now, status=IdeaStatus.ACCEPTED)
    board = dashboards.build([home_office.pk, passport_office.pk])
    assert board.year == 2026  # the year of the latest snapshot
    assert _table(board, "ideas")[0] == ["Submitted", "2"]
    assert _table(board, "ideas")[1] == ["Accepted", "1"]
    assert _table(board, "ideas")[3] == ["Implemented", "1"]


@pytest.mark.parametrize("fmt", ["csv", "ods"])
def test_downloads_are_scoped_exactly_like_the_page(snapshots, hop, dwp, fmt):
    response = hop.get(DASHBOARD, {"table": "coverage", "format": fmt})
    assert response.status_code == 200
    body = response.content
    if fmt == "ods":
        body = zipfile.ZipFile(io.BytesIO(body)).read("content.xml")
    assert b"Home Office" in body
    assert b"Department for Work and Pensions" not in body
    assert b"fewer than 5" in body
    assert hop.get(DASHBOARD, {"organisation": dwp.pk, "table": "coverage", "format": fmt}).status_code == 404
    assert hop.get(DASHBOARD, {"table": "nope", "format": fmt}).status_code == 404


def test_the_api_is_scoped_and_another_organisation_is_404(snapshots, hop, home_office, passport_office, dwp):
    data = hop.get(API).json()
    assert {o["name"] for o in data["organisations"]} == {"Home Office", "HM Passport Office"}
    assert data["headline"][0] == {"label": "Members whose role expects skills", "value": "13"}
    assert "Department for Work and Pensions" not in str(data)
    assert hop.get(API, {"organisation": dwp.pk}).status_code == 404
    only_agency = hop.get(API, {"organisation": passport_office.pk}).json()
    assert only_agency["headline"][0]["value"] == "fewer than 5"


def test_who_may_see_which_dashboard(client, snapshots, staff_member, odp_admin, head_of_profession, dwp):
    client.force_login(staff_member.user)
    assert client.get(DASHBOARD).status_code == 404
    assert client.get(API).status_code in (403, 404)
    client.force_login(head_of_profession.user)
    assert client.get(PROFESSION).status_code == 404
    client.force_login(odp_admin.user)
    assert client.get(PROFESSION).status_code == 200
    picked = client.get(DASHBOARD, {"organisation": dwp.pk})
    assert picked.status_code == 200
    assert b"Department for Work and Pensions" in picked.content
    assert client.get(API, {"organisation": dwp.pk}).json()["headline"][1]["value"] == "25%"
    filtered = client.get(PROFESSION, {"organisation_kind": "executive_agency", "table": "coverage", "format": "csv"})
    assert b"HM Passport Office" in filtered.content and b"Home Office" not in filtered.content.replace(
        b"HM Passport Office", b""
    )


def test_a_head_of_profession_of_several_organisations_may_pick_one(client, snapshots, home_office, dwp):
    member = MemberFactory(organisation=dwp)
    grant(member, Role.HEAD_OF_PROFESSION, dwp)
    grant(member, Role.HEAD_OF_PROFESSION, home_office)
    client.force_login(member.user)
    both = client.get(DASHBOARD).content.decode()
    assert "Department for Work and Pensions" in both and "Home Office" in both
    only_dwp = client.get(DASHBOARD, {"organisation": dwp.pk}).content.decode()
    assert '<th scope="row" class="govuk-table__header">Home Office</th>' not in only_dwp


def test_navigation_and_home_card_link_to_the_dashboards(hop, client, odp_admin):
    home = hop.get(reverse("home")).content.decode()
    assert 'href="/reporting/dashboard/"' in home
    assert 'href="/reporting/profession/"' not in home
    client.force_login(odp_admin.user)
    assert 'href="/reporting/profession/"' in client.get(reverse("home")).content.decode()
