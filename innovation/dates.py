"""The response promise: a decision within a number of working days of submission."""

from __future__ import annotations

import datetime

from django.conf import settings

DEFAULT_RESPONSE_DAYS = 30


def response_days() -> int:
    return int(getattr(settings, "IDEA_RESPONSE_DAYS", DEFAULT_RESPONSE_DAYS))


def working_days_after(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days (Monday to Friday) after ``start``. Bank holidays are not counted
    out: the promise errs a day or two early, never late."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current
