"""The roster pages for coordinators: responders with clearance and expiry (expired flagged), adding and
changing a responder, unavailable periods added and removed, calendar peaks added and changed. Bad input
shows GOV.UK errors and saves nothing; other roles get 404."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from odp.models import AuditEvent
from srrt.models import CalendarPeak, Clearance, Responder, UnavailablePeriod
from tests.factories import MemberFactory
from tests.srrt.factories import CalendarPeakFactory, ResponderFactory

pytestmark = pytest.mark.django_db


def _client(member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def _details(prefix: str = "", **overrides) -> dict[str, str]:
    data = {
        "clearance_level": "3",
        **_date("clearance_expires_on", timezone.localdate() + datetime.timedelta(days=400)),
        "home_region": "london",
        "international_available": "yes",
        "is_active": "on",
    }
    data.update(overrides)
    return {f"{prefix}{k}": v for k, v in data.items()}


def test_roster_lists_clearance_and_flags_expired(coordinator, responder):
    lapsed = ResponderFactory(clearance_expires_on=timezone.localdate() - datetime.timedelta(days=1))
    client = _client(coordinator)
    page = client.get("/srrt/responders/").content.decode()
    # Names as the page shows them: escaped, so a generated "O'Brien" matches too.
    shown, lapsed_shown = escape(str(responder)), escape(str(lapsed))
    assert shown in page and lapsed_shown in page and "Security Check (SC)" in page
    assert page.count('govuk-tag--red">Expired') == 1
    expired_only = client.get("/srrt/responders/?show=expired").content.decode()
    assert lapsed_shown in expired_only and shown not in expired_only


def test_roster_empty_state(coordinator):
    assert "There is nobody on the roster yet" in _client(coordinator).get("/srrt/responders/").content.decode()


def test_add_a_responder(coordinator, dwp):
    person = MemberFactory(organisation=dwp, user__username="new.responder")
    response = _client(coordinator).post("/srrt/responders/add/", {"person": "New.Responder", **_details()})
    responder = Responder.objects.get(member=person)
    assert response.url == f"/srrt/responders/{responder.pk}/"
    assert responder.clearance_level == Clearance.SC and responder.international_available


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"person": "nobody-at-all"}, "No active member has that username or email address"),
        ({"clearance_level": "7"}, "Select a security clearance from the list"),
        ({"clearance_level": ""}, "Select the clearance the responder holds"),
        ({"clearance_expires_on_day": "40"}, "Clearance expires on must be a real date"),
        ({"home_region": ""}, "Select the responder’s home region"),
    ],
)
def test_bad_responder_details_save_nothing(coordinator, dwp, overrides, message):
    MemberFactory(organisation=dwp, user__username="new.responder")
    client = _client(coordinator)
    events = AuditEvent.objects.count()
    response = client.post("/srrt/responders/add/", {"person": "new.responder", **_details(**overrides)})
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page and message in page
    assert not Responder.objects.exists() and AuditEvent.objects.count() == events


def test_someone_already_on_the_roster_is_not_added_twice(coordinator, responder):
    response = _client(coordinator).post(
        "/srrt/responders/add/", {"person": responder.member.user.username, **_details()}
    )
    assert response.status_code == 400 and "already on the roster" in response.content.decode()
    assert Responder.objects.count() == 1


def test_change_a_responders_clearance(coordinator, responder):
    client = _client(coordinator)
    page = client.get(f"/srrt/responders/{responder.pk}/").content.decode()
    assert "Save details" in page
    client.post(
        f"/srrt/responders/{responder.pk}/",
        {"action": "details", **_details("details-", clearance_level="4", international_available="no")},
    )
    responder.refresh_from_db()
    assert responder.clearance_level == Clearance.DV and not responder.international_available


def test_expired_clearance_warning_on_the_responder_page(coordinator):
    lapsed = ResponderFactory(clearance_expires_on=timezone.localdate() - datetime.timedelta(days=3))
    page = _client(coordinator).get(f"/srrt/responders/{lapsed.pk}/").content.decode()
    assert "Clearance expired on" in page and "not offered for any deployment" in page


def test_unavailable_periods_added_and_removed(coordinator, responder):
    client = _client(coordinator)
    start = timezone.localdate() + datetime.timedelta(days=10)
    data = {"action": "unavailable", **_date("unavailable-start_date", start)}
    data |= {**_date("unavailable-end_date", start + datetime.timedelta(days=4)), "unavailable-reason": "Leave"}
    response = client.post(f"/srrt/responders/{responder.pk}/", data, follow=True)
    assert "Unavailable period added" in response.content.decode()
    period = UnavailablePeriod.objects.get()
    assert (period.start_date, period.reason) == (start, "Leave")
    client.post(f"/srrt/responders/{responder.pk}/unavailable/{period.pk}/remove/")
    assert not UnavailablePeriod.objects.exists()


def test_unavailable_period_ending_before_it_starts_is_refused(coordinator, responder):
    start = timezone.localdate() + datetime.timedelta(days=10)
    data = {"action": "unavailable", **_date("unavailable-start_date", start)}
    data |= _date("unavailable-end_date", start - datetime.timedelta(days=1))
    response = _client(coordinator).post(f"/srrt/responders/{responder.pk}/", data)
    page = response.content.decode()
    assert response.status_code == 400 and "The last day must be the same as or after the first day" in page
    assert not UnavailablePeriod.objects.exists()


def test_calendar_peaks_added_and_changed(coordinator):
    client = _client(coordinator)
    assert "No calendar peaks yet" in client.get("/srrt/calendar-peaks/").content.decode()
    data = {"name": "Self Assessment", "start_day": "2", "start_month": "1", "end_day": "31", "end_month": "1"}
    data |= {"demand_type": "seasonal_peak", "description": "Returns due 31 January", "is_active": "on"}
    response = client.post("/srrt/calendar-peaks/add/", data)
    assert response.url == "/srrt/calendar-peaks/"
    peak = CalendarPeak.objects.get()
    assert (peak.start_day, peak.end_day, peak.is_active) == (2, 31, True)
    client.post(f"/srrt/calendar-peaks/{peak.pk}/", {**data, "name": "Self Assessment deadline", "is_active": ""})
    peak.refresh_from_db()
    assert peak.name == "Self Assessment deadline" and not peak.is_active
    assert "Self Assessment deadline" in client.get("/srrt/calendar-peaks/").content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start_day": "31", "start_month": "2"}, "Enter a real day of that month"),
        ({"end_month": "13"}, "End month must be a number from 1 to 12"),
        ({"start_day": ""}, "Enter the start day"),
        ({"name": "Winter Fuel Payment"}, "There is already a peak with that name"),
    ],
)
def test_bad_calendar_peaks_save_nothing(coordinator, overrides, message):
    CalendarPeakFactory(name="Winter Fuel Payment", start_month=10, end_month=11)
    data = {"name": "Passport renewals", "start_day": "1", "start_month": "3", "end_day": "31", "end_month": "5"}
    data |= {"demand_type": "seasonal_peak", **overrides}
    response = _client(coordinator).post("/srrt/calendar-peaks/add/", data)
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page and message in page
    assert CalendarPeak.objects.count() == 1


def test_roster_pages_are_for_coordinators_only(requester, responder, head_of_profession, odp_admin):
    peak = CalendarPeakFactory()
    urls = [
        "/srrt/responders/",
        "/srrt/responders/add/",
        f"/srrt/responders/{responder.pk}/",
        "/srrt/calendar-peaks/",
        "/srrt/calendar-peaks/add/",
        f"/srrt/calendar-peaks/{peak.pk}/",
    ]
    for other in (requester, responder.member, head_of_profession, odp_admin):
        client = _client(other)
        for url in urls:
            assert client.get(url).status_code == 404, (other, url)
        response = client.post(f"/srrt/responders/{responder.pk}/", {"action": "details", **_details("details-")})
        assert response.status_code == 404
    responder.refresh_from_db()
    assert responder.home_region != "london"


def test_roster_is_paginated(coordinator):
    ResponderFactory.create_batch(52)
    client = _client(coordinator)
    first = client.get("/srrt/responders/").content.decode()
    assert first.count('<tr class="govuk-table__row">') == 51 and "govuk-pagination" in first
    second = client.get("/srrt/responders/?page=2").content.decode()
    assert second.count('<tr class="govuk-table__row">') == 3  # the header row and two responders
