"""The "you will hear by" date counts working days: weekends and England and Wales bank holidays are skipped.
Expected dates are GOV.UK's published bank holidays (https://www.gov.uk/bank-holidays)."""

from __future__ import annotations

import datetime

import pytest

from innovation.dates import bank_holidays, easter_sunday, is_working_day, working_days_after

D = datetime.date


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2026, [D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25), D(2026, 8, 31),
                D(2026, 12, 25), D(2026, 12, 28)]),  # Boxing Day is a Saturday: substitute Monday 28th
        (2027, [D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 3), D(2027, 5, 31), D(2027, 8, 30),
                D(2027, 12, 27), D(2027, 12, 28)]),  # Christmas on a Saturday: Monday 27th and Tuesday 28th
        (2022, [D(2022, 1, 3), D(2022, 4, 15), D(2022, 4, 18), D(2022, 5, 2), D(2022, 6, 2), D(2022, 6, 3),
                D(2022, 8, 29), D(2022, 9, 19), D(2022, 12, 26), D(2022, 12, 27)]),  # New Year on a Saturday
        (2023, [D(2023, 1, 2), D(2023, 4, 7), D(2023, 4, 10), D(2023, 5, 1), D(2023, 5, 8), D(2023, 5, 29),
                D(2023, 8, 28), D(2023, 12, 25), D(2023, 12, 26)]),
        (2020, [D(2020, 1, 1), D(2020, 4, 10), D(2020, 4, 13), D(2020, 5, 8), D(2020, 5, 25), D(2020, 8, 31),
                D(2020, 12, 25), D(2020, 12, 28)]),
    ],
)  # fmt: skip
def test_bank_holidays_match_the_published_ones(year, expected):
    assert sorted(bank_holidays(year)) == expected


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2024, D(2024, 3, 31)), (2025, D(2025, 4, 20)), (2026, D(2026, 4, 5)), (2027, D(2027, 3, 28)),
     (2038, D(2038, 4, 25)), (2285, D(2285, 3, 22))],
)  # fmt: skip
def test_easter_by_the_gregorian_computus(year, easter):
    assert easter_sunday(year) == easter


def test_christmas_2026_costs_two_working_days():
    thursday = D(2026, 12, 24)
    assert not is_working_day(D(2026, 12, 25))
    assert not is_working_day(D(2026, 12, 28))
    assert working_days_after(thursday, 1) == D(2026, 12, 29)
    # Submitted on Wednesday 23 December 2026 with a 5-day promise: 24, 29, 30, 31 December and 4 January
    # (New Year's Day, a Friday, is a holiday).
    assert working_days_after(D(2026, 12, 23), 5) == D(2027, 1, 4)


def test_christmas_2027_substitute_days_are_skipped():
    assert working_days_after(D(2027, 12, 24), 1) == D(2027, 12, 29)


def test_easter_2027_skips_good_friday_and_easter_monday():
    assert working_days_after(D(2027, 3, 25), 1) == D(2027, 3, 30)
    assert working_days_after(D(2027, 3, 22), 5) == D(2027, 3, 31)


def test_thirty_working_days_over_easter_2026():
    # 2 March 2026 + 30 working days: six weeks of weekdays would be 13 April; Good Friday and Easter Monday
    # push it to the Wednesday.
    assert working_days_after(D(2026, 3, 2), 30) == D(2026, 4, 15)


def test_a_start_on_a_holiday_counts_from_the_next_working_day():
    assert working_days_after(D(2026, 12, 25), 1) == D(2026, 12, 29)
    assert working_days_after(D(2026, 12, 25), 0) == D(2026, 12, 25)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        working_days_after(D(2026, 1, 5), -1)
