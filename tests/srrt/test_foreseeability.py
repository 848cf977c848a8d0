"""Foreseeability rules on constructed histories: each rule alone, then combined."""

from __future__ import annotations

import datetime

import pytest

from srrt.foreseeability import assess, overlapping_peaks
from srrt.models import CalendarPeak, DemandType, Foreseeability, PlanAnswer, SurgeStatus
from tests.factories import MemberFactory
from tests.srrt.factories import CalendarPeakFactory, SurgeRequestFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 6, 16)
EARLY = datetime.date(2025, 3, 1)  # long before the start: no short lead time


@pytest.fixture
def member(home_office):
    return MemberFactory(organisation=home_office)


def request_for(member, **fields):
    values = {"demand_type": DemandType.BACKLOG, "start_date": START, "expected_duration_days": 14}
    values |= fields
    return SurgeRequestFactory(requester=member, status=SurgeStatus.DRAFT, **values)


def codes(result) -> list[str]:
    return [r.code for r in result.reasons]


def test_nothing_foreseeable(member):
    result = assess(request_for(member), submitted_on=EARLY)
    assert result.result == Foreseeability.UNFORESEEABLE
    assert result.reasons == []


@pytest.mark.parametrize(
    ("years_back", "days_off", "counts"),
    [(1, 0, True), (2, 30, True), (3, -30, True), (1, 31, False), (3, -31, False), (4, 0, False)],
)
def test_repeat_use_window(member, years_back, days_off, counts):
    same_day = START.replace(year=START.year - years_back) + datetime.timedelta(days=days_off)
    SurgeRequestFactory(requester=member, demand_type=DemandType.BACKLOG, start_date=same_day)
    result = assess(request_for(member), submitted_on=EARLY)
    assert ("repeat_use" in codes(result)) is counts
    assert result.result == (Foreseeability.LIKELY if counts else Foreseeability.UNFORESEEABLE)


def test_repeat_use_needs_same_organisation_demand_type_and_a_submitted_request(member, dwp):
    last_year = START.replace(year=2024)
    SurgeRequestFactory(requester=MemberFactory(organisation=dwp), demand_type=DemandType.BACKLOG, start_date=last_year)
    SurgeRequestFactory(requester=member, demand_type=DemandType.CRISIS, start_date=last_year)
    SurgeRequestFactory(
        requester=member, demand_type=DemandType.BACKLOG, start_date=last_year, status=SurgeStatus.DRAFT
    )
    assert assess(request_for(member), submitted_on=EARLY).reasons == []


def test_repeat_use_names_the_earlier_requests(member):
    SurgeRequestFactory(requester=member, demand_type=DemandType.BACKLOG, start_date=datetime.date(2024, 6, 1))
    SurgeRequestFactory(
        requester=member, demand_type=DemandType.BACKLOG, start_date=datetime.date(2023, 7, 1), status="declined"
    )
    (reason,) = assess(request_for(member), submitted_on=EARLY).reasons
    assert "2 times" in reason.text
    assert "June 2024" in reason.text and "July 2023" in reason.text


def test_history_is_a_queryset_the_caller_can_narrow(member):
    SurgeRequestFactory(requester=member, demand_type=DemandType.BACKLOG, start_date=START.replace(year=2024))
    from srrt.models import SurgeRequest

    result = assess(request_for(member), history=SurgeRequest.objects.none(), submitted_on=EARLY)
    assert result.reasons == []


def test_29_february_compares_with_28_february(member):
    SurgeRequestFactory(requester=member, demand_type=DemandType.BACKLOG, start_date=datetime.date(2023, 2, 28))
    result = assess(request_for(member, start_date=datetime.date(2024, 2, 29)), submitted_on=datetime.date(2023, 12, 1))
    assert "repeat_use" in codes(result)


@pytest.mark.parametrize(
    ("peak", "start", "days", "overlaps"),
    [
        ((1, 1, 1, 31), datetime.date(2025, 1, 20), 5, True),
        ((1, 1, 1, 31), datetime.date(2025, 2, 1), 5, False),
        ((1, 1, 1, 31), datetime.date(2024, 12, 20), 14, True),  # the request wraps the year end
        ((12, 1, 1, 31), datetime.date(2025, 1, 10), 3, True),  # the peak wraps the year end
        ((12, 1, 1, 31), datetime.date(2024, 12, 5), 3, True),
        ((12, 1, 1, 31), datetime.date(2025, 6, 1), 30, False),
        ((3, 1, 5, 31), datetime.date(2025, 6, 1), 400, True),  # over a year covers every peak
    ],
)
def test_calendar_peak_overlap(member, peak, start, days, overlaps):
    CalendarPeakFactory(name="Peak", start_month=peak[0], start_day=peak[1], end_month=peak[2], end_day=peak[3])
    result = assess(
        request_for(member, start_date=start, expected_duration_days=days), submitted_on=EARLY.replace(2020)
    )
    assert ("calendar_peak" in codes(result)) is overlaps
    assert result.result == (Foreseeability.POSSIBLY if overlaps else Foreseeability.UNFORESEEABLE)


def test_inactive_peaks_do_not_count(member):
    CalendarPeakFactory(name="Old peak", start_month=6, start_day=1, end_month=6, end_day=30, is_active=False)
    assert assess(request_for(member), submitted_on=EARLY).reasons == []
    assert overlapping_peaks(START, START, CalendarPeak.objects.all()).count() == 1


@pytest.mark.parametrize(("lead_days", "short"), [(0, True), (13, True), (14, False), (60, False)])
def test_short_lead_time_for_a_seasonal_peak(member, lead_days, short):
    request = request_for(member, demand_type=DemandType.SEASONAL_PEAK)
    result = assess(request, submitted_on=START - datetime.timedelta(days=lead_days))
    assert ("short_lead_seasonal" in codes(result)) is short
    assert result.result == (Foreseeability.POSSIBLY if short else Foreseeability.UNFORESEEABLE)


def test_short_lead_time_only_matters_for_seasonal_peaks(member):
    request = request_for(member, demand_type=DemandType.CRISIS)
    assert assess(request, submitted_on=START).reasons == []


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (PlanAnswer.YES, Foreseeability.LIKELY),
        (PlanAnswer.PARTLY, Foreseeability.POSSIBLY),
        (PlanAnswer.NO, Foreseeability.UNFORESEEABLE),
    ],
)
def test_requesters_own_answer(member, answer, expected):
    assert assess(request_for(member, in_forecast_or_plan=answer), submitted_on=EARLY).result == expected


def test_two_weak_signals_make_it_likely(member):
    CalendarPeakFactory(name="Passport renewals", start_month=3, start_day=1, end_month=6, end_day=30)
    request = request_for(member, demand_type=DemandType.SEASONAL_PEAK)
    result = assess(request, submitted_on=START - datetime.timedelta(days=5))
    assert codes(result) == ["calendar_peak", "short_lead_seasonal"]
    assert result.result == Foreseeability.LIKELY
    assert "Passport renewals" in result.reasons[0].text


def test_every_rule_together(member):
    CalendarPeakFactory(name="Summer", start_month=6, start_day=1, end_month=8, end_day=31)
    for year in (2022, 2023, 2024):
        SurgeRequestFactory(requester=member, demand_type=DemandType.SEASONAL_PEAK, start_date=START.replace(year=year))
    request = request_for(member, demand_type=DemandType.SEASONAL_PEAK, in_forecast_or_plan=PlanAnswer.PARTLY)
    result = assess(request, submitted_on=START - datetime.timedelta(days=3))
    assert codes(result) == ["repeat_use", "calendar_peak", "short_lead_seasonal", "in_plan"]
    assert result.score == 5
    assert result.result == Foreseeability.LIKELY
    assert "3 times" in result.reasons[0].text


def test_assessing_writes_nothing(member, django_assert_max_num_queries):
    request = request_for(member)
    with django_assert_max_num_queries(2):
        assess(request, submitted_on=EARLY)
