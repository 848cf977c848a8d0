"""Usage analysis against a small hand-computed history, the ending-soon reminders, and the ODS writer."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from odp.models import Notification
from odp.tabular import write_ods
from srrt import analysis, reminders
from srrt.models import (
    Agreement,
    Assignment,
    DemandType,
    Deployment,
    EndingSoonReminder,
    Foreseeability,
    SurgeStatus,
)
from tests.factories import MemberFactory
from tests.srrt.factories import ResponderFactory, SurgeRequestFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _at(day: D) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 10))


def deployed(requester, coordinator, *, submitted: D, started: D, days: int, demand: str, fore: str, status="closed"):
    request = SurgeRequestFactory(
        requester=requester,
        status=status,
        agreement=Agreement.SRRT,
        demand_type=demand,
        foreseeability=fore,
        start_date=started,
        submitted_at=_at(submitted),
    )
    Deployment.objects.create(
        request=request,
        actual_start_date=started,
        planned_end_date=started + datetime.timedelta(days=20),
        responder_days=days,
        daily_rate=Decimal("350"),
        cost=Decimal("350") * days,
        updated_by=coordinator,
    )
    return request


@pytest.fixture
def history(requester, coordinator, dwp):
    """Home Office: deployments starting January, April and June 2024 (two seasonal, one crisis) and January
    2023; DWP: one starting October 2024, one declined and one cancelled after deploying; plus a Home Office
    request still waiting. Worked out by hand in the tests below."""
    dwp_requester = MemberFactory(organisation=dwp)
    ho = {"requester": requester, "coordinator": coordinator}
    deployed(**ho, submitted=D(2023, 12, 22), started=D(2024, 1, 1), days=100, demand="seasonal_peak", fore="likely")
    deployed(**ho, submitted=D(2024, 3, 12), started=D(2024, 4, 1), days=50, demand="seasonal_peak", fore="likely")
    deployed(**ho, submitted=D(2024, 6, 10), started=D(2024, 6, 15), days=30, demand="crisis", fore="unforeseeable")
    deployed(**ho, submitted=D(2023, 1, 2), started=D(2023, 1, 10), days=40, demand="seasonal_peak", fore="possibly")
    # The January 2024 one was submitted in December 2023, so it counts towards 2023's demand side.
    d = {"requester": dwp_requester, "coordinator": coordinator}
    deployed(**d, submitted=D(2024, 9, 16), started=D(2024, 10, 31), days=20, demand="backlog_recovery", fore="likely")
    SurgeRequestFactory(
        requester=dwp_requester,
        status=SurgeStatus.DECLINED,
        foreseeability=Foreseeability.LIKELY,
        submitted_at=_at(D(2024, 2, 1)),
    )
    deployed(
        **d,
        submitted=D(2024, 5, 1),
        started=D(2024, 5, 20),
        days=99,
        demand="crisis",
        fore="unforeseeable",
        status=SurgeStatus.CANCELLED,
    )
    SurgeRequestFactory(
        requester=requester, status=SurgeStatus.SUBMITTED, foreseeability="possibly", submitted_at=_at(D(2024, 7, 1))
    )
    return {"dwp": dwp, "dwp_requester": dwp_requester}


def test_headline_figures_for_2024(history):
    s = analysis.usage_summary(2024)
    assert (s.deployments, s.responder_days, s.cost) == (4, 200, Decimal("70000.00"))
    assert (s.organisations, s.repeat_organisations) == (2, 1)
    # Deployed: 100 + 50 + 30 + 20 responder-days at £350. The cancelled one (99 days) does not count.
    # Submitted in 2024: HO March and June, DWP September, the declined, the cancelled, the waiting one = 6;
    # approved 4 (agreement set, the cancelled one included), declined 1.
    assert s.requests_submitted == 6
    assert (s.approved, s.declined) == (4, 1)
    assert s.acceptance_rate == pytest.approx(4 / 5)
    assert (s.likely_foreseeable, s.possibly_foreseeable, s.unforeseeable) == (3, 1, 2)
    assert s.share_foreseeable == pytest.approx(4 / 6)
    assert s.share_likely_foreseeable == pytest.approx(3 / 6)
    # Request to deployment: 10 (from December 2023), 20, 5 and 45 days.
    assert (s.average_days_to_deploy, s.shortest_days_to_deploy, s.longest_days_to_deploy) == (20.0, 5, 45)


def test_breakdowns(history, home_office):
    s = analysis.usage_summary(2024)
    assert [
        (r["organisation"], r["deployments"], r["responder_days"], r["cost"], r["repeat"]) for r in s.by_organisation
    ] == [
        ("Home Office", 3, 180, Decimal("63000"), True),
        ("Department for Work and Pensions", 1, 20, Decimal("7000"), False),
    ]
    assert [(r["demand_type"], r["deployments"], r["responder_days"]) for r in s.by_demand_type] == [
        (DemandType.SEASONAL_PEAK, 2, 150),
        (DemandType.BACKLOG, 1, 20),
        (DemandType.CRISIS, 1, 30),
    ]
    months = {r["label"]: r["deployments"] for r in s.by_month}
    assert len(months) == 12
    assert (months["January"], months["April"], months["June"], months["October"], months["May"]) == (1, 1, 1, 1, 0)
    assert [(r["year"], r["deployments"], r["responder_days"], r["organisations"]) for r in s.by_year] == [
        (2023, 1, 40, 1),
        (2024, 4, 200, 2),
    ]


def test_scoped_to_organisations_for_the_reporting_app(history, home_office):
    s = analysis.usage_summary(2024, organisation_ids=[home_office.pk])
    assert (s.deployments, s.responder_days, s.repeat_organisations) == (3, 180, 1)
    assert s.requests_submitted == 3  # April, June and the waiting one
    data = s.as_dict()
    assert data["cost"] == "63000.00" and data["by_organisation"][0]["organisation"] == "Home Office"


def test_all_years_and_an_empty_year(history):
    everything = analysis.usage_summary(None)
    assert (everything.deployments, everything.responder_days) == (5, 240)
    assert everything.by_month == []
    empty = analysis.usage_summary(2019)
    assert (empty.deployments, empty.cost, empty.acceptance_rate, empty.share_foreseeable) == (0, 0, None, None)
    assert analysis.years_with_data() == [2024, 2023]


def test_a_fixed_number_of_queries_whatever_the_volume(history, requester, coordinator):
    with CaptureQueriesContext(connection) as few:
        analysis.usage_summary(2024)
    for n in range(10):
        deployed(
            requester,
            coordinator,
            submitted=D(2024, 8, 1),
            started=D(2024, 8, 2 + n),
            days=1,
            demand="crisis",
            fore="likely",
        )
    with CaptureQueriesContext(connection) as more:
        analysis.usage_summary(2024)
    assert len(few) == len(more) <= 8


def test_download_rows_cover_every_breakdown(history):
    rows = analysis.download_rows(analysis.usage_summary(2024))
    assert {r[0] for r in rows} == {"Organisation", "Demand type", "Month", "Year"}
    assert ["Organisation", "Home Office", 3, 180, Decimal("63000")] in rows


def test_write_ods_round_trips_and_neutralises_formulas():
    data = write_ods(["Name", "Days"], [['=HYPERLINK("x")', 3], ["Plain & <tagged>", Decimal("2.5")]], "Usage 2024")
    archive = zipfile.ZipFile(io.BytesIO(data))
    first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    assert "META-INF/manifest.xml" in archive.namelist()
    ns = {
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    }
    root = ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314 (our own output)
    table = root.find(".//table:table", ns)
    assert table.get(f"{{{ns['table']}}}name") == "Usage 2024"
    rows = [[c.findtext("text:p", namespaces=ns) for c in r.findall("table:table-cell", ns)] for r in table]
    assert rows == [["Name", "Days"], ['\'=HYPERLINK("x")', "3"], ["Plain & <tagged>", "2.5"]]
    number = table.findall("table:table-row", ns)[1].findall("table:table-cell", ns)[1]
    assert number.get(f"{{{ns['office']}}}value-type") == "float"
    ElementTree.fromstring(archive.read("META-INF/manifest.xml"))  # noqa: S314


def test_ending_soon_reminders_once_a_day(requester, coordinator, responder):
    today = timezone.localdate()
    request = SurgeRequestFactory(requester=requester, status=SurgeStatus.ACTIVE, agreement=Agreement.SRRT)
    ending = Assignment.objects.create(
        request=request,
        responder=responder,
        role="Caseworker",
        start_date=today - datetime.timedelta(days=10),
        end_date=today + datetime.timedelta(days=3),
        assigned_by=coordinator,
    )
    later = ResponderFactory()
    Assignment.objects.create(
        request=request,
        responder=later,
        role="Team leader",
        start_date=today,
        end_date=today + datetime.timedelta(days=30),
        assigned_by=coordinator,
    )
    assert reminders.remind_ending_soon(on=today) == 1
    assert reminders.remind_ending_soon(on=today) == 0  # a re-run sends nothing twice
    assert EndingSoonReminder.objects.get().assignment == ending
    mine = Notification.objects.get(recipient=responder.member)
    assert "ends in 3 days" in mine.subject
    assert Notification.objects.filter(recipient=coordinator).count() == 1
    assert not Notification.objects.filter(recipient=later.member).exists()
    # The next morning it is reminded again (one a day), and never once the request is closing.
    assert reminders.remind_ending_soon(on=today + datetime.timedelta(days=1)) == 1
    request.status = SurgeStatus.CLOSING
    request.save()
    assert reminders.remind_ending_soon(on=today + datetime.timedelta(days=2)) == 0


def test_ending_soon_runs_every_morning_from_beat(settings):
    from odp.celery import app

    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "srrt.remind_ending_soon"]
    assert len(entries) == 1 and "srrt.remind_ending_soon" in app.tasks
