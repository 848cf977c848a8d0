"""Dashboards kept in the cache: served again within the cache time, never across scopes or filters, rebuilt at once
when a snapshot is published, and not kept at all with DASHBOARD_CACHE_SECONDS = 0 (the test profile's default)."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from odp.models import Role
from reporting import dashboard_cache, dashboards
from tests.factories import MemberFactory, grant
from tests.innovation.factories import IdeaFactory
from tests.reporting.test_dashboards import LATEST, _org, _publish, snapshots  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("snapshots")]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _submitted(dashboard: dashboards.Dashboard) -> str:
    funnel = dashboard.tables["ideas"]
    return next(row[1] for row in funnel.rows if row[0] == "Submitted")


def _idea(organisation) -> None:
    IdeaFactory(
        author=MemberFactory(organisation=organisation),
        submitted_at=datetime.datetime(LATEST.year, 3, 1, 12, tzinfo=datetime.UTC),
    )


@override_settings(DASHBOARD_CACHE_SECONDS=60)
def test_served_from_the_cache_until_a_snapshot_is_published(home_office, dwp):
    ids = [home_office.pk]
    first = dashboard_cache.build(ids, title="Home Office")
    _idea(home_office)
    assert _submitted(dashboard_cache.build(ids, title="Home Office")) == _submitted(first)  # kept
    with override_settings(DASHBOARD_CACHE_SECONDS=0):
        assert _submitted(dashboards.build(ids, title="Home Office")) != _submitted(first)  # the data did change
    _publish(LATEST + datetime.timedelta(days=1), [_org(home_office, 10, 9, 20, 14, 11.0)])
    rebuilt = dashboard_cache.build(ids, title="Home Office")
    assert rebuilt.snapshot_date == LATEST + datetime.timedelta(days=1)
    assert _submitted(rebuilt) != _submitted(first)


@override_settings(DASHBOARD_CACHE_SECONDS=60)
def test_never_shared_between_scopes_or_filters(home_office, dwp):
    home = dashboard_cache.build([home_office.pk])
    other = dashboard_cache.build([dwp.pk])
    assert [o.pk for o in home.organisations] == [home_office.pk]
    assert [o.pk for o in other.organisations] == [dwp.pk]
    everyone = dashboard_cache.build(None)
    by_grade = dashboard_cache.build(None, dashboards.Filters(grade="EO"))
    assert everyone.organisation_ids is None and by_grade.filters.grade == "EO"
    assert dashboard_cache.cache_key([1, 2], dashboards.Filters(), "") == dashboard_cache.cache_key(
        [2, 1], dashboards.Filters(), ""
    )
    assert dashboard_cache.cache_key([1], dashboards.Filters(), "") != dashboard_cache.cache_key(
        [1, 2], dashboards.Filters(), ""
    )


@override_settings(DASHBOARD_CACHE_SECONDS=60)
def test_filters_of_the_same_organisations_share_the_live_figures(home_office):
    everyone = dashboard_cache.build(None)
    _idea(home_office)
    # A new filter builds its capability figures, but the ideas (not recorded by grade) come from the cache.
    by_grade = dashboard_cache.build(None, dashboards.Filters(grade="EO"))
    assert by_grade.filters.grade == "EO"
    assert _submitted(by_grade) == _submitted(everyone)
    # Other organisations are another scope: built afresh.
    assert _submitted(dashboard_cache.build([home_office.pk])) != _submitted(everyone)


def test_not_kept_when_the_cache_time_is_zero(home_office):
    ids = [home_office.pk]
    first = dashboard_cache.build(ids)
    _idea(home_office)
    assert _submitted(dashboard_cache.build(ids)) != _submitted(first)


@override_settings(DASHBOARD_CACHE_SECONDS=60)
def test_pages_and_api_keep_each_reader_to_their_scope(home_office, dwp):
    hop_home = MemberFactory(organisation=home_office)
    grant(hop_home, Role.HEAD_OF_PROFESSION, home_office)
    hop_dwp = MemberFactory(organisation=dwp)
    grant(hop_dwp, Role.HEAD_OF_PROFESSION, dwp)
    for member, mine, theirs in ((hop_home, home_office, dwp), (hop_dwp, dwp, home_office)):
        client = Client()
        client.force_login(member.user)
        for _ in range(2):  # the second answer comes from the cache
            page = client.get("/reporting/dashboard/")
            assert page.status_code == 200
            assert mine.name in page.content.decode()
            names = [o["name"] for o in client.get("/api/v1/reporting/dashboard/").json()["organisations"]]
            assert mine.name in names
            assert theirs.name not in names
