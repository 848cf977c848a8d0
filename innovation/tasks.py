"""Ideas jobs. Thin: take ids, call one function."""

from innovation import digests, fanout
from odp.outbox import job


@job("innovation.notify_reviewers")
def notify_reviewers(*, idea_id: int) -> int:
    return fanout.notify_reviewers(idea_id=idea_id)


@job("innovation.announce_event")
def announce_event(*, event_id: int) -> int:
    return fanout.announce_event(event_id=event_id)


@job("innovation.escalate_overdue")
def escalate_overdue() -> int:
    """Daily (celery beat): overdue ideas to the admins."""
    return fanout.escalate_overdue()


@job("innovation.send_daily_digests", queue="batch", atomic=False)
def send_daily_digests() -> int:
    """Daily (celery beat): one digest email per member who chose a daily digest. Idempotent per member and day."""
    return digests.send_daily_digests()
