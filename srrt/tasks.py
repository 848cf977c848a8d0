"""SRRT jobs. Thin: call one function."""

from odp.outbox import job
from srrt import reminders


@job("srrt.remind_ending_soon", atomic=False)
def remind_ending_soon() -> int:
    """Daily (celery beat): assignments ending soon, to their responders and the coordinators."""
    return reminders.remind_ending_soon()
