"""The response promise: a decision within a number of working days of submission.

Working days are Monday to Friday less the bank holidays of England and Wales. The holidays are computed
from the rules of the Banking and Financial Dealings Act 1971 and the standing royal proclamations, as
GOV.UK publishes them (https://www.gov.uk/bank-holidays, data at https://www.gov.uk/bank-holidays.json):

- New Year's Day, Christmas Day and Boxing Day, each moved to the next weekday not already a holiday when
  it falls at a weekend ("substitute days": Christmas on a Saturday gives Monday 27 and Tuesday 28);
- Good Friday and Easter Monday (Easter by the Gregorian computus);
- the early May bank holiday (first Monday of May), the spring bank holiday (last Monday of May) and the
  summer bank holiday (last Monday of August).

One-off changes made by proclamation are listed in ``_MOVED`` and ``_EXTRA`` (checked against GOV.UK's data
from 2012). A new proclamation is one line there."""

from __future__ import annotations

import datetime
from functools import lru_cache

from django.conf import settings

DEFAULT_RESPONSE_DAYS = 30

# Rule-computed holidays that a proclamation moved elsewhere that year: usual date -> date observed.
_MOVED: dict[datetime.date, datetime.date] = {
    datetime.date(2012, 5, 28): datetime.date(2012, 6, 4),  # spring bank holiday, Diamond Jubilee
    datetime.date(2020, 5, 4): datetime.date(2020, 5, 8),  # early May, 75th anniversary of VE day
    datetime.date(2022, 5, 30): datetime.date(2022, 6, 2),  # spring bank holiday, Platinum Jubilee
}
# Additional one-off bank holidays.
_EXTRA: frozenset[datetime.date] = frozenset(
    {
        datetime.date(2012, 6, 5),  # Queen's Diamond Jubilee
        datetime.date(2022, 6, 3),  # Queen's Platinum Jubilee
        datetime.date(2022, 9, 19),  # State Funeral of Queen Elizabeth II
        datetime.date(2023, 5, 8),  # Coronation of King Charles III
    }
)


def response_days() -> int:
    return int(getattr(settings, "IDEA_RESPONSE_DAYS", DEFAULT_RESPONSE_DAYS))


def easter_sunday(year: int) -> datetime.date:
    """Easter Day in the Gregorian calendar (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _first_monday(year: int, month: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(7 - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> datetime.date:
    last = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
    return last - datetime.timedelta(days=last.weekday())


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[datetime.date]:
    """The bank holidays of England and Wales in ``year``, substitute days included."""
    easter = easter_sunday(year)
    fixed = [
        easter - datetime.timedelta(days=2),
        easter + datetime.timedelta(days=1),
        _first_monday(year, 5),
        _last_monday(year, 5),
        _last_monday(year, 8),
    ]
    days = {_MOVED.get(day, day) for day in fixed}
    # New Year, then Christmas and Boxing Day in order, so Boxing Day's substitute skips Christmas's.
    for month, day in ((1, 1), (12, 25), (12, 26)):
        observed = datetime.date(year, month, day)
        while observed.weekday() >= 5 or observed in days:
            observed += datetime.timedelta(days=1)
        days.add(observed)
    days |= {day for day in _EXTRA if day.year == year}
    return frozenset(days)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def working_days_after(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (weekends and England and Wales bank holidays skipped)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current
